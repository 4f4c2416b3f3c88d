"""Plan vs actual with its causes, and the lessons the next draft starts from ("measure, then restart").

For each month of a version that the data now covers, planned revenue R_p splits into closed deals × win rate ×
deal size. The planned win rate and deal size are the trailing-12-month rates before the plan's ``history_end``,
times the plan's win-rate and deal-size changes; planned closed deals are what is left (R_p ÷ (rate × size)).
With the actual month's closed deals C, win rate w and size s, the error R_a − R_p splits exactly into
volume (C_a − C_p)·w_p·s_p, win rate C_a·(w_a − w_p)·s_p and deal size C_a·w_a·(s_a − s_p); the cause is the
largest of the three. Slippage would need the close dates deals had when the plan was made; the store keeps only
today's, so slipped deals count as volume, and the note says so. Plan error = (actual − planned) ÷ planned.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, case, distinct, func, select

from salesops.asof import default_as_of, last_complete_month
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.ingest.fields import CLOSED_STATUSES
from salesops.kpi import definitions as d
from salesops.plan.drafts import Plan
from salesops.store.schema import deals, reps
from salesops.store.sqlfn import month_of

REVIEW_COLUMNS = [
    "period",
    "planned",
    "actual",
    "error",
    "error_pct",
    "planned_closed",
    "actual_closed",
    "planned_win_rate",
    "actual_win_rate",
    "planned_deal_size",
    "actual_deal_size",
    "volume_effect",
    "win_rate_effect",
    "size_effect",
    "cause",
    "planned_heads",
    "actual_heads",
    "planned_hires",
    "actual_hires",
]
CAUSES = ("volume", "win_rate", "deal_size")


@dataclass(frozen=True)
class PlanReview:
    """A version against what happened: per month figures, accuracy (MAPE), lessons for the next draft."""

    version: int
    months: pd.DataFrame  # REVIEW_COLUMNS, only months with complete data
    mape: float | None
    lessons: dict[str, float]  # assumption key → value for the next draft (percent changes, as step 2 uses)
    notes: tuple[str, ...]


def _month_bounds(first: str, last: str) -> tuple[date, date]:
    year, month = int(last[:4]), int(last[5:7])
    return date(int(first[:4]), int(first[5:7]), 1), date(year, month, calendar.monthrange(year, month)[1])


def closed_by_month(conn: Connection, workspace_id: int, start: date, end: date) -> pd.DataFrame:
    """Per month of close: won and lost deals, won revenue and reps with a closed deal (heads at work)."""
    bucket = month_of(deals.c.close_date, conn.dialect.name)
    won = deals.c.status == "won"
    query = (
        select(
            bucket.label("period"),
            func.sum(case((won, 1), else_=0)).label("won"),
            func.count().label("closed"),
            func.coalesce(func.sum(case((won, deals.c.amount), else_=0.0)), 0.0),
            func.count(distinct(deals.c.owner)),
        )
        .where(
            deals.c.workspace_id == workspace_id,
            deals.c.status.in_(CLOSED_STATUSES),
            deals.c.close_date >= start,
            deals.c.close_date <= end,
        )
        .group_by(bucket)
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=["period", "won", "closed", "revenue", "heads"])
    return frame.astype({"won": float, "closed": float, "revenue": float, "heads": float}).set_index("period")


def hires_by_month(conn: Connection, workspace_id: int, start: date, end: date) -> pd.Series:
    """Reps whose hire date falls in each month (empty when the reps export has no hire dates)."""
    bucket = month_of(reps.c.hire_date, conn.dialect.name)
    query = (
        select(bucket, func.count())
        .where(reps.c.workspace_id == workspace_id, reps.c.hire_date >= start, reps.c.hire_date <= end)
        .group_by(bucket)
    )
    return pd.Series(dict(conn.execute(query).all()), dtype=float)


def baseline_rates(conn: Connection, workspace_id: int, history_end: str) -> tuple[float | None, float | None]:
    """Win rate and average won deal size of the 12 months up to ``history_end`` (YYYY-MM), the plan's base."""
    end_year, end_month = int(history_end[:4]), int(history_end[5:7])
    start = (pd.Timestamp(year=end_year, month=end_month, day=1) - pd.DateOffset(months=11)).date()
    frame = closed_by_month(conn, workspace_id, start, _month_bounds(history_end, history_end)[1])
    won, closed, revenue = frame["won"].sum(), frame["closed"].sum(), frame["revenue"].sum()
    return d.win_rate(int(won), int(closed - won)), d.avg_deal_size(float(revenue), int(won))


