"""Translate :class:`~salesops.filters.Filters` into SQL conditions, so every KPI query narrows rows in the database.

A rep's team and region come from the ``reps`` table, matched on ``deals.owner`` / ``activity_daily.owner`` equal to
``reps.name`` or, failing that, ``reps.id`` (exports carry either). A deal whose owner has no region in ``reps``
falls back to the deal's own ``region`` column. Segment, source and product exist on deals only: they narrow activity
KPIs through the deal an activity belongs to (raw activities joined to deals), and activities without a deal are left
out while such a filter is set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Select,
    Table,
    and_,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from salesops.filters import Filters
from salesops.store.schema import activities, activity_daily, deals, reps
from salesops.store.sqlfn import day_of

NO_FILTERS = Filters()
"""The whole workspace, all time: the default of every KPI function."""


def rep_lookup(workspace_id: int) -> Select[*tuple[Any, ...]]:
    """One row per owner key (rep name, or rep id when no rep has that name) with the rep's team, region, quota."""
    columns = (reps.c.team.label("team"), reps.c.region.label("region"), reps.c.quota.label("quota"))
    in_workspace = reps.c.workspace_id == workspace_id
    named = select(reps.c.name).where(in_workspace, reps.c.name.is_not(None))
    by_name = select(reps.c.name.label("key"), *columns).where(in_workspace, reps.c.name.is_not(None))
    by_id = select(reps.c.id.label("key"), *columns).where(in_workspace, reps.c.id.not_in(named))
    both = union_all(by_name, by_id).subquery("rep_keys")
    return select(
        both.c.key.label("key"),
        func.max(both.c.team).label("team"),
        func.max(both.c.region).label("region"),
        func.max(both.c.quota).label("quota"),
    ).group_by(both.c.key)


@dataclass(frozen=True)
class Rep:
    """What the KPI layer needs to know about a deal or activity owner."""

    team: str | None
    region: str | None
    quota: float | None


def rep_directory(conn: Connection, workspace_id: int) -> dict[str, Rep]:
    """Owner key (rep name, or id when no rep has that name) → team, region and annual quota."""
    return {
        row.key: Rep(row.team, row.region, None if row.quota is None else float(row.quota))
        for row in conn.execute(rep_lookup(workspace_id))
    }


def _owners_where(workspace_id: int, column: str, values: tuple[str, ...]) -> Select[*tuple[Any, ...]]:
    """Owner keys whose rep has ``column`` (team or region) in ``values``."""
    lookup = rep_lookup(workspace_id).subquery("rep_lookup")
    return select(lookup.c.key).where(lookup.c[column].in_(values))


def _period(column: ColumnElement[Any], start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column <= end)
    return conditions


def deal_conditions(
    workspace_id: int, filters: Filters, period_column: ColumnElement[Any] | None = None, *, table: Table = deals
) -> list[ColumnElement[bool]]:
    """WHERE conditions on ``deals`` (or a table with its owner, region, segment, lead_source and product columns,
    such as the pipeline snapshots) for the filters; the period applies to ``period_column`` (None: no period)."""
    c = table.c
    conditions: list[ColumnElement[bool]] = [c.workspace_id == workspace_id]
    if period_column is not None:
        conditions += _period(period_column, filters.start, filters.end)
    if filters.reps:
        conditions.append(c.owner.in_(filters.reps))
    if filters.teams:
        conditions.append(c.owner.in_(_owners_where(workspace_id, "team", filters.teams)))
    if filters.regions:
        lookup = rep_lookup(workspace_id).subquery("rep_lookup_known")
        owners_with_region = select(lookup.c.key).where(lookup.c.region.is_not(None))
        conditions.append(
            or_(
                c.owner.in_(_owners_where(workspace_id, "region", filters.regions)),
                and_(
                    c.region.in_(filters.regions),
                    or_(c.owner.is_(None), c.owner.not_in(owners_with_region)),
                ),
            )
        )
    if filters.segments:
        conditions.append(c.segment.in_(filters.segments))
    if filters.sources:
        conditions.append(c.lead_source.in_(filters.sources))
    if filters.products:
        conditions.append(c.product.in_(filters.products))
    if filters.currency and "currency" in c:  # pipeline snapshots carry no currency
        conditions.append(c.currency == filters.currency)
    return conditions


