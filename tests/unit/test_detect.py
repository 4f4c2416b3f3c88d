"""Format/entity detection and column mapping on the real headers of the shared sample exports and native CRM labels."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from salesops.ingest.builtin_presets import builtin_names, builtin_preset
from salesops.ingest.detect import (
    SOURCE_FORMATS,
    ColumnMatch,
    Detection,
    default_activity_type,
    detect,
    detect_source_format,
    entity_hint,
    map_columns,
)
from salesops.ingest.fields import FIELDS
from salesops.ingest.synonyms import SYNONYMS
from tests.conftest import DATASETS, require


def _headers(relative: str) -> list[str]:
    path = DATASETS / relative
    require(path.exists(), f"sample dataset {relative} not available")
    first_line = path.read_bytes().splitlines()[0].decode("utf-8-sig", errors="replace")
    return next(csv.reader([first_line]))


def _detect_file(relative: str) -> Detection:
    return detect(_headers(relative), file_name=Path(relative).name)


# (file, source format, entity, {header: field} that must be mapped)
REAL_EXPORTS = [
    (
        "maven-crm-sales-opportunities/sales_pipeline.csv",
        "generic",
        "deals",
        {
            "opportunity_id": "id",
            "sales_agent": "owner",
            "deal_stage": "stage",
            "close_date": "close_date",
            "account": "account",
            "product": "product",
        },
    ),
    (
        "maven-crm-sales-opportunities/sales_teams.csv",
        "generic",
        "reps",
        {"sales_agent": "name", "manager": "manager", "regional_office": "region"},
    ),
    (
        "maven-crm-sales-opportunities/accounts.csv",
        "generic",
        "accounts",
        {
            "account": "name",
            "sector": "industry",
            "employees": "employees",
            "revenue": "annual_revenue",
            "office_location": "country",
        },
    ),
    (
        "crm-sales-opportunities-with-interactions/sales_teams.csv",
        "generic",
        "reps",
        {"sales_person_id": "id", "sales_agent": "name"},
    ),
    (
        "crm-sales-opportunities-with-interactions/accounts.csv",
        "generic",
        "accounts",
        {"account_id": "id", "account": "name"},
    ),
    (
        "crm-sales-opportunities-with-interactions/interactions.csv",
        "generic",
        "activities",
        {"activity_type": "type", "timestamp": "occurred_at", "account_name": "account", "status": "outcome"},
    ),
    (
        "zoho-crm-sample-export/Potentials.csv",
        "zoho",
        "deals",
        {
            "Potential Name": "name",
            "Potential Owner": "owner",
            "Stage": "stage",
            "Amount": "amount",
            "Created Time": "created_date",
            "Closing Date": "close_date",
            "Type": "deal_type",
            "Forecast Type": "forecast_category",
        },
    ),
    (
        "zoho-crm-sample-export/Calls.csv",
        "zoho",
        "activities",
        {
            "TASKID": "id",
            "Call Start Time": "occurred_at",
            "Call Owner": "owner",
            "Call Duration (in seconds)": "duration_seconds",
            "POTENTIALID": "deal_id",
            "LEADID": "lead_id",
        },
    ),
    (
        "zoho-crm-sample-export/Events.csv",
        "zoho",
        "activities",
        {"EVENTID": "id", "Event Owner": "owner", "Start DateTime": "occurred_at", "Subject": "subject"},
    ),
    (
        "zoho-crm-sample-export/Tasks.csv",
        "zoho",
        "activities",
        {"Task Owner": "owner", "Due Date": "occurred_at", "Status": "outcome"},
    ),
    (
        "zoho-crm-sample-export/Leads.csv",
        "zoho",
        "leads",
        {
            "LEADID": "id",
            "Lead Owner": "owner",
            "Lead Source": "source",
            "Lead Status": "status",
            "Created Time": "created_date",
            "CONVERTED": "converted",
        },
    ),
    (
        "zoho-crm-sample-export/Accounts.csv",
        "zoho",
        "accounts",
        {"ACCOUNTID": "id", "Account Name": "name", "Account Owner": "owner", "Industry": "industry"},
    ),
    (
        "zoho-crm-sample-export/Users.csv",
        "zoho",
        "reps",
        {"USER_ID": "id", "First Name": "first_name", "Last Name": "last_name", "Email": "email"},
    ),
    (
        "salesforce-dataloader-sample-sfdc-assets/Opportunity.csv",
        "salesforce",
        "deals",
        {
            "Id": "id",
            "Name": "name",
            "StageName": "stage",
            "Amount": "amount",
            "CloseDate": "close_date",
            "CreatedDate": "created_date",
            "IsWon": "is_won",
            "IsClosed": "is_closed",
            "OwnerId": "owner",
            "Type": "deal_type",
            "ForecastCategory": "forecast_category",
        },
    ),
    (
        "salesforce-dataloader-sample-sfdc-assets/Task.csv",
        "salesforce",
        "activities",
        {
            "WhatId": "deal_id",
            "WhoId": "lead_id",
            "ActivityDate": "occurred_at",
            "CallDurationInSeconds": "duration_seconds",
            "OwnerId": "owner",
            "Type__c": "type",
        },
    ),
    (
        "salesforce-dataloader-sample-sfdc-assets/Lead.csv",
        "salesforce",
        "leads",
        {
            "Company": "company",
            "LeadSource": "source",
            "IsConverted": "converted",
            "ConvertedDate": "converted_date",
            "NumberOfEmployees": "employees",
        },
    ),
    (
        "salesforce-dataloader-sample-sfdc-assets/Account.csv",
        "salesforce",
        "accounts",
        {"Name": "name", "AnnualRevenue": "annual_revenue", "BillingCountry": "country", "Industry": "industry"},
    ),
    (
        "salesforce-dev-edition-sample-export/Opportunity.csv",
        "salesforce",
        "deals",
        {"StageName": "stage", "CloseDate": "close_date", "CreatedDate": "created_date"},
    ),
    (
        "salesforce-org-export-crm-analytics/Oppertuninty Table.csv",
        "salesforce",
        "deals",
        {
            "Opportunity ID": "id",
            "Stage": "stage",
            "Amount": "amount",
            "Close Date": "close_date",
            "Created Date": "created_date",
            "Owner ID": "owner",
            "Won": "is_won",
            "Closed": "is_closed",
        },
    ),
    (
        "salesforce-org-export-crm-analytics/User Table.csv",
        "salesforce",
        "reps",
        {"User ID": "id", "Full Name": "name", "Active": "active"},
    ),
    (
        "salesforce-org-export-crm-analytics/Accont.csv",
        "salesforce",
        "accounts",
        {"Account ID": "id", "Account Name": "name", "Industry": "industry", "Owner ID": "owner"},
    ),
    (
        "salesforce-org-export-crm-analytics/Lead.csv",
        "salesforce",
        "leads",
        {"Lead ID": "id", "Lead Source": "source", "Converted": "converted", "Status": "status"},
    ),
    (
        "x-education-lead-scoring/Leads.csv",
        "generic",
        "leads",
        {"Prospect ID": "id", "Lead Source": "source", "Converted": "converted", "Country": "country"},
    ),
]


@pytest.mark.parametrize(
    ("relative", "source_format", "entity", "expected"), REAL_EXPORTS, ids=[c[0] for c in REAL_EXPORTS]
)
def test_real_export_is_recognised_and_mapped(
    relative: str, source_format: str, entity: str, expected: dict[str, str]
) -> None:
    detection = _detect_file(relative)
    assert (detection.source_format, detection.entity) == (source_format, entity)
    mapping = detection.mapping()
    assert {header: mapping.get(header) for header in expected} == expected
    assert 0.0 < detection.confidence <= 1.0


@pytest.mark.parametrize(
    "relative",
    [
        "maven-crm-sales-opportunities/products.csv",
        "maven-crm-sales-opportunities/data_dictionary.csv",
        "monthly-sales-timeseries/monthly-car-sales.csv",
        "superstore-orders/Sample-Superstore.csv",
        "zoho-crm-sample-export/Campaigns.csv",
        "salesforce-dataloader-sample-sfdc-assets/Campaign.csv",
    ],
)
def test_files_that_hold_no_crm_entity_get_none(relative: str) -> None:
    detection = _detect_file(relative)
    assert detection.entity is None
    assert detection.mapping() == {}
    assert len(detection.columns) == len(_headers(relative))


def test_every_real_mapping_uses_canonical_fields_once() -> None:
    require(DATASETS.exists(), "shared datasets not available")
    for path in sorted(DATASETS.glob("*/*.csv")):
        detection = _detect_file(str(path.relative_to(DATASETS)))
        fields = list(detection.mapping().values())
        assert len(fields) == len(set(fields)), path.name
        if detection.entity is not None:
            assert set(fields) <= set(FIELDS[detection.entity]), path.name


def test_zoho_call_type_is_not_the_activity_type() -> None:
    mapping = _detect_file("zoho-crm-sample-export/Calls.csv").mapping()
    assert "Call Type" not in mapping
    assert "type" not in mapping.values()
    assert default_activity_type("Calls.csv") == "call"


def test_crm_analytics_picks_the_plain_amount_not_expected_amount() -> None:
    mapping = _detect_file("salesforce-org-export-crm-analytics/Oppertuninty Table.csv").mapping()
    assert mapping["Amount"] == "amount"
    assert mapping["Expected Amount"] == "expected_revenue"
    assert "Created By ID" not in mapping
    assert "Last Modified Date" not in mapping


CORE_DEAL_FIELDS = {"name", "owner", "amount", "close_date", "created_date"}

NATIVE_DEALS = [
    (
        "salesforce",
        [
            "Opportunity Owner",
            "Account Name",
            "Opportunity Name",
            "Stage",
            "Forecast Category",
            "Amount",
            "Expected Revenue",
            "Probability (%)",
            "Fiscal Period",
            "Close Date",
            "Created Date",
            "Lead Source",
            "Type",
            "Opportunity Currency",
            "Opportunity ID",
            "Closed",
            "Won",
        ],
        {"Opportunity ID": "id", "Stage": "stage", "Type": "deal_type", "Won": "is_won", "Closed": "is_closed"},
    ),
    (
        "hubspot",
        [
            "Record ID",
            "Deal Name",
            "Deal Stage",
            "Pipeline",
            "Amount",
            "Close Date",
            "Create Date",
            "Deal owner",
            "Deal Type",
            "Associated Company",
            "Is Closed Won",
            "Is closed lost",
            "Deal probability",
            "Forecast category",
            "Amount in company currency",
        ],
        {"Record ID": "id", "Deal Stage": "stage", "Is Closed Won": "is_won", "Create Date": "created_date"},
    ),
    (
        "pipedrive",
        [
            "Deal - ID",
            "Deal - Title*",
            "Deal - Value*",
            "Deal - Currency",
            "Deal - Owner",
            "Deal - Stage",
            "Deal - Status",
            "Deal - Expected close date",
            "Deal - Won time",
            "Deal - Lost time",
            "Deal - Deal created",
            "Deal - Organization",
            "Deal - Probability",
            "Deal - Pipeline",
        ],
        {"Deal - ID": "id", "Deal - Stage": "stage", "Deal - Status": "status", "Deal - Title*": "name"},
    ),
    (
        "zoho",
        [
            "Record Id",
            "Deal Owner",
            "Deal Name",
            "Account Name",
            "Type",
            "Lead Source",
            "Amount",
            "Closing Date",
            "Stage",
            "Probability (%)",
            "Expected Revenue",
            "Created Time",
        ],
        {"Record Id": "id", "Stage": "stage", "Closing Date": "close_date", "Created Time": "created_date"},
    ),
]


@pytest.mark.parametrize(("source_format", "headers", "expected"), NATIVE_DEALS, ids=[c[0] for c in NATIVE_DEALS])
def test_native_deal_exports_map_every_core_field(
    source_format: str, headers: list[str], expected: dict[str, str]
) -> None:
    detection = detect(headers, file_name="export.csv")
    assert (detection.source_format, detection.entity) == (source_format, "deals")
    mapping = detection.mapping()
    assert CORE_DEAL_FIELDS | {"id"} <= set(mapping.values())
    assert {"stage", "status"} & set(mapping.values())
    assert {header: mapping.get(header) for header in expected} == expected


def test_hubspot_is_closed_lost_is_not_taken_for_is_closed() -> None:
    mapping = detect(["Deal Name", "Deal Stage", "Amount", "Is closed lost"]).mapping()
    assert "Is closed lost" not in mapping


def test_pipedrive_activities_and_hubspot_contacts() -> None:
    activities = detect(
        [
            "Activity - Type",
            "Activity - Subject",
            "Activity - Due date",
            "Activity - Assigned to user",
            "Activity - Deal",
        ]
    )
    assert (activities.source_format, activities.entity) == ("pipedrive", "activities")
    assert activities.mapping() == {
        "Activity - Type": "type",
        "Activity - Subject": "subject",
        "Activity - Due date": "occurred_at",
        "Activity - Assigned to user": "owner",
        "Activity - Deal": "deal_id",
    }
    contacts = detect(
        ["Record ID", "First Name", "Last Name", "Email", "Lead Status", "Original Source", "Create Date"]
    )
    assert (contacts.source_format, contacts.entity) == ("hubspot", "leads")
    assert contacts.mapping()["Original Source"] == "source"


def test_generic_spreadsheet_deals() -> None:
    headers = ["Deal ID", "Opportunity", "Sales Rep", "Deal Value", "Stage", "Created On", "Expected Close", "Region"]
    detection = detect(headers)
    assert (detection.source_format, detection.entity) == ("generic", "deals")
    assert detection.mapping() == {
        "Deal ID": "id",
        "Opportunity": "name",
        "Sales Rep": "owner",
        "Deal Value": "amount",
        "Stage": "stage",
        "Created On": "created_date",
        "Expected Close": "close_date",
        "Region": "region",
    }


def test_fuzzy_headers_map_with_lower_confidence() -> None:
    columns = map_columns(["Opp. Amount (USD)", "Close dt", "Deal Owner Name", "Opportunty Name"], "deals")
    by_source = {c.source: c for c in columns}
    assert {c.source: c.field for c in columns} == {
        "Opp. Amount (USD)": "amount",
        "Close dt": "close_date",
        "Deal Owner Name": "owner",
        "Opportunty Name": "name",
    }
    assert all(0.75 <= c.confidence < 1.0 for c in columns)
    assert by_source["Opportunty Name"].confidence < by_source["Close dt"].confidence


def test_fuzzy_does_not_turn_rates_or_ids_into_dates_or_names() -> None:
    columns = map_columns(["Lead ID", "Conversion Rate", "AccountId"], "leads")
    assert [c.field for c in columns] == ["id", None, None]


def test_byte_order_mark_and_padding_are_ignored() -> None:
    columns = map_columns(["\ufeffId", "  StageName ", "Amount"], "deals", "salesforce")
    assert [c.field for c in columns] == ["id", "stage", "amount"]
    assert columns[1].source == "  StageName "


def test_owner_id_only_when_no_owner_name() -> None:
    with_name = map_columns(["Owner ID", "Opportunity Owner", "Amount"], "deals", "salesforce")
    assert [c.field for c in with_name] == [None, "owner", "amount"]
    alone = map_columns(["OwnerId", "Amount"], "deals", "salesforce")
    assert alone[0] == ColumnMatch("OwnerId", "owner", 0.7)


def test_entity_override_maps_for_the_given_entity() -> None:
    headers = ["account", "sector", "revenue", "employees"]
    assert detect(headers, file_name="accounts.csv").entity == "accounts"
    forced = detect(headers, file_name="accounts.csv", entity="leads")
    assert forced.entity == "leads"
    assert forced.confidence == 1.0
    assert forced.mapping() == {"account": "company", "sector": "industry", "employees": "employees"}


def test_file_name_breaks_a_tie_between_entities() -> None:
    headers = ["Name", "Email", "Industry", "Status", "Owner"]
    assert detect(headers, file_name="Leads.csv").entity == "leads"
    assert entity_hint("Oppertuninty Table.csv") == "deals"
    assert entity_hint("sales_teams.csv") == "reps"
    assert entity_hint("interactions.csv") == "activities"
    assert entity_hint("Campaign.csv") is None


def test_unknown_entity_or_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown entity"):
        map_columns(["Amount"], "orders")
    with pytest.raises(ValueError, match="unknown source format"):
        map_columns(["Amount"], "deals", "sugarcrm")


def test_source_format_markers() -> None:
    assert detect_source_format(["Id", "StageName", "IsWon", "CloseDate"]) == "salesforce"
    assert detect_source_format(["LEADID", "Lead Owner", "Created Time"]) == "zoho"
    assert detect_source_format(["Deal - Title", "Deal - Value"]) == "pipedrive"
    assert detect_source_format(["Record ID", "Deal Stage", "Deal owner"]) == "hubspot"
    assert detect_source_format(["Deal", "Value", "Stage"]) == "generic"


@pytest.mark.parametrize(
    ("file_name", "kind"),
    [("Calls.csv", "call"), ("Events.csv", "meeting"), ("Tasks.csv", "task"), ("deals.csv", None), ("", None)],
)
def test_default_activity_type_from_file_name(file_name: str, kind: str | None) -> None:
    assert default_activity_type(file_name) == kind


def test_no_detection_logic_written_for_one_sample_dataset() -> None:
    """A public dataset's own headers and misspelt file names are no CRM: detection treats them as any file."""
    assert "maven" not in SOURCE_FORMATS
    assert "maven" not in SYNONYMS
    assert detect_source_format(["sales_agent", "deal_stage", "close_value", "engage_date"]) == "generic"
    assert entity_hint("Accont.csv") is None
    unknown = map_columns(["close_value", "engage_date"], "deals")
    assert [c.field for c in unknown] == [None, None]


