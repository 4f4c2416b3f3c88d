"""The Demo workspace: the bundled sample export, imported on first start so every page has data to show."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from salesops.ingest.pipeline import ingest_paths
from salesops.store import workspaces as ws

DEMO_WORKSPACE = "Demo"
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"
SAMPLE_FILES = ("reps.csv", "accounts.csv", "leads.csv", "deals.csv", "activities.csv")


def needs_demo(engine: Engine) -> bool:
    """Whether this store has no Demo workspace yet and the sample files are there to make one."""
    with engine.connect() as conn:
        if ws.find(conn, DEMO_WORKSPACE) is not None:
            return False
    return any((SAMPLE_DIR / name).exists() for name in SAMPLE_FILES)


def ensure_demo(engine: Engine, progress: Callable[[float, str], None] | None = None) -> bool:
    """Create and fill the Demo workspace unless a workspace of that name exists; True when it was created.

    ``progress(share done, file name)`` is told before each sample file loads (they load in dependency order).
    """
    if not needs_demo(engine):
        return False
    files = [SAMPLE_DIR / name for name in SAMPLE_FILES if (SAMPLE_DIR / name).exists()]
    for done, path in enumerate(files):
        if progress is not None:
            progress(done / len(files), path.name)
        ingest_paths(engine, DEMO_WORKSPACE, [path])
    return True
