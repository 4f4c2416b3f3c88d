"""The Demo workspace: the bundled sample export, imported on first start so every page has data to show."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from salesops.ingest.pipeline import ingest_paths
from salesops.store import workspaces as ws

DEMO_WORKSPACE = "Demo"
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"
SAMPLE_FILES = ("reps.csv", "accounts.csv", "leads.csv", "deals.csv", "activities.csv")


def ensure_demo(engine: Engine) -> bool:
    """Create and fill the Demo workspace unless a workspace of that name exists; True when it was created."""
    with engine.connect() as conn:
        if ws.find(conn, DEMO_WORKSPACE) is not None:
            return False
    files = [SAMPLE_DIR / name for name in SAMPLE_FILES if (SAMPLE_DIR / name).exists()]
    if not files:
        return False
    ingest_paths(engine, DEMO_WORKSPACE, files)
    return True
