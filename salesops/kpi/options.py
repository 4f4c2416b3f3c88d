"""The values a user can filter on, read with DISTINCT queries so the sidebar never loads whole tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select

from salesops.store.schema import deals, reps


@dataclass(frozen=True)
class FilterOptions:
    """Choices for each filter plus the span of close dates in the workspace."""

    reps: tuple[str, ...]
    teams: tuple[str, ...]
    regions: tuple[str, ...]
    segments: tuple[str, ...]
    sources: tuple[str, ...]
    products: tuple[str, ...]
    first_close: date | None
    last_close: date | None
    currencies: tuple[str, ...] = ()  # the deals' currencies, the most used first


def _distinct(conn: Connection, column, workspace_column) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        select(column).where(workspace_column, column.is_not(None)).distinct().order_by(column).limit(2000)
    ).scalars()
    return _choices(rows)


def _choices(values: Iterable[object]) -> tuple[str, ...]:
    """Sorted non-blank values as text, at most 2000."""
    return tuple(sorted({str(v) for v in values if v is not None and str(v).strip()})[:2000])


def filter_options(conn: Connection, workspace_id: int) -> FilterOptions:
    """Distinct reps (deal owners), teams, regions, segments, sources and products of a workspace."""
    in_deals = deals.c.workspace_id == workspace_id
    in_reps = reps.c.workspace_id == workspace_id
    first, last = conn.execute(select(func.min(deals.c.close_date), func.max(deals.c.close_date)).where(in_deals)).one()
    # One pass over ix_deals_ws_status_cover for the four deal attributes: their combinations are few.
    combos = conn.execute(
        select(deals.c.region, deals.c.segment, deals.c.lead_source, deals.c.product).where(in_deals).distinct()
    ).all()
    region, segment, source, product = (list(column) for column in zip(*combos, strict=True)) if combos else ([],) * 4
    return FilterOptions(
        reps=_distinct(conn, deals.c.owner, in_deals),
        teams=_distinct(conn, reps.c.team, in_reps),
        regions=_choices([*_distinct(conn, reps.c.region, in_reps), *region]),
        segments=_choices(segment),
        sources=_choices(source),
        products=_choices(product),
        first_close=first,
        last_close=last,
        currencies=deal_currencies(conn, workspace_id),
    )


def deal_currencies(conn: Connection, workspace_id: int) -> tuple[str, ...]:
    """The currencies the workspace's deals are in, the one with the most deals first."""
    rows = conn.execute(
        select(deals.c.currency)
        .where(deals.c.workspace_id == workspace_id, deals.c.currency.is_not(None))
        .group_by(deals.c.currency)
        .order_by(func.count().desc(), deals.c.currency)
    ).scalars()
    return tuple(str(code) for code in rows)
