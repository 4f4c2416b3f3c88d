"""Columns proposed from their values for needed fields that header matching left unmapped, and what gaps cost."""

from __future__ import annotations

import pandas as pd
import pytest

from salesops.ingest.content import AUTO_CONFIDENCE, HINT_WORDS, propose
from salesops.ingest.pipeline import check, prepare
from salesops.kpi.missing import costs_in_records

HAND_KEPT = (
    b"Deal,Client,Rep,Stage,Worth,Kick-off,Signed\n"
    b'Big one,Acme,Ann Lee,Won,"$12,000",03/01/2025,04/15/2025\n'
    b'Second,Beta Ltd,Bo Chan,Lost,"$3,500",03/04/2025,05/02/2025\n'
    b'Third,Gamma,Ann Lee,Proposal,"$8,000",03/09/2025,\n'
    b'Fourth,Delta,Bo Chan,Won,"$1,200",04/01/2025,04/20/2025\n'
    b'Fifth,Epsilon,Ann Lee,Negotiation,"$9,900",04/11/2025,\n'
)


def test_hand_kept_spreadsheet_gets_its_dates_and_amount_from_their_values() -> None:
    prepared = prepare(HAND_KEPT, "pipeline.csv")[0]
    assert prepared.entity == "deals"
    assert prepared.mapping["Signed"] == "close_date"  # "signed" is a close word; its values are dates
    assert prepared.mapping["Kick-off"] == "created_date"  # dates that come before the close dates
    assert prepared.mapping["Worth"] == "amount"
    by_field = {p.field: p for p in prepared.proposals}
    assert by_field["close_date"].confidence >= AUTO_CONFIDENCE
    assert "its values are dates" in by_field["close_date"].reasons
    won = check(prepared).records.query("status == 'won'")
    assert won["close_date"].notna().all()
    assert won["amount"].sum() == 13_200


def test_two_unnamed_date_columns_take_created_then_close_by_their_order() -> None:
    frame = pd.DataFrame(
        {
            "Stage": ["Won", "Lost", "Won", "Open"],
            "Col B": ["2025-02-01", "2025-03-05", "2025-04-01", "2025-05-01"],
            "Col A": ["2025-01-01", "2025-01-05", "2025-02-01", "2025-03-01"],
        }
    )
    proposals = {p.field: p for p in propose(frame, "deals", {"Stage": "stage"})}
    assert (proposals["created_date"].source, proposals["close_date"].source) == ("Col A", "Col B")
    assert proposals["close_date"].confidence >= AUTO_CONFIDENCE


def test_values_alone_make_a_suggestion_not_a_mapping() -> None:
    frame = pd.DataFrame({"Stage": ["Won", "Lost", "Open", "Won"], "Zorg": ["10.5", "20", "31", "47"]})
    [amount] = [p for p in propose(frame, "deals", {"Stage": "stage"}) if p.field == "amount"]
    assert amount.source == "Zorg"
    assert amount.confidence < AUTO_CONFIDENCE


def test_another_records_unique_id_is_not_proposed_as_the_id() -> None:
    frame = pd.DataFrame({"Stage": ["Won", "Lost", "Open"], "LEADID": ["11", "12", "13"], "Ref": ["a1", "a2", "a3"]})
    [record_id] = [p for p in propose(frame, "deals", {"Stage": "stage"}) if p.field == "id"]
    assert record_id.source == "Ref"


def test_unmapped_close_date_says_what_it_costs() -> None:
    csv = b"Deal ID,Stage,Amount\n1,Closed Won,100\n2,Closed Won,50\n3,Open,10\n"
    prepared = prepare(csv, "deals.csv")[0]
    assert "close_date" not in prepared.mapping.values()
    notes = check(prepared).notes
    assert "2 won deals have no close date and are left out of revenue; map a close-date column." in notes
    records = pd.DataFrame({"status": ["won", "won", "open"], "close_date": [pd.Timestamp("2025-01-01"), None, None]})
    assert costs_in_records(records, "deals")[0].startswith("1 won deals have no close date")


def test_another_languages_header_words_are_data(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"Stage": ["Won", "Lost", "Open"], "成交日期": ["2025-01-02", "2025-02-03", "2025-03-04"]})
    before = {p.field: p for p in propose(frame, "deals", {"Stage": "stage"})}
    assert before["close_date"].confidence < AUTO_CONFIDENCE  # dates, but nothing says which
    monkeypatch.setitem(HINT_WORDS, "close_date", (*HINT_WORDS["close_date"], "成交"))
    after = {p.field: p for p in propose(frame, "deals", {"Stage": "stage"})}
    assert after["close_date"].source == "成交日期"
    assert after["close_date"].confidence >= AUTO_CONFIDENCE
