"""Back up one workspace to a single portable file and restore it, on SQLite or PostgreSQL (either way round).

The file is a ZIP holding ``manifest.json`` (format, schema revision, workspace name, rows per table) and one JSON
Lines file per table with the workspace's rows. Restoring writes a new workspace in one transaction: surrogate ids
(import batches, plans and their children) are given new values and every reference to them (a record's batch, a
plan line's plan) is carried over, so a backup restores next to the live workspace or into an empty store.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Connection, Date, DateTime, Integer, Table, select, text

from salesops.i18n import translate
from salesops.store import workspaces as ws
from salesops.store.schema import metadata, workspaces

FORMAT = "salesops-workspace-backup/1"
# Surrogate ids that other tables refer to: table -> the columns (in any table) that hold its ids.
REMAPPED = {"import_batches": ("batch_id", "created_batch_id"), "plans": ("plan_id",)}
_SKIPPED = {"workspaces", "mapping_presets"}  # the workspace row is rewritten; presets are shared by all


class BackupError(ValueError):
    """A file that is not a workspace backup of this product, with the reason."""


def workspace_tables() -> list[Table]:
    """Every table holding a workspace's data: batches and plans first (others refer to their ids), then by FK order."""
    tables = [t for t in metadata.sorted_tables if t.name not in _SKIPPED and "workspace_id" in t.c]
    return sorted(tables, key=lambda t: t.name not in REMAPPED)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _rows(conn: Connection, table: Table, workspace_id: int) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns)
    query = select(table).where(table.c.workspace_id == workspace_id).order_by(*order)
    for row in conn.execute(query.execution_options(yield_per=10_000)).mappings():
        yield {k: _jsonable(v) for k, v in row.items() if k != "workspace_id"}


def backup_workspace(conn: Connection, workspace_id: int) -> bytes:
    """The workspace as one ZIP file (every table's rows as JSON Lines, plus a manifest)."""
    name = conn.execute(select(workspaces.c.name).where(workspaces.c.id == workspace_id)).scalar()
    if name is None:
        raise BackupError(translate("No workspace with id {id}.", id=workspace_id))
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    out, counts = io.BytesIO(), {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in workspace_tables():
            with archive.open(f"{table.name}.jsonl", "w") as member:
                counts[table.name] = 0
                for row in _rows(conn, table, workspace_id):
                    member.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
                    counts[table.name] += 1
        manifest = {"format": FORMAT, "schema": revision, "workspace": name, "rows": counts}
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return out.getvalue()


def read_manifest(data: bytes) -> dict[str, Any]:
    """The backup's manifest; BackupError when ``data`` is not such a backup."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise BackupError(translate("Not a workspace backup ({reason}).", reason=type(error).__name__)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(translate("Not a workspace backup of this product (unknown format)."))
    return manifest


def _typed(column: Column[Any], value: Any) -> Any:
    """A JSON value back in the column's Python type (dates and timestamps were written as ISO text)."""
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def _restore_table(
    conn: Connection, table: Table, lines: Iterator[bytes], workspace_id: int, new_ids: dict[str, dict[int, int]]
) -> int:
    """Insert one table's rows into ``workspace_id``, renumbering surrogate ids; returns the rows written."""
    remapped = {col: source for source, cols in REMAPPED.items() for col in cols if col in table.c}
    own_ids = table.name in REMAPPED
    surrogate = [c.name for c in table.primary_key.columns] == ["id"] and isinstance(table.c.id.type, Integer)
    batch: list[dict[str, Any]] = []
    written = 0
    for line in lines:
        row = json.loads(line)
        values = {k: _typed(table.c[k], v) for k, v in row.items() if k in table.c}
        for col, source in remapped.items():
            if values.get(col) is not None:
                values[col] = new_ids[source][int(values[col])]
        old_id = values.pop("id") if surrogate else None
        values["workspace_id"] = workspace_id
        if own_ids:
            key = conn.execute(table.insert().values(**values)).inserted_primary_key
            assert key is not None  # an INSERT of one row always reports its key
            new_ids[table.name][int(str(old_id))] = int(key[0])
        else:
            batch.append(values)
            if len(batch) >= 5_000:
                conn.execute(table.insert(), batch)
                batch = []
        written += 1
    if batch:
        conn.execute(table.insert(), batch)
    return written


def restore_workspace(conn: Connection, data: bytes, name: str | None = None) -> int:
    """Restore a backup as a new workspace named ``name`` (default: the backed-up name); returns its id.

    Call inside one write transaction: a failure leaves nothing behind. An existing workspace of that name is
    never overwritten (BackupError).
    """
    manifest = read_manifest(data)
    target = (name or str(manifest["workspace"])).strip()
    if ws.find(conn, target) is not None:
        raise BackupError(
            translate("A workspace named {name} exists already; restore under another name.", name=target)
        )
    workspace_id = ws.get_or_create(conn, target)
    new_ids: dict[str, dict[int, int]] = {source: {} for source in REMAPPED}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        for table in workspace_tables():
            if f"{table.name}.jsonl" not in names:
                continue  # a table newer than the backup: nothing to restore into it
            with archive.open(f"{table.name}.jsonl") as member:
                written = _restore_table(conn, table, iter(member), workspace_id, new_ids)
            expected = int(manifest["rows"].get(table.name, written))
            if written != expected:
                raise BackupError(translate("The backup is damaged: {table} holds {n} of {m} rows.",
                                            table=table.name, n=written, m=expected))  # fmt: skip
    ws.bump_version(conn, workspace_id)
    return workspace_id
