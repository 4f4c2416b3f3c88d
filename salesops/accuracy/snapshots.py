"""Pipeline snapshots: what the open pipeline expected for each coming month, stored at every deals import.

An export holds each deal as it stands today: its probability and expected revenue are today's, so summing them
over past months is not a forecast anyone made. The tool keeps its own record instead: after a deals import it
stores, per expected close month after the as-of date, the open deals' count, amount, weighted amount (amount ×
probability / 100; a deal without probability at the win rate of the deals closed by then) and commit amount. A
later import that brings the bookings of those months makes a true forecast-vs-actual comparison.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
from sqlalchemy import Connection, case, delete, func, insert, select

from salesops.asof import default_as_of, history_end
from salesops.filters import Filters
from salesops.ingest.fields import CLOSED_STATUSES
from salesops.kpi import definitions as d
from salesops.kpi.sqlfilters import deal_conditions, grouped
from salesops.store.schema import deals, import_batches, pipeline_snapshots
from salesops.store.sqlfn import month_of

COMMIT_CATEGORIES = ("commit", "closed")
SNAPSHOT_COLUMNS = ["as_of", "month", "owner", "deals", "amount", "weighted", "commit_amount"]
_KEYS = ("owner", "region", "segment", "lead_source", "product")


def _win_rate(conn: Connection, workspace_id: int, as_of: date) -> float | None:
    """Won / (won + lost) of the deals closed by ``as_of`` (the weight of open deals without probability)."""
    won, closed = conn.execute(
        select(func.sum(case((deals.c.status == "won", 1), else_=0)), func.count()).where(
            deals.c.workspace_id == workspace_id, deals.c.status.in_(CLOSED_STATUSES), deals.c.close_date <= as_of
        )
    ).one()
    return d.win_rate(int(won or 0), int(closed or 0) - int(won or 0))


def take_snapshot(conn: Connection, workspace_id: int, batch_id: int) -> int:
    """Store the open pipeline per expected close month after the as-of date's month, by owner and deal attributes,
    under ``batch_id`` (inside the import's transaction). Returns the rows stored."""
    as_of = default_as_of(conn, workspace_id)
    if as_of is None:
        return 0
    month_end = (pd.Timestamp(as_of) + pd.offsets.MonthEnd(0)).date()
    known = deals.c.probability.is_not(None)
    committed = func.lower(deals.c.forecast_category).in_(COMMIT_CATEGORIES)
    rows = select(
        month_of(deals.c.close_date, conn.dialect.name).label("month"),
        *[deals.c[key].label(key) for key in _KEYS],
        deals.c.amount,
        case((known, deals.c.amount * deals.c.probability / 100.0)).label("weighted"),
        case((known, None), else_=deals.c.amount).label("unweighted"),
        case((committed, deals.c.amount)).label("committed"),
    ).where(deals.c.workspace_id == workspace_id, deals.c.status == "open", deals.c.close_date > month_end)
    query = grouped(
        rows,
        ["month", *_KEYS],
        lambda c: [
            func.count().label("deals"),
            func.coalesce(func.sum(c.amount), 0.0).label("amount"),
            func.coalesce(func.sum(c.weighted), 0.0).label("weighted"),
            func.coalesce(func.sum(c.unweighted), 0.0).label("unweighted"),
            func.coalesce(func.sum(c.committed), 0.0).label("committed"),
        ],
    )
    rate = _win_rate(conn, workspace_id, as_of) or 0.0  # no closed deal yet: deals without probability count as 0
    records = [
        {
            "workspace_id": workspace_id,
            "batch_id": batch_id,
            "as_of": as_of,
            "month": str(row.month),
            **{key: getattr(row, key) for key in _KEYS},
            "deals": int(row.deals),
            "amount": float(row.amount),
            "weighted": float(row.weighted) + float(row.unweighted) * rate,
            "commit_amount": float(row.committed),
        }
        for row in conn.execute(query)
    ]
    conn.execute(delete(pipeline_snapshots).where(pipeline_snapshots.c.batch_id == batch_id))
    if records:
        conn.execute(insert(pipeline_snapshots), records)
    return len(records)


def snapshot_dates(conn: Connection, workspace_id: int) -> list[date]:
    """As-of dates of the snapshots of the workspace's loaded (not undone) batches, oldest first."""
    query = (
        select(pipeline_snapshots.c.as_of)
        .join(import_batches, import_batches.c.id == pipeline_snapshots.c.batch_id)
        .where(pipeline_snapshots.c.workspace_id == workspace_id, import_batches.c.status == "loaded")
        .distinct()
        .order_by(pipeline_snapshots.c.as_of)
    )
    return [pd.Timestamp(value).date() for value in conn.execute(query).scalars()]


def forecasts_before(conn: Connection, workspace_id: int, filters: Filters, as_of: date) -> pd.DataFrame:
    """For every complete month up to ``as_of`` (and in the filter's period), what the latest snapshot taken before
    the month began expected of it, per owner: SNAPSHOT_COLUMNS (``as_of`` is the snapshot's date)."""
    s = pipeline_snapshots.c
    last_month = history_end(as_of).strftime("%Y-%m")
    rows = (
        select(s.as_of, s.month, s.owner, s.deals, s.amount, s.weighted, s.commit_amount)
        .join(import_batches, import_batches.c.id == s.batch_id)
        .where(
            *deal_conditions(workspace_id, replace(filters, start=None, end=None), table=pipeline_snapshots),
            import_batches.c.status == "loaded",
            s.month <= last_month,
        )
    )
    frame = pd.DataFrame(conn.execute(rows).all(), columns=SNAPSHOT_COLUMNS)
    if frame.empty:
        return frame
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    month_start = pd.to_datetime(frame["month"] + "-01")
    frame = frame[frame["as_of"] < month_start]
    if filters.start is not None:
        frame = frame[frame["month"] >= filters.start.strftime("%Y-%m")]
    if filters.end is not None:
        frame = frame[frame["month"] <= filters.end.strftime("%Y-%m")]
    latest = frame.groupby("month")["as_of"].transform("max")
    frame = frame[frame["as_of"] == latest]
    summed = frame.groupby(["as_of", "month", "owner"], dropna=False, as_index=False)[
        ["deals", "amount", "weighted", "commit_amount"]
    ].sum()
    return summed.sort_values(["month", "owner"], ignore_index=True)[SNAPSHOT_COLUMNS]
