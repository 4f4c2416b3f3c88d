"""Write validated records into the store as one batch: upsert by (workspace, CRM id), history for undo, rollups.

Everything here runs on the caller's ``Connection`` inside one transaction (``engine.begin()``), so a failure at
any point leaves the store exactly as it was. Bulk paths matter: new rows go in with one ``executemany`` of
tuples, which is several times faster than Core inserts of dicts on a million rows.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, RowMapping, Table, and_, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql import sqltypes

from salesops.i18n import translate
from salesops.ingest.batches import ForeignBatchError, check_batch_workspace
from salesops.ingest.fields import DERIVED_FROM
from salesops.ingest.reps import (
    OWNED_ENTITIES,
    RepMerge,
    canonical_owners,
    fill_from_absorbed,
    owned_rows,
    plan_rep_merge,
    rename_owners,
    save_aliases,
)
from salesops.store import workspaces as ws
from salesops.store.schema import (
    RECORD_TABLES,
    accounts,
    activity_daily,
    import_batches,
    record_history,
    rejected_rows,
    rep_aliases,
    reps,
)

Progress = Callable[[float, str], None]
_CHUNK = 50_000
_SQLITE_CHUNK = 100_000
_REINDEX_ABOVE = 200_000
_REINDEX_SMALL_STORE = 20_000
_BOOKKEEPING = ("workspace_id", "batch_id", "created_batch_id")


class UndoError(ValueError):
    """A batch cannot be undone (already undone, unknown, or a newer batch depends on it)."""


@dataclass(frozen=True)
class BatchResult:
    """What one file did to the store, as shown to the user and printed by the CLI."""

    batch_id: int
    file_name: str
    entity: str
    source_format: str
    rows_read: int
    rows_loaded: int
    rows_updated: int
    rows_unchanged: int
    rows_rejected: int
    rows_skipped: int
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready view."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def no_progress(_fraction: float, _message: str) -> None:
    return None


def _data_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name not in _BOOKKEEPING]


def _db_values(frame: pd.DataFrame, table: Table, dialect: str) -> dict[str, np.ndarray]:
    """Column arrays converted to what the DB driver takes: ISO text for dates on SQLite, None for missing."""
    out: dict[str, np.ndarray] = {}
    for name in frame.columns:
        col = table.c[name]
        series = frame[name]
        if isinstance(col.type, sqltypes.DateTime | sqltypes.Date):
            dt = pd.to_datetime(series)
            if dialect == "sqlite":
                fmt = "%Y-%m-%d" if not isinstance(col.type, sqltypes.DateTime) else "%Y-%m-%d %H:%M:%S.%f"
                arr = dt.dt.strftime(fmt).astype(object).to_numpy()
            else:
                values = dt.dt.date if not isinstance(col.type, sqltypes.DateTime) else dt.dt.to_pydatetime()
                arr = np.asarray(values.astype(object), dtype=object)
            mask = dt.isna().to_numpy()
        elif isinstance(col.type, sqltypes.Boolean):
            b = series.astype("boolean")
            arr = (b.fillna(False).astype(int) if dialect == "sqlite" else b.fillna(False)).astype(object).to_numpy()
            mask = b.isna().to_numpy()
        elif isinstance(col.type, sqltypes.Integer):
            num = pd.to_numeric(series, errors="coerce")
            mask = num.isna().to_numpy()
            arr = num.fillna(0).astype("int64").astype(object).to_numpy()
        elif isinstance(col.type, sqltypes.Float):
            num = pd.to_numeric(series, errors="coerce").astype("float64")
            mask = num.isna().to_numpy()
            arr = num.astype(object).to_numpy()
        else:
            mask = series.isna().to_numpy()
            arr = series.astype(object).to_numpy()
        arr = arr.copy()
        arr[mask] = None
        out[name] = arr
    return out


def _bulk_insert(conn: Connection, table: Table, frame: pd.DataFrame) -> None:
    """Insert every row of ``frame`` (columns named as the table's) with bound parameters, in chunks.

    Values are converted to driver types a chunk at a time, so a million rows never exist as a million Python
    tuples (or twenty million boxed values) at once; on SQLite each chunk goes to ``executemany`` as plain tuples.
    """
    if frame.empty:
        return
    dialect = conn.dialect.name
    # Columns with no value at all are left to their NULL default: fewer parameters to bind per row.
    frame = frame[[c for c in frame.columns if frame[c].notna().any()]]
    columns = list(frame.columns)
    if not set(columns) <= set(table.c.keys()):
        raise ValueError(f"columns not in {table.name}: {sorted(set(columns) - set(table.c.keys()))}")
    # Identifiers come from our own schema (checked above), values are always bound parameters.
    marks = ", ".join("?" for _ in columns)
    sqlite_sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
    chunk_rows = _SQLITE_CHUNK if dialect == "sqlite" else _CHUNK
    for start in range(0, len(frame), chunk_rows):
        arrays = _db_values(frame.iloc[start : start + chunk_rows], table, dialect)
        if dialect == "sqlite":
            conn.exec_driver_sql(sqlite_sql, list(zip(*(arrays[c] for c in columns), strict=True)))
        else:
            size = len(arrays[columns[0]])
            conn.execute(table.insert(), [{c: arrays[c][i] for c in columns} for i in range(size)])


@contextmanager
def _secondary_indexes_suspended(conn: Connection, table: Table, rows: int) -> Iterator[None]:
    """For a large SQLite insert, drop the table's secondary indexes and rebuild them after (inside the same
    transaction, so a failure restores them): one sorted build is several times cheaper than a million random
    index inserts. Large means 200,000 rows, or 20,000 rows into a table holding no more than that (a first import)."""
    if conn.dialect.name != "sqlite" or not _rebuild_pays(conn, table, rows):
        yield
        return
    indexes = list(table.indexes)
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)


def _rebuild_pays(conn: Connection, table: Table, rows: int) -> bool:
    """Whether rebuilding the indexes beats maintaining them row by row: the rebuild sorts every stored row of every
    workspace (the indexes span them all), so it pays when the insert is large or at least doubles the table."""
    if rows >= _REINDEX_ABOVE:
        return True
    if rows < _REINDEX_SMALL_STORE:
        return False
    # A size estimate across workspaces on purpose: dropping an index affects the whole table.
    stored = conn.execute(select(func.count()).select_from(table)).scalar_one()
    return rows >= int(stored)


def _existing(conn: Connection, table: Table, workspace_id: int, ids: pd.Series | None) -> pd.DataFrame:
    """Current rows of the workspace whose id is among ``ids`` (read in one pass, filtered in pandas); None: all."""
    count = conn.execute(select(func.count()).select_from(table).where(table.c.workspace_id == workspace_id)).scalar()
    columns = [c for c in table.columns if c.name != "workspace_id"]
    if not count:
        return pd.DataFrame(columns=[c.name for c in columns])
    if ids is not None and len(ids) < 5_000:
        frames = []
        unique = ids.unique().tolist()
        for start in range(0, len(unique), 900):
            part = unique[start : start + 900]
            stmt = select(*columns).where(table.c.workspace_id == workspace_id, table.c.id.in_(part))
            frames.append(pd.DataFrame(conn.execute(stmt).mappings().all(), columns=[c.name for c in columns]))
        return pd.concat(frames, ignore_index=True)
    stmt = select(*columns).where(table.c.workspace_id == workspace_id)
    current = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=[c.name for c in columns])
    return current if ids is None else current[current["id"].isin(ids)]


def _comparable(frame: pd.DataFrame, columns: list[str], table: Table) -> pd.DataFrame:
    """Normalise values so a record read back from the DB compares equal to the same record parsed from a file."""
    out = {}
    for name in columns:
        col_type = table.c[name].type
        s = frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype="object")
        if isinstance(col_type, sqltypes.Date | sqltypes.DateTime):
            s = pd.to_datetime(s, errors="coerce").astype("datetime64[us]").astype("string")
        elif isinstance(col_type, sqltypes.Float | sqltypes.Integer):
            s = pd.to_numeric(s, errors="coerce").astype("float64").round(6).astype("string")
        elif isinstance(col_type, sqltypes.Boolean):
            s = s.astype("boolean").astype("string")
        else:
            s = s.astype("string")
        out[name] = s.fillna("\x00").to_numpy()
    return pd.DataFrame(out, index=frame.index)


def _row_json(frame: pd.DataFrame) -> list[str]:
    return [json.dumps(r, default=str) for r in frame.to_dict(orient="records")]


def _rollup_delta(frame: pd.DataFrame, sign: int) -> pd.DataFrame:
    """Activity counts and minutes per (owner, type, day) of ``frame``, multiplied by ``sign``."""
    if frame.empty:
        return pd.DataFrame(columns=["owner", "type", "day", "n", "minutes"])
    occurred = pd.to_datetime(frame["occurred_at"], errors="coerce")
    keyed = pd.DataFrame(
        {
            "owner": frame["owner"].astype("string").fillna("") if "owner" in frame else "",
            "type": frame["type"].astype("string"),
            "day": occurred.dt.strftime("%Y-%m-%d"),
            "minutes": pd.to_numeric(frame["duration_minutes"], errors="coerce").fillna(0.0)
            if "duration_minutes" in frame
            else 0.0,
        }
    ).dropna(subset=["day"])
    grouped = keyed.groupby(["owner", "type", "day"], as_index=False).agg(
        n=("type", "size"), minutes=("minutes", "sum")
    )
    grouped["n"] *= sign
    grouped["minutes"] *= sign
    return grouped


def update_rollups(conn: Connection, workspace_id: int, removed: list[pd.DataFrame], added: list[pd.DataFrame]) -> None:
    """Move the activity_daily rollup by the activity rows that left the store and those that entered it.

    The one rollup helper of load and undo: an update is its previous row removed and its new row added.
    """
    deltas = [_rollup_delta(f, -1) for f in removed] + [_rollup_delta(f, +1) for f in added]
    deltas = [d for d in deltas if not d.empty]
    if not deltas:
        return
    delta = pd.concat(deltas, ignore_index=True)
    delta = delta.groupby(["owner", "type", "day"], as_index=False).agg(n=("n", "sum"), minutes=("minutes", "sum"))
    delta = delta[(delta["n"] != 0) | (delta["minutes"] != 0)]
    if delta.empty:
        return
    insert_fn = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    day = pd.to_datetime(delta["day"])
    rows = [
        {"workspace_id": workspace_id, "owner": o, "type": t, "day": d.date(), "n": int(n), "minutes": float(m)}
        for o, t, d, n, m in zip(delta["owner"], delta["type"], day, delta["n"], delta["minutes"], strict=True)
    ]
    stmt = insert_fn(activity_daily)
    stmt = stmt.on_conflict_do_update(
        index_elements=["workspace_id", "owner", "type", "day"],
        set_={"n": activity_daily.c.n + stmt.excluded.n, "minutes": activity_daily.c.minutes + stmt.excluded.minutes},
    )
    for start in range(0, len(rows), _CHUNK):
        conn.execute(stmt, rows[start : start + _CHUNK])
    conn.execute(delete(activity_daily).where(activity_daily.c.workspace_id == workspace_id, activity_daily.c.n <= 0))


def _create_named(conn: Connection, workspace_id: int, table: Table, names: pd.Series, batch_id: int) -> int:
    """Create reps/accounts that a deals file names but the store does not know yet (id = name)."""
    wanted = pd.Series(names.dropna().unique(), dtype="string").str.strip().drop_duplicates()
    wanted = wanted[wanted != ""]
    if wanted.empty:
        return 0
    known = conn.execute(select(table.c.id, table.c.name).where(table.c.workspace_id == workspace_id)).all()
    known_keys = {k for row in known for k in row if k}
    missing = wanted[~wanted.isin(known_keys)]
    if missing.empty:
        return 0
    missing = missing.sort_values()  # id = name: both the key and the name index grow at their right edge
    frame = pd.DataFrame({"id": missing.to_numpy(), "name": missing.to_numpy()})
    frame["workspace_id"] = workspace_id
    frame["batch_id"] = batch_id
    frame["created_batch_id"] = batch_id
    _bulk_insert(conn, table, frame)
    return len(frame)


def _carried(columns: list[str], mapping: dict[str, str]) -> list[str]:
    """The record columns a batch carries: its id, the fields its mapping names and the ones derived from them.

    A field the file does not map (an activity type filled with a default, say) is not carried, so a narrower
    re-import leaves its stored value alone.
    """
    mapped = set(mapping.values())
    return [
        c
        for c in columns
        if c in ("id", "extra") or c in mapped or any(src in mapped for src in DERIVED_FROM.get(c, ()))
    ]


def _json_frame(lines: pd.Series) -> pd.DataFrame:
    """JSON-object text per row as a frame (one column per key; missing keys and nulls are NaN), parsed in C."""
    frame = pd.read_json(io.StringIO("\n".join(lines.fillna("{}").astype(str))), lines=True, dtype=False)
    frame.index = lines.index
    return frame


def _merge_extra(stored: pd.Series, incoming: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Stored extra fields with the file's unmapped columns merged in, and which rows that changed.

    Keys the file carries take its values (blank cells included); the other stored keys stay. Rows whose text is
    identical are never parsed, so re-importing the same export costs no JSON work.
    """
    changed = np.zeros(len(stored), dtype=bool)
    todo = incoming.notna().to_numpy() & (stored.fillna("\x00").to_numpy() != incoming.fillna("\x00").to_numpy())
    if not todo.any():
        return stored, changed
    new = _json_frame(incoming[todo])
    old = _json_frame(stored[todo])
    old = old.reindex(columns=[*old.columns, *(k for k in new.columns if k not in old.columns)])
    differs = np.zeros(len(new), dtype=bool)
    for key in new.columns:
        differs |= (
            new[key].astype("string").fillna("\x00").to_numpy() != old[key].astype("string").fillna("\x00").to_numpy()
        )
    merged = old.astype(object)
    merged[list(new.columns)] = new.astype(object)
    rows = np.flatnonzero(todo)[differs]
    result = stored.astype(object).copy()
    result.iloc[rows] = merged[differs].to_json(orient="records", lines=True, force_ascii=False).splitlines()
    changed[rows] = True
    return result, changed


