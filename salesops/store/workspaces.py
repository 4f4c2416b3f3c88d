"""Workspaces: one company's (or one scenario's) data, and its data version that caches key on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from salesops.store.schema import RECORD_TABLES, import_batches, workspaces


@dataclass(frozen=True)
class Workspace:
    """A workspace row plus its record counts and last import time."""

    id: int
    name: str
    data_version: int
    counts: dict[str, int]
    last_import: datetime | None


def now() -> datetime:
    """Naive UTC timestamp, the one time convention of the store."""
    return datetime.now(UTC).replace(tzinfo=None)


def get_or_create(conn: Connection, name: str) -> int:
    """The id of workspace ``name``, created when it does not exist yet.

    Race-free: the insert does nothing when another session created the same name first (unique name), and the
    row is then read back, so two first imports into a new workspace both land in the same one.
    """
    name = name.strip()
    if not name:
        raise ValueError("A workspace needs a name.")
    found = conn.execute(select(workspaces.c.id).where(workspaces.c.name == name)).scalar()
    if found is not None:
        return int(found)
    insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    values = {"name": name, "created_at": now(), "data_version": 0}
    conn.execute(insert(workspaces).values(**values).on_conflict_do_nothing(index_elements=["name"]))
    return int(conn.execute(select(workspaces.c.id).where(workspaces.c.name == name)).scalar_one())


def delete_if_unused(conn: Connection, workspace_id: int) -> bool:
    """Delete a workspace that never received an import (a failed first import must not leave an empty one)."""
    used = conn.execute(select(import_batches.c.id).where(import_batches.c.workspace_id == workspace_id).limit(1))
    if used.first() is not None:
        return False
    return bool(conn.execute(delete(workspaces).where(workspaces.c.id == workspace_id)).rowcount)


def find(conn: Connection, name: str) -> int | None:
    """The id of workspace ``name``, or None."""
    found = conn.execute(select(workspaces.c.id).where(workspaces.c.name == name)).scalar()
    return None if found is None else int(found)


def bump_version(conn: Connection, workspace_id: int) -> None:
    """Mark the workspace's data as changed so cached figures are recomputed."""
    conn.execute(
        update(workspaces).where(workspaces.c.id == workspace_id).values(data_version=workspaces.c.data_version + 1)
    )


def data_version(conn: Connection, workspace_id: int) -> int:
    """The current data version of a workspace (0 for a new one)."""
    return int(conn.execute(select(workspaces.c.data_version).where(workspaces.c.id == workspace_id)).scalar() or 0)


def names(conn: Connection) -> dict[int, str]:
    """Workspace ids and names, by name (cheap: no record counts)."""
    return dict(conn.execute(select(workspaces.c.id, workspaces.c.name).order_by(workspaces.c.name)).all())


def _describe(conn: Connection, row) -> Workspace:  # type: ignore[no-untyped-def]
    counts = {
        entity: int(
            conn.execute(select(func.count()).select_from(table).where(table.c.workspace_id == row.id)).scalar() or 0
        )
        for entity, table in RECORD_TABLES.items()
    }
    last = conn.execute(
        select(func.max(import_batches.c.created_at)).where(import_batches.c.workspace_id == row.id)
    ).scalar()
    return Workspace(row.id, row.name, row.data_version, counts, last)


def describe(conn: Connection, workspace_id: int) -> Workspace | None:
    """One workspace with its record counts and last import time, or None."""
    row = conn.execute(select(workspaces).where(workspaces.c.id == workspace_id)).first()
    return None if row is None else _describe(conn, row)


def list_all(conn: Connection) -> list[Workspace]:
    """Every workspace with its record counts, by name."""
    return [_describe(conn, row) for row in conn.execute(select(workspaces).order_by(workspaces.c.name)).all()]
