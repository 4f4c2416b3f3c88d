"""The hostile-input corpus (tests/corpus/make_corpus.py) through the import path the UI uses: prepare, then load.

Every file gets its expected outcome, never a traceback: refused with a clear one-line reason and the store
unchanged (no workspace, batch or record added), or loaded with the expected rows written and rejected and the
stored values exactly what the file says (no silent alteration), or left unrecognised for the user to choose.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from salesops.ingest.pipeline import Prepared, UnreadableFileError, load, prepare
from salesops.store import workspaces as ws
from salesops.store.schema import RECORD_TABLES, import_batches, metadata, workspaces

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
_spec = importlib.util.spec_from_file_location("make_corpus", CORPUS_DIR / "make_corpus.py")
assert _spec is not None
assert _spec.loader is not None
corpus = importlib.util.module_from_spec(_spec)
sys.modules["make_corpus"] = corpus
_spec.loader.exec_module(corpus)


def store_counts(engine: Engine) -> dict[str, int]:
    """Row count of every table: equal before and after means nothing was written."""
    with engine.connect() as conn:
        count = select(func.count())
        return {t.name: int(conn.execute(count.select_from(t)).scalar() or 0) for t in metadata.sorted_tables}


def stored(engine: Engine, entity: str, record_id: str) -> dict[str, object]:
    """One stored record as a dict (its extra JSON included)."""
    table = RECORD_TABLES[entity]
    with engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == record_id)).mappings().one()
    return dict(row)


def test_corpus_has_at_least_40_files_and_the_small_ones_are_kept_in_the_repo() -> None:
    """The committed small files are what the generator writes (workbooks carry their save time, so by name only)."""
    assert len(corpus.CASES) >= 40
    assert len({case.file for case in corpus.CASES}) == len(corpus.CASES)
    for case in corpus.CASES:
        data = case.build()
        if len(data) <= corpus.SMALL_LIMIT and not case.file.endswith(".xlsx"):
            assert (CORPUS_DIR / "files" / case.file).read_bytes() == data, case.file
        elif len(data) <= corpus.SMALL_LIMIT:
            assert (CORPUS_DIR / "files" / case.file).is_file(), case.file


@pytest.mark.parametrize("case", corpus.CASES, ids=lambda case: case.file)
def test_corpus_file(case: object, sqlite_engine: Engine) -> None:
    """One corpus file: its outcome, no traceback, store unchanged when refused, values intact when loaded."""
    expect = case.expect  # type: ignore[attr-defined]
    data = case.build()  # type: ignore[attr-defined]
    before = store_counts(sqlite_engine)
    if expect.outcome == "refused":
        with pytest.raises(UnreadableFileError) as refusal:
            prepare(data, case.name)  # type: ignore[attr-defined]
        message = str(refusal.value)
        assert re.search(expect.message, message), message
        assert not re.search(r"[\x00-\x1f\x7f\u202a-\u202e]", message)  # one line, no terminal escapes
        assert store_counts(sqlite_engine) == before
        return
    tables = prepare(data, case.name)  # type: ignore[attr-defined]
    if expect.outcome == "unrecognised":
        assert all(table.entity is None for table in tables)
        return
    _load_and_check(sqlite_engine, tables, expect)


def _load_and_check(engine: Engine, tables: list[Prepared], expect: object) -> None:
    with engine.begin() as conn:
        workspace_id = ws.get_or_create(conn, "Corpus")
    results = [load(engine, workspace_id, table) for table in tables]
    for table in tables:
        assert not re.search(r"[\x00-\x1f\x7f\u202a-\u202e]", table.name), table.name
    assert sum(r.rows_loaded for r in results) == expect.loaded  # type: ignore[attr-defined]
    assert sum(r.rows_rejected for r in results) == expect.rejected  # type: ignore[attr-defined]
    assert all(r.rows_read == r.rows_loaded + r.rows_rejected + r.rows_updated + r.rows_unchanged for r in results)
    if expect.note:  # type: ignore[attr-defined]
        notes = [note for r in results for note in r.notes]
        assert any(re.search(expect.note, note) for note in notes), notes  # type: ignore[attr-defined]
    entity = str(tables[0].entity)
    for record_id, fields in expect.values.items():  # type: ignore[attr-defined]
        row = stored(engine, entity, record_id)
        for name, value in fields.items():
            actual = row.get(name, json.loads(row["extra"] or "{}").get(name))
            if isinstance(value, float):
                assert actual is not None, (record_id, name)
                assert math.isclose(float(actual), value), (record_id, name, actual)
            else:
                assert actual == value, (record_id, name, actual)


def test_a_refused_first_import_leaves_no_workspace_behind(sqlite_engine: Engine, tmp_path: Path) -> None:
    """The CLI path: a new workspace whose only file is refused is not left behind empty."""
    from salesops.ingest.pipeline import ingest_paths

    path = tmp_path / "report.csv"
    path.write_bytes(b"%PDF-1.7 not a csv")
    [outcome] = ingest_paths(sqlite_engine, "Fresh", [path])
    assert getattr(outcome, "unreadable", False)
    with sqlite_engine.connect() as conn:
        assert conn.execute(select(workspaces.c.id).where(workspaces.c.name == "Fresh")).first() is None
        assert conn.execute(select(func.count()).select_from(import_batches)).scalar() == 0
