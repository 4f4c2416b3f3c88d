"""Page tests: AppTest runs app.py in-process against a store of its own, seeded with the Demo workspace."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "app.py")


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite store for the page tests; the app seeds Demo into it on first start."""
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'store.db'}"
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = previous


@pytest.fixture
def app(demo_store: str) -> AppTest:
    """A fresh app session on the home page (not yet run)."""
    return AppTest.from_file(APP, default_timeout=120)
