"""Segment, lead source and product filters reach activities through their deal, and say what they leave out
(issue 7, point 8): before, Segment = Enterprise changed the output KPIs but not the activities."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from salesops.filters import Filters
from salesops.ingest.pipeline import ingest_paths
from salesops.kpi import activity_by_rep, activity_mix, summary
from salesops.kpi.inputs import deal_filter_note
from salesops.store.workspaces import find

DEALS = """Deal ID,Owner,Stage,Amount,Created Date,Close Date,Segment,Lead Source,Product
D1,Ann,Closed Won,100,2025-01-02,2025-01-20,SMB,Web,Basic
D2,Bob,Closed Won,900,2025-01-03,2025-01-25,Enterprise,Partner,Suite
"""
ACTIVITIES = """Activity ID,Type,Owner,Deal ID,Date,Duration (min)
A1,Call,Ann,D1,2025-01-05 10:00,10
A2,Email,Bob,D2,2025-01-06 11:00,5
A3,Meeting,Ann,D2,2025-01-07 12:00,60
A4,Call,Bob,,2025-01-08 09:00,20
A5,Meeting,Bob,D2,2024-12-30 09:00,30
"""
JANUARY = Filters(start=date(2025, 1, 1), end=date(2025, 1, 31))


def _workspace(engine: Engine, tmp_path: Path) -> int:
    (tmp_path / "deals.csv").write_text(DEALS, encoding="utf-8")
    (tmp_path / "activities.csv").write_text(ACTIVITIES, encoding="utf-8")
    ingest_paths(engine, "Filters", [tmp_path / "deals.csv", tmp_path / "activities.csv"])
    with engine.connect() as conn:
        found = find(conn, "Filters")
    assert found is not None
    return found


def test_segment_source_and_product_narrow_activities_through_their_deal(engine: Engine, tmp_path: Path) -> None:
    ws = _workspace(engine, tmp_path)
    enterprise = Filters(start=JANUARY.start, end=JANUARY.end, segments=("Enterprise",))
    with engine.connect() as conn:
        everything = summary(conn, ws, JANUARY)["activities_by_type"]
        narrowed = summary(conn, ws, enterprise)
        by_source = summary(conn, ws, Filters(start=JANUARY.start, end=JANUARY.end, sources=("Web",)))
        mix = activity_mix(conn, ws, enterprise)
        per_rep = activity_by_rep(conn, ws, enterprise).set_index("rep")
        note = deal_filter_note(conn, ws, enterprise)
        no_note = deal_filter_note(conn, ws, JANUARY)
    assert (everything["call"], everything["email"], everything["meeting"]) == (2, 1, 1)
    # A2 and A3 belong to the Enterprise deal D2 (A5 too, but in December); A4 has no deal.
    kinds = narrowed["activities_by_type"]
    assert (kinds["call"], kinds["email"], kinds["meeting"]) == (0, 1, 1)
    assert narrowed["selling_hours"] == 65 / 60
    assert by_source["activities_by_type"]["call"] == 1  # A1, on the Web deal D1
    assert int(mix[["email", "meeting"]].to_numpy().sum()) == 2
    assert per_rep.loc["Ann", "meeting"] == 1
    assert per_rep.loc["Bob", "email"] == 1
    assert note is not None
    assert "2 of 4 activities in the period belong to a matching deal; 1 have no deal" in note
    assert no_note is None
