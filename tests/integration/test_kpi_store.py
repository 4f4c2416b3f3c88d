"""KPI and data-quality queries on a real store (SQLite file, PostgreSQL when it answers), hand-computed data.

The dataset (Q1 2025 is the period most tests use):
- reps: Alice (East/EMEA, quota 120,000), Bob (West/AMER), Carol (id r3, West, no region; her deals name "r3").
- won in Q1: D1 Alice 1,000 (cycle 19 d), D2 Alice 3,000 (45 d), D3 Bob 2,000 (30 d), D5 r3 4,000 (30 d, APAC);
  lost in Q1: D4 Bob 5,000. Won before: D6 Alice 500 in Dec 2024.
- open: D7 Alice 10,000 at 20 % (Qualify), D8 Bob 6,000 at 50 % (Proposal), D9 r3 4,000 without probability (Qualify).
- activity rollup: Alice 10 emails (50 min) in Jan and 4 calls (60 min) in Feb, Bob 2 meetings (120 min) in March
  and 1 demo (60 min) in Dec 2024, r3 1 proposal (30 min) in March.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, insert

from salesops.filters import Filters
from salesops.kpi import (
    activity_by_rep,
    activity_mix,
    bookings,
    funnel,
    leaderboard,
    previous_period,
    summary,
    summary_by,
)
from salesops.kpi.quality import quality_report
from salesops.store.schema import activity_daily, deals, reps
from salesops.store.workspaces import get_or_create

Q1 = Filters(start=date(2025, 1, 1), end=date(2025, 3, 31))


def add_deals(conn: Connection, workspace_id: int, rows: list[dict]) -> None:
    """Insert deals with the bookkeeping columns filled and status flags derived from ``status``."""
    conn.execute(
        insert(deals),
        [
            {
                "workspace_id": workspace_id,
                "batch_id": 0,
                "created_batch_id": 0,
                "is_closed": row["status"] != "open",
                "is_won": row["status"] == "won",
                **dict.fromkeys(("name", "account", "amount", "probability", "region", "segment", "stage")),
                **dict.fromkeys(("lead_source", "product")),
                **row,
            }
            for row in rows
        ],
    )


def add_activities(conn: Connection, workspace_id: int, rows: list[tuple[str, str, date, int, float]]) -> None:
    """Insert rollup rows (owner, type, day, n, minutes) as the importer would."""
    conn.execute(
        insert(activity_daily),
        [
            {"workspace_id": workspace_id, "owner": o, "type": t, "day": day, "n": n, "minutes": m}
            for o, t, day, n, m in rows
        ],
    )


DEALS = [
    {"id": "D1", "owner": "Alice", "status": "won", "stage": "Closed Won", "amount": 1000.0,
     "created_date": date(2024, 12, 22), "close_date": date(2025, 1, 10), "segment": "SMB"},
    {"id": "D2", "owner": "Alice", "status": "won", "stage": "Closed Won", "amount": 3000.0,
     "created_date": date(2025, 1, 1), "close_date": date(2025, 2, 15), "segment": "SMB"},
    {"id": "D3", "owner": "Bob", "status": "won", "stage": "Closed Won", "amount": 2000.0,
     "created_date": date(2025, 2, 1), "close_date": date(2025, 3, 3), "segment": "SMB"},
    {"id": "D4", "owner": "Bob", "status": "lost", "stage": "Closed Lost", "amount": 5000.0, "probability": 0.0,
     "created_date": date(2025, 1, 5), "close_date": date(2025, 3, 20), "segment": "SMB"},
    {"id": "D5", "owner": "r3", "status": "won", "stage": "Closed Won", "amount": 4000.0, "region": "APAC",
     "created_date": date(2025, 3, 1), "close_date": date(2025, 3, 31), "segment": "Enterprise"},
    {"id": "D6", "owner": "Alice", "status": "won", "stage": "Closed Won", "amount": 500.0,
     "created_date": date(2024, 11, 15), "close_date": date(2024, 12, 15), "segment": "SMB"},
    {"id": "D7", "owner": "Alice", "status": "open", "stage": "Qualify", "amount": 10000.0, "probability": 20.0,
     "created_date": date(2025, 2, 10), "close_date": date(2025, 5, 1), "segment": "SMB"},
    {"id": "D8", "owner": "Bob", "status": "open", "stage": "Proposal", "amount": 6000.0, "probability": 50.0,
     "created_date": date(2025, 3, 10), "close_date": date(2025, 4, 15), "segment": "Enterprise"},
    {"id": "D9", "owner": "r3", "status": "open", "stage": "Qualify", "amount": 4000.0,
     "created_date": date(2024, 10, 1), "close_date": date(2025, 2, 1), "segment": "Enterprise"},
]  # fmt: skip

ACTIVITIES = [
    ("Alice", "email", date(2025, 1, 6), 10, 50.0),
    ("Alice", "call", date(2025, 2, 3), 4, 60.0),
    ("Bob", "meeting", date(2025, 3, 3), 2, 120.0),
    ("Bob", "demo", date(2024, 12, 30), 1, 60.0),
    ("r3", "proposal", date(2025, 3, 10), 1, 30.0),
]

REPS = [
    {"id": "r1", "name": "Alice", "team": "East", "region": "EMEA", "quota": 120000.0},
    {"id": "r2", "name": "Bob", "team": "West", "region": "AMER", "quota": None},
    {"id": "r3", "name": "Carol", "team": "West", "region": None, "quota": None},
]


@pytest.fixture
def store(engine: Engine) -> tuple[Engine, int]:
    """The engine and a workspace holding the hand-computed dataset."""
    with engine.begin() as conn:
        ws = get_or_create(conn, "kpi")
        add_deals(conn, ws, DEALS)
        add_activities(conn, ws, ACTIVITIES)
        conn.execute(insert(reps), [{"workspace_id": ws, "batch_id": 0, "created_batch_id": 0, **r} for r in REPS])
    return engine, ws


def test_summary_matches_hand_computed_q1(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        kpis = summary(conn, ws, Q1, target=20000.0)
    assert kpis["period_start"] == "2025-01-01"
    assert kpis["period_end"] == "2025-03-31"
    assert kpis["won_revenue"] == pytest.approx(10000.0)
    assert (kpis["deals_won"], kpis["deals_lost"]) == (4, 1)
    assert kpis["win_rate"] == pytest.approx(0.8)
    assert kpis["avg_deal_size"] == pytest.approx(2500.0)
    assert kpis["median_cycle_days"] == pytest.approx(30.0)  # cycles 19, 30, 30, 45
    assert kpis["open_pipeline"] == pytest.approx(20000.0)
    # 10,000 × 20 % + 6,000 × 50 % + 4,000 × the 80 % win rate (no probability on D9)
    assert kpis["weighted_pipeline"] == pytest.approx(8200.0)
    assert kpis["pipeline_coverage"] == pytest.approx(8200.0 / 10000.0)
    assert kpis["velocity"] == pytest.approx(3 * 0.8 * 2500.0 / 30.0)
    assert kpis["opportunities_created"] == 6  # D2, D3, D4, D5, D7, D8
    assert kpis["activities_by_type"] == {"email": 10, "call": 4, "meeting": 2, "demo": 0, "proposal": 1, "task": 0}
    assert kpis["selling_hours"] == pytest.approx(260.0 / 60.0)
    assert kpis["growth_mom"] == pytest.approx(6000.0 / 3000.0 - 1)  # March vs February
    assert kpis["growth_qoq"] == pytest.approx(10000.0 / 500.0 - 1)  # Q1 2025 vs Q4 2024
    assert kpis["growth_yoy"] is None  # no complete year inside the period
    json.dumps(kpis, allow_nan=False)


def test_rep_and_team_filters_change_the_figures(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        alice = summary(conn, ws, Filters(start=Q1.start, end=Q1.end, reps=("Alice",)))
        west = summary(conn, ws, Filters(start=Q1.start, end=Q1.end, teams=("West",)))
        apac = summary(conn, ws, Filters(start=Q1.start, end=Q1.end, regions=("APAC",)))
        enterprise = summary(conn, ws, Filters(start=Q1.start, end=Q1.end, segments=("Enterprise",)))
    assert (alice["won_revenue"], alice["deals_won"], alice["win_rate"]) == (4000.0, 2, 1.0)
    assert alice["open_pipeline"] == pytest.approx(10000.0)
    assert alice["activities_by_type"]["email"] == 10
    assert alice["activities_by_type"]["meeting"] == 0
    # West = Bob plus Carol, whose deals carry her CRM id "r3"
    assert west["won_revenue"] == pytest.approx(6000.0)
    assert west["win_rate"] == pytest.approx(2 / 3)
    assert west["activities_by_type"]["proposal"] == 1
    # Carol has no region in reps, so her deal's own region counts
    assert apac["won_revenue"] == pytest.approx(4000.0)
    # segments narrow deals only; activities stay whole-team
    assert enterprise["won_revenue"] == pytest.approx(4000.0)
    assert enterprise["open_pipeline"] == pytest.approx(10000.0)


def test_empty_period_gives_zeros_and_none(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        kpis = summary(conn, ws, Filters(start=date(2030, 1, 1), end=date(2030, 12, 31)), target=1000.0)
    assert (kpis["won_revenue"], kpis["deals_won"], kpis["deals_lost"], kpis["opportunities_created"]) == (0, 0, 0, 0)
    assert kpis["win_rate"] is None
    assert kpis["avg_deal_size"] is None
    assert kpis["median_cycle_days"] is None
    assert kpis["velocity"] is None
    assert kpis["growth_yoy"] is None
    assert kpis["open_pipeline"] == pytest.approx(20000.0)  # a snapshot, whatever the period
    assert kpis["weighted_pipeline"] is None  # D9 has no probability and there is no win rate to fall back on
    assert set(kpis["activities_by_type"].values()) == {0}
    json.dumps(kpis, allow_nan=False)


def test_summary_without_dates_spans_the_closed_deals(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        kpis = summary(conn, ws)
    assert (kpis["period_start"], kpis["period_end"]) == ("2024-12-15", "2025-03-31")
    assert kpis["won_revenue"] == pytest.approx(10500.0)
    assert kpis["opportunities_created"] == 9
    assert kpis["activities_by_type"]["demo"] == 1


def test_summary_by_groups_in_sql(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        by_rep = {row["rep"]: row for row in summary_by(conn, ws, "rep", Q1)}
        by_team = {row["team"]: row for row in summary_by(conn, ws, "team", Q1)}
        by_region = {row["region"]: row for row in summary_by(conn, ws, "region", Q1)}
        by_month = summary_by(conn, ws, "month", Q1)
        by_segment = {row["segment"]: row for row in summary_by(conn, ws, "segment", Q1)}
    assert by_rep["Alice"]["won_revenue"] == pytest.approx(4000.0)
    assert by_rep["Bob"]["win_rate"] == pytest.approx(0.5)
    assert by_rep["Bob"]["activities_by_type"]["meeting"] == 2
    assert by_rep["r3"]["open_pipeline"] == pytest.approx(4000.0)
    assert by_team["West"]["won_revenue"] == pytest.approx(6000.0)
    assert by_team["East"]["activities_by_type"]["email"] == 10
    assert by_region["APAC"]["won_revenue"] == pytest.approx(4000.0)
    assert by_region["EMEA"]["won_revenue"] == pytest.approx(4000.0)
    assert [row["month"] for row in by_month] == ["2025-01", "2025-02", "2025-03"]
    assert [row["won_revenue"] for row in by_month] == pytest.approx([1000.0, 3000.0, 6000.0])
    assert by_month[1]["opportunities_created"] == 2  # D3 and D7 were created in February
    assert by_segment["Enterprise"]["won_revenue"] == pytest.approx(4000.0)
    assert by_segment["Enterprise"]["activities_by_type"] is None
    json.dumps([by_rep, by_team, by_month], allow_nan=False)


def test_bookings_by_month_and_week(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        monthly = bookings(conn, ws, Q1, "M")
        weekly = bookings(conn, ws, Q1, "W")
    expected = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]).as_unit("us"),
            "won_revenue": [1000.0, 3000.0, 6000.0],
            "deals_won": [1, 1, 2],
        }
    )
    pd.testing.assert_frame_equal(monthly, expected, check_names=False)
    assert weekly["period"].iloc[0] == pd.Timestamp("2024-12-30")  # the Monday of the week of 1 January
    assert len(weekly) == 14
    assert weekly["won_revenue"].sum() == pytest.approx(10000.0)
    assert weekly.loc[weekly["period"] == pd.Timestamp("2025-03-31"), "won_revenue"].item() == pytest.approx(4000.0)


def test_funnel_orders_stages_by_probability(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        stages = funnel(conn, ws)
    assert list(stages["stage"]) == ["Created", "Qualify", "Proposal", "Won"]
    assert list(stages["current"]) == [9, 2, 1, 5]
    assert list(stages["reached"]) == [9, 8, 6, 5]  # open at that stage or later, or won
    assert list(stages["conversion_to_next"][:3]) == pytest.approx([8 / 9, 6 / 8, 5 / 6])
    assert pd.isna(stages["conversion_to_next"].iloc[3])  # nothing after Won


def test_leaderboard_with_quota_attainment(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        board = leaderboard(conn, ws, Q1)
    assert list(board["rep"]) == ["Alice", "r3", "Bob"]
    alice = board.iloc[0]
    assert (alice["team"], alice["deals_won"], alice["win_rate"]) == ("East", 2, 1.0)
    assert alice["quota_attainment"] == pytest.approx(4000.0 / (120000.0 * 90 / 365))
    assert board.iloc[1]["team"] == "West"  # matched on reps.id
    assert pd.isna(board.iloc[2]["quota_attainment"])
    assert board.iloc[2]["win_rate"] == pytest.approx(0.5)


def test_activity_mix_and_by_rep_read_the_rollup(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        mix = activity_mix(conn, ws, Q1, "M")
        per_rep = activity_by_rep(conn, ws, Q1)
    assert list(mix["period"]) == list(pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]))
    assert list(mix["email"]) == [10, 0, 0]
    assert list(mix["meeting"]) == [0, 0, 2]
    assert mix["hours"].tolist() == pytest.approx([50 / 60, 1.0, 150 / 60])
    assert list(per_rep["rep"]) == ["Alice", "Bob", "r3"]
    alice = per_rep.iloc[0]
    assert (alice["email"], alice["call"], alice["total"], alice["team"]) == (10, 4, 14, "East")
    assert alice["hours"] == pytest.approx(110 / 60)
    assert alice["per_week"] == pytest.approx(14 / (90 / 7))
    assert per_rep.iloc[2]["team"] == "West"


def test_deals_only_workspace(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "deals only")
        add_deals(conn, ws, DEALS[:2])
        kpis = summary(conn, ws, Q1)
        mix = activity_mix(conn, ws, Q1)
        per_rep = activity_by_rep(conn, ws, Q1)
    assert kpis["won_revenue"] == pytest.approx(4000.0)
    assert kpis["activities_by_type"] == dict.fromkeys(("email", "call", "meeting", "demo", "proposal", "task"), 0)
    assert kpis["selling_hours"] == 0.0
    assert mix["email"].sum() == 0
    assert per_rep.empty


def test_activities_only_workspace(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "activities only")
        add_activities(conn, ws, ACTIVITIES)
        kpis = summary(conn, ws)
        board = leaderboard(conn, ws, Q1)
        stages = funnel(conn, ws)
        sales = bookings(conn, ws, Q1)
    assert kpis["won_revenue"] == 0
    assert kpis["win_rate"] is None
    assert (kpis["period_start"], kpis["period_end"]) == (None, None)
    assert kpis["activities_by_type"]["email"] == 10
    assert kpis["selling_hours"] == pytest.approx(320.0 / 60.0)
    assert board.empty
    assert list(stages["reached"]) == [0, 0]
    assert sales["won_revenue"].sum() == 0
    json.dumps(kpis, allow_nan=False)


def test_quality_report_of_a_clean_workspace_names_only_its_gaps(store: tuple[Engine, int]) -> None:
    engine, ws = store
    with engine.connect() as conn:
        report = quality_report(conn, ws, as_of=date(2025, 3, 31))
    # On 31 March 2025 no deal closed after it; D9 (1 of 3 open deals) is past its close date; optional columns,
    # and the account that no deal names, have gaps.
    found = [(f.entity, f.column, f.describe()) for f in report.findings]
    assert found == [
        ("deals", "close_date", "Open deals whose close date has passed (stale pipeline)."),
        ("deals", "account", "9 of 9 deals have no account."),
        ("deals", "probability", "probability is empty in 6 of 9 deals."),
        ("reps", "quota", "quota is empty in 2 of 3 reps."),
    ]
    assert report.score == round(100 - 10 * 1 / 3 - 4 * 9 / 9 - 4 * 6 / 9 - 4 * 2 / 3)
    completeness = report.columns.set_index(["entity", "column"])["completeness"]
    assert completeness[("deals", "amount")] == 1.0
    assert completeness[("deals", "probability")] == pytest.approx(3 / 9)
    assert completeness[("reps", "quota")] == pytest.approx(1 / 3)


def test_quality_report_finds_dirty_rows(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "dirty")
        add_deals(
            conn,
            ws,
            [
                {"id": "ok", "owner": "Alice", "status": "won", "stage": "Won", "amount": 100.0, "probability": 100.0,
                 "created_date": date(2025, 1, 1), "close_date": date(2025, 1, 20), "name": "Big deal",
                 "account": "Acme"},
                {"id": "no-amount", "owner": "Alice", "status": "won", "stage": "Won", "probability": 100.0,
                 "created_date": date(2025, 1, 1), "close_date": date(2025, 1, 20)},
                {"id": "stale", "owner": "Zed", "status": "open", "stage": "Proposal", "amount": 50.0,
                 "probability": 100.0, "created_date": date(2025, 1, 1), "close_date": date(2025, 2, 1)},
                {"id": "lost", "owner": "Alice", "status": "lost", "stage": "Lost", "amount": 100.0,
                 "probability": 20.0,
                 "created_date": date(2025, 3, 1), "close_date": date(2025, 1, 20), "name": " big DEAL ",
                 "account": "acme"},
                {"id": "renewal", "owner": "Alice", "status": "won", "stage": "Won", "amount": 120.0,
                 "probability": 100.0, "created_date": date(2025, 4, 1), "close_date": date(2025, 4, 20),
                 "name": "Big deal", "account": "Acme"},  # repeat business under the same name: not a duplicate
            ],
        )  # fmt: skip
        conn.execute(
            insert(reps),
            [
                {"workspace_id": ws, "id": "r1", "name": "Alice", "email": "alice@example.com", "quota": 1000.0,
                 "batch_id": 0, "created_batch_id": 0},
                {"workspace_id": ws, "id": "r2", "name": "Bob", "email": "bob-at-example", "quota": 1000.0,
                 "batch_id": 0, "created_batch_id": 0},
            ],
        )  # fmt: skip
        report = quality_report(conn, ws, as_of=date(2025, 6, 1))
    found = {(f.entity, f.describe()): f for f in report.findings}
    assert found[("deals", "Won deals without an amount.")].count == 1
    assert found[("deals", "Won deals without an amount.")].severity == "high"
    assert found[("deals", "Open deals whose close date has passed (stale pipeline).")].count == 1
    assert found[("deals", "Open deals at 100 % probability.")].count == 1
    assert found[("deals", "Lost deals with a probability above 0.")].count == 1
    assert found[("deals", "Close date before created date.")].count == 1
    assert found[("deals", "1 deals look like duplicates (same normalised name).")].count == 1
    assert found[("deals", "1 deals have an owner that matches no rep's name or id.")].count == 1
    assert found[("reps", "Malformed rep emails.")].count == 1
    assert all(f.fix for f in report.findings)
    assert report.findings[0].severity == "high"
    assert 0 <= report.score < 80


def test_quality_report_of_an_empty_workspace(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "empty")
        report = quality_report(conn, ws, as_of=date(2025, 6, 1))
    assert [f.describe() for f in report.findings] == ["No deals loaded; output KPIs need deals."]
    assert report.score == 75


def test_summary_compare_matches_a_separate_previous_period_summary(store: tuple[Engine, int]) -> None:
    engine, ws = store
    march = Filters(start=date(2025, 3, 1), end=date(2025, 3, 31))
    with engine.connect() as conn:
        kpis = summary(conn, ws, march, compare=True)
        february = summary(conn, ws, previous_period(march))
        no_period = summary(conn, ws, compare=True)
    previous = kpis["previous"]
    assert (previous["period_start"], previous["period_end"]) == ("2025-02-01", "2025-02-28")
    assert (previous["won_revenue"], previous["deals_won"]) == (3000.0, 1)
    assert previous["opportunities_created"] == 2  # D3 and D7
    assert previous["activities_by_type"]["call"] == 4
    assert kpis["won_revenue"] == pytest.approx(6000.0)
    assert kpis["opportunities_created"] == 2  # D5 and D8
    for key, value in previous.items():
        assert value == february[key], key
    assert no_period["previous"] is not None  # the span of closed deals is the period
    json.dumps(kpis, allow_nan=False)


def test_funnel_without_probabilities_orders_stages_by_age(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "no probabilities")
        add_deals(
            conn,
            ws,
            [
                {"id": "a", "status": "open", "stage": "Negotiate", "created_date": date(2025, 1, 1)},
                {"id": "b", "status": "open", "stage": "Discover", "created_date": date(2025, 3, 1)},
                {"id": "c", "status": "open", "stage": "Discover", "created_date": date(2025, 3, 3)},
                {"id": "d", "status": "won", "stage": "Won", "created_date": date(2024, 12, 1)},
            ],
        )
        stages = funnel(conn, ws)
    assert list(stages["stage"]) == ["Created", "Discover", "Negotiate", "Won"]
    assert list(stages["reached"]) == [4, 4, 2, 1]


def test_quality_report_names_what_is_missing(engine: Engine) -> None:
    """Issue 7, point 13: deals without an account, closed deals without a close date, closed deals dated after the
    as-of date, and missing amounts counted separately on open, won and lost deals."""
    day = date(2025, 3, 1)
    rows = [
        {"id": "w1", "status": "won", "amount": 10.0, "account": "Acme", "close_date": day, "created_date": day},
        {"id": "w2", "status": "won", "amount": None, "account": "Acme", "close_date": day, "created_date": day},
        {"id": "w3", "status": "won", "amount": 5.0, "account": None, "close_date": None, "created_date": day},
        {"id": "l1", "status": "lost", "amount": None, "account": None, "close_date": date(2030, 11, 28)},
        {"id": "l2", "status": "lost", "amount": 7.0, "account": "Beta", "close_date": date(2025, 6, 2)},
        {"id": "o1", "status": "open", "amount": None, "account": "Beta", "close_date": date(2025, 9, 1)},
        {"id": "o2", "status": "open", "amount": None, "account": None, "close_date": date(2025, 9, 1)},
        {"id": "o3", "status": "open", "amount": 3.0, "account": "Beta", "close_date": date(2025, 9, 1)},
    ]
    with engine.begin() as conn:
        ws = get_or_create(conn, "missing")
        add_deals(conn, ws, [{"owner": "Alice", "stage": "x", "created_date": day, **row} for row in rows])
        report = quality_report(conn, ws, as_of=date(2025, 6, 1))
    found = {f.describe(): f for f in report.findings}
    assert found["3 of 8 deals have no account."].count == 3
    assert found["Closed deals without a close date."].count == 1
    assert found["Closed deals dated after the as-of date (2025-06-01)."].count == 2
    assert found["Open deals without an amount."].count == 2
    assert found["Open deals without an amount."].base == 3  # its share is of the open deals
    assert found["Won deals without an amount."].count == 1
    assert found["Lost deals without an amount."].count == 1
    assert not any(message.startswith("amount is empty") for message in found)  # not lumped over every status