def test_sample_dataset_mapping_is_a_builtin_preset() -> None:
    headers = _headers("maven-crm-sales-opportunities/sales_pipeline.csv")
    name = next(n for n in builtin_names() if "Maven" in n and "deals" in n)
    found = builtin_preset(name)
    assert found is not None
    entity, mapping = found
    assert entity == "deals"
    assert set(mapping) <= set(headers)
    assert {mapping["close_value"], mapping["engage_date"]} == {"amount", "created_date"}
    assert builtin_preset("no such preset") is None


VENDOR_DEALS = [
    (
        "dynamics",
        [
            "(Do Not Modify) Opportunity",
            "Topic",
            "Potential Customer",
            "Est. Revenue",
            "Est. Close Date",
            "Owner",
            "Pipeline Phase",
            "Status",
            "Created On",
        ],
        {"(Do Not Modify) Opportunity": "id", "Est. Revenue": "amount", "Pipeline Phase": "stage", "Status": "status"},
    ),
    (
        "close",
        [
            "id",
            "lead_name",
            "status_label",
            "status_type",
            "value",
            "confidence",
            "user_name",
            "date_created",
            "date_won",
        ],
        {"status_label": "stage", "status_type": "status", "user_name": "owner", "date_won": "close_date"},
    ),
    (
        "odoo",
        [
            "ID",
            "Opportunity",
            "Customer",
            "Salesperson",
            "Sales Team",
            "Stage",
            "Expected Revenue",
            "Probability",
            "Expected Closing",
            "Created on",
        ],
        {"Expected Revenue": "amount", "Salesperson": "owner", "Expected Closing": "close_date"},
    ),
    (
        "freshsales",
        ["Name", "Deal value", "Deal stage", "Expected close date", "Sales owner", "Sales account", "Created at"],
        {"Deal value": "amount", "Sales owner": "owner", "Created at": "created_date"},
    ),
    (
        "monday",
        [
            "Name",
            "Owner",
            "Deal Stage",
            "Deal Value",
            "Expected Close Date",
            "Close Probability",
            "Forecast Value",
            "Creation Log",
            "Item ID",
        ],
        {"Forecast Value": "expected_revenue", "Creation Log": "created_date", "Item ID": "id"},
    ),
]


@pytest.mark.parametrize(("source_format", "headers", "expected"), VENDOR_DEALS, ids=[c[0] for c in VENDOR_DEALS])
def test_other_crms_documented_deal_exports(source_format: str, headers: list[str], expected: dict[str, str]) -> None:
    detection = detect(headers, file_name="export.csv")
    assert (detection.source_format, detection.entity) == (source_format, "deals")
    mapping = detection.mapping()
    assert {header: mapping.get(header) for header in expected} == expected
    snake = detect([re.sub(r"[^a-z0-9]+", "_", h.lower()).strip("_") for h in headers], file_name="export.csv")
    assert snake.source_format == source_format  # markers match whatever the case and punctuation
