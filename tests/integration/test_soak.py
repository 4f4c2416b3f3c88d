"""A short soak (catalogue F5, F6) on both stores: 4 writers and 20 readers on one workspace, then no lost update
and no error; the p95 read latency is printed (the long run and its figures: benchmarks/soak.py)."""

from __future__ import annotations

import os

from sqlalchemy import Engine

from benchmarks.soak import soak

SECONDS = float(os.environ.get("SALESOPS_SOAK_SECONDS", "30"))


def test_four_writers_and_twenty_readers_lose_nothing(engine: Engine) -> None:
    found = soak(engine, SECONDS, writers=4, readers=20)
    print(f"{engine.dialect.name}: {found.imports} imports, {found.reads} reads, p95 read {found.p95_ms:.1f} ms")
    assert found.errors == []
    assert found.imports > 0
    assert found.reads > 0
    assert found.rows_told == found.rows_stored == 50 * found.imports
    assert found.data_version == found.imports  # every import's version bump is there: no lost update
