"""The values a user can filter on, read with DISTINCT queries so the sidebar never loads whole tables."""

from __future__ import annotations

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


def _distinct(conn: Connection, column, workspace_column) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        select(column).where(workspace_column, column.is_not(None)).distinct().order_by(column).limit(2000)
    ).scalars()
    return tuple(str(v) for v in rows if str(v).strip())


def filter_options(conn: Connection, workspace_id: int) -> FilterOptions:
    """Distinct reps (deal owners), teams, regions, segments, sources and products of a workspace."""
    in_deals = deals.c.workspace_id == workspace_id
    in_reps = reps.c.workspace_id == workspace_id
    first, last = conn.execute(
        select(func.min(deals.c.close_date), func.max(deals.c.close_date)).where(in_deals)
    ).one()
    regions = sorted(set(_distinct(conn, reps.c.region, in_reps)) | set(_distinct(conn, deals.c.region, in_deals)))
    return FilterOptions(
        reps=_distinct(conn, deals.c.owner, in_deals),
        teams=_distinct(conn, reps.c.team, in_reps),
        regions=tuple(regions),
        segments=_distinct(conn, deals.c.segment, in_deals),
        sources=_distinct(conn, deals.c.lead_source, in_deals),
        products=_distinct(conn, deals.c.product, in_deals),
        first_close=first,
        last_close=last,
    )