@dataclass(frozen=True)
class RecordDiff:
    """A batch's records against the store: rows to insert, stored rows that change (before and after, full rows)."""

    new: pd.DataFrame
    previous: pd.DataFrame
    merged: pd.DataFrame
    unchanged: int


def diff_records(
    conn: Connection, table: Table, workspace_id: int, records: pd.DataFrame, mapping: dict[str, str]
) -> RecordDiff:
    """Split ``records`` into new rows and changed stored rows; a stored row changes only in the fields carried."""
    columns = [c for c in _data_columns(table) if c in records.columns]
    records = records[columns].reset_index(drop=True)
    current = _existing(conn, table, workspace_id, records["id"])
    is_known = records["id"].isin(current["id"])
    empty = current.iloc[0:0]
    if not is_known.any():
        return RecordDiff(records[~is_known], empty, empty, 0)
    incoming = records[is_known].set_index("id", drop=False)
    before = current.set_index("id", drop=False).loc[incoming.index]
    merged = before.copy()
    for name in _carried(columns, mapping):
        if name != "extra":
            merged[name] = incoming[name]
    compare = [c for c in _data_columns(table) if c != "extra"]
    changed = (_comparable(merged, compare, table) != _comparable(before, compare, table)).any(axis=1).to_numpy()
    if "extra" in columns:
        merged["extra"], extra_changed = _merge_extra(before["extra"], incoming["extra"])
        changed = changed | extra_changed
    return RecordDiff(
        records[~is_known],
        before[changed].reset_index(drop=True),
        merged[changed].reset_index(drop=True),
        int((~changed).sum()),
    )


