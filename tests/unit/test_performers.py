"""Top vs bottom performers on small hand-computed stores (SQLite file, and PostgreSQL when it answers)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Connection, Engine, Table, insert

from salesops.filters import Filters
from salesops.performers import compare_performers, training_gaps
from salesops.store.schema import activities, activity_daily, deals, reps
from salesops.store.workspaces import get_or_create

Q1 = Filters(start=date(2025, 1, 1), end=date(2025, 3, 31))


def add(conn: Connection, table: Table, workspace_id: int, rows: list[dict]) -> None:
    """Insert record rows with the bookkeeping columns (and deal status flags) filled in."""
    defaults = {"workspace_id": workspace_id} if table is activity_daily else {
        "workspace_id": workspace_id, "batch_id": 0, "created_batch_id": 0}  # fmt: skip
    if table is deals:
        rows = [{"is_closed": r["status"] != "open", "is_won": r["status"] == "won", **r} for r in rows]
    conn.execute(insert(table), [{**defaults, **row} for row in rows])


def eight_reps(conn: Connection, ws: int) -> None:
    """R1..R8: two wins of 500 × i each and one loss; 10 emails each; demos 4 (R1, R2), 5 (R3-R6), 8 (R7, R8).

    Quotas rise as i²: attainment falls with i, so ranking by attainment turns the order round.
    """
    add(conn, reps, ws, [{"id": f"r{i}", "name": f"R{i}", "quota": 1000.0 * i * i} for i in range(1, 9)])
    rows, rollup = [], []
    for i in range(1, 9):
        rep = f"R{i}"
        for k, status in enumerate(("won", "won", "lost")):
            close = date(2025, 1, 11 + 10 * k * (i > 4))  # R5-R8 take 10, 20 and 30 days, R1-R4 10 days
            rows.append({"id": f"{rep}-{k}", "owner": rep, "status": status, "amount": 500.0 * i,
                         "created_date": date(2025, 1, 1), "close_date": close})  # fmt: skip
        demos = 4 if i <= 2 else 8 if i >= 7 else 5
        rollup += [
            {"owner": rep, "type": "email", "day": date(2025, 2, 3), "n": 10, "minutes": 50.0},
            {"owner": rep, "type": "demo", "day": date(2025, 2, 4), "n": demos, "minutes": 60.0 * demos},
        ]
    add(conn, deals, ws, rows)
    add(conn, activity_daily, ws, rollup)


def test_eight_reps_split_into_quartiles_and_the_demo_gap_is_stated(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "perf")
        eight_reps(conn, ws)
        result = compare_performers(conn, ws, Q1, "revenue")
    groups = result.groups.set_index("rep")["group"]
    assert sorted(groups[groups == "top"].index) == ["R7", "R8"]
    assert sorted(groups[groups == "bottom"].index) == ["R1", "R2"]
    assert (groups == "middle").sum() == 4
    assert result.split == "quartile"
    assert "the top and bottom quartile (2 each)" in result.note
    assert "Response speed is skipped" in result.note
    metrics = result.metrics.set_index("metric")
    # Top: 16 demos / 4 won deals = 4.0; bottom: 8 / 4 = 2.0.
    assert (metrics.loc["demos_per_won_deal", "top"], metrics.loc["demos_per_won_deal", "bottom"]) == (4.0, 2.0)
    assert "Top quartile logs 2.0× more demos per won deal (4.0 vs 2.0)" in result.findings
    # Average deal size 3,750 vs 750 is the biggest difference, so it comes first.
    assert result.findings[0] == "Top quartile has a 5.0× larger average deal size ($3.8k vs $750)"
    # Same win rate (2 of 3) and emails per won deal (20 / 4 = 5): equal figures are not findings.
    assert metrics.loc["win_rate", "ratio"] == pytest.approx(1.0)
    assert not any("win rate" in f or "emails per won deal" in f for f in result.findings)
    # Emails are a smaller share of the top's activity (20/36 vs 20/28 = 0.78×): stated, but not a training gap.
    assert "Top quartile puts 1.3× less of its activity into emails (56 % vs 71 %)" in result.findings
    assert training_gaps(result) == ["demo"]


def test_attainment_basis_ranks_by_prorated_quota(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        ws = get_or_create(conn, "perf")
        eight_reps(conn, ws)
        result = compare_performers(conn, ws, Q1, "attainment")
    groups = result.groups.set_index("rep")
    assert sorted(groups.index[groups["group"] == "top"]) == ["R1", "R2"]
    # R1: 1,000 won / (1,000 quota × 90 days / 365) = 4.06.
    assert groups.loc["R1", "basis_value"] == pytest.approx(1000 / (1000 * 90 / 365))
    assert result.basis == "attainment"
    # Now the bottom runs more demos; the top puts more of its (smaller) activity into emails: 20/28 vs 20/36.
    assert training_gaps(result) == ["email"]


def test_two_reps_compare_halves_with_response_speed(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "perf")
        add(conn, deals, ws, [
            {"id": "A1", "owner": "Ann", "status": "won", "amount": 3000.0,
             "created_date": date(2025, 1, 1), "close_date": date(2025, 1, 31)},
            {"id": "B1", "owner": "Ben", "status": "won", "amount": 1000.0,
             "created_date": date(2025, 1, 1), "close_date": date(2025, 2, 10)},
        ])  # fmt: skip
        add(conn, activities, ws, [
            {"id": "x1", "type": "call", "owner": "Ann", "deal_id": "A1", "occurred_at": datetime(2025, 1, 2, 15)},
            {"id": "x2", "type": "call", "owner": "Ann", "deal_id": "A1", "occurred_at": datetime(2025, 1, 9, 9)},
            {"id": "x3", "type": "call", "owner": "Ben", "deal_id": "B1", "occurred_at": datetime(2025, 1, 5, 9)},
        ])  # fmt: skip
        result = compare_performers(conn, ws, Q1)
    assert result.split == "half"
    assert "Only 2 reps" in result.note
    metrics = result.metrics.set_index("metric")
    assert (metrics.loc["median_response_days", "top"], metrics.loc["median_response_days", "bottom"]) == (1.0, 4.0)
    assert "Top half has a 4.0× shorter time from deal creation to first activity (1.0 vs 4.0 days)" in (
        result.findings
    )
    assert "Top half has a 1.3× shorter median sales cycle (30.0 vs 40.0 days)" in result.findings
    assert "No activities logged" in result.note  # the rollup is empty, so no activity-mix findings


def test_empty_workspace_and_a_single_rep_explain_instead_of_raising(engine: Engine) -> None:
    with engine.begin() as conn:
        ws = get_or_create(conn, "perf")
        empty = compare_performers(conn, ws, Q1, "attainment")
        add(conn, deals, ws, [{"id": "D1", "owner": "Solo", "status": "won", "amount": 10.0,
                               "created_date": date(2025, 1, 1), "close_date": date(2025, 1, 2)}])  # fmt: skip
        single = compare_performers(conn, ws)
    assert empty.groups.empty
    assert empty.metrics.empty
    assert empty.findings == ()
    assert "at least two reps" in empty.note
    assert "ranked by revenue" in empty.note  # no quotas: the attainment basis falls back
    assert single.groups["rep"].tolist() == ["Solo"]
    assert single.metrics.empty
    assert training_gaps(single) == []
