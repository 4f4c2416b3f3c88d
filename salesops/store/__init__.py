"""The store: SQLAlchemy 2 Core schema, engine factory and repositories (SQLite default, PostgreSQL by URL)."""

from salesops.store.engine import default_url, get_engine
from salesops.store.schema import metadata

__all__ = ["default_url", "get_engine", "metadata"]
