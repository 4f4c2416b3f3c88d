"""Shared fixtures: real stores (a SQLite file in tmp_path, and PostgreSQL when 127.0.0.1:5432 answers)."""

from __future__ import annotations

import os

# statsmodels' fitting loops do many small matrix products; BLAS threads fighting over 2 shared cores make them
# several times slower, so the suite runs BLAS single-threaded (set before numpy is imported).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from salesops.store import get_engine

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO.parent / "shared" / "datasets"
SAMPLE = REPO / "data" / "sample"
PG_ADMIN_URL = os.environ.get("SALESOPS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_available() -> bool:
    """True when a PostgreSQL server answers on 127.0.0.1:5432."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def datasets() -> Path:
    """The shared real CRM exports (beside the repo in CI); skips when absent."""
    if not DATASETS.is_dir():
        pytest.skip("../shared/datasets is not present")
    return DATASETS


def _fresh_pg_database() -> tuple[str, Engine]:
    name = f"salesops_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))  # name is generated above, not user input
    return name, admin


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store: a SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        eng = get_engine(f"sqlite:///{tmp_path / 'store.db'}")
        yield eng
        eng.dispose()
        return
    if not postgres_available():
        pytest.skip("PostgreSQL is not answering on 127.0.0.1:5432")
    name, admin = _fresh_pg_database()
    eng = get_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty SQLite store in tmp_path (for tests specific to the embedded default)."""
    eng = get_engine(f"sqlite:///{tmp_path / 'store.db'}")
    yield eng
    eng.dispose()
