"""Durability (catalogue F13): a workspace backed up to one file restores, on either database and across them,
with every table's rows equal; a store of today's schema (tests/fixtures) upgrades without loss."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from salesops.ingest.pipeline import ingest_paths
from salesops.store import get_engine
from salesops.store import workspaces as ws
from salesops.store.backup import REMAPPED, BackupError, backup_workspace, restore_workspace, workspace_tables
from salesops.store.transactions import run_write
from tests.conftest import SAMPLE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
_spec = importlib.util.spec_from_file_location("make_fixture_store", FIXTURES / "make_fixture_store.py")
assert _spec is not None
assert _spec.loader is not None
_maker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_maker)
fingerprint = _maker.fingerprint


def snapshot(engine: Engine, workspace_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows of the workspace, surrogate ids replaced by their rank so two copies compare equal."""
    with engine.connect() as conn:
        rank = {
            source: {old: i for i, old in enumerate(conn.execute(
                select(t.c.id).where(t.c.workspace_id == workspace_id).order_by(t.c.id)).scalars())}
            for source, t in ((s, next(t for t in workspace_tables() if t.name == s)) for s in REMAPPED)
        }  # fmt: skip
        out = {}
        for table in workspace_tables():
            refs = {col: source for source, cols in REMAPPED.items() for col in cols if col in table.c}
            rows = []
            for row in conn.execute(select(table).where(table.c.workspace_id == workspace_id)).mappings():
                values = {k: v for k, v in row.items() if k != "workspace_id"}
                if table.name in REMAPPED:
                    values["id"] = rank[table.name][values["id"]]
                elif [c.name for c in table.primary_key.columns] == ["id"]:
                    values.pop("id")
                for col, source in refs.items():
                    if values.get(col) is not None:
                        values[col] = rank[source][values[col]]
                rows.append(tuple(sorted((k, repr(v)) for k, v in values.items())))
            out[table.name] = sorted(rows)
    return out


@pytest.fixture
def sample_files(tmp_path: Path) -> list[Path]:
    """The head of each sample export, plus a second deals file that changes amounts (history) and has a bad row."""
    heads = {"reps.csv": 30, "accounts.csv": 300, "leads.csv": 1000, "deals.csv": 1000, "activities.csv": 3000}
    files = []
    for name, rows in heads.items():
        lines = (SAMPLE / name).read_text(encoding="utf-8").splitlines()[: rows + 1]
        files.append(tmp_path / name)
        files[-1].write_text("\n".join(lines) + "\n", encoding="utf-8")
    deals = (tmp_path / "deals.csv").read_text(encoding="utf-8").splitlines()
    header = deals[0].split(",")
    amount = header.index(next(h for h in header if "amount" in h.lower()))
    changed = [deals[0]]
    for line in deals[1:21]:
        cells = line.split(",")
        cells[amount] = "12345"
        changed.append(",".join(cells))
    files.append(tmp_path / "deals_update.csv")
    files[-1].write_text("\n".join([*changed, ",".join(["X-bad", *["not a date"] * (len(header) - 1)])]) + "\n")
    return files


def test_restore_drill_compares_every_table(engine: Engine, tmp_path: Path, sample_files: list[Path]) -> None:
    """Back up a workspace (updates, history, rejected rows), restore it into the same store and into a new SQLite
    store; every table of the restored workspace equals the original."""
    ingest_paths(engine, "Drill", sample_files[:-1])
    ingest_paths(engine, "Drill", sample_files[-1:])
    with engine.connect() as conn:
        workspace_id = ws.find(conn, "Drill") or 0
        data = backup_workspace(conn, workspace_id)
    original = snapshot(engine, workspace_id)
    assert original["record_history"]
    assert original["rejected_rows"]
    same = run_write(engine, lambda conn: restore_workspace(conn, data, "Drill (restored)"))
    assert snapshot(engine, same) == original
    other_engine = get_engine(f"sqlite:///{tmp_path / 'other.db'}")
    other = run_write(other_engine, lambda conn: restore_workspace(conn, data))
    assert snapshot(other_engine, other) == original
    other_engine.dispose()


def test_restore_never_overwrites_and_refuses_other_files(sqlite_engine: Engine, tmp_path: Path) -> None:
    source = tmp_path / "deals.csv"
    source.write_text("Opportunity ID,Stage,Amount\nD1,Closed Won,10\n", encoding="utf-8")
    ingest_paths(sqlite_engine, "Live", [source])
    with sqlite_engine.connect() as conn:
        data = backup_workspace(conn, ws.find(conn, "Live") or 0)
    with pytest.raises(BackupError, match="exists already"):
        run_write(sqlite_engine, lambda conn: restore_workspace(conn, data))
    with pytest.raises(BackupError, match="Not a workspace backup"):
        run_write(sqlite_engine, lambda conn: restore_workspace(conn, b"PK\x03\x04 not a zip"))
    with sqlite_engine.connect() as conn:
        assert sorted(ws.names(conn).values()) == ["Live"]


def test_a_store_of_todays_schema_upgrades_without_loss(tmp_path: Path) -> None:
    """tests/fixtures/store_0006.db was written by this release (make_fixture_store.py); opening a copy runs every
    later migration and keeps every row: table counts and the deals' digest equal what was recorded beside it."""
    recorded = json.loads((FIXTURES / "store_0006.json").read_text(encoding="utf-8"))
    copy = tmp_path / "store.db"
    shutil.copy(FIXTURES / "store_0006.db", copy)
    engine = get_engine(f"sqlite:///{copy}")  # migrates to head
    found = fingerprint(engine)
    engine.dispose()
    assert {k: found["counts"][k] for k in recorded["counts"]} == recorded["counts"]  # type: ignore[index]
    assert found["deals_digest"] == recorded["deals_digest"]


def test_cli_backup_and_restore(sqlite_engine: Engine, tmp_path: Path) -> None:
    """``python -m salesops backup`` then ``restore --name``: the copy holds the same deals."""
    from salesops.cli import main

    source = tmp_path / "deals.csv"
    source.write_text("Opportunity ID,Stage,Amount\nD1,Closed Won,10\nD2,Closed Lost,5\n", encoding="utf-8")
    ingest_paths(sqlite_engine, "Live", [source])
    path = tmp_path / "live.backup"
    assert main(["backup", str(path), "--workspace", "Live"], engine_factory=lambda: sqlite_engine) == 0
    assert main(["restore", str(path), "--name", "Copy"], engine_factory=lambda: sqlite_engine) == 0
    assert main(["restore", str(path)], engine_factory=lambda: sqlite_engine) == 2  # "Live" exists: refused
    with sqlite_engine.connect() as conn:
        live, copy = ws.find(conn, "Live") or 0, ws.find(conn, "Copy") or 0
    assert snapshot(sqlite_engine, copy) == snapshot(sqlite_engine, live)
