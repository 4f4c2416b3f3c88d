"""Deals exports in each CRM's native headers, date and number formats load without manual mapping or rejects."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from salesops.ingest.pipeline import ingest_paths
from salesops.store.schema import deals

SALESFORCE_REPORT = (
    '"Opportunity Owner","Account Name","Opportunity Name","Stage","Forecast Category","Fiscal Period",'
    '"Amount","Probability (%)","Close Date","Created Date","Lead Source","Type"\n'
    '"Ann Lee","Acme","Acme - 200 seats","Closed Won","Closed","Q1-2024","USD 12,500.00","100","3/14/2024",'
    '"1/2/2024","Web","New Business"\n'
    '"Bob Roy","Beta","Beta - renewal","Closed Lost","Omitted","Q1-2024","USD 4,000.00","0","3/20/2024",'
    '"2/1/2024","Partner","Existing Business"\n'
    '"Ann Lee","Gamma","Gamma - pilot","Negotiation/Review","Commit","Q2-2024","USD 8,000.00","90","5/31/2024",'
    '"3/1/2024","Web","New Business"\n'
    "\n"
    '"Grand Totals (3 records)","","","","","","USD 24,500.00","","","","",""\n'
    "\n"
    '"Confidential Information - Do Not Distribute"\n'
    '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
)
HUBSPOT = (
    "Record ID,Deal Name,Deal Stage,Pipeline,Amount,Close Date,Create Date,Deal owner,Deal Type,Is Closed Won\n"
    "9001,Acme expansion,Closed Won,Sales Pipeline,12500,2024-03-14 10:03,2024-01-02 09:00,Ann Lee,newbusiness,true\n"
    "9002,Beta renewal,closedlost,Sales Pipeline,4000,2024-03-20 16:00,2024-02-01 11:30,Bob Roy,renewal,false\n"
    "9003,Gamma pilot,contractsent,Sales Pipeline,8000,2024-05-31 00:00,2024-03-01 08:15,Ann Lee,newbusiness,false\n"
)
PIPEDRIVE = (
    "Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Owner,Deal - Stage,Deal - Status,"
    "Deal - Expected close date,Deal - Deal created,Deal - Organization\n"
    "11,Acme expansion,12500,EUR,Ann Lee,Negotiations Started,won,2024-03-14,2024-01-02 09:00:00,Acme\n"
    "12,Beta renewal,4000,EUR,Bob Roy,Proposal Made,lost,2024-03-20,2024-02-01 11:30:00,Beta\n"
    "13,Gamma pilot,8000,EUR,Ann Lee,Proposal Made,open,2024-05-31,2024-03-01 08:15:00,Gamma\n"
)
ZOHO = (
    "Record Id,Deal Owner,Deal Name,Account Name,Type,Lead Source,Amount,Closing Date,Stage,Probability (%),"
    "Created Time\n"
    'zcrm_1,Ann Lee,Acme expansion,Acme,New Business,Web,"$12,500.00","14 Mar, 2024",Closed Won,100,'
    '"02 Jan, 2024 09:00:00"\n'
    'zcrm_2,Bob Roy,Beta renewal,Beta,Existing Business,Partner,"$4,000.00","20 Mar, 2024",Closed Lost,0,'
    '"01 Feb, 2024 11:30:00"\n'
    'zcrm_3,Ann Lee,Gamma pilot,Gamma,New Business,Web,"$8,000.00","31 May, 2024",Negotiation/Review,90,'
    '"01 Mar, 2024 08:15:00"\n'
)


@pytest.mark.parametrize(
    ("source", "content", "encoding"),
    [
        ("salesforce", SALESFORCE_REPORT, "utf-8"),
        ("hubspot", HUBSPOT, "utf-8-sig"),
        ("pipedrive", PIPEDRIVE, "utf-8"),
        ("zoho", ZOHO, "utf-8"),
    ],
)
def test_native_deals_export_loads_without_editing(
    engine: Engine, tmp_path: Path, source: str, content: str, encoding: str
) -> None:
    path = tmp_path / f"{source}-deals-export.csv"
    path.write_text(content, encoding=encoding)
    [result] = ingest_paths(engine, "W", [path])
    assert (result.entity, result.source_format) == ("deals", source)
    assert (result.rows_loaded, result.rows_rejected) == (3, 0)
    with engine.connect() as conn:
        rows = conn.execute(
            select(deals.c.owner, deals.c.status, deals.c.amount, deals.c.close_date, deals.c.created_date).order_by(
                deals.c.amount.desc()
            )
        ).all()
    assert [(r.owner, r.status, r.amount) for r in rows] == [
        ("Ann Lee", "won", 12500.0),
        ("Ann Lee", "open", 8000.0),
        ("Bob Roy", "lost", 4000.0),
    ]
    assert [r.close_date.isoformat() for r in rows] == ["2024-03-14", "2024-05-31", "2024-03-20"]
    assert [r.created_date.isoformat() for r in rows] == ["2024-01-02", "2024-03-01", "2024-02-01"]
