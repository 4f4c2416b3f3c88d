"""Forecast vs actual and plan vs actual on small hand-computed stores (SQLite file, and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, delete, insert, update

from salesops.accuracy import forecast_vs_actual, plan_vs_actual
from salesops.accuracy.snapshots import take_snapshot
from salesops.filters import Filters
from salesops.store.schema import deals, import_batches
from salesops.store.workspaces import get_or_create


def add_deals(conn: Connection, workspace_id: int, rows: list[dict]) -> None:
    """Insert deals with bookkeeping columns, status flags, and None for the forecast fields a row leaves out."""
    blank = dict.fromkeys(("probability", "expected_revenue", "forecast_category", "created_date"))
    conn.execute(
        insert(deals),
        [
            {"workspace_id": workspace_id, "batch_id": 0, "created_batch_id": 0, **blank,
             "is_closed": r["status"] != "open", "is_won": r["status"] == "won", **r}
            for r in rows
        ],
    )  # fmt: skip


def _batch(conn: Connection, workspace_id: int, status: str = "loaded") -> int:
    """An import batch row for a snapshot to belong to."""
    return int(
        conn.execute(
            insert(import_batches).returning(import_batches.c.id),
            [{"workspace_id": workspace_id, "file_name": "deals.csv", "sha256": "0" * 64, "source_format": "generic",
              "entity": "deals", "mapping": "{}", "status": status, "created_at": datetime(2025, 1, 1)}],
        ).scalar_one()
    )  # fmt: skip


def _expected_then_booked(conn: Connection, ws: int) -> None:
    """As of 2024-12-20 Olga expects 2,000 (Commit) and Andy 1,000 in each month Jan-Jun 2025; the snapshot is
    stored; by July both booked 1,000 every month (Olga +100 % each month, Andy 0 %)."""
    then = date(2024, 12, 20)
    rows = []
    for m in range(1, 7):
        close = date(2025, m, 28)  # the last close is on the 28th: June is a complete month of the data
        rows += [
            {"id": f"O{m}", "owner": "Olga", "status": "open", "amount": 2000.0, "probability": 100.0,
             "forecast_category": "Commit", "created_date": then, "close_date": close},
            {"id": f"A{m}", "owner": "Andy", "status": "open", "amount": 1000.0, "probability": 100.0,
             "created_date": then, "close_date": close},
        ]  # fmt: skip
    add_deals(conn, ws, rows)
    assert take_snapshot(conn, ws, _batch(conn, ws)) == 12  # 6 months × 2 owners
    conn.execute(delete(deals).where(deals.c.workspace_id == ws))
    add_deals(conn, ws, [{**r, "status": "won", "amount": 1000.0, "probability": None} for r in rows])


def test_snapshots_stored_before_a_month_are_its_forecast(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "acc")
        _expected_then_booked(conn, ws)
        result = forecast_vs_actual(conn, ws)
        first_quarter = forecast_vs_actual(conn, ws, Filters(start=date(2025, 1, 1), end=date(2025, 3, 31)))
    january = result.monthly.set_index("month").loc["2025-01"]
    assert january["snapshot"] == "2024-12-20"
    assert (january["forecast"], january["commit"], january["actual"]) == (3000.0, 2000.0, 2000.0)
    assert january["error_pct"] == pytest.approx(0.5)
    assert result.monthly["month"].tolist() == [f"2025-0{m}" for m in range(1, 7)]
    reps = result.reps.set_index("rep")
    assert reps.loc["Olga", "mean_error_pct"] == pytest.approx(1.0)
    assert not reps.loc["Andy", "flagged"]
    assert result.flags == ("Olga over-forecasts by 100 % on average, over in 6 of 6 months",)
    assert "stored at the import before each month began" in result.note
    assert first_quarter.monthly["month"].tolist() == ["2025-01", "2025-02", "2025-03"]


def test_an_exports_own_expected_revenue_is_not_called_a_forecast(engine: Engine) -> None:
    """Issue 7, point 6: the Zoho export's Expected Revenue on every deal (closed lost included) once made each rep
    an over-forecaster; without a snapshot taken before a month there is nothing honest to compare."""
    rows = [
        {"id": f"Z{m}{k}", "owner": "Zoe", "status": status, "amount": 1000.0, "expected_revenue": 3000.0,
         "probability": 100.0, "forecast_category": "Commit", "close_date": date(2025, m, 10)}
        for m in range(1, 7)
        for k, status in enumerate(("won", "lost"))
    ]  # fmt: skip
    with engine.begin() as conn:
        ws = get_or_create(conn, "zoho-like")
        add_deals(conn, ws, rows)
        result = forecast_vs_actual(conn, ws)
        undone = get_or_create(conn, "undone")
        _expected_then_booked(conn, undone)
        conn.execute(update(import_batches).where(import_batches.c.workspace_id == undone).values(status="undone"))
        after_undo = forecast_vs_actual(conn, undone)
    assert result.monthly.empty
    assert result.by_rep.empty
    assert result.flags == ()
    assert "would invent a forecast" in result.note
    assert "none is stored yet" in result.note
    assert after_undo.monthly.empty  # an undone import's snapshot is no forecast either


def test_plan_vs_actual_reports_variance_per_month(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "acc")
        add_deals(conn, ws, [
            {"id": "J", "owner": "Ann", "status": "won", "amount": 1200.0, "close_date": date(2025, 1, 31)},
            {"id": "F1", "owner": "Ann", "status": "won", "amount": 1000.0, "close_date": date(2025, 2, 1)},
            {"id": "F2", "owner": "Ann", "status": "won", "amount": 500.0, "close_date": date(2025, 2, 28)},
            {"id": "FL", "owner": "Ann", "status": "lost", "amount": 9000.0, "close_date": date(2025, 2, 10)},
            {"id": "A", "owner": "Ann", "status": "won", "amount": 7000.0, "close_date": date(2025, 4, 1)},
        ])  # fmt: skip
        plan = pd.DataFrame({"period": ["2025-01", date(2025, 2, 1), "2025-03-01"], "value": [1000.0, 2000.0, 500.0]})
        revenue = plan_vs_actual(conn, ws, plan)
        count = plan_vs_actual(conn, ws, plan.assign(value=[1.0, 1.0, 1.0]), metric="deals")
        assert plan_vs_actual(conn, ws, plan.iloc[0:0]).empty
        with pytest.raises(ValueError, match="period and value"):
            plan_vs_actual(conn, ws, pd.DataFrame({"month": ["2025-01"], "value": [1.0]}))
    assert revenue["period"].tolist() == ["2025-01", "2025-02", "2025-03"]
    assert revenue["actual"].tolist() == [1200.0, 1500.0, 0.0]
    assert revenue["variance"].tolist() == [200.0, -500.0, -500.0]
    assert revenue["variance_pct"].tolist() == pytest.approx([0.2, -0.25, -1.0])
    assert count["actual"].tolist() == [1.0, 2.0, 0.0]
