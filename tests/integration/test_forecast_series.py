"""monthly_series against a real store (SQLite file, and PostgreSQL when it answers).

Dataset (workspace "fc"): won deals Jan 2025 1,000 (Enterprise, Alice), Jan 2025 500 (SMB, Bob), Mar 2025 2,000
(Enterprise, Alice), Apr 2025 300 (no segment, Bob, amount missing for a second one); a lost deal in Feb 2025 of
9,999 and an open one in May 2025 that must not count; a won deal in another workspace that must not count.
February has no win, so it is 0; the series ends in April, the last month with a win.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from salesops.filters import Filters
from salesops.forecast import forecast_series, monthly_series
from salesops.store.schema import deals, reps
from salesops.store.workspaces import get_or_create

MONTHS = pd.date_range("2025-01-01", "2025-04-01", freq="MS", name="period")


Row = tuple[str, str, float | None, date, str | None, str]  # id, status, amount, close date, segment, owner


def deal(row: Row) -> dict:
    deal_id, status, amount, close, segment, owner = row
    return {
        "id": deal_id,
        "status": status,
        "is_closed": status != "open",
        "is_won": status == "won",
        "amount": amount,
        "close_date": close,
        "segment": segment,
        "owner": owner,
        "batch_id": 0,
        "created_batch_id": 0,
    }


@pytest.fixture
def store(engine: Engine) -> tuple[Engine, int]:
    with engine.begin() as conn:
        ws = get_or_create(conn, "fc")
        other = get_or_create(conn, "other")
        rows = [
            deal(("D1", "won", 1000.0, date(2025, 1, 5), "Enterprise", "Alice")),
            deal(("D2", "won", 500.0, date(2025, 1, 31), "SMB", "Bob")),
            deal(("D3", "lost", 9999.0, date(2025, 2, 10), "SMB", "Bob")),
            deal(("D4", "won", 2000.0, date(2025, 3, 1), "Enterprise", "Alice")),
            deal(("D5", "won", 300.0, date(2025, 4, 30), None, "Bob")),
            deal(("D6", "won", None, date(2025, 4, 2), None, "Bob")),
            deal(("D7", "open", 7000.0, date(2025, 5, 15), "SMB", "Alice")),
        ]
        conn.execute(insert(deals), [{"workspace_id": ws, **row} for row in rows])
        conn.execute(insert(deals), [{"workspace_id": other, **deal(("X1", "won", 5.0, date(2025, 6, 1), "SMB", "Z"))}])
    return engine, ws


def test_monthly_won_revenue_with_zero_months(store):
    engine, ws = store
    with engine.connect() as conn:
        revenue = monthly_series(conn, ws, "revenue")
    expected = pd.Series([1500.0, 0.0, 2000.0, 300.0], index=MONTHS, name="revenue")
    pd.testing.assert_series_equal(revenue, expected, check_index_type=False, check_freq=False)
    assert revenue.index.freqstr == "MS"


def test_monthly_won_deal_count(store):
    engine, ws = store
    with engine.connect() as conn:
        count = monthly_series(conn, ws, "deals")
    assert count.tolist() == [2.0, 0.0, 1.0, 2.0]


def test_grouped_by_segment_adds_up_to_the_total(store):
    engine, ws = store
    with engine.connect() as conn:
        wide = monthly_series(conn, ws, "revenue", by="segment")
        total = monthly_series(conn, ws, "revenue")
    assert list(wide.columns) == ["(none)", "Enterprise", "SMB"]
    assert wide["Enterprise"].tolist() == [1000.0, 0.0, 2000.0, 0.0]
    assert wide["(none)"].tolist() == [0.0, 0.0, 0.0, 300.0]
    assert wide.sum(axis=1).tolist() == total.tolist()
    assert wide.index.freqstr == "MS"


def test_grouped_by_team_folds_owners_into_their_rep_team(store):
    engine, ws = store
    with engine.begin() as conn:
        conn.execute(
            insert(reps),
            [{"workspace_id": ws, "id": "r1", "name": "Alice", "team": "Enterprise East", "batch_id": 0,
              "created_batch_id": 0}],
        )  # fmt: skip
        wide = monthly_series(conn, ws, "revenue", by="team")
    assert list(wide.columns) == ["(none)", "Enterprise East"]  # Bob has no rep row: no team
    assert wide["Enterprise East"].tolist() == [1000.0, 0.0, 2000.0, 0.0]
    assert wide["(none)"].tolist() == [500.0, 0.0, 0.0, 300.0]


def test_filters_narrow_in_sql(store):
    engine, ws = store
    with engine.connect() as conn:
        alice = monthly_series(conn, ws, "revenue", Filters(reps=("Alice",)))
        march_on = monthly_series(conn, ws, "revenue", Filters(start=date(2025, 3, 1)))
        smb = monthly_series(conn, ws, "deals", Filters(segments=("SMB",)))
    assert alice.tolist() == [1000.0, 0.0, 2000.0]
    assert march_on.tolist() == [2000.0, 300.0]
    assert smb.tolist() == [1.0]


def test_empty_workspace_gives_an_empty_series_the_forecast_handles(store):
    engine, _ = store
    with engine.begin() as conn:
        empty = get_or_create(conn, "empty")
        series = monthly_series(conn, empty, "revenue")
    assert series.empty
    result = forecast_series(series, 3)
    assert result.forecast.empty
    assert any("No bookings" in w for w in result.warnings)


def test_unknown_grouping_is_refused(store):
    engine, ws = store
    with engine.connect() as conn, pytest.raises(ValueError, match="by must be one of"):
        monthly_series(conn, ws, "revenue", by="amount; drop table deals")
