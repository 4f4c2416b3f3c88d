"""Nothing half-written (catalogue F1-F3, F14): faults injected during a load leave each batch wholly present or
wholly absent, SQLite's integrity check passing, and the user told in plain words that nothing was written.

Fast here: an exception at a random row (100 runs on SQLite, 20 on PostgreSQL), a full disk, a killed PostgreSQL
connection and a statement timeout. Slow group (``pytest -m slow``): SIGKILL of an importing process, 20 times.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, event, func, select, text

from salesops.ingest import load as load_module
from salesops.ingest.pipeline import load, prepare
from salesops.store import get_engine
from salesops.store import workspaces as ws
from salesops.store.schema import deals, import_batches, metadata
from salesops.store.transactions import StoreError
from tests.conftest import PG_ADMIN_URL, _fresh_pg_database, postgres_available, require

REPO = Path(__file__).resolve().parents[2]


class InjectedError(RuntimeError):
    """The fault this test raises in the middle of a load."""


def deals_csv(rows: int, prefix: str = "D") -> bytes:
    """A deals export of ``rows`` rows."""
    lines = ["Opportunity ID,Opportunity Name,Stage,Amount,Close Date,Opportunity Owner"]
    lines += [f"{prefix}{i},Co {i},Closed Won,{i + 1},2024-01-{i % 28 + 1:02d},Rep {i % 7}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def counts(engine: Engine) -> dict[str, int]:
    """Rows in every table of the store."""
    with engine.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0) for t in metadata.sorted_tables
        }


def integrity_ok(engine: Engine) -> bool:
    """SQLite's own check of the file (PostgreSQL guarantees it by its WAL; True there)."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def batches_whole(engine: Engine) -> bool:
    """Every stored batch has exactly the rows it says it loaded, and no deal belongs to a missing batch."""
    with engine.connect() as conn:
        per_batch = dict(
            conn.execute(select(deals.c.created_batch_id, func.count()).group_by(deals.c.created_batch_id)).all()
        )
        loaded = dict(conn.execute(select(import_batches.c.id, import_batches.c.rows_loaded)).all())
    return all(loaded.get(batch) == n for batch, n in per_batch.items()) and all(
        per_batch.get(batch, 0) == n for batch, n in loaded.items()
    )


def test_an_exception_at_a_random_row_never_leaves_part_of_a_batch(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F1: 100 loads on SQLite (20 on PostgreSQL) fail at a random row of the bulk insert; none leaves a trace."""
    runs = 100 if engine.dialect.name == "sqlite" else 20
    rng = random.Random(7)
    with engine.begin() as conn:
        workspace_id = ws.get_or_create(conn, "Faults")
    [table] = prepare(deals_csv(300, "Base"), "base.csv")
    load(engine, workspace_id, table)  # an earlier batch that must survive every failed one
    before = counts(engine)
    original = load_module._bulk_insert
    for run in range(runs):
        cut = rng.randrange(0, 300)

        def failing(conn, table_, frame: pd.DataFrame, cut: int = cut) -> None:  # type: ignore[no-untyped-def]
            original(conn, table_, frame.iloc[:cut])
            raise InjectedError(f"injected at row {cut}")

        monkeypatch.setattr(load_module, "_bulk_insert", failing)
        [prepared] = prepare(deals_csv(300, f"R{run}-"), f"run{run}.csv")
        with pytest.raises(InjectedError):
            load(engine, workspace_id, prepared)
    monkeypatch.setattr(load_module, "_bulk_insert", original)
    assert counts(engine) == before
    assert integrity_ok(engine)
    assert batches_whole(engine)


def test_a_full_disk_writes_nothing_and_says_so(sqlite_engine: Engine, tmp_path: Path) -> None:
    """F3: with the file capped a few pages above its size (PRAGMA max_page_count), a big import fails cleanly."""
    path = sqlite_engine.url.database
    capped = get_engine(f"sqlite:///{path}", migrate=False)

    @event.listens_for(capped, "connect")
    def cap(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 8}")

    with capped.begin() as conn:
        workspace_id = ws.get_or_create(conn, "Full")
    before = counts(capped)
    [prepared] = prepare(deals_csv(20_000), "big.csv")
    with pytest.raises(StoreError, match="disk is full; nothing was written"):
        load(capped, workspace_id, prepared)
    capped.dispose()
    assert counts(sqlite_engine) == before
    assert integrity_ok(sqlite_engine)
    assert load(sqlite_engine, workspace_id, prepared).rows_loaded == 20_000  # with room again, the same file loads


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A migrated, empty throwaway PostgreSQL database (these faults exist only there)."""
    require(postgres_available(), "PostgreSQL is not answering")
    name, admin = _fresh_pg_database()
    engine = get_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_a_killed_postgresql_connection_mid_import_writes_nothing(pg_engine: Engine) -> None:
    """F14: the server ends the importing connection inside its transaction; nothing lands, the user is told."""
    with pg_engine.begin() as conn:
        workspace_id = ws.get_or_create(conn, "Killed")
    before = counts(pg_engine)
    [prepared] = prepare(deals_csv(5_000), "big.csv")
    inside, killed = threading.Event(), threading.Event()

    def progress(fraction: float, _message: str) -> None:
        if fraction > 0.05 and not inside.is_set():
            inside.set()
            killed.wait(30)

    def killer() -> None:
        inside.wait(60)
        with pg_engine.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in%'"
                )
            )
            conn.commit()
        killed.set()

    thread = threading.Thread(target=killer)
    thread.start()
    with pytest.raises(StoreError, match="connection to the database was lost"):
        load(pg_engine, workspace_id, prepared, progress)
    thread.join()
    pg_engine.dispose()
    assert counts(pg_engine) == before


