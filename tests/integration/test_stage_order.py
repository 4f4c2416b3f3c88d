"""The funnel follows the stage order on a real store: the Zoho sample's pipeline, a saved order, deal history."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import Engine

from salesops.ingest.pipeline import ingest_paths, load, prepare
from salesops.kpi import funnel
from salesops.kpi.stages import history_transitions, save_order, saved_order, stage_order
from salesops.store import workspaces as ws


def test_zoho_funnel_runs_in_pipeline_order(engine: Engine, datasets: Path) -> None:
    ingest_paths(engine, "Zoho", [datasets / "zoho-crm-sample-export" / "Potentials.csv"])
    with engine.connect() as conn:
        workspace = ws.get_or_create(conn, "Zoho")
        frame = funnel(conn, workspace)
    assert list(frame["stage"]) == [
        "Created",
        "Prospect",
        "Qualification",
        "Needs Analysis",
        "Initial Offer",
        "Proposal/Price Quote",
        "Negotiation/Review",
        "Won",
    ]
    assert list(frame["reached"]) == sorted(frame["reached"], reverse=True)


def test_saved_order_drives_the_funnel_and_stays_in_its_workspace(engine: Engine) -> None:
    csv = b"Deal ID,Stage,Amount,Created Date\n1,Qualification,10,2025-01-01\n2,Proposal,20,2025-01-02\n"
    with engine.begin() as conn:
        one, other = ws.get_or_create(conn, "One"), ws.get_or_create(conn, "Other")
    for workspace in (one, other):
        load(engine, workspace, prepare(csv, "deals.csv")[0])
    with engine.begin() as conn:
        save_order(conn, one, ["Proposal", "Qualification"])
    with engine.connect() as conn:
        assert saved_order(conn, one) == ["Proposal", "Qualification"]
        assert saved_order(conn, other) == []
        assert list(funnel(conn, one)["stage"]) == ["Created", "Proposal", "Qualification", "Won"]
        assert list(funnel(conn, other)["stage"]) == ["Created", "Qualification", "Proposal", "Won"]


def test_stage_moves_between_imports_order_custom_stages(engine: Engine) -> None:
    def batch(rows: str) -> bytes:
        return b"Deal ID,Stage,Amount,Created Date\n" + rows.encode()

    with engine.begin() as conn:
        workspace = ws.get_or_create(conn, "History")
    # Custom stage names no vocabulary knows; the older deals are at "Gamma", so age alone says Gamma is later.
    first = "1,Gamma,1,2025-01-01\n2,Gamma,1,2025-01-01\n3,Beta,1,2025-03-01\n4,Beta,1,2025-03-01\n"
    load(engine, workspace, prepare(io.BytesIO(batch(first)), "deals.csv")[0])
    with engine.connect() as conn:
        assert stage_order(conn, workspace) == ["Beta", "Gamma"]
    # The next export shows the Gamma deals moved on to Beta, and a new old deal at Gamma: by age alone Gamma
    # would still come last, but deals move Gamma -> Beta, so Gamma comes first.
    second = (
        "1,Beta,1,2025-01-01\n2,Beta,1,2025-01-01\n3,Beta,1,2025-03-01\n4,Beta,1,2025-03-01\n5,Gamma,1,2024-12-01\n"
    )
    load(engine, workspace, prepare(io.BytesIO(batch(second)), "deals.csv")[0])
    with engine.connect() as conn:
        assert history_transitions(conn, workspace) == {("Gamma", "Beta"): 2}
        assert stage_order(conn, workspace) == ["Gamma", "Beta"]
        assert list(funnel(conn, workspace)["stage"]) == ["Created", "Gamma", "Beta", "Won"]
