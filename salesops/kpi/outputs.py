"""Output KPIs (revenue, win rate, deal size, cycle, pipeline, velocity, growth) computed in SQL over the store.

Each figure comes from a handful of aggregate queries with GROUP BY, never from loading deals into pandas:
closed-deal figures use the close-date index, the open pipeline the status index. The period narrows closed deals
by close date, opportunities created by created date and activities by day; the open pipeline is a snapshot that
ignores the period. Grouping by month puts open deals in the month they are expected to close.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Connection, Date, FromClause, case, func, literal, select
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from salesops.filters import Filters
from salesops.ingest.fields import ACTIVITY_TYPES
from salesops.kpi import definitions as d
from salesops.kpi.inputs import activity_totals
from salesops.kpi.series import Freq, daily_to_periods
from salesops.kpi.sqlfilters import NO_FILTERS, deal_conditions, grouped, rep_lookup
from salesops.store.schema import deals
from salesops.store.sqlfn import day_of, days_between, month_of

GroupBy = Literal["rep", "team", "month", "segment", "source", "product", "region"]
CLOSED = ("won", "lost")
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


def _source(workspace_id: int, by: GroupBy | None, dialect: str, date_column: Any) -> tuple[FromClause, list]:
    """The FROM clause over deals and the group key column(s) for ``by`` (month of ``date_column``)."""
    if by in ("team", "region"):
        lookup = rep_lookup(workspace_id).subquery("rep_lookup_group")
        source = deals.outerjoin(lookup, deals.c.owner == lookup.c.key)
        key = lookup.c.team if by == "team" else func.coalesce(lookup.c.region, deals.c.region)
        return source, [key.label("key")]
    keys = {
        "rep": deals.c.owner,
        "segment": deals.c.segment,
        "source": deals.c.lead_source,
        "product": deals.c.product,
    }
    if by is None:
        return deals, []
    key = month_of(date_column, dialect) if by == "month" else keys[by]
    return deals, [key.label("key")]


def _names(keys: list) -> list[str]:
    return ["key"] if keys else []


def _count_and_amount(c: ReadOnlyColumnCollection) -> list:
    return [func.count().label("n"), func.coalesce(func.sum(c.amount), 0.0).label("amount")]


def resolve_period(conn: Connection, workspace_id: int, filters: Filters) -> tuple[date | None, date | None]:
    """The period's start and end, taking a missing bound from the first/last close date of closed deals."""
    start, end = filters.start, filters.end
    conditions = [*deal_conditions(workspace_id, filters), deals.c.status.in_(CLOSED), deals.c.close_date.is_not(None)]
    if start is None:
        start = conn.execute(
            select(deals.c.close_date).where(*conditions).order_by(deals.c.close_date).limit(1)
        ).scalar()
    if end is None:
        end = conn.execute(
            select(deals.c.close_date).where(*conditions).order_by(deals.c.close_date.desc()).limit(1)
        ).scalar()
    return start, end


