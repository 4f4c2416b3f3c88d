"""Forecast vs actual and plan vs actual on small hand-computed stores (SQLite file, and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, insert

from salesops.accuracy import forecast_vs_actual, plan_vs_actual
from salesops.filters import Filters
from salesops.store.schema import deals
from salesops.store.workspaces import get_or_create

H1 = Filters(start=date(2025, 1, 1), end=date(2025, 6, 30))


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


def forecast_history() -> list[dict]:
    """Olga: each month Jan-May a won 1,000 plus a slipped open 1,000 at 40 % in Commit (+40 %); June a win of
    1,000 at 90 % without expected revenue (-10 %). Andy: a won 1,000 forecast at 1,000 every month (0 %).
    Newt: Jan and Feb forecast 2,000 against 1,000 won (+100 %, but only two months)."""
    rows = []
    for m in range(1, 7):
        close = date(2025, m, 15)
        if m < 6:
            rows += [
                {"id": f"O{m}w", "owner": "Olga", "status": "won", "amount": 1000.0, "expected_revenue": 1000.0,
                 "forecast_category": "Closed", "close_date": close},
                {"id": f"O{m}o", "owner": "Olga", "status": "open", "amount": 1000.0, "probability": 40.0,
                 "forecast_category": "Commit", "close_date": close},
            ]  # fmt: skip
        else:
            rows.append({"id": "O6w", "owner": "Olga", "status": "won", "amount": 1000.0, "probability": 90.0,
                         "close_date": close})  # fmt: skip
        rows.append({"id": f"A{m}", "owner": "Andy", "status": "won", "amount": 1000.0, "expected_revenue": 1000.0,
                     "forecast_category": "Closed", "close_date": close})  # fmt: skip
    for m in (1, 2):
        rows.append({"id": f"N{m}", "owner": "Newt", "status": "won", "amount": 1000.0, "expected_revenue": 2000.0,
                     "close_date": date(2025, m, 20)})  # fmt: skip
    return rows


def test_a_rep_who_always_over_forecasts_is_flagged_and_an_accurate_one_is_not(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "acc")
        add_deals(conn, ws, forecast_history())
        add_deals(conn, ws, [{"id": "F", "owner": "Andy", "status": "open", "amount": 5.0, "probability": 50.0,
                              "close_date": date(2025, 12, 1)}])  # fmt: skip
        result = forecast_vs_actual(conn, ws, H1)
        open_ended = forecast_vs_actual(conn, ws)
    reps = result.reps.set_index("rep")
    # Olga: (5 × 40 % − 10 %) / 6 = 31.7 %.
    assert reps.loc["Olga", "mean_error_pct"] == pytest.approx(1.9 / 6)
    assert (reps.loc["Olga", "months_over"], reps.loc["Olga", "months_under"]) == (5, 1)
    assert result.flags == ("Olga over-forecasts by 32 % on average, over in 5 of 6 months",)
    assert not reps.loc["Andy", "flagged"]
    assert reps.loc["Andy", "mean_error_pct"] == 0.0
    assert not reps.loc["Newt", "flagged"]  # +100 %, but two months are too few to call it systematic
    january = result.monthly.set_index("month").loc["2025-01"]
    # Olga 1,400 + Andy 1,000 + Newt 2,000 forecast; 3,000 won; commit = Olga's Closed + Commit + Andy's Closed.
    assert (january["forecast"], january["commit"], january["actual"]) == (4400.0, 3000.0, 3000.0)
    assert january["error_pct"] == pytest.approx(1400 / 3000)
    olga_june = result.by_rep.set_index(["rep", "month"]).loc[("Olga", "2025-06")]
    assert olga_june["forecast"] == pytest.approx(900.0)
    assert olga_june["commit"] == 0.0
    assert "snapshot" in result.note
    # Without an end date the months stop at the last closed deal: December has nothing booked to compare yet.
    assert open_ended.monthly["month"].tolist() == [f"2025-0{m}" for m in range(1, 7)]


def test_deals_without_forecast_fields_explain_instead_of_comparing(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        ws = get_or_create(conn, "acc")
        add_deals(conn, ws, [{"id": "D1", "owner": "Ann", "status": "won", "amount": 10.0,
                              "close_date": date(2025, 1, 5)}])  # fmt: skip
        result = forecast_vs_actual(conn, ws)
        empty = forecast_vs_actual(conn, get_or_create(conn, "nothing"))
    assert result.monthly.empty
    assert result.flags == ()
    assert "no probability, expected revenue or forecast category" in result.note
    assert empty.by_rep.empty
    assert empty.reps.empty
    assert "No deals" in empty.note


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
