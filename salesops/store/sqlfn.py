"""Portable SQL expressions for calendar bucketing, so aggregates run in the database on SQLite and PostgreSQL.

SQLite stores ``Date`` as ``YYYY-MM-DD`` text and ``DateTime`` as ``YYYY-MM-DD HH:MM:SS[.ffffff]`` text, so a
prefix is the bucket; PostgreSQL has real date types and uses ``to_char``/casts.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Date, cast, func
from sqlalchemy.sql.elements import ColumnClause


def month_of(column: ColumnClause | ColumnElement, dialect: str) -> ColumnElement[str]:
    """``YYYY-MM`` of a date or datetime column."""
    if dialect == "sqlite":
        return func.substr(column, 1, 7)
    return func.to_char(column, "YYYY-MM")


def day_of(column: ColumnClause | ColumnElement, dialect: str) -> ColumnElement:
    """The calendar day of a date or datetime column (text ``YYYY-MM-DD`` on SQLite, ``date`` on PostgreSQL)."""
    if dialect == "sqlite":
        return func.substr(column, 1, 10)
    return cast(column, Date)


def days_between(start: ColumnClause | ColumnElement, end: ColumnClause | ColumnElement, dialect: str) -> ColumnElement:
    """Whole days from ``start`` to ``end`` (dates)."""
    if dialect == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return cast(end, Date) - cast(start, Date)