def _closed(conn: Connection, workspace_id: int, filters: Filters, by: GroupBy | None, groups: dict) -> None:
    """Won/lost counts and revenue in the period, monthly won revenue for growth, and the cycle distribution."""
    start, end = filters.start, filters.end
    if start is None or end is None:
        raise ValueError("closed-deal figures need a resolved period")
    dialect = _dialect(conn)
    # Growth needs won revenue before the period; a month group has no growth of its own.
    lookback = start if by == "month" else d.growth_lookback(start, end)
    in_period = case((deals.c.close_date >= start, 1), else_=0)
    source, keys = _source(workspace_id, by, dialect, deals.c.close_date)
    month = month_of(deals.c.close_date, dialect)
    wider = replace(filters, start=lookback)
    rows = (
        select(
            *keys,
            month.label("month"),
            deals.c.status,
            in_period.label("in_period"),
            deals.c.amount,
        )
        .select_from(source)
        .where(*deal_conditions(workspace_id, wider, deals.c.close_date), deals.c.status.in_(CLOSED))
    )
    monthly = grouped(rows, [*_names(keys), "month", "status", "in_period"], _count_and_amount)
    for row in conn.execute(monthly):
        group = groups[row.key if keys else None]
        if row.status == "won":
            group.monthly[row.month] = group.monthly.get(row.month, 0.0) + float(row.amount)
        if not row.in_period:
            continue
        if row.status == "won":
            group.deals_won += int(row.n)
            group.won_revenue += float(row.amount)
        else:
            group.deals_lost += int(row.n)
    cycle = days_between(deals.c.created_date, deals.c.close_date, dialect)
    rows = (
        select(*keys, cycle.label("days"))
        .select_from(source)
        .where(
            *deal_conditions(workspace_id, filters, deals.c.close_date),
            deals.c.status == "won",
            deals.c.created_date.is_not(None),
            deals.c.created_date <= deals.c.close_date,
        )
    )
    cycles = grouped(rows, [*_names(keys), "days"], lambda c: [func.count().label("n")])
    for row in conn.execute(cycles):
        groups[row.key if keys else None].cycles.append((float(row.days), int(row.n)))


def _open_and_created(conn: Connection, workspace_id: int, filters: Filters, by: GroupBy | None, groups: dict) -> None:
    """The open-pipeline snapshot (status index) and the deals created in the period."""
    dialect = _dialect(conn)
    source, keys = _source(workspace_id, by, dialect, deals.c.close_date)
    rows = (
        select(*keys, deals.c.amount, deals.c.probability)
        .select_from(source)
        .where(*deal_conditions(workspace_id, filters, deals.c.close_date if by == "month" else None))
        .where(deals.c.status == "open")
    )

    def measures(c: ReadOnlyColumnCollection) -> list:
        known = c.probability.is_not(None)
        return [
            *_count_and_amount(c),
            func.coalesce(func.sum(case((known, c.amount * c.probability / 100.0))), 0.0).label("weighted"),
            func.coalesce(func.sum(case((known, None), else_=c.amount)), 0.0).label("unweighted"),
        ]

    pipeline = grouped(rows, _names(keys), measures)
    for row in conn.execute(pipeline):
        group = groups[row.key if keys else None]
        group.open_deals = int(row.n)
        group.open_amount = float(row.amount)
        group.weighted_known = float(row.weighted)
        group.amount_without_probability = float(row.unweighted)
    source, keys = _source(workspace_id, by, dialect, deals.c.created_date)
    rows = (
        select(*keys, deals.c.id)
        .select_from(source)
        .where(*deal_conditions(workspace_id, filters, deals.c.created_date))
    )
    created = grouped(rows, _names(keys), lambda c: [func.count().label("n")])
    for row in conn.execute(created):
        groups[row.key if keys else None].created = int(row.n)


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
    conn: Connection, workspace_id: int, filters: Filters, by: GroupBy | None
) -> tuple[dict[Any, _Group], date | None, date | None]:
    """Aggregates per group (key None when ungrouped) and the resolved period."""
    groups: dict[Any, _Group] = defaultdict(_Group)
    if by is None:
        groups[None] = _Group()
    start, end = resolve_period(conn, workspace_id, filters)
    resolved = replace(filters, start=start, end=end)
    if start is not None and end is not None and start <= end:
        _closed(conn, workspace_id, resolved, by, groups)
    _open_and_created(conn, workspace_id, filters, by, groups)
    if by not in DEAL_ONLY_GROUPS:
        totals = activity_totals(conn, workspace_id, filters, by)
        for key in set(groups) | set(totals):
            groups[key].activities, groups[key].minutes = totals.get(key, (dict.fromkeys(ACTIVITY_TYPES, 0), 0.0))
    return groups, start, end


def summary(conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS, *, target: float | None = None) -> dict:
    """Every headline KPI of the filtered workspace in one JSON-serialisable dict (see DESIGN.md definitions).

    ``target`` is the revenue target of the period, for pipeline coverage.
    """
    groups, start, end = _summaries(conn, workspace_id, filters, None)
    return _kpis(groups[None], start, end, target)


