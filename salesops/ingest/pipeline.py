"""The import pipeline as the UI and the CLI use it: prepare (read + detect + map), validate, load in one transaction.

``prepare`` is cheap enough to run on upload so the user sees the detected source, entity and mapping before
anything is written; ``load`` validates the whole table and writes one batch inside ``engine.begin()``.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from sqlalchemy import Connection, Engine

from salesops.accuracy.snapshots import take_snapshot
from salesops.i18n import translate
from salesops.ingest.content import Proposal, ValueProfiles, by_values, propose
from salesops.ingest.detect import Detection, default_activity_type, detect, map_columns
from salesops.ingest.load import BatchResult, Progress, load_batch, no_progress
from salesops.ingest.readers import SourceTable, UnreadableFileError, display_name, read_tables
from salesops.ingest.validate import Validated, validate
from salesops.kpi.missing import costs_in_records
from salesops.store import workspaces as ws
from salesops.store.transactions import StoreError, run_write

__all__ = ["Prepared", "Skipped", "UnreadableFileError", "ingest_paths", "load", "prepare", "sha256_of"]


@dataclass(frozen=True)
class Prepared:
    """One table of an uploaded file with what detection proposes; the user may change entity and mapping."""

    table: SourceTable
    detection: Detection
    entity: str | None
    mapping: dict[str, str]
    sha256: str
    proposals: tuple[Proposal, ...] = ()  # columns proposed from their values for needed fields left unmapped

    @property
    def name(self) -> str:
        """The table's display name (file, zip member or sheet)."""
        return self.table.name

    def with_choice(self, entity: str, mapping: dict[str, str] | None = None) -> Prepared:
        """The same table with the user's entity and mapping (re-detected for a new entity when no mapping)."""
        if mapping is None:
            frame, profiles = self.table.frame, ValueProfiles(self.table.frame)
            augment = by_values(frame, profiles)
            det = detect(list(frame.columns), file_name=self.table.name, entity=entity, augment=augment)
            proposals = _proposals(frame, det, entity, profiles)
            return replace(self, entity=entity, mapping=det.mapping(), proposals=proposals)
        return replace(self, entity=entity, mapping=dict(mapping))


def _proposals(frame: pd.DataFrame, det: Detection, entity: str, profiles: ValueProfiles) -> tuple[Proposal, ...]:
    """The columns proposed from their values for ``entity`` (applied ones included), as the editor shows them."""
    headers_only = map_columns(list(frame.columns), entity, det.source_format)
    mapping = {c.source: c.field for c in headers_only if c.field is not None}
    return tuple(propose(frame, entity, mapping, profiles))