def _save_history(conn: Connection, workspace_id: int, batch_id: int, entity: str, previous: pd.DataFrame) -> None:
    """Keep the full previous row of every record the batch changes, for an exact undo."""
    history = pd.DataFrame(
        {
            "workspace_id": workspace_id,
            "batch_id": batch_id,
            "entity": entity,
            "record_id": previous["id"].to_numpy(),
            "previous": _row_json(previous),
        }
    )
    _bulk_insert(conn, record_history, history)


def _write(conn: Connection, table: Table, workspace_id: int, batch_id: int, diff: RecordDiff) -> None:
    """Replace the changed rows by their merged versions and insert the new ones (sorted by id, in bulk)."""
    if not diff.merged.empty:
        _delete_ids(conn, table, workspace_id, diff.merged["id"])
        replaced = diff.merged.copy()
        replaced["workspace_id"] = workspace_id
        replaced["batch_id"] = batch_id
        _bulk_insert(conn, table, replaced)
    if not diff.new.empty:
        # Sorted by id, the primary-key B-tree grows at its right edge instead of splitting pages at random.
        fresh = diff.new.sort_values("id")
        fresh["workspace_id"] = workspace_id
        fresh["batch_id"] = batch_id
        fresh["created_batch_id"] = batch_id
        with _secondary_indexes_suspended(conn, table, len(fresh)):
            _bulk_insert(conn, table, fresh)


