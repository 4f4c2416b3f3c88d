"""Write transactions that neither half-write nor show a raw "database is locked".

SQLite allows one writer at a time. A deferred transaction that reads first and writes later fails at once with
SQLITE_BUSY when another connection committed in between (the busy timeout does not help), so every write here
starts with ``BEGIN IMMEDIATE``: it takes the write lock up front, waiting up to the connection's busy timeout.
On PostgreSQL the workspace row is locked (``SELECT ... FOR UPDATE``), so imports and undos into one workspace run
one after the other while other workspaces proceed. A write still blocked after its retries raises
:class:`StoreBusyError` with advice, and nothing of it is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError, OperationalError

from salesops.i18n import translate
from salesops.store.schema import workspaces

T = TypeVar("T")
RETRIES = 3  # after the first attempt; each attempt already waits the busy timeout (10 s on SQLite)
_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy", "deadlock detected",
               "could not serialize", "lock timeout", "canceling statement due to lock timeout")  # fmt: skip


_FULL_WORDS = ("database or disk is full", "disk is full", "no space left on device", "could not extend file")
_LOST_WORDS = (
    "terminating connection",
    "server closed the connection",
    "connection is closed",
    "connection already closed",
    "consuming input failed",
    "canceling statement due to statement timeout",
)


class StoreError(RuntimeError):
    """A write the database could not finish; the transaction rolled back, so nothing of it was stored."""


class StoreBusyError(StoreError):
    """Another import, undo or save held the store for too long; nothing of this write was stored."""


def is_busy(error: BaseException) -> bool:
    """True for the database's "busy / locked / serialization" failures, which a later retry may get past."""
    return isinstance(error, OperationalError | DBAPIError) and any(w in str(error).lower() for w in _BUSY_WORDS)


def _plain_failure(error: DBAPIError) -> StoreError | None:
    """A clear StoreError for a full disk, a lost connection or a statement timeout; None for anything else."""
    text = str(error).lower()
    if any(word in text for word in _FULL_WORDS):
        return StoreError(
            translate("The database disk is full; nothing was written. Free some space (or ask your admin) and retry.")
        )
    if any(word in text for word in _LOST_WORDS):
        return StoreError(
            translate(
                "The connection to the database was lost or timed out during the write; nothing was written. "
                "Try again; if it keeps happening, ask your admin to check the database server."
            )
        )
    return None


@contextmanager
def write_transaction(engine: Engine, workspace_id: int | None = None) -> Iterator[Connection]:
    """One all-or-nothing write transaction holding the write lock (SQLite) or the workspace row lock (PostgreSQL)."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif workspace_id is not None:
            conn.execute(select(workspaces.c.id).where(workspaces.c.id == workspace_id).with_for_update())
        yield conn


def run_write(
    engine: Engine,
    write: Callable[[Connection], T],
    *,
    workspace_id: int | None = None,
    retries: int = RETRIES,
    pause: float = 0.5,
) -> T:
    """Run ``write`` in a :func:`write_transaction`, retrying while the store is busy.

    Raises StoreBusyError when the store stays busy, StoreError for a full disk or a lost connection; in every
    case the transaction was rolled back.
    """
    for attempt in range(retries + 1):
        try:
            with write_transaction(engine, workspace_id) as conn:
                return write(conn)
        except (OperationalError, DBAPIError) as error:
            if not is_busy(error):
                plain = _plain_failure(error)
                if plain is not None:
                    raise plain from error
                raise
            if attempt == retries:
                raise StoreBusyError(
                    translate(
                        "The database is busy with another import or undo and stayed busy; nothing was written. "
                        "Try again in a minute."
                    )
                ) from error
            time.sleep(pause * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