def sha256_of(source: bytes | BinaryIO | str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes, streamed so a 200 MB file is not held twice."""
    digest = hashlib.sha256()
    if isinstance(source, bytes):
        digest.update(source)
        return digest.hexdigest()
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    position = source.tell()
    for block in iter(lambda: source.read(1 << 20), b""):
        digest.update(block)
    source.seek(position)
    return digest.hexdigest()


def prepare(
    source: bytes | BinaryIO | str | os.PathLike[str],
    file_name: str,
    *,
    entity: str | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
) -> list[Prepared]:
    """Read a file (CSV/TSV/TXT/XLSX/ZIP) and detect, per table, its CRM source, entity and column mapping."""
    digest = sha256_of(source)
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    tables = read_tables(source, file_name, sheet=sheet)
    prepared = []
    for table in tables:
        frame, profiles = table.frame, ValueProfiles(table.frame)
        det = detect(list(frame.columns), file_name=table.name, entity=entity, augment=by_values(frame, profiles))
        chosen = entity or det.entity
        chosen_mapping = det.mapping()
        proposals: tuple[Proposal, ...] = ()
        if mapping is not None:
            chosen_mapping = {src: dst for src, dst in mapping.items() if src in frame.columns}
        elif chosen is not None:
            proposals = _proposals(frame, det, chosen, profiles)
        prepared.append(Prepared(table, det, chosen, chosen_mapping, digest, proposals))
    return prepared


def check(prepared: Prepared) -> Validated:
    """Validate the whole table under the chosen entity and mapping (nothing is written); the notes say what the reader
    guessed and what any needed field left unmapped or empty will cost in the figures."""
    if prepared.entity is None:
        raise UnreadableFileError(
            translate("{name}: not recognised as deals, activities, leads, accounts or reps.", name=prepared.name)
        )
    validated = validate(
        prepared.table.frame,
        prepared.entity,
        prepared.mapping,
        default_activity_type=default_activity_type(prepared.name),
    )
    costs = costs_in_records(validated.records, prepared.entity)
    return replace(validated, notes=(*prepared.table.notes, *validated.notes, *costs))


def load(engine: Engine, workspace_id: int, prepared: Prepared, progress: Progress = no_progress) -> BatchResult:
    """Validate and write one table as one batch, all in one write transaction (retried while the store is busy); a
    deals batch that changed deals also stores the pipeline snapshot that forecast vs actual compares with later
    bookings.

    Raises StoreError (nothing written) when the store stayed busy, its disk is full or the connection was lost.
    """
    progress(0.02, translate("Validating {n} rows…", n=len(prepared.table.frame)))
    validated = check(prepared)

    def write(conn: Connection) -> BatchResult:
        result = load_batch(
            conn,
            workspace_id,
            entity=str(prepared.entity),
            records=validated.records,
            rejected=validated.rejected,
            file_name=prepared.name,
            sha256=prepared.sha256,
            source_format=prepared.detection.source_format,
            mapping=prepared.mapping,
            rows_read=len(prepared.table.frame),
            rows_skipped=prepared.table.skipped_rows,
            notes=validated.notes,
            progress=progress,
        )
        if result.entity == "deals" and result.rows_loaded + result.rows_updated:
            take_snapshot(conn, workspace_id, result.batch_id)
        return result

    return run_write(engine, write, workspace_id=workspace_id)


_ENTITY_ORDER = {"reps": 0, "accounts": 1, "leads": 2, "deals": 3, "activities": 4}


@dataclass(frozen=True)
class Skipped:
    """A file or table that was not loaded, and why; ``unreadable`` when the file could not be read at all."""

    file_name: str
    reason: str
    unreadable: bool

    def as_dict(self) -> dict[str, object]:
        """JSON-ready view."""
        return {"file_name": self.file_name, "skipped": True, "reason": self.reason, "unreadable": self.unreadable}


def ingest_paths(
    engine: Engine,
    workspace: str,
    paths: Sequence[str | os.PathLike[str]],
    *,
    entity: str | None = None,
    mapping: dict[str, str] | None = None,
) -> list[BatchResult | Skipped]:
    """Import files into ``workspace`` (created if needed); reps and accounts load before the deals naming them.

    A file that cannot be read, or a table that is no CRM entity, is reported as skipped; the others still load.
    A workspace this call created is removed again when nothing was loaded into it.
    """
    prepared: list[Prepared] = []
    outcome: list[BatchResult | Skipped] = []
    for path in paths:
        try:
            prepared += prepare(Path(path), Path(path).name, entity=entity, mapping=mapping)
        except (UnreadableFileError, OSError) as exc:
            outcome.append(Skipped(display_name(Path(path).name), str(exc) or type(exc).__name__, unreadable=True))
    prepared.sort(key=lambda p: _ENTITY_ORDER.get(p.entity or "", 9))
    with engine.connect() as conn:
        found = ws.find(conn, workspace.strip())
    existed = found is not None
    try:
        workspace_id = found if found is not None else run_write(engine, lambda conn: ws.get_or_create(conn, workspace))
    except StoreError as exc:  # the store stayed busy: nothing was written, every table says so
        return outcome + [Skipped(item.name, str(exc), unreadable=False) for item in prepared]
    for item in prepared:
        if item.entity is None:
            reason = translate("not recognised as deals, activities, leads, accounts or reps")
            outcome.append(Skipped(item.name, reason, unreadable=False))
            continue
        try:
            outcome.append(load(engine, workspace_id, item))
        except (ValueError, StoreError) as exc:  # e.g. a deals table without any stage column mapped
            outcome.append(Skipped(item.name, str(exc), unreadable=False))
    if not existed and not any(isinstance(o, BatchResult) for o in outcome):
        run_write(engine, lambda conn: ws.delete_if_unused(conn, workspace_id))
    return outcome