def _start_batch(conn: Connection, workspace_id: int, entity: str, meta: dict[str, object]) -> int:
    """Insert the import_batches row of a new batch and return its id."""
    stmt = import_batches.insert().values(
        workspace_id=workspace_id, entity=entity, status="loaded", created_at=ws.now(), **meta
    )
    key = conn.execute(stmt).inserted_primary_key
    assert key is not None  # an INSERT of one row always reports its key
    return int(key[0])


def _save_rejected(conn: Connection, workspace_id: int, batch_id: int, rejected: pd.DataFrame) -> None:
    """Store the rejected rows with their reasons, for the download of the import history."""
    if rejected.empty:
        return
    frame = pd.DataFrame(
        {
            "workspace_id": workspace_id,
            "batch_id": batch_id,
            "row_number": rejected["row_number"].astype("int64").to_numpy(),
            "raw": [json.dumps(r, default=str, ensure_ascii=False) for r in rejected["raw"]],
            "reason": rejected["reason"].astype(str).to_numpy(),
        }
    )
    _bulk_insert(conn, rejected_rows, frame)


def _merge_notes(merge: RepMerge) -> tuple[str, ...]:
    """What a reps import merged and renamed, in words for the user."""
    notes = []
    if not merge.absorbed.empty:
        notes.append(
            translate(
                "{n} reps created earlier from deal owner names were merged into the reps of this file (matched by "
                "email or name).",
                n=len(merge.absorbed),
            )
        )
    for old, new in merge.renames.items():
        notes.append(translate("{old} is now called {new}: their records were renamed with them.", old=old, new=new))
    return tuple(notes)