@pytest.mark.postgres
def test_a_postgresql_statement_timeout_writes_nothing(pg_engine: Engine) -> None:
    """F14: a server-side statement timeout during the import rolls it back with a plain message."""
    with pg_engine.begin() as conn:
        workspace_id = ws.get_or_create(conn, "Timeout")
    before = counts(pg_engine)
    [prepared] = prepare(deals_csv(20_000), "big.csv")
    timed = get_engine(pg_engine.url.render_as_string(hide_password=False), migrate=False)

    @event.listens_for(timed, "connect")
    def short_timeout(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 50")

    # Every insert into deals sleeps 0.2 s, so the timeout fires whatever the machine's speed (a bare 5 ms limit
    # did not fire on a quiet machine).
    with pg_engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE FUNCTION slow_insert() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.2); RETURN NULL; END $$ "
            "LANGUAGE plpgsql"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER slow_deals BEFORE INSERT ON deals FOR EACH STATEMENT EXECUTE FUNCTION slow_insert()"
        )
    try:
        with pytest.raises(StoreError, match="lost or timed out"):
            load(timed, workspace_id, prepared)
    finally:
        timed.dispose()
        with pg_engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER slow_deals ON deals")
            conn.exec_driver_sql("DROP FUNCTION slow_insert()")
    assert counts(pg_engine) == before


KILL_CHILD = """
import sys
from pathlib import Path
from salesops.ingest.pipeline import ingest_paths
from salesops.store import get_engine
ingest_paths(get_engine(sys.argv[1]), "Killed", [Path(sys.argv[2])])
"""


@pytest.mark.slow
def test_sigkill_of_an_importing_process_never_leaves_a_partial_batch(engine: Engine, tmp_path: Path) -> None:
    """F2: 20 imports (5 on PostgreSQL) killed with SIGKILL at a random moment; each batch whole or absent."""
    runs = 20 if engine.dialect.name == "sqlite" else 5
    url = engine.url.render_as_string(hide_password=False)
    rng = random.Random(3)
    mid_import = 0
    for run in range(runs):
        source = tmp_path / f"kill{run}.csv"
        source.write_bytes(deals_csv(60_000, f"K{run}-"))
        child = subprocess.Popen([sys.executable, "-c", KILL_CHILD, url, str(source)], cwd=REPO)
        time.sleep(rng.uniform(1.0, 8.0))
        finished = child.poll() is not None
        if not finished:
            os.kill(child.pid, signal.SIGKILL)
            mid_import += 1
        child.wait()
        engine.dispose()
        assert integrity_ok(engine), run
        assert batches_whole(engine), run
    assert mid_import > 0  # at least some kills landed while the import was running
    print(f"SIGKILL: {runs} runs, {mid_import} killed mid-run, 0 partial batches, integrity ok")
