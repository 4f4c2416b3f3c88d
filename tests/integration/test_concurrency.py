"""Concurrency on both stores (catalogue F4-F6, F14): first start by several processes, workspace creation races,
imports into one workspace at once, a briefly and a long-locked SQLite store, and a short soak of writers and
readers. The long soak is ``benchmarks/soak.py``; the 60 s lock runs in the ``slow`` group (``pytest -m slow``).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from salesops.ingest.load import BatchResult
from salesops.ingest.pipeline import ingest_paths
from salesops.store import get_engine
from salesops.store import workspaces as ws
from salesops.store.schema import deals, import_batches, workspaces
from salesops.store.transactions import StoreBusyError, run_write
from tests.conftest import PG_ADMIN_URL, _fresh_pg_database, postgres_available, require

REPO = Path(__file__).resolve().parents[2]
FIRST_START = "import sys; from salesops.store import get_engine; get_engine(sys.argv[1]).dispose()"


def deals_file(path: Path, prefix: str, rows: int = 50) -> Path:
    """A small deals CSV with ids unique to ``prefix``."""
    lines = ["Opportunity ID,Stage,Amount,Close Date"]
    lines += [f"{prefix}-{i},Closed Won,{i + 1},2024-01-{i % 28 + 1:02d}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def in_threads(n: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work(i)`` for i in range(n) at the same moment (a barrier releases them together)."""
    barrier = threading.Barrier(n)

    def run(i: int) -> object:
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """The URL of a store nobody has started yet (no file / an empty PostgreSQL database)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.db'}"
        return
    require(postgres_available(), "PostgreSQL is not answering")
    name, admin = _fresh_pg_database()
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_four_processes_starting_a_new_store_at_once_all_succeed(fresh_url: str) -> None:
    """Migrations run under a lock: every process starts, the schema is at head once (was 6/8 and 5/5 failing)."""
    procs = [
        subprocess.Popen([sys.executable, "-c", FIRST_START, fresh_url], cwd=REPO, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    engine = get_engine(fresh_url, migrate=False)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()


def test_workspace_created_by_eight_sessions_at_once_exists_once(engine: Engine) -> None:
    """Race-free creation: every session gets the same id and there is one row (was 2/5 failing)."""
    ids = in_threads(8, lambda _: run_write(engine, lambda conn: ws.get_or_create(conn, "New team")))
    assert len(set(ids)) == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).where(workspaces.c.name == "New team")).scalar() == 1


def test_four_imports_into_one_workspace_at_once_all_land(engine: Engine, tmp_path: Path) -> None:
    """Imports are serialised, not failed: four files at once into one new workspace, every row and batch lands."""
    files = [deals_file(tmp_path / f"d{i}.csv", f"W{i}") for i in range(4)]
    outcomes = in_threads(4, lambda i: ingest_paths(engine, "Shared", [files[i]]))
    results = [o for batch in outcomes for o in batch]  # type: ignore[attr-defined]
    assert all(isinstance(r, BatchResult) for r in results), results
    with engine.connect() as conn:
        workspace_id = ws.find(conn, "Shared")
        assert conn.execute(select(func.count()).select_from(deals)).scalar() == 200
        assert conn.execute(select(func.count()).select_from(import_batches)).scalar() == 4
        assert ws.data_version(conn, workspace_id or 0) == 4  # no lost update of the version counter


def hold_write_lock(engine: Engine, seconds: float) -> threading.Timer:
    """Another connection takes SQLite's write lock (BEGIN IMMEDIATE) and releases it after ``seconds``."""
    locker = sqlite3.connect(str(engine.url.database), check_same_thread=False)
    locker.execute("BEGIN IMMEDIATE")

    def release() -> None:
        locker.rollback()
        locker.close()

    timer = threading.Timer(seconds, release)
    timer.start()
    return timer


def test_import_waits_out_a_3_second_lock(sqlite_engine: Engine, tmp_path: Path) -> None:
    """F4: a write lock held 3 s delays the import, which then succeeds."""
    timer = hold_write_lock(sqlite_engine, 3.0)
    [result] = ingest_paths(sqlite_engine, "W", [deals_file(tmp_path / "d.csv", "L")])
    timer.join()
    assert isinstance(result, BatchResult)
    assert result.rows_loaded == 50


@pytest.mark.slow
def test_a_60_second_lock_gives_a_clear_busy_message_and_writes_nothing(sqlite_engine: Engine, tmp_path: Path) -> None:
    """F4: a write lock held 60 s outlasts the busy timeout and retries: a clear message, nothing written."""
    with sqlite_engine.begin() as conn:
        ws.get_or_create(conn, "W")
    timer = hold_write_lock(sqlite_engine, 60.0)
    [result] = ingest_paths(sqlite_engine, "W", [deals_file(tmp_path / "d.csv", "L")])
    timer.join()
    assert not isinstance(result, BatchResult)
    assert "busy" in result.reason  # type: ignore[union-attr]
    assert "nothing was written" in result.reason  # type: ignore[union-attr]
    assert "database is locked" not in result.reason  # type: ignore[union-attr]
    with sqlite_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(import_batches)).scalar() == 0


def test_busy_store_after_retries_says_so_in_plain_words(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No raw "database is locked": a write that never gets the lock ends in StoreBusyError with advice."""
    fast = get_engine(str(sqlite_engine.url), migrate=False)
    with fast.connect() as conn:  # a short busy timeout on this engine's connection so the test stays short
        conn.exec_driver_sql("PRAGMA busy_timeout=100")
    monkeypatch.setattr("salesops.store.engine.BUSY_TIMEOUT_MS", 100)
    fast.dispose()
    fast = get_engine(str(sqlite_engine.url), migrate=False)
    timer = hold_write_lock(sqlite_engine, 5.0)
    with pytest.raises(StoreBusyError, match=r"nothing was written\. Try again in a minute"):
        run_write(fast, lambda conn: ws.get_or_create(conn, "X"), retries=2, pause=0.1)
    timer.join()
    fast.dispose()