def _planned_rates(plan: Plan, base_rate: float | None, base_size: float | None) -> tuple[float | None, float | None]:
    a = plan.assumptions
    rate = None if base_rate is None else base_rate * (1 + float(a.get("win_rate_change_pct", 0.0)) / 100)
    size = None if base_size is None else base_size * (1 + float(a.get("deal_size_change_pct", 0.0)) / 100)
    return rate, size


def _effects(row: dict[str, Any]) -> dict[str, Any]:
    """The volume / win-rate / deal-size split of one month's revenue error and its largest part."""
    c_p, w_p, s_p = row["planned_closed"], row["planned_win_rate"], row["planned_deal_size"]
    c_a, w_a, s_a = row["actual_closed"], row["actual_win_rate"], row["actual_deal_size"]
    if None in (c_p, w_p, s_p) or not c_a:
        return {"volume_effect": None, "win_rate_effect": None, "size_effect": None, "cause": "volume"}
    w_a, s_a = w_a or 0.0, s_a or 0.0
    effects = {
        "volume": (c_a - c_p) * w_p * s_p,
        "win_rate": c_a * (w_a - w_p) * s_p,
        "deal_size": c_a * w_a * (s_a - s_p),
    }
    cause = max(effects, key=lambda k: abs(effects[k]))
    return {
        "volume_effect": effects["volume"],
        "win_rate_effect": effects["win_rate"],
        "size_effect": effects["deal_size"],
        "cause": cause,
    }


def _clip(value: float, low: float, high: float) -> float:
    return float(round(min(max(value, low), high)))


def lessons(plan: Plan, months: pd.DataFrame, base: tuple[float | None, float | None]) -> dict[str, float]:
    """Assumption values that would have made the plan right over the months seen: the next draft's defaults.

    Win-rate and deal-size changes are the actual rates against the plan's base rates; the lead-volume change
    scales the plan's own by actual ÷ planned closed deals. Rounded and clipped to the ranges of step 2's sliders.
    """
    seen = months[months["actual_closed"] > 0]
    if seen.empty or base[0] is None or base[1] is None:
        return {}
    won = float((seen["actual_win_rate"].fillna(0) * seen["actual_closed"]).sum())
    closed = float(seen["actual_closed"].sum())
    out = {"win_rate_change_pct": _clip((won / closed / base[0] - 1) * 100, -50, 50)}
    if plan.assumptions.get("metric", "revenue") == "revenue":
        sizes = seen["actual_deal_size"].fillna(0) * seen["actual_win_rate"].fillna(0) * seen["actual_closed"]
        out["deal_size_change_pct"] = _clip((float(sizes.sum()) / won / base[1] - 1) * 100 if won else 0.0, -50, 50)
    planned_closed = float(seen["planned_closed"].sum())
    if planned_closed:
        old = 1 + float(plan.assumptions.get("lead_volume_change_pct", 0.0)) / 100
        out["lead_volume_change_pct"] = _clip((old * closed / planned_closed - 1) * 100, -50, 100)
    return out


