"""Input KPIs (emails, calls, meetings, demos, proposals, tasks, selling hours) from the ``activity_daily`` rollup.

The import writes the rollup (workspace, owner, type, day → count and minutes) in the same transaction as the raw
activities, so these queries read a few hundred thousand rollup rows, never millions of raw activities. Activities
honour the period (on the day) and the rep/team/region filters; segment, source and product apply through the deal
an activity belongs to (those queries read raw activities joined to deals), and :func:`deal_filter_note` says what
that leaves out.
Selling hours are the logged duration of all activity types, divided by 60.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Date, func, select, type_coerce

from salesops.filters import Filters
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.ingest.fields import ACTIVITY_TYPES
from salesops.kpi.series import Freq, daily_to_periods
from salesops.kpi.sqlfilters import (
    NO_FILTERS,
    activity_rows,
    grouped,
    raw_activity_conditions,
    rep_directory,
    through_deals,
)
from salesops.store.schema import activities
from salesops.store.sqlfn import month_of


def activity_totals(
    conn: Connection, workspace_id: int, filters: Filters, by: str | None = None
) -> dict[Any, tuple[dict[str, int], float]]:
    """Per group (None when ungrouped; rep, team, region or ``YYYY-MM`` month): each type's count, all six types
    present, and logged minutes. Team and region come from the owner's rep, folded in Python after grouping by owner.
    """
    src = activity_rows(workspace_id, filters, conn.dialect.name).subquery("activity_rows")
    if by == "month":
        keys = [month_of(src.c.day, conn.dialect.name).label("owner")]
    else:
        keys = [src.c.owner.label("owner")] if by in ("rep", "team", "region") else []
    reps = rep_directory(conn, workspace_id) if by in ("team", "region") else {}
    rows = select(*keys, src.c.type, src.c.n, src.c.minutes)
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
    src = activity_rows(workspace_id, filters, conn.dialect.name).subquery("activity_rows")
    query = select(
        src.c.day, src.c.type, func.sum(src.c.n).label("n"), func.sum(src.c.minutes).label("minutes")
    ).group_by(src.c.day, src.c.type)
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
    src = activity_rows(workspace_id, filters, conn.dialect.name).subquery("activity_rows")
    query = select(
        src.c.owner,
        src.c.type,
        func.sum(src.c.n),
        func.sum(src.c.minutes),
        type_coerce(func.min(src.c.day), Date),
        type_coerce(func.max(src.c.day), Date),
    ).group_by(src.c.owner, src.c.type)
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


def deal_filter_note(conn: Connection, workspace_id: int, filters: Filters, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """With a segment, source or product filter: how many of the period's activities it keeps through their deal and
    how many have no deal to judge by (left out); None when no such filter is set."""
    if not through_deals(filters):
        return None
    a = activities.c
    unfiltered = Filters(start=filters.start, end=filters.end, reps=filters.reps, teams=filters.teams,
                         regions=filters.regions)  # fmt: skip
    total, linked = conn.execute(
        select(func.count(), func.count(a.deal_id)).where(*raw_activity_conditions(workspace_id, unfiltered))
    ).one()
    kept = conn.execute(
        select(func.count()).select_from(activity_rows(workspace_id, filters, conn.dialect.name).subquery())
    ).scalar()
    return translate(
        "Segment, lead source and product apply to activities through their deal: {kept} of {total} activities in "
        "the period belong to a matching deal; {unlinked} have no deal and are left out while these filters are set.",
        lang,
        kept=f"{int(kept or 0):,}",
        total=f"{int(total):,}",
        unlinked=f"{int(total) - int(linked):,}",
    )
