"""Demand planning against a real store (SQLite file, and PostgreSQL when it answers).

Deals (workspace "dm"): 20 closed SMB deals, 8 won at 1,000 (created 2025-01-05, closed 2025-02-10: a 1-month
cycle) and 12 lost; 4 closed Enterprise deals, 1 won at 5,500 (created 2024-11-01, closed 2025-02-01: 3 months) and
3 lost, the last closing on 2025-03-27, so March is complete and April is the first forecast month.
Win rate 9/24 = 0.375 overall, 0.4 for SMB (Enterprise has fewer than 20 closed deals).
Open deals: O1 SMB 1,000 at 60 % closing May (Best Case); O2 Enterprise 2,000 without a probability closing April
(Commit); O3 SMB 900 at 20 % expected in February, created in March: stale, aged 1 month, and the won deals that ran
at least 1 month closed 0 months later (8) or 2 months later (1). An open deal in another workspace must not count.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from salesops.demand import lead_demand, pipeline_forecast, tier_customers, tier_shares
from salesops.demand.pipeline import SOURCE_CRM, SOURCE_OVERALL
from salesops.filters import Filters
from salesops.plan import latest_plan, list_plans, save_draft
from salesops.store.schema import deals, leads
from salesops.store.workspaces import get_or_create


def deal(deal_id: str, status: str, amount: float, created: date, close: date | None, **extra: object) -> dict:
    return {
        "id": deal_id,
        "status": status,
        "is_closed": status != "open",
        "is_won": status == "won",
        "amount": amount,
        "created_date": created,
        "close_date": close,
        "probability": {"won": 100.0, "lost": 0.0}.get(status),
        "account": None,
        "stage": None,
        "forecast_category": None,
        "segment": None,
        "product": None,
        "batch_id": 0,
        "created_batch_id": 0,
        **extra,
    }


def lead(lead_id: str, score: float, created: date, converted_after: int | None) -> dict:
    converted = converted_after is not None
    return {
        "id": lead_id,
        "score": score,
        "created_date": created,
        "converted": converted,
        "converted_date": created + timedelta(days=converted_after) if converted else None,
        "batch_id": 0,
        "created_batch_id": 0,
    }


@pytest.fixture
def store(engine: Engine) -> tuple[Engine, int]:
    smb = {"segment": "SMB", "product": "Core"}
    rows = [
        deal(f"W{i}", "won", 1000.0, date(2025, 1, 5), date(2025, 2, 10), account=f"A{i % 4}", **smb) for i in range(8)
    ]
    rows += [deal(f"L{i}", "lost", 700.0, date(2025, 1, 5), date(2025, 3, 1), **smb) for i in range(12)]
    ent = {"segment": "Enterprise", "product": "Suite"}
    rows.append(deal("WE", "won", 5500.0, date(2024, 11, 1), date(2025, 2, 1), account="A0", **ent))
    rows += [deal(f"LE{i}", "lost", 9000.0, date(2024, 12, 1), date(2025, 3, 27), **ent) for i in range(3)]
    rows += [
        deal("O1", "open", 1000.0, date(2025, 3, 1), date(2025, 5, 15), stage="Proposal", **smb)
        | {"probability": 60.0, "forecast_category": "Best Case"},
        deal("O2", "open", 2000.0, date(2025, 3, 1), date(2025, 4, 20), stage="Negotiation", **ent)
        | {"forecast_category": "Commit"},
        deal("O3", "open", 900.0, date(2025, 3, 1), date(2025, 2, 1), stage="Qualification", **smb)
        | {"probability": 20.0},
    ]
    # Leads: 80-100 band converts 4 of 10 known (10 days), 0-20 band 1 of 10 (30 days); Jan-Mar 2025 bring
    # 3 high-score and 6 low-score open leads a month (no outcome yet: newer than 90 days before 2025-03-20).
    people = [lead(f"H{i}", 85.0, date(2024, 11, 10), 10 if i < 4 else None) for i in range(10)]
    people += [lead(f"C{i}", 10.0, date(2024, 11, 15), 30 if i < 1 else None) for i in range(10)]
    for month in (1, 2, 3):
        people += [lead(f"H{month}-{i}", 85.0, date(2025, month, 20), None) for i in range(3)]
        people += [lead(f"C{month}-{i}", 10.0, date(2025, month, 20), None) for i in range(6)]
    with engine.begin() as conn:
        ws = get_or_create(conn, "dm")
        other = get_or_create(conn, "other")
        conn.execute(insert(deals), [{"workspace_id": ws, **row} for row in rows])
        conn.execute(insert(leads), [{"workspace_id": ws, **row} for row in people])
        stray = deal("X", "open", 1e6, date(2025, 3, 1), date(2025, 4, 1), probability=90.0)
        conn.execute(insert(deals), [{"workspace_id": other, **stray}])
    return engine, ws


def test_pipeline_by_month_with_slippage_and_stage_table(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        result = pipeline_forecast(conn, ws, None, horizon=3)
    frame = result.frame
    assert result.as_of == date(2025, 3, 27)
    assert frame["period"].tolist() == [pd.Timestamp(m) for m in ("2025-04-01", "2025-05-01", "2025-06-01")]
    # April: O2 2,000 x 0.375 + 8/9 of O3 (800 x 0.2); May: O1 1,000 x 0.6; June: 1/9 of O3 (100 x 0.2).
    assert frame["pipeline_unweighted"].tolist() == pytest.approx([2800.0, 1000.0, 100.0])
    assert frame["pipeline_weighted"].tolist() == pytest.approx([910.0, 600.0, 20.0])
    assert frame["commit"].tolist() == pytest.approx([2000.0, 0.0, 0.0])
    assert frame["best_case"].tolist() == pytest.approx([2000.0, 1000.0, 0.0])
    assert frame["deals"].tolist() == pytest.approx([1 + 8 / 9, 1.0, 1 / 9])
    table = result.stage_table
    assert table["stage"].tolist() == ["Qualification", "Negotiation", "Proposal"]
    assert table["win_probability"].tolist() == pytest.approx([0.2, 0.375, 0.6])
    assert table["source"].tolist() == [SOURCE_CRM, SOURCE_OVERALL, SOURCE_CRM]
    assert "CRM probability" in result.method_note


def test_pipeline_filters_narrow_open_deals_and_history(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        result = pipeline_forecast(conn, ws, Filters(segments=("SMB",)), horizon=1)
    # SMB's won deals all took 1 month, so O3 (aged 1 month) lands in April in full; O1 (May) is beyond 1 month.
    assert result.frame["pipeline_unweighted"].tolist() == pytest.approx([900.0])
    assert result.beyond_horizon == pytest.approx(600.0)


def test_lead_demand_by_score_band(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        demand = lead_demand(conn, ws, horizon=3, lead_volume_change_pct=100)
    bands = demand.bands.set_index("band")
    assert bands.loc["80-100", "conversion"] == pytest.approx(0.4)
    assert bands.loc["0-20", "conversion"] == pytest.approx(0.1)
    assert bands["monthly_leads"].to_dict() == pytest.approx({"0-20": 6.0, "80-100": 3.0})
    assert demand.win_rate == pytest.approx(0.375)
    assert demand.avg_deal_size == pytest.approx(1500.0)
    assert demand.lag_months == 2  # median 10 days to convert + median 36-day won cycle
    assert demand.qualified_conversion == pytest.approx(0.4 * 0.375)
    assert demand.qualified_monthly == pytest.approx(3.0)
    # April and May come from the February and March cohorts (3 x 0.4 + 6 x 0.1 = 1.8 conversions), June from the
    # doubled run rate (3.6); x 0.375 won x 1,500.
    assert demand.frame["revenue"].tolist() == pytest.approx([1012.5, 1012.5, 2025.0])
    assert demand.frame["qualified_leads"].tolist() == pytest.approx([6.0] * 3)


def test_tier_shares_and_customers(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        assert tier_shares(conn, ws, 5000.0) == pytest.approx({"entry": 8 / 9, "enterprise": 1 / 9})
        assert tier_shares(conn, ws, None, ("Core",)) == pytest.approx({"entry": 1 / 9, "enterprise": 8 / 9})
        assert tier_shares(conn, ws) == {"entry": 1.0, "enterprise": 0.0}
        # Accounts A0-A3 bought; A0 also bought the 5,500 deal, so it is an enterprise customer.
        assert tier_customers(conn, ws, 5000.0) == {"entry": 3, "enterprise": 1}


def test_drafts_are_versioned_per_workspace(store: tuple[Engine, int]) -> None:
    engine, ws = store
    lines = pd.DataFrame(
        {
            "kind": ["demand", "demand"],
            "metric": ["revenue", "revenue"],
            "segment": [None, "SMB"],
            "period": pd.to_datetime(["2025-04-01", "2025-04-01"]),
            "value": [100.0, 60.0],
            "lower": [80.0, None],
            "upper": [120.0, None],
        }
    )
    with engine.begin() as conn:
        assert latest_plan(conn, ws) is None
        first = save_draft(conn, ws, "Q2 base", {"horizon": 12, "scenario": "base"}, lines)
        second = save_draft(conn, ws, "Q2 best", {"horizon": 12, "scenario": "best"}, lines.iloc[:1])
        other = get_or_create(conn, "other")
        save_draft(conn, other, "elsewhere", {}, lines.iloc[:0])
    with engine.connect() as conn:
        plan = latest_plan(conn, ws)
        plans = list_plans(conn, ws)
        assert latest_plan(conn, ws, status="approved") is None
        assert latest_plan(conn, other).version == 1  # type: ignore[union-attr]
        with pytest.raises(ValueError, match="value"):
            save_draft(conn, ws, "broken", {}, lines.assign(value=[1.0, None]))
    assert plan is not None
    assert (plan.id, plan.version, plan.name, plan.status) == (second, 2, "Q2 best", "draft")
    assert plan.assumptions == {"horizon": 12, "scenario": "best"}
    assert plan.lines.to_dict("records") == [
        {
            "kind": "demand",
            "metric": "revenue",
            "segment": "",
            "period": "2025-04",
            "value": 100.0,
            "lower": 80.0,
            "upper": 120.0,
        }
    ]
    assert plans[["id", "version", "lines"]].values.tolist() == [[second, 2, 1], [first, 1, 2]]


def test_lead_demand_without_leads_says_so(engine: Engine) -> None:
    with engine.begin() as conn:
        workspace = get_or_create(conn, "deals only")
    with engine.connect() as conn:
        demand = lead_demand(conn, workspace, horizon=3)
    assert len(demand.frame) == 3
    assert demand.frame["revenue"].sum() == 0
    assert "No leads in this workspace" in demand.note