def _heads_and_hires(plan: Plan, periods: list[str], base_heads: float) -> tuple[list[float], list[float]]:
    """Planned reps at work per month (baseline heads + hires productive by then) and planned hires per month."""
    hires = (plan.assumptions.get("supply") or {}).get("hires", [])
    heads = [
        base_heads + sum(int(h.get("count", 0)) for h in hires if str(h.get("productive_from", "9999")) <= p)
        for p in periods
    ]
    planned = [float(sum(int(h.get("count", 0)) for h in hires if str(h.get("hire_by", ""))[:7] == p)) for p in periods]
    return heads, planned


def review_plan(conn: Connection, workspace_id: int, plan: Plan, lang: str = DEFAULT_LANGUAGE) -> PlanReview | None:
    """``plan``'s total demand against the months the data now covers completely; None without a demand line."""
    lines = plan.lines[(plan.lines["kind"] == "demand") & (plan.lines["segment"] == "")]
    last_day = default_as_of(conn, workspace_id)
    if lines.empty or last_day is None:
        return None
    planned = lines.groupby("period")["value"].sum()
    covered = [p for p in planned.index if p <= last_complete_month(last_day).strftime("%Y-%m")]
    notes = [
        translate(
            "Slippage needs the close dates deals had when the plan was made; the data holds only today's, so "
            "slipped deals count as volume.",
            lang,
        )
    ]
    if not covered:
        notes.insert(0, translate("No month of this plan is complete in the data yet: import newer deals.", lang))
        return PlanReview(plan.version, pd.DataFrame(columns=REVIEW_COLUMNS), None, {}, tuple(notes))
    history_end = str(plan.assumptions.get("history_end") or min(planned.index))
    base = baseline_rates(conn, workspace_id, history_end)
    rates = _planned_rates(plan, *base)
    metric = str(plan.assumptions.get("metric", "revenue"))
    start, end = _month_bounds(covered[0], covered[-1])
    actual = closed_by_month(conn, workspace_id, start, end)
    base_end = _month_bounds(history_end, history_end)[1]
    before = closed_by_month(conn, workspace_id, (pd.Timestamp(base_end) - pd.DateOffset(months=12)).date(), base_end)
    heads, hires = _heads_and_hires(plan, covered, float(before["heads"].mean()) if len(before) else 0.0)
    hired = hires_by_month(conn, workspace_id, start, end)
    rows = [_month_row(p, float(planned[p]), actual, metric, rates) for p in covered]
    months = pd.DataFrame.from_records(rows, columns=REVIEW_COLUMNS[:15])
    months["planned_heads"], months["planned_hires"] = heads, hires
    months["actual_heads"] = [float(actual["heads"].get(p, 0.0)) for p in covered]
    months["actual_hires"] = [float(hired.get(p, 0.0)) for p in covered]
    errors = [abs(e) for e in months["error_pct"] if e is not None and pd.notna(e)]
    mape = sum(errors) / len(errors) if errors else None
    return PlanReview(plan.version, months[REVIEW_COLUMNS], mape, lessons(plan, months, base), tuple(notes))


def _month_row(
    period: str, planned: float, actual: pd.DataFrame, metric: str, rates: tuple[float | None, float | None]
) -> dict[str, Any]:
    """One month of the review: planned vs actual and the split of the error (``rates``: planned win rate, size)."""
    rate, size = rates
    got = actual.to_dict("index").get(period) or {"won": 0.0, "closed": 0.0, "revenue": 0.0}
    won, closed, revenue = float(got["won"]), float(got["closed"]), float(got["revenue"])
    unit = 1.0 if metric == "deals" else size
    value = won if metric == "deals" else revenue
    row: dict[str, Any] = {
        "period": period,
        "planned": planned,
        "actual": value,
        "error": value - planned,
        "error_pct": d.ratio(value - planned, planned),
        "planned_closed": None if not rate or not unit else planned / (rate * unit),
        "actual_closed": closed,
        "planned_win_rate": rate,
        "actual_win_rate": d.win_rate(int(won), int(closed - won)),
        "planned_deal_size": unit,
        "actual_deal_size": 1.0 if metric == "deals" else d.avg_deal_size(revenue, int(won)),
    }
    return {**row, **_effects(row)}