def _apply_rep_merge(conn: Connection, workspace_id: int, batch_id: int, merge: RepMerge) -> None:
    """Remove the absorbed reps and rename owners on every owned record, each with history for undo."""
    if not merge.absorbed.empty:
        _save_history(conn, workspace_id, batch_id, "reps", merge.absorbed)
        _delete_ids(conn, reps, workspace_id, merge.absorbed["id"])
    if merge.renames:
        for entity in OWNED_ENTITIES:
            before = owned_rows(conn, workspace_id, entity, list(merge.renames))
            if before.empty:
                continue
            _save_history(conn, workspace_id, batch_id, entity, before)
            rename_owners(conn, workspace_id, batch_id, entity, merge.renames)
            if entity == "activities":
                update_rollups(
                    conn, workspace_id, [before], [before.assign(owner=before["owner"].replace(merge.renames))]
                )
    save_aliases(conn, workspace_id, batch_id, merge.aliases)


def load_batch(
    conn: Connection,
    workspace_id: int,
    *,
    entity: str,
    records: pd.DataFrame,
    rejected: pd.DataFrame,
    file_name: str,
    sha256: str,
    source_format: str,
    mapping: dict[str, str],
    rows_read: int,
    rows_skipped: int = 0,
    notes: tuple[str, ...] = (),
    progress: Progress = no_progress,
) -> BatchResult:
    """Record a batch and upsert its records (diff, history, write, rollups); call inside ``engine.begin()``."""
    table = RECORD_TABLES[entity]
    records, merge = _resolve_reps(conn, workspace_id, entity, records, mapping)
    notes = (*notes, *(_merge_notes(merge) if merge is not None else ()))
    meta: dict[str, object] = {
        "file_name": file_name,
        "sha256": sha256,
        "source_format": source_format,
        "mapping": json.dumps(mapping),
        "rows_read": rows_read,
        "rows_skipped": rows_skipped,
        "notes": json.dumps(list(notes)),
    }
    batch_id = _start_batch(conn, workspace_id, entity, meta)
    progress(0.1, translate("Comparing with the records already stored…"))
    diff = diff_records(conn, table, workspace_id, records, mapping)
    if not diff.previous.empty:
        progress(0.3, translate("Saving the previous versions of {n} changed records…", n=len(diff.previous)))
        _save_history(conn, workspace_id, batch_id, entity, diff.previous)
    progress(0.5, translate("Writing {n} new records…", n=len(diff.new)))
    _write(conn, table, workspace_id, batch_id, diff)
    if merge is not None:
        _apply_rep_merge(conn, workspace_id, batch_id, merge)
    if entity == "deals":
        _create_named(conn, workspace_id, reps, records.get("owner", pd.Series(dtype="string")), batch_id)
        _create_named(conn, workspace_id, accounts, records.get("account", pd.Series(dtype="string")), batch_id)
    if entity == "activities":
        progress(0.8, translate("Updating activity rollups…"))
        update_rollups(conn, workspace_id, [diff.previous], [diff.new, diff.merged])
    _save_rejected(conn, workspace_id, batch_id, rejected)
    counts = (len(diff.new), len(diff.merged), diff.unchanged, len(rejected))
    _finish_batch(conn, workspace_id, batch_id, counts)
    progress(1.0, translate("Done"))
    return BatchResult(batch_id, file_name, entity, source_format, rows_read, *counts, rows_skipped, notes)


