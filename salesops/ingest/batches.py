"""Import history: the batches of a workspace and the rows each rejected, for display and download."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, select

from salesops.i18n import translate
from salesops.store.schema import import_batches, rejected_rows
from salesops.store.workspaces import names as workspaces_by_id


def list_batches(conn: Connection, workspace_id: int) -> pd.DataFrame:
    """Every batch of the workspace, newest first."""
    cols = [
        import_batches.c.id,
        import_batches.c.created_at,
        import_batches.c.file_name,
        import_batches.c.entity,
        import_batches.c.source_format,
        import_batches.c.rows_read,
        import_batches.c.rows_loaded,
        import_batches.c.rows_updated,
        import_batches.c.rows_unchanged,
        import_batches.c.rows_rejected,
        import_batches.c.rows_skipped,
        import_batches.c.status,
    ]
    stmt = select(*cols).where(import_batches.c.workspace_id == workspace_id).order_by(import_batches.c.id.desc())
    return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=[c.name for c in cols])


class ForeignBatchError(ValueError):
    """A batch that belongs to another workspace (or to none) was asked for; the message names its owner."""


def check_batch_workspace(conn: Connection, workspace_id: int, batch_id: int) -> None:
    """Raise :class:`ForeignBatchError` unless batch ``batch_id`` exists in workspace ``workspace_id``."""
    owner = conn.execute(select(import_batches.c.workspace_id).where(import_batches.c.id == batch_id)).scalar()
    if owner is None:
        raise ForeignBatchError(translate("There is no import batch {id}.", id=batch_id))
    if owner != workspace_id:
        raise ForeignBatchError(
            translate(
                "Batch {id} belongs to workspace {owner}, not to this one: nothing was done.",
                id=batch_id,
                owner=workspaces_by_id(conn).get(int(owner), "?"),
            )
        )


def rejected_frame(conn: Connection, workspace_id: int, batch_id: int) -> pd.DataFrame:
    """The rejected rows of one of the workspace's batches: row number, reason, then the row's columns as read."""
    check_batch_workspace(conn, workspace_id, batch_id)
    rows = conn.execute(
        select(rejected_rows.c.row_number, rejected_rows.c.reason, rejected_rows.c.raw)
        .where(rejected_rows.c.workspace_id == workspace_id, rejected_rows.c.batch_id == batch_id)
        .order_by(rejected_rows.c.row_number)
    ).all()
    if not rows:
        return pd.DataFrame(columns=["row_number", "reason"])
    raw = pd.DataFrame([json.loads(r.raw) for r in rows])
    head = pd.DataFrame({"row_number": [r.row_number for r in rows], "reason": [r.reason for r in rows]})
    return pd.concat([head, raw], axis=1)


def previous_import(conn: Connection, workspace_id: int, sha256: str) -> tuple[int, datetime] | None:
    """(batch id, time) of the latest still-loaded import of the same file bytes into this workspace, if any."""
    row = conn.execute(
        select(import_batches.c.id, import_batches.c.created_at)
        .where(
            import_batches.c.workspace_id == workspace_id,
            import_batches.c.sha256 == sha256,
            import_batches.c.status == "loaded",
        )
        .order_by(import_batches.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (int(row.id), row.created_at)
