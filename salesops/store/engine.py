"""Engine factory: SQLite file by default (WAL, foreign keys, busy timeout), any SQLAlchemy URL via DATABASE_URL.

Opening an engine runs the Alembic migrations up to head, so a schema upgrade keeps existing data.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from salesops.store.migrate import upgrade_to_head

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "salesops.db"
BUSY_TIMEOUT_MS = 10_000  # how long a SQLite statement waits for another writer before the write is retried


def default_url() -> str:
    """The database URL: ``DATABASE_URL`` when set, else the SQLite file ``data/salesops.db``."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Heroku-style postgres:// URLs and bare postgresql:// both go through psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql://" + url.removeprefix("postgres://")
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{DEFAULT_DB_PATH}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first, so switching to WAL also waits its turn
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA threads=2")  # index builds after a bulk import sort on both cores
    cursor.close()


def get_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """Create an engine for ``url`` (default: :func:`default_url`) and bring its schema to the latest version."""
    url = url or default_url()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # One engine serves every browser session of the server: a pool of 10 plus 30 overflow keeps 20+ sessions
    # reading while imports write (the default 5 + 10 made readers time out in the 4-writer, 20-reader soak).
    pool = {} if ":memory:" in url else {"pool_size": 10, "max_overflow": 30}
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"), **pool)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate:
        upgrade_to_head(engine)
    return engine
