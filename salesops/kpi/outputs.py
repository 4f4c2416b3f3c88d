"""Output KPIs (revenue, win rate, deal size, cycle, pipeline, velocity, growth) computed in SQL over the store.

Each figure comes from a handful of aggregate queries with GROUP BY, never from loading deals into pandas:
closed-deal figures use the close-date index, the open pipeline the status index. The period narrows closed deals
by close date, opportunities created by created date and activities by day; the open pipeline is a snapshot that
ignores the period. Grouping by month puts open deals in the month they are expected to close.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Date, and_, case, func, literal, select
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from salesops.asof import history_end, resolve_as_of
from salesops.filters import Filters
from salesops.ingest.fields import ACTIVITY_TYPES, CLOSED_STATUSES
from salesops.kpi import definitions as d
from salesops.kpi.definitions import previous_period
from salesops.kpi.inputs import activity_totals
from salesops.kpi.series import Freq, daily_to_periods
from salesops.kpi.sqlfilters import NO_FILTERS, deal_conditions, grouped, rep_directory
from salesops.kpi.stages import StageStats, stage_order
from salesops.store.schema import deals
from salesops.store.sqlfn import day_of, days_between, month_of

GroupBy = Literal["rep", "team", "month", "segment", "source", "product", "region"]
DEAL_ONLY_GROUPS = ("segment", "source", "product")


@dataclass
class _Group:
    """Raw aggregates of one group, turned into KPIs by :func:`_kpis`."""

    won_revenue: float = 0.0
    deals_won: int = 0
    deals_lost: int = 0
    cycles: list[tuple[float, int]] = field(default_factory=list)
    monthly: dict[str, float] = field(default_factory=dict)
    open_deals: int = 0
    open_amount: float = 0.0
    weighted_known: float = 0.0
    amount_without_probability: float = 0.0
    created: int = 0
    activities: dict[str, int] | None = None
    minutes: float | None = None


def _dialect(conn: Connection) -> str:
    return conn.dialect.name


# ix_deals_ws_owner_cover covers the per-rep scans, so GROUP BY owner streams in index order without a sort.
OWNER_KEY = deals.c.owner.label("owner")


class _Grouping:
    """How one ``by`` choice groups deal rows: the SQL key columns, and the group each result row belongs to.

    Team and region group by owner in SQL and fold owners onto their rep's team/region in Python (a few hundred
    owners), so the big deals scan never joins the reps table.
    """

    def __init__(self, conn: Connection, workspace_id: int, by: GroupBy | None) -> None:
        self.by = by
        self.dialect = _dialect(conn)
        self.reps = rep_directory(conn, workspace_id) if by in ("team", "region") else {}

    def columns(self, date_column: Any) -> list[ColumnElement[Any]]:
        """Labelled key columns for the row-level select (month of ``date_column`` when grouping by month)."""
        if self.by is None:
            return []
        if self.by in ("rep", "team"):
            return [OWNER_KEY]
        if self.by == "region":
            return [OWNER_KEY, deals.c.region.label("deal_region")]
        if self.by == "month":
            return [month_of(date_column, self.dialect).label("key")]
        column = {"segment": deals.c.segment, "source": deals.c.lead_source, "product": deals.c.product}[self.by]
        return [column.label("key")]

    def names(self) -> list[str]:
        return [column.name for column in self.columns(deals.c.close_date)]

    def key(self, row: Any) -> Any:
        """The group a result row adds to."""
        if self.by is None:
            return None
        if self.by == "rep":
            return row.owner
        if self.by == "team":
            return self.reps[row.owner].team if row.owner in self.reps else None
        if self.by == "region":
            rep = self.reps.get(row.owner)
            return rep.region if rep is not None and rep.region is not None else row.deal_region
        return row.key


def _count_and_amount(c: ReadOnlyColumnCollection[str, Any]) -> list[ColumnElement[Any]]:
    return [func.count().label("n"), func.coalesce(func.sum(c.amount), 0.0).label("amount")]


def resolve_period(conn: Connection, workspace_id: int, filters: Filters) -> tuple[date | None, date | None]:
    """The period's start and end: a missing end is the end of the as-of date's last complete month (closed deals
    dated after it are not history yet), a missing start the first close date of a closed deal."""
    start, end = filters.start, filters.end
    if end is None:
        as_of = resolve_as_of(conn, workspace_id, filters.as_of)
        end = history_end(as_of) if as_of is not None else None
    conditions = [
        *deal_conditions(workspace_id, filters),
        deals.c.status.in_(CLOSED_STATUSES),
        deals.c.close_date.is_not(None),
    ]
    if end is not None:
        conditions.append(deals.c.close_date <= end)
    if start is None:
        start = conn.execute(
            select(deals.c.close_date).where(*conditions).order_by(deals.c.close_date).limit(1)
        ).scalar()
    if end is None:
        end = conn.execute(
            select(deals.c.close_date).where(*conditions).order_by(deals.c.close_date.desc()).limit(1)
        ).scalar()
    if start is None and filters.start is None and filters.end is None:
        return None, None  # no closed deal up to the as-of date: the period is unknown
    return start, end


def _bucket(column: Any, start: date, previous_start: date | None) -> Any:
    """0 for the period, 1 for the previous period (which ends the day before ``start``), -1 before both."""
    if previous_start is None:
        return case((column >= start, 0), else_=-1)
    return case((column >= start, 0), (column >= previous_start, 1), else_=-1)


def _bucket_of(day: date, start: date, previous_start: date | None) -> int:
    """:func:`_bucket` of one day, in Python: ungrouped scans group by the day itself, which streams in index order
    (a few thousand rows), where a computed key would sort a million."""
    if day >= start:
        return 0
    return 1 if previous_start is not None and day >= previous_start else -1


def _closed(
    conn: Connection, workspace_id: int, filters: Filters, grouping: _Grouping, periods: list[dict[str, Any]]
) -> None:
    """Scans of the close-date index: won/lost counts and revenue in the period (and the previous period when
    ``periods`` has two), monthly won revenue (for growth), and the cycle days of won deals (for the median)."""
    start, end = filters.start, filters.end
    if start is None or end is None:
        raise ValueError("closed-deal figures need a resolved period")
    dialect = grouping.dialect
    previous_start = previous_period(filters).start if len(periods) > 1 else None
    # Growth needs won revenue before the period; a month group has no growth of its own.
    scan_start = start if grouping.by == "month" else d.growth_lookback(start, end)
    scan_start = min(scan_start, previous_start or scan_start)
    bucket = _bucket(deals.c.close_date, start, previous_start)
    cycle_start = previous_start or start
    with_cycle = and_(
        deals.c.close_date >= cycle_start,
        deals.c.status == "won",
        deals.c.created_date.is_not(None),
        deals.c.created_date <= deals.c.close_date,
    )
    cycle = days_between(deals.c.created_date, deals.c.close_date, dialect)
    # Ungrouped, the scan groups by close day and status, in the order of ix_deals_ws_close_cover (no sort); month and
    # bucket follow from the day. Per group the day would multiply the rows, so groups keep month and bucket keys.
    by_day = grouping.by is None
    keys = (
        [deals.c.close_date.label("day")]
        if by_day
        else [month_of(deals.c.close_date, dialect).label("month"), bucket.label("bucket")]
    )
    rows = select(*grouping.columns(deals.c.close_date), *keys, deals.c.status, deals.c.amount).where(
        *deal_conditions(workspace_id, replace(filters, start=scan_start), deals.c.close_date)
    )
    rows = rows.where(deals.c.status.in_(CLOSED_STATUSES))
    names = [*grouping.names(), *(key.name for key in keys), "status"]
    for row in conn.execute(grouped(rows, names, _count_and_amount)):
        key, n, amount = grouping.key(row), int(row.n), float(row.amount)
        month, period = (
            (row.day.strftime("%Y-%m"), _bucket_of(row.day, start, previous_start))
            if by_day
            else (row.month, row.bucket)
        )
        if row.status == "won":
            monthly = periods[0][key].monthly
            monthly[month] = monthly.get(month, 0.0) + amount
        if period < 0:
            continue
        group = periods[period][key]
        if row.status == "won":
            group.deals_won += n
            group.won_revenue += amount
        else:
            group.deals_lost += n
    # Cycle days of won deals from a second, narrower scan (won deals only, from the earliest period's start).
    rows = select(*grouping.columns(deals.c.close_date), bucket.label("bucket"), cycle.label("days")).where(
        *deal_conditions(workspace_id, replace(filters, start=cycle_start), deals.c.close_date), with_cycle
    )
    for row in conn.execute(grouped(rows, [*grouping.names(), "bucket", "days"], lambda c: [func.count().label("n")])):
        periods[row.bucket][grouping.key(row)].cycles.append((float(row.days), int(row.n)))


def _open_and_created(
    conn: Connection, workspace_id: int, filters: Filters, grouping: _Grouping, periods: list[dict[str, Any]]
) -> None:
    """The open-pipeline snapshot (status index, the same for every period) and the deals created in each period."""
    period_column = deals.c.close_date if grouping.by == "month" else None
    rows = select(*grouping.columns(deals.c.close_date), deals.c.amount, deals.c.probability).where(
        *deal_conditions(workspace_id, filters, period_column), deals.c.status == "open"
    )

    def measures(c: ReadOnlyColumnCollection[str, Any]) -> list[ColumnElement[Any]]:
        known = c.probability.is_not(None)
        return [
            *_count_and_amount(c),
            func.coalesce(func.sum(case((known, c.amount * c.probability / 100.0))), 0.0).label("weighted"),
            func.coalesce(func.sum(case((known, None), else_=c.amount)), 0.0).label("unweighted"),
        ]

    for row in conn.execute(grouped(rows, grouping.names(), measures)):
        for groups in periods:
            group = groups[grouping.key(row)]
            group.open_deals += int(row.n)
            group.open_amount += float(row.amount)
            group.weighted_known += float(row.weighted)
            group.amount_without_probability += float(row.unweighted)
    scan, start, previous_start = filters, None, None
    if len(periods) > 1 and filters.start is not None:
        start, previous_start = filters.start, previous_period(filters).start
        scan = replace(filters, start=previous_start)
    # Ungrouped, group by created day in the order of ix_deals_ws_created and bucket the few thousand days in Python.
    by_day = grouping.by is None and start is not None
    key: Any = literal(0) if start is None else _bucket(deals.c.created_date, start, previous_start)
    key = deals.c.created_date.label("day") if by_day else key.label("bucket")
    rows = select(*grouping.columns(deals.c.created_date), key).where(
        *deal_conditions(workspace_id, scan, deals.c.created_date)
    )
    names = [*grouping.names(), key.name]
    for row in conn.execute(grouped(rows, names, lambda c: [func.count().label("n")])):
        period = _bucket_of(row.day, start, previous_start) if by_day and start is not None else row.bucket
        periods[period][grouping.key(row)].created += int(row.n)


def _kpis(group: _Group, start: date | None, end: date | None, target: float | None) -> dict[str, Any]:
    """Turn one group's aggregates into the KPI dict (JSON-serialisable: plain floats/ints/None/str)."""
    rate = d.win_rate(group.deals_won, group.deals_lost)
    size = d.avg_deal_size(group.won_revenue, group.deals_won)
    cycle = d.median_from_counts(group.cycles)
    weighted = d.weighted_pipeline(group.weighted_known, group.amount_without_probability, rate)
    growth = (
        d.period_growth(group.monthly, start, end)
        if start is not None and end is not None
        else dict.fromkeys(("growth_mom", "growth_qoq", "growth_yoy"))
    )
    return {
        "period_start": start.isoformat() if start else None,
        "period_end": end.isoformat() if end else None,
        "won_revenue": group.won_revenue,
        "deals_won": group.deals_won,
        "deals_lost": group.deals_lost,
        "win_rate": rate,
        "avg_deal_size": size,
        "median_cycle_days": cycle,
        "open_deals": group.open_deals,
        "open_pipeline": group.open_amount,
        "weighted_pipeline": weighted,
        "pipeline_coverage": d.pipeline_coverage(weighted, target, group.won_revenue),
        "velocity": d.velocity(group.open_deals, rate, size, cycle),
        "opportunities_created": group.created,
        "activities_by_type": group.activities,
        "selling_hours": None if group.minutes is None else group.minutes / 60.0,
        **growth,
    }


