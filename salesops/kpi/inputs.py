"""Input KPIs (emails, calls, meetings, demos, proposals, tasks, selling hours) from the ``activity_daily`` rollup.

The import writes the rollup (workspace, owner, type, day → count and minutes) in the same transaction as the raw
activities, so these queries read a few hundred thousand rollup rows, never millions of raw activities. Activities
honour the period (on the day) and the rep/team/region filters; segment, source and product do not apply to them.
Selling hours are the logged duration of all activity types, divided by 60.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, select

from salesops.filters import Filters
from salesops.ingest.fields import ACTIVITY_TYPES
from salesops.kpi.series import Freq, daily_to_periods
from salesops.kpi.sqlfilters import NO_FILTERS, activity_conditions, grouped, rep_directory
from salesops.store.schema import activity_daily
from salesops.store.sqlfn import month_of

# The rollup is stored in primary-key (owner, type, day) order, so grouping by owner streams without a sort.
OWNER_KEY = activity_daily.c.owner.label("owner")


def activity_totals(
    conn: Connection, workspace_id: int, filters: Filters, by: str | None = None
) -> dict[Any, tuple[dict[str, int], float]]:
    """Per group (None when ungrouped; rep, team, region or ``YYYY-MM`` month): each type's count, all six types
    present, and logged minutes. Team and region come from the owner's rep, folded in Python after grouping by owner.
    """
    if by == "month":
        keys = [month_of(activity_daily.c.day, conn.dialect.name).label("owner")]
    else:
        keys = [OWNER_KEY] if by in ("rep", "team", "region") else []
    reps = rep_directory(conn, workspace_id) if by in ("team", "region") else {}
    rows = select(*keys, activity_daily.c.type, activity_daily.c.n, activity_daily.c.minutes).where(
        *activity_conditions(workspace_id, filters)
    )
    query = grouped(
        rows,
        ["owner", "type"] if keys else ["type"],
        lambda c: [func.sum(c.n).label("n"), func.sum(c.minutes).label("minutes")],
    )

    def group_of(row: Any) -> Any:
        if by in ("team", "region"):
            rep = reps.get(row.owner)
            return None if rep is None else getattr(rep, by)
        return row.owner if keys else None

    counts: dict[Any, dict[str, int]] = {}
    minutes: dict[Any, float] = defaultdict(float)
    if by is None:
        counts[None] = dict.fromkeys(ACTIVITY_TYPES, 0)
    for row in conn.execute(query):
        key = group_of(row)
        by_type = counts.setdefault(key, dict.fromkeys(ACTIVITY_TYPES, 0))
        if row.type in by_type:
            by_type[row.type] += int(row.n or 0)
        minutes[key] += float(row.minutes or 0.0)
    return {key: (by_type, minutes[key]) for key, by_type in counts.items()}


def activity_mix(conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS, freq: Freq = "M") -> pd.DataFrame:
    """Activities per period (day, week starting Monday, or month) and type, plus selling hours.

    Columns: period (first day), the six activity types, hours; periods of the filter without activity show zeros.
    """
    query = (
        select(
            activity_daily.c.day,
            activity_daily.c.type,
            func.sum(activity_daily.c.n).label("n"),
            func.sum(activity_daily.c.minutes).label("minutes"),
        )
        .where(*activity_conditions(workspace_id, filters))
        .group_by(activity_daily.c.day, activity_daily.c.type)
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=["day", "type", "n", "minutes"])
    counts = frame.pivot_table(index="day", columns="type", values="n", aggfunc="sum", fill_value=0)
    daily = counts.reindex(columns=list(ACTIVITY_TYPES), fill_value=0).astype("int64")
    daily["hours"] = frame.groupby("day")["minutes"].sum().astype(float) / 60.0
    return daily_to_periods(daily, filters, freq)


def activity_by_rep(conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Per rep: count of each activity type, total, selling hours and activities per week of the period.

    Columns: rep, team, region, the six types, total, hours, per_week; most active rep first.
    """
    # Team and region come from the rep directory after grouping: joining in SQL would probe it once per rollup row.
    query = (
        select(
            activity_daily.c.owner,
            activity_daily.c.type,
            func.sum(activity_daily.c.n),
            func.sum(activity_daily.c.minutes),
            func.min(activity_daily.c.day),
            func.max(activity_daily.c.day),
        )
        .where(*activity_conditions(workspace_id, filters))
        .group_by(activity_daily.c.owner, activity_daily.c.type)
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=["rep", "type", "n", "minutes", "first", "last"])
    reps = rep_directory(conn, workspace_id)
    frame["team"] = [reps[rep].team if rep in reps else None for rep in frame["rep"]]
    frame["region"] = [reps[rep].region if rep in reps else None for rep in frame["rep"]]
    counts = frame.pivot_table(index="rep", columns="type", values="n", aggfunc="sum", fill_value=0)
    result = counts.reindex(columns=list(ACTIVITY_TYPES), fill_value=0).astype("int64")
    result["total"] = result.sum(axis=1)
    by_rep = frame.groupby("rep")
    result["hours"] = by_rep["minutes"].sum().astype(float) / 60.0
    result[["team", "region"]] = by_rep[["team", "region"]].first()
    first = filters.start or (min(frame["first"]) if len(frame) else None)
    last = filters.end or (max(frame["last"]) if len(frame) else None)
    weeks = ((last - first).days + 1) / 7.0 if first and last else None
    result["per_week"] = result["total"] / weeks if weeks else float("nan")
    result = result.reset_index().sort_values(["total", "rep"], ascending=[False, True], ignore_index=True)
    return result[["rep", "team", "region", *ACTIVITY_TYPES, "total", "hours", "per_week"]]
