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
from sqlalchemy import Engine, create_engine, make_url, text

from salesops.store import get_engine

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO.parent / "shared" / "datasets"
SAMPLE = REPO / "data" / "sample"
PG_ADMIN_URL = os.environ.get("SALESOPS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def in_ci() -> bool:
    """True under CI (``CI=true``), where a test whose prerequisite is missing fails instead of skipping."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(present: bool, what: str) -> None:
    """Skip the calling test when ``present`` is false, naming ``what`` is missing; under ``CI=true``, fail it.

    The one skip helper of the suite: CI never passes by silently skipping the real-data or PostgreSQL tests.
    """
    if present:
        return
    if in_ci():
        pytest.fail(f"{what} (CI=true: a missing prerequisite fails the test instead of skipping it)")
    pytest.skip(what)


def postgres_available() -> bool:
    """True when the PostgreSQL server of ``SALESOPS_TEST_PG`` answers."""
    url = make_url(PG_ADMIN_URL)
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def datasets() -> Path:
    """The shared real CRM exports (beside the repo in CI); skips when absent (fails under CI=true)."""
    require(DATASETS.is_dir(), "../shared/datasets is not present")
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
    require(postgres_available(), f"PostgreSQL is not answering at {make_url(PG_ADMIN_URL).render_as_string()}")
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