def _summaries(
    conn: Connection, workspace_id: int, filters: Filters, by: GroupBy | None, *, compare: bool = False
) -> tuple[list[dict[Any, _Group]], date | None, date | None]:
    """Aggregates per group (key None when ungrouped) of the period, and of the previous period when ``compare``
    and the period is known; plus the resolved period."""
    start, end = resolve_period(conn, workspace_id, filters)
    known = start is not None and end is not None and start <= end
    resolved = replace(filters, start=start, end=end)
    periods: list[dict[Any, _Group]] = [defaultdict(_Group) for _ in range(2 if compare and known else 1)]
    if by is None:
        for groups in periods:
            groups[None] = _Group()
    grouping = _Grouping(conn, workspace_id, by)
    if known:
        _closed(conn, workspace_id, resolved, grouping, periods)
    # Created deals and activities count over the user's period: all time when no dates were chosen.
    _open_and_created(conn, workspace_id, resolved if len(periods) > 1 else filters, grouping, periods)
    if by not in DEAL_ONLY_GROUPS:
        windows = [filters, previous_period(resolved)] if len(periods) > 1 else [filters]
        for groups, window in zip(periods, windows, strict=True):
            totals = activity_totals(conn, workspace_id, window, by)
            for key in set(groups) | set(totals):
                groups[key].activities, groups[key].minutes = totals.get(key, (dict.fromkeys(ACTIVITY_TYPES, 0), 0.0))
    return periods, start, end


