"""The connection migrations run on: each migration in its own transaction, and on SQLite no cascading deletes.

Alembic's batch mode on SQLite copies a table, drops the original and renames the copy. With foreign keys on, the
drop of ``workspaces`` or ``import_batches`` would cascade (``ON DELETE CASCADE``) and empty every record table, so
foreign keys are off while migrations run and ``PRAGMA foreign_key_check`` must come back empty before each
migration commits (SQLite's documented procedure for schema changes). pysqlite issues no ``BEGIN`` before DDL, so on
SQLite the transaction is begun explicitly: a migration that fails half way leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event


class ForeignKeyCheckError(RuntimeError):
    """A migration left rows whose foreign key points at no row; it is rolled back."""


def _begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for Alembic: on SQLite with foreign keys off and a real ``BEGIN`` per transaction."""
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            yield conn
            return
        driver: Any = conn.connection.dbapi_connection
        level = driver.isolation_level
        driver.isolation_level = None  # the driver stops managing transactions; _begin issues BEGIN itself
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside any transaction, where SQLite honours it
        conn.commit()
        event.listen(conn, "begin", _begin)
        try:
            yield conn
        finally:
            event.remove(conn, "begin", _begin)
            conn.rollback()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
            driver.isolation_level = level


def check_foreign_keys(conn: Connection, revision: str) -> None:
    """Raise :class:`ForeignKeyCheckError` when a row's foreign key points nowhere (SQLite; PostgreSQL enforces it)."""
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise ForeignKeyCheckError(
            f"migration {revision} leaves {len(broken)} rows whose foreign key points nowhere "
            f"(in {', '.join(tables)}); it was rolled back"
        )
