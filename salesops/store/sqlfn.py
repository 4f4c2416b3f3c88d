"""Portable SQL expressions for calendar bucketing, so aggregates run in the database on SQLite and PostgreSQL.

SQLite stores ``Date`` as ``YYYY-MM-DD`` text and ``DateTime`` as ``YYYY-MM-DD HH:MM:SS[.ffffff]`` text, so a
prefix is the bucket; PostgreSQL has real date types and uses ``to_char``/casts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Date, cast, func
from sqlalchemy.sql.elements import ColumnClause


def month_of(column: ColumnClause[Any] | ColumnElement[Any], dialect: str) -> ColumnElement[str]:
    """``YYYY-MM`` of a date or datetime column."""
    if dialect == "sqlite":
        return func.substr(column, 1, 7)
    return func.to_char(column, "YYYY-MM")


def day_of(column: ColumnClause[Any] | ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """The calendar day of a date or datetime column (text ``YYYY-MM-DD`` on SQLite, ``date`` on PostgreSQL)."""
    if dialect == "sqlite":
        return func.substr(column, 1, 10)
    return cast(column, Date)


def days_between(
    start: ColumnClause[Any] | ColumnElement[Any], end: ColumnClause[Any] | ColumnElement[Any], dialect: str
) -> ColumnElement[Any]:
    """Whole days from ``start`` to ``end`` (dates)."""
    if dialect == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return cast(end, Date) - cast(start, Date)


def in_workspace_scan(workspace_column: ColumnElement[Any], workspace_id: int, dialect: str) -> ColumnElement[bool]:
    """``workspace_id = :id`` that SQLite answers with one sequential table scan instead of through an index.

    A whole-workspace aggregate over columns no index covers runs ~10× faster as a table scan than as an index
    search plus a row lookup per match, which SQLite (without table statistics) picks. Other dialects: plain equality.
    """
    if dialect == "sqlite":
        return (workspace_column + 0) == workspace_id
    return workspace_column == workspace_id