def summary(
    conn: Connection,
    workspace_id: int,
    filters: Filters = NO_FILTERS,
    *,
    target: float | None = None,
    compare: bool = False,
) -> dict[str, Any]:
    """Every headline KPI of the filtered workspace in one JSON-serialisable dict (docs/architecture.md "Definitions").

    ``target`` is the revenue target of the period, for pipeline coverage. With ``compare``, key ``previous``
    holds the same KPIs (growth and coverage excepted) for :func:`previous_period`, computed in the same scans;
    it is None when the period is unknown (no closed deals and no dates chosen).
    """
    periods, start, end = _summaries(conn, workspace_id, filters, None, compare=compare)
    result = _kpis(periods[0][None], start, end, target)
    if compare:
        result["previous"] = None
        if len(periods) > 1 and start is not None and end is not None:
            before = previous_period(replace(filters, start=start, end=end))
            previous = _kpis(periods[1][None], before.start, before.end, None)
            result["previous"] = {k: v for k, v in previous.items() if not k.startswith("growth_")}
            del result["previous"]["pipeline_coverage"]
    return result


def summary_by(conn: Connection, workspace_id: int, by: GroupBy, filters: Filters = NO_FILTERS) -> list[dict[str, Any]]:
    """:func:`summary` per rep, team, month, segment, source, product or region, each dict with the group under ``by``.

    Activity figures are None when grouping by segment, source or product (activities carry none of these).
    Months come in calendar order, other groups by won revenue, largest first.
    """
    periods, start, end = _summaries(conn, workspace_id, filters, by)
    rows = [{by: key, **_kpis(group, start, end, None)} for key, group in periods[0].items()]
    if by == "month":
        return sorted(rows, key=lambda row: (row["month"] is None, row["month"] or ""))
    return sorted(rows, key=lambda row: (-row["won_revenue"], str(row[by])))