def summary_by(conn: Connection, workspace_id: int, by: GroupBy, filters: Filters = NO_FILTERS) -> list[dict]:
    """:func:`summary` per rep, team, month, segment, source, product or region, each dict with the group under ``by``.

    Activity figures are None when grouping by segment, source or product (activities carry none of these).
    Months come in calendar order, other groups by won revenue, largest first.
    """
    groups, start, end = _summaries(conn, workspace_id, filters, by)
    rows = [{by: key, **_kpis(group, start, end, None)} for key, group in groups.items()]
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
    later, or won"; lost deals count as created only (their last stage is unknown). Open stages are ordered by
    average probability, or, without probabilities, by how long ago their deals were created on average (deals
    further along are older). Rows: "Created", the open stages, "Won". Columns: stage, current (deals there now),
    amount (their open or won amount), reached, share_of_created, conversion_to_next (None on the last row).
    """
    age = days_between(deals.c.created_date, literal(date(2000, 1, 1), Date), conn.dialect.name)
    query = (
        select(
            deals.c.status,
            deals.c.stage,
            func.count(),
            func.coalesce(func.sum(deals.c.amount), 0.0),
            func.avg(deals.c.probability),
            func.avg(age),
        )
        .where(*deal_conditions(workspace_id, filters, deals.c.created_date))
        .group_by(deals.c.status, deals.c.stage)
    )
    rows = conn.execute(query).all()
    open_stages = [row for row in rows if row[0] == "open"]
    by_probability = all(row[4] is not None for row in open_stages)
    # age is created date minus 2000-01-01 reversed in sign by days_between(created, 2000): larger = older.
    open_stages.sort(key=lambda r: (float(r[4]) if by_probability else -float(r[5] or 0.0), str(r[1])))
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


def leaderboard(conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Per rep, deals closed in the period: won revenue, won/lost, win rate, average deal size, quota attainment.

    Quota attainment = won revenue / (annual quota × days in period / 365), when the rep has a quota in ``reps``.
    Best rep first.
    """
    start, end = resolve_period(conn, workspace_id, filters)
    lookup = rep_lookup(workspace_id).subquery("rep_lookup_board")
    won = deals.c.status == "won"
    query = (
        select(
            deals.c.owner,
            func.max(lookup.c.team),
            func.max(lookup.c.region),
            func.max(lookup.c.quota),
            func.coalesce(func.sum(case((won, deals.c.amount))), 0.0),
            func.coalesce(func.sum(case((won, 1), else_=0)), 0),
            func.coalesce(func.sum(case((won, 0), else_=1)), 0),
        )
        .select_from(deals.outerjoin(lookup, deals.c.owner == lookup.c.key))
        .where(*deal_conditions(workspace_id, filters, deals.c.close_date), deals.c.status.in_(CLOSED))
        .group_by(deals.c.owner)
    )
    years = ((end - start).days + 1) / 365.0 if start is not None and end is not None else None
    records = []
    for rep, team, region, quota, won_amount, won_count, lost_count in conn.execute(query):
        revenue, n_won, n_lost = float(won_amount), int(won_count), int(lost_count)
        records.append(
            {
                "rep": rep,
                "team": team,
                "region": region,
                "won_revenue": revenue,
                "deals_won": n_won,
                "deals_lost": n_lost,
                "win_rate": d.win_rate(n_won, n_lost),
                "avg_deal_size": d.avg_deal_size(revenue, n_won),
                "quota": None if quota is None else float(quota),
                "quota_attainment": None if quota is None or not years else d.ratio(revenue, float(quota) * years),
            }
        )
    columns = ["rep", "team", "region", "won_revenue", "deals_won", "deals_lost", "win_rate", "avg_deal_size"]
    frame = pd.DataFrame.from_records(records, columns=[*columns, "quota", "quota_attainment"])
    return frame.sort_values(["won_revenue", "rep"], ascending=[False, True], ignore_index=True)
