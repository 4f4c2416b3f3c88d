"""The latest saved plan against what was booked since: the "measure again" end of the planning cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection

from salesops.accuracy.forecast import plan_vs_actual
from salesops.asof import last_complete_month, resolve_as_of
from salesops.plan.drafts import latest_plan


@dataclass(frozen=True)
class PlanComparison:
    """Plan vs actual for the months of the latest plan that the data already covers."""

    version: int
    name: str
    metric: str  # revenue | deals
    first_period: str  # YYYY-MM, the plan's first and last month
    last_period: str
    months: pd.DataFrame  # period, plan, actual, variance, variance_pct; only months with complete data


def latest_plan_vs_actual(conn: Connection, workspace_id: int, as_of: date | None = None) -> PlanComparison | None:
    """The latest plan's total demand line against won revenue (or deals); None when no plan has one.

    Only months up to the last complete month of the as-of date (:mod:`salesops.asof`) are compared, so a plan
    made for the coming quarters shows nothing until the bookings of those months are imported (rather than a
    misleading 0 actual).
    """
    plan = latest_plan(conn, workspace_id)
    if plan is None:
        return None
    lines = plan.lines[(plan.lines["kind"] == "demand") & (plan.lines["segment"] == "")]
    if lines.empty:
        return None
    metric = str(lines["metric"].iloc[0])
    periods = sorted(str(p)[:7] for p in lines["period"])
    last_day = resolve_as_of(conn, workspace_id, as_of)
    months = plan_vs_actual(
        conn, workspace_id, lines[["period", "value"]], metric="deals" if metric == "deals" else "revenue"
    )
    if last_day is None:
        months = months.iloc[0:0]
    else:
        months = months[months["period"] <= last_complete_month(last_day).strftime("%Y-%m")]
    return PlanComparison(plan.version, plan.name, metric, periods[0], periods[-1], months.reset_index(drop=True))