def _resolve_reps(
    conn: Connection, workspace_id: int, entity: str, records: pd.DataFrame, mapping: dict[str, str]
) -> tuple[pd.DataFrame, RepMerge | None]:
    """One person, one rep: a reps file plans its merge with the stored reps; other files name owners canonically."""
    if entity == "reps":
        merge = plan_rep_merge(conn, workspace_id, records, _existing(conn, reps, workspace_id, None))
        return fill_from_absorbed(records, merge, set(mapping.values())), merge
    if "owner" in records.columns:
        return records.assign(owner=canonical_owners(conn, workspace_id, records["owner"])), None
    return records, None


def _finish_batch(conn: Connection, workspace_id: int, batch_id: int, counts: tuple[int, int, int, int]) -> None:
    """Store the batch's row counts (loaded, updated, unchanged, rejected) and bump the workspace's data version."""
    loaded, updated, unchanged, rejected = counts
    conn.execute(
        update(import_batches)
        .where(import_batches.c.id == batch_id)
        .values(rows_loaded=loaded, rows_updated=updated, rows_unchanged=unchanged, rows_rejected=rejected)
    )
    ws.bump_version(conn, workspace_id)


def _delete_ids(conn: Connection, table: Table, workspace_id: int, ids: pd.Series) -> None:
    """Delete many records by id in chunks (keeps each statement's parameter count bounded)."""
    values = ids.tolist()
    for start in range(0, len(values), 900):
        conn.execute(
            delete(table).where(table.c.workspace_id == workspace_id, table.c.id.in_(values[start : start + 900]))
        )


def _restore_frame(table: Table, previous: list[dict[str, object]]) -> pd.DataFrame:
    """Rows from history JSON back into typed columns."""
    frame = pd.DataFrame(previous)
    for col in table.columns:
        if col.name in frame.columns and isinstance(col.type, sqltypes.Date | sqltypes.DateTime):
            frame[col.name] = pd.to_datetime(frame[col.name], errors="coerce")
    return frame


def _undoable(conn: Connection, workspace_id: int, batch_id: int) -> RowMapping:
    """The batch row, when this workspace may undo it now; else :class:`UndoError` saying why."""
    try:
        check_batch_workspace(conn, workspace_id, batch_id)
    except ForeignBatchError as exc:
        raise UndoError(str(exc)) from exc
    batch = conn.execute(select(import_batches).where(import_batches.c.id == batch_id)).mappings().one()
    if batch["status"] != "loaded":
        raise UndoError(translate("Batch {id} was already undone.", id=batch_id))
    dependent = {batch["entity"]} | ({"reps", "accounts"} if batch["entity"] == "deals" else set())
    dependent |= set(_history(conn, workspace_id, batch_id))  # e.g. the records a reps batch renamed owners on
    newer = (
        conn.execute(
            select(import_batches.c.id).where(
                import_batches.c.workspace_id == workspace_id,
                import_batches.c.id > batch_id,
                import_batches.c.status == "loaded",
                import_batches.c.entity.in_(sorted(dependent)),
            )
        )
        .scalars()
        .all()
    )
    if newer:
        raise UndoError(
            translate("Undo the newer batches of the same data first: {ids}.", ids=", ".join(map(str, newer)))
        )
    return batch


