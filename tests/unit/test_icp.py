"""ICP segmentation on small hand-computed stores (SQLite file, and PostgreSQL when it answers)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Connection, Engine, Table, insert

from salesops.filters import Filters
from salesops.segments import icp, ideal_profile, rep_focus
from salesops.segments.figures import wilson_interval
from salesops.store.schema import accounts, deals
from salesops.store.workspaces import get_or_create


def add(conn: Connection, table: Table, workspace_id: int, rows: list[dict]) -> None:
    """Insert record rows with the bookkeeping columns (and deal status flags) filled in."""
    defaults = {"workspace_id": workspace_id, "batch_id": 0, "created_batch_id": 0}
    if table is deals:
        rows = [{"is_closed": r["status"] != "open", "is_won": r["status"] == "won", **r} for r in rows]
    conn.execute(insert(table), [{**defaults, **row} for row in rows])


def closed_deals(prefix: str, account: str, won: int, lost: int, amount: float, **extra: object) -> list[dict]:
    """``won`` won deals of ``amount`` (cycle 10, 20, 30 ... days) and ``lost`` lost ones, all closed in Feb 2025."""
    close = date(2025, 2, 28)
    rows = [
        {"id": f"{prefix}W{i}", "account": account, "status": "won", "amount": amount,
         "created_date": close - timedelta(days=10 * (i + 1)), "close_date": close, **extra}
        for i in range(won)
    ]  # fmt: skip
    rows += [
        {
            "id": f"{prefix}L{i}",
            "account": account,
            "status": "lost",
            "amount": 99.0,
            "created_date": None,
            "close_date": close,
            **extra,
        }
        for i in range(lost)
    ]
    return rows


def test_wilson_interval_matches_the_published_value() -> None:
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert wilson_interval(0, 0) is None


def test_segments_by_industry_join_accounts_on_name_or_id(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "icp")
        add(conn, accounts, ws, [
            {"id": "A1", "name": "Acme", "industry": "Healthcare", "employees": 300},
            {"id": "A2", "name": "Beta", "industry": "Retail", "employees": 5001},
        ])  # fmt: skip
        # Acme deals name the account, Beta deals carry only its CRM id.
        add(conn, deals, ws, closed_deals("H", "Acme", won=8, lost=2, amount=1000.0))
        add(conn, deals, ws, closed_deals("R", "A2", won=1, lost=3, amount=500.0))
        add(conn, deals, ws, closed_deals("X", "Nobody Inc", won=1, lost=0, amount=700.0))
        table = icp(conn, ws, Filters(), "industry").set_index("industry")
        bands = icp(conn, ws, Filters(), "size_band").set_index("size_band")
    health = table.loc["Healthcare"]
    assert (health["closed"], health["won"], health["revenue"]) == (10, 8, 8000.0)
    assert health["win_rate"] == pytest.approx(0.8)
    assert (health["win_rate_low"], health["win_rate_high"]) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert health["avg_deal_size"] == 1000.0
    assert health["median_cycle_days"] == 45.0  # cycles 10..80 days: median of 40 and 50
    assert health["confidence"] == "low"
    # Overall: 8,500 + 700 won over 15 closed; Healthcare 800 per closed deal vs 620.
    assert health["index_vs_overall"] == pytest.approx(800 / (9200 / 15))
    assert table.loc["Retail", "win_rate"] == pytest.approx(0.25)
    assert table.loc["(unknown)", "revenue"] == 700.0
    assert list(table.index) == ["Healthcare", "(unknown)", "Retail"]  # by revenue
    assert bands.loc["201-1000", "closed"] == 10
    assert bands.loc["5000+", "closed"] == 4


def test_ideal_profile_names_the_segment_that_earns_most_per_opportunity(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        ws = get_or_create(conn, "icp")
        add(conn, accounts, ws, [
            {"id": "A1", "name": "Acme", "industry": "Healthcare", "employees": 300},
            {"id": "A2", "name": "Beta", "industry": "Retail", "employees": 20},
        ])  # fmt: skip
        add(conn, deals, ws, closed_deals("H", "Acme", won=15, lost=10, amount=2000.0))
        add(conn, deals, ws, closed_deals("R", "Beta", won=5, lost=20, amount=1000.0))
        result = ideal_profile(conn, ws)
    # Healthcare: 15/25 won (Wilson 41-77 %), $2,000 average, 1,200 per opportunity vs 35,000 / 50 = 700 overall.
    assert result.overall["revenue_per_opportunity"] == 700.0
    assert set(result.profile["label"]) == {"Healthcare", "201-1000", "Healthcare · 201-1000"}
    assert "Retail" not in set(result.profile["label"])
    assert (
        "Healthcare accounts of 201-1000 employees win 60 % (95 % CI 41-77 %) at $2k average: 1.7× the overall "
        "revenue per opportunity (25 closed deals)" in result.statements
    )
    ranked = result.segments.dropna(subset=["rank"])
    assert ranked.iloc[0]["expected_revenue_per_opportunity"] == pytest.approx(0.40739 * 2000, rel=1e-4)
    assert result.segments.set_index("label").loc["Healthcare · 201-1000", "confidence"] == "medium"
    assert result.note == ""


def test_small_segments_are_not_named_as_the_ideal_profile(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        ws = get_or_create(conn, "icp")
        add(conn, deals, ws, closed_deals("P", None, won=9, lost=1, amount=5000.0, product="Suite"))
        add(conn, deals, ws, closed_deals("Q", None, won=1, lost=9, amount=100.0, product="Lite"))
        result = ideal_profile(conn, ws)
        by_product = icp(conn, ws, Filters(), "product").set_index("product")
    assert result.profile.empty
    assert result.statements == ()
    assert "closed deals" in result.note
    assert by_product.loc["Suite", "confidence"] == "low"


def test_deals_only_workspace_profiles_by_deal_fields(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        ws = get_or_create(conn, "icp")
        add(conn, deals, ws, closed_deals("P", "Acme", won=18, lost=2, amount=5000.0, product="Suite"))
        add(conn, deals, ws, closed_deals("Q", "Beta", won=4, lost=16, amount=1000.0, product="Lite"))
        result = ideal_profile(conn, ws)
        by_industry = icp(conn, ws, Filters(), "industry")
    assert list(by_industry["industry"]) == ["(unknown)"]  # no accounts table rows: industry unknown, not lost
    assert result.profile["label"].tolist() == ["Suite"]
    assert result.statements[0].startswith("Suite deals win 90 %")


def test_rep_focus_compares_each_reps_mix_with_the_team(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        ws = get_or_create(conn, "icp")
        add(conn, accounts, ws, [
            {"id": "A1", "name": "Acme", "industry": "Healthcare"},
            {"id": "A2", "name": "Beta", "industry": "Retail"},
        ])  # fmt: skip
        add(conn, deals, ws, closed_deals("A", "Acme", won=3, lost=0, amount=1000.0, owner="Alice"))
        add(conn, deals, ws, closed_deals("B", "Beta", won=1, lost=0, amount=1000.0, owner="Alice"))
        add(conn, deals, ws, closed_deals("C", "Beta", won=2, lost=1, amount=2000.0, owner="Bob"))
        focus = rep_focus(conn, ws, Filters(), "industry").set_index(["rep", "segment"])
    # Team: Healthcare 3,000 of 8,000 = 37.5 %; Alice puts 75 % of her 4,000 there, 2× the team.
    assert focus.loc[("Alice", "Healthcare"), "rep_share"] == pytest.approx(0.75)
    assert focus.loc[("Alice", "Healthcare"), "team_share"] == pytest.approx(0.375)
    assert focus.loc[("Alice", "Healthcare"), "focus_index"] == pytest.approx(2.0)
    assert focus.loc[("Bob", "Retail"), "focus_index"] == pytest.approx(1 / 0.625)


def test_empty_workspace_gives_empty_frames_and_a_note(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "empty")
        result = ideal_profile(conn, ws, Filters(start=date(2025, 1, 1), end=date(2025, 3, 31)))
        assert icp(conn, ws, Filters(), "size_band").empty
        assert rep_focus(conn, ws).empty
    assert result.segments.empty
    assert result.profile.empty
    assert result.overall["win_rate"] is None
    assert "No closed deals" in result.note


def test_accounts_without_industry_size_or_region_leave_deal_regions_as_they_are(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "icp")
        add(conn, accounts, ws, [{"id": "A1", "name": "Acme"}, {"id": "B1", "name": "Beta"}])  # names only
        add(conn, deals, ws, closed_deals("P", "Acme", won=3, lost=1, amount=1000.0, region="West"))
        add(conn, deals, ws, closed_deals("Q", "Beta", won=1, lost=1, amount=500.0))
        by_region = icp(conn, ws, Filters(), "region").set_index("region")
        by_size = icp(conn, ws, Filters(), ("industry", "size_band"))
    assert by_region.loc["West", ["closed", "won", "revenue", "median_cycle_days"]].tolist() == [4, 3, 3000.0, 20.0]
    assert by_region.loc["(unknown)", ["closed", "won", "revenue"]].tolist() == [2, 1, 500.0]
    assert by_size["label"].tolist() == ["(unknown) · (unknown)"]
    assert by_size["closed"].tolist() == [6]
