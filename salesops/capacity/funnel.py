"""The reverse funnel (docs/architecture.md "Definitions"): from the revenue to deliver back to the deals,
opportunities, leads and activities it takes, with the rates of step 1 over the 12 complete months before the plan.

    deals = revenue ÷ average deal size;  opportunities = deals ÷ win rate;
    leads = opportunities ÷ lead-to-opportunity rate;  activities = won deals × activities per won deal.

The rates come from the step-1 modules (``kpi.summary``, ``kpi.activity_by_rep``, ``performers``, the lead
cohorts of ``demand.leads``); a rate the data cannot give is None and its column is left empty, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from salesops import kpi
from salesops.demand.leads import QUALIFIED_SCORE, lead_cohorts
from salesops.filters import Filters
from salesops.kpi import definitions as d
from salesops.performers import compare_performers

FUNNEL_COLUMNS = ("period", "revenue", "deals", "opportunities", "leads", "activities")


@dataclass(frozen=True)
class FunnelRates:
    """Step-1 rates the supply plan converts demand with (None: the data does not show it)."""

    avg_deal_size: float | None
    win_rate: float | None
    lead_to_opportunity: float | None
    activities_per_won_deal: float | None
    activities_per_rep_month: float | None
    top_activities_per_won_deal: float | None  # the top performers' figure, when step 1 can split the team


def reverse_funnel(periods: list[str], revenue: np.ndarray, rates: FunnelRates) -> pd.DataFrame:
    """FUNNEL_COLUMNS per month for ``revenue`` (NaN where a rate is missing or zero)."""
    revenue = np.asarray(revenue, dtype=float)

    def divide(values: np.ndarray, rate: float | None) -> np.ndarray:
        return values / rate if rate else np.full(len(values), np.nan)

    deals = divide(revenue, rates.avg_deal_size)
    opportunities = divide(deals, rates.win_rate)
    leads = divide(opportunities, rates.lead_to_opportunity)
    per_deal = rates.activities_per_won_deal
    activities = deals * per_deal if per_deal is not None else np.full(len(deals), np.nan)
    return pd.DataFrame(
        {
            "period": periods,
            "revenue": revenue,
            "deals": deals,
            "opportunities": opportunities,
            "leads": leads,
            "activities": activities,
        }
    )


def funnel_rates(conn: Connection, workspace_id: int, start: pd.Period, months: int = 12) -> FunnelRates:
    """The rates over the ``months`` complete months before the first plan month ``start``."""
    window = Filters(start=(start - months).start_time.date(), end=(start - 1).end_time.date())
    summary = kpi.summary(conn, workspace_id, window)
    won = int(summary["deals_won"] or 0)
    total_activities = sum(int(v) for v in (summary.get("activities_by_type") or {}).values())
    by_rep = kpi.activity_by_rep(conn, workspace_id, window)
    per_rep_month = d.ratio(float(by_rep["total"].sum()), len(by_rep) * months) if len(by_rep) else None
    comparison = compare_performers(conn, workspace_id, window)
    top = comparison.metrics.loc[comparison.metrics["metric"] == "activities_per_won_deal", "top"]
    return FunnelRates(
        avg_deal_size=summary["avg_deal_size"],
        win_rate=summary["win_rate"],
        lead_to_opportunity=_lead_to_opportunity(conn, workspace_id, window),
        activities_per_won_deal=d.ratio(total_activities, won) if total_activities else None,
        activities_per_rep_month=per_rep_month if total_activities else None,
        top_activities_per_won_deal=float(top.iloc[0]) if len(top) and pd.notna(top.iloc[0]) else None,
    )


def _lead_to_opportunity(conn: Connection, workspace_id: int, window: Filters) -> float | None:
    """Converted ÷ leads with a known outcome among leads created in the window (demand.leads' cohorts)."""
    cohorts = lead_cohorts(conn, workspace_id, QUALIFIED_SCORE)
    if cohorts.empty:
        return None
    created = cohorts["month"].dt.date
    inside = cohorts[(created >= window.start) & (created <= window.end)] if window.start and window.end else cohorts
    return d.ratio(float(inside["converted"].sum()), float(inside["known"].sum()))


def with_top_performers(rates: FunnelRates) -> FunnelRates:
    """The same rates with activities per won deal at the top performers' level (what "work like the best" needs)."""
    if rates.top_activities_per_won_deal is None:
        return rates
    return replace(rates, activities_per_won_deal=rates.top_activities_per_won_deal)