def _current_rows(conn: Connection, table: Table, workspace_id: int, batch_id: int, ids: list[str]) -> pd.DataFrame:
    """The stored rows a batch inserted plus those it changed (``ids``): what an undo takes out of the store."""
    columns = [table.c[c] for c in _data_columns(table)]
    names = [c.name for c in columns]
    mine = select(*columns).where(table.c.workspace_id == workspace_id, table.c.created_batch_id == batch_id)
    frames = [pd.DataFrame(conn.execute(mine).mappings().all(), columns=names)]
    for start in range(0, len(ids), 900):
        stmt = select(*columns).where(
            table.c.workspace_id == workspace_id,
            table.c.id.in_(ids[start : start + 900]),
            table.c.created_batch_id != batch_id,
        )
        frames.append(pd.DataFrame(conn.execute(stmt).mappings().all(), columns=names))
    return pd.concat(frames, ignore_index=True)


def _history(conn: Connection, workspace_id: int, batch_id: int) -> dict[str, list[tuple[str, str]]]:
    """(record id, previous row JSON) of every record the batch changed, per entity (a reps batch that renames an
    owner also changed deals, activities, leads and accounts)."""
    rows = conn.execute(
        select(record_history.c.entity, record_history.c.record_id, record_history.c.previous).where(
            record_history.c.workspace_id == workspace_id, record_history.c.batch_id == batch_id
        )
    ).all()
    grouped: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        grouped.setdefault(str(row.entity), []).append((str(row.record_id), str(row.previous)))
    return grouped


def _restore(conn: Connection, workspace_id: int, batch_id: int, entity: str, history: list[tuple[str, str]]) -> None:
    """Delete the entity's rows the batch inserted and put back the exact rows it changed (rollups follow)."""
    table = RECORD_TABLES[entity]
    ids = [record_id for record_id, _ in history]
    removed = _current_rows(conn, table, workspace_id, batch_id, ids) if entity == "activities" else None
    conn.execute(delete(table).where(and_(table.c.workspace_id == workspace_id, table.c.created_batch_id == batch_id)))
    previous = pd.DataFrame()
    if ids:
        _delete_ids(conn, table, workspace_id, pd.Series(ids))
        previous = _restore_frame(table, [json.loads(text) for _, text in history])
        previous["workspace_id"] = workspace_id
        _bulk_insert(conn, table, previous[[c for c in previous.columns if c in table.c]])
    if removed is not None:
        update_rollups(conn, workspace_id, [removed], [previous])


def undo_batch(conn: Connection, workspace_id: int, batch_id: int) -> BatchResult:
    """Reverse one loaded batch of this workspace: delete what it inserted, restore the exact rows it changed.

    Newer batches of the same data go first; another workspace's batch is refused with the name of its owner.
    """
    batch = _undoable(conn, workspace_id, batch_id)
    entity = batch["entity"]
    history = _history(conn, workspace_id, batch_id)
    touched = [entity, *(["reps", "accounts"] if entity == "deals" else []), *history]
    for name in dict.fromkeys(touched):
        _restore(conn, workspace_id, batch_id, name, history.get(name, []))
    conn.execute(
        delete(rep_aliases).where(rep_aliases.c.workspace_id == workspace_id, rep_aliases.c.batch_id == batch_id)
    )
    conn.execute(
        update(import_batches).where(import_batches.c.id == batch_id).values(status="undone", undone_at=ws.now())
    )
    ws.bump_version(conn, workspace_id)
    return BatchResult(
        batch_id,
        batch["file_name"],
        entity,
        batch["source_format"],
        batch["rows_read"],
        batch["rows_loaded"],
        batch["rows_updated"],
        batch["rows_unchanged"],
        batch["rows_rejected"],
        batch["rows_skipped"],
        (),
    )
