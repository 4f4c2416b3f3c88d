"""Run Alembic migrations programmatically (no alembic.ini needed), on every engine start, under a lock.

Two processes starting on a new store at once must not both create the tables: on SQLite a lock file beside the
database (flock) serialises them, on PostgreSQL a session advisory lock does; the second finds the schema current.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

try:  # POSIX; on Windows the migration runs without the cross-process lock
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 0x5A1E5095  # any constant; the same in every process of this app


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at this package's migrations and at ``engine``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold a lock no other process of this app can hold at the same time, for the whole migration."""
    database = engine.url.database or ""
    if engine.dialect.name == "sqlite" and database and database != ":memory:" and fcntl is not None:
        with open(f"{database}.migrate-lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    elif engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_LOCK_KEY})
                conn.commit()
    else:
        yield


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending migration; a no-op when the schema is current."""
    with migration_lock(engine):
        command.upgrade(alembic_config(engine), "head")