def bookings(conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS, freq: Freq = "M") -> pd.DataFrame:
    """Won revenue and won deals per day, week (from Monday) or month of close date: columns period, won_revenue,
    deals_won, with zero rows for periods of the filter without a win."""
    day = day_of(deals.c.close_date, conn.dialect.name)
    query = (
        select(day.label("day"), func.sum(deals.c.amount), func.count())
        .where(*deal_conditions(workspace_id, filters, deals.c.close_date), deals.c.status == "won")
        .where(deals.c.close_date.is_not(None))
        .group_by(day)
    )
    daily = pd.DataFrame(conn.execute(query).all(), columns=["day", "won_revenue", "deals_won"]).set_index("day")
    daily = daily.astype({"won_revenue": float, "deals_won": "int64"}).fillna({"won_revenue": 0.0})
    return daily_to_periods(daily, filters, freq)


def funnel(conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Stage funnel of the deals created in the period: how many reached at least each stage, and conversion.

    The store knows each deal's current stage only, so "reached at least stage k" means "open at stage k or
    later, or won"; lost deals count as created only (their last stage is unknown). Open stages follow the
    workspace's stage order (:func:`salesops.kpi.stages.stage_order`: saved by the user, else the CRM's own
    sequence). Rows: "Created", the open stages, "Won". Columns: stage, current (deals there now), amount (their
    open or won amount), reached, share_of_created, conversion_to_next (None on the last row).
    """
    created_day = days_between(literal(date(2000, 1, 1), Date), deals.c.created_date, conn.dialect.name)
    p = deals.c.probability
    query = (
        select(
            deals.c.status,
            deals.c.stage,
            func.count(),
            func.coalesce(func.sum(deals.c.amount), 0.0),
            func.avg(p),
            func.avg(created_day),
            func.avg(p * p),
        )
        .where(*deal_conditions(workspace_id, filters, deals.c.created_date))
        .group_by(deals.c.status, deals.c.stage)
    )
    rows = conn.execute(query).all()
    open_stages = [row for row in rows if row[0] == "open"]
    order = stage_order(conn, workspace_id, [_stage_stats(r) for r in open_stages if r[1] is not None])
    position = {stage: i for i, stage in enumerate(order)}
    open_stages.sort(key=lambda r: (position.get(str(r[1]), len(position)), str(r[1])))
    won = [row for row in rows if row[0] == "won"]
    won_count, won_amount = sum(int(r[2]) for r in won), sum(float(r[3]) for r in won)
    created = sum(int(r[2]) for r in rows)
    stages = [("Created", created, sum(float(r[3]) for r in rows))]
    stages += [(r[1] if r[1] is not None else "(no stage)", int(r[2]), float(r[3])) for r in open_stages]
    stages.append(("Won", won_count, won_amount))
    reached = [created]
    for k in range(1, len(stages) - 1):
        reached.append(sum(int(r[2]) for r in open_stages[k - 1 :]) + won_count)
    reached.append(won_count)
    return pd.DataFrame(
        {
            "stage": [s[0] for s in stages],
            "current": [s[1] for s in stages],
            "amount": [s[2] for s in stages],
            "reached": reached,
            "share_of_created": [d.ratio(n, created) for n in reached],
            "conversion_to_next": [d.ratio(reached[k + 1], reached[k]) for k in range(len(reached) - 1)] + [None],
        }
    )


def _stage_stats(row: Any) -> StageStats:
    """StageStats of one (status, stage, count, amount, mean probability, mean created day, mean p²) row."""
    mean = None if row[4] is None else float(row[4])
    spread = None if mean is None or row[6] is None else math.sqrt(max(0.0, float(row[6]) - mean**2))
    created = None if row[5] is None else float(row[5])
    return StageStats(str(row[1]), int(row[2]), mean, spread, created)


def leaderboard(conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Per rep, deals closed in the period: won revenue, won/lost, win rate, average deal size, quota attainment.

    Quota attainment = won revenue / (annual quota × days in period / 365), when the rep has a quota in ``reps``.
    Best rep first.
    """
    start, end = resolve_period(conn, workspace_id, filters)
    rows = select(OWNER_KEY, deals.c.status, deals.c.amount).where(
        *deal_conditions(workspace_id, filters, deals.c.close_date), deals.c.status.in_(CLOSED_STATUSES)
    )

    def measures(c: ReadOnlyColumnCollection[str, Any]) -> list[ColumnElement[Any]]:
        won = c.status == "won"
        return [
            func.coalesce(func.sum(case((won, c.amount))), 0.0).label("revenue"),
            func.sum(case((won, 1), else_=0)).label("won"),
            func.sum(case((won, 0), else_=1)).label("lost"),
        ]

    reps = rep_directory(conn, workspace_id)
    years = ((end - start).days + 1) / 365.0 if start is not None and end is not None else None
    records = []
    for row in conn.execute(grouped(rows, ["owner"], measures)):
        revenue, n_won, n_lost = float(row.revenue), int(row.won), int(row.lost)
        rep = reps.get(row.owner)
        quota = rep.quota if rep is not None else None
        records.append(
            {
                "rep": row.owner,
                "team": rep.team if rep is not None else None,
                "region": rep.region if rep is not None else None,
                "won_revenue": revenue,
                "deals_won": n_won,
                "deals_lost": n_lost,
                "win_rate": d.win_rate(n_won, n_lost),
                "avg_deal_size": d.avg_deal_size(revenue, n_won),
                "quota": quota,
                "quota_attainment": d.ratio(revenue, quota * years) if quota is not None and years else None,
            }
        )
    columns = ["rep", "team", "region", "won_revenue", "deals_won", "deals_lost", "win_rate", "avg_deal_size"]
    frame = pd.DataFrame.from_records(records, columns=[*columns, "quota", "quota_attainment"])
    return frame.sort_values(["won_revenue", "rep"], ascending=[False, True], ignore_index=True)