def _owner_conditions(workspace_id: int, filters: Filters, owner: ColumnElement[Any]) -> list[ColumnElement[bool]]:
    """Rep, team and region filters on an activity owner column."""
    conditions: list[ColumnElement[bool]] = []
    if filters.reps:
        conditions.append(owner.in_(filters.reps))
    if filters.teams:
        conditions.append(owner.in_(_owners_where(workspace_id, "team", filters.teams)))
    if filters.regions:
        conditions.append(owner.in_(_owners_where(workspace_id, "region", filters.regions)))
    return conditions


def activity_conditions(workspace_id: int, filters: Filters) -> list[ColumnElement[bool]]:
    """WHERE conditions on the ``activity_daily`` rollup: period on the day, rep/team/region on the owner."""
    conditions: list[ColumnElement[bool]] = [activity_daily.c.workspace_id == workspace_id]
    conditions += _period(activity_daily.c.day, filters.start, filters.end)
    return conditions + _owner_conditions(workspace_id, filters, activity_daily.c.owner)


def through_deals(filters: Filters) -> bool:
    """Whether a filter that only deals carry (segment, lead source, product) is set: activities then count only
    through the deal they belong to."""
    return bool(filters.segments or filters.sources or filters.products)


def raw_activity_conditions(workspace_id: int, filters: Filters) -> list[ColumnElement[bool]]:
    """WHERE conditions on raw ``activities``: period on the day it occurred, rep/team/region on its owner."""
    a = activities.c
    conditions: list[ColumnElement[bool]] = [a.workspace_id == workspace_id]
    if filters.start is not None:
        conditions.append(a.occurred_at >= datetime.combine(filters.start, time.min))
    if filters.end is not None:
        conditions.append(a.occurred_at < datetime.combine(filters.end + timedelta(days=1), time.min))
    return conditions + _owner_conditions(workspace_id, filters, a.owner)


def activity_rows(workspace_id: int, filters: Filters, dialect: str) -> Select[*tuple[Any, ...]]:
    """Rows ``owner, type, day, n, minutes`` of the activities the filters select: the ``activity_daily`` rollup, or,
    when a segment, source or product filter is set, the raw activities whose deal matches it (one row each)."""
    if not through_deals(filters):
        r = activity_daily.c
        return select(r.owner, r.type, r.day, r.n, r.minutes).where(*activity_conditions(workspace_id, filters))
    a = activities.c
    only_deal = Filters(segments=filters.segments, sources=filters.sources, products=filters.products)
    day = type_coerce(day_of(a.occurred_at, dialect), Date)
    return (
        select(
            a.owner.label("owner"),
            a.type.label("type"),
            day.label("day"),
            literal(1).label("n"),
            func.coalesce(a.duration_minutes, 0.0).label("minutes"),
        )
        .join(deals, and_(deals.c.workspace_id == a.workspace_id, deals.c.id == a.deal_id))
        .where(*raw_activity_conditions(workspace_id, filters), *deal_conditions(workspace_id, only_deal))
    )


def grouped(
    rows: Select[*tuple[Any, ...]],
    keys: Sequence[str],
    measures: Callable[[ReadOnlyColumnCollection[str, Any]], list[ColumnElement[Any]]],
) -> Select[*tuple[Any, ...]]:
    """GROUP BY the labelled ``keys`` of a row-level select, aggregating with ``measures`` over its columns.

    Grouping on the subquery's columns rather than on repeated expressions lets computed keys that carry bound
    parameters (``to_char(x, 'YYYY-MM')``, ``CASE WHEN x >= :start``) group on PostgreSQL too.
    """
    sub = rows.subquery("rows")
    columns = [sub.c[key] for key in keys]
    return select(*columns, *measures(sub.c)).select_from(sub).group_by(*columns)
