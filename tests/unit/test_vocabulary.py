"""One field vocabulary (salesops/ingest/fields.py) that ingest, the store, kpi and performers import."""

from __future__ import annotations

import ast
from pathlib import Path

from salesops.ingest import fields
from salesops.ingest.values import normalize_activity_type
from salesops.store.schema import RECORD_TABLES

PACKAGE = Path(fields.__file__).resolve().parents[1]
VOCABULARY = {
    "activity types": set(fields.ACTIVITY_TYPES),
    "deal statuses": set(fields.DEAL_STATUSES),
    "closed statuses": set(fields.CLOSED_STATUSES),
    "entities": set(fields.ENTITIES),
}
# Written by the tool, not read from an export, plus the bookkeeping every record table carries.
NOT_IMPORTED = {"workspace_id", "extra", "batch_id", "created_batch_id", "score"}


def _string_collections(tree: ast.AST) -> list[tuple[int, set[str]]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) > 1:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(values) == len(node.elts):
                found.append((node.lineno, {v.lower() for v in values}))
    return found


def test_no_module_spells_out_the_vocabulary_again() -> None:
    copies = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == Path(fields.__file__).resolve():
            continue
        for line, values in _string_collections(ast.parse(path.read_text(encoding="utf-8"))):
            copies += [f"{path.relative_to(PACKAGE)}:{line} {name}" for name, v in VOCABULARY.items() if values == v]
    assert copies == []


def test_every_imported_column_of_the_store_is_a_canonical_field() -> None:
    assert set(RECORD_TABLES) == set(fields.ENTITIES)
    for entity, table in RECORD_TABLES.items():
        stored = {c.name for c in table.columns} - NOT_IMPORTED
        assert stored <= set(fields.FIELDS[entity]), entity


def test_activity_types_normalise_into_the_vocabulary() -> None:
    import pandas as pd

    raw = pd.Series(["Phone call", "E-mail", "Demo", "Quote sent", "Visit", "Lunch", None], dtype="string")
    assert set(normalize_activity_type(raw).dropna()) <= set(fields.ACTIVITY_TYPES)
