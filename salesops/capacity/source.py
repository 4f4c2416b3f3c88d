"""Where step 3's demand comes from: a saved draft plan (the latest by default, any version selectable), or, with
none, the current baseline forecast of won revenue, saying so.

Scenarios: a plan line's ``lower`` is the worst case, ``value`` the base and ``upper`` the best (step 2 saved its
assumptions into all three); a plan of deal counts is priced at the average deal size. Service hours are the plan's
``service_hours`` total per month; without a plan they follow from the baseline's won deals with step 2's default
hours and tiers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from salesops.asof import default_as_of
from salesops.demand.calendar import complete_history
from salesops.demand.service import (
    DEFAULT_CHURN_MONTHLY,
    DEFAULT_SERVICE_HOURS,
    DEFAULT_TIER_THRESHOLD,
    service_demand,
    tier_customers,
    tier_shares,
)
from salesops.forecast import ForecastResult, forecast_series, monthly_series
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.plan.drafts import Plan

SCENARIOS = ("worst", "base", "best")


@dataclass(frozen=True)
class SupplyDemand:
    """Demand per plan month: revenue per scenario, service hours (None when unknown) and where it came from."""

    periods: list[str]  # YYYY-MM
    revenue: dict[str, np.ndarray]  # worst | base | best
    service_hours: np.ndarray | None
    plan_version: int | None
    note: str


def from_plan(
    plan: Plan, avg_deal_size: float | None, horizon: int | None = None, lang: str = DEFAULT_LANGUAGE
) -> SupplyDemand | None:
    """The plan's total demand (and service hours) for its first ``horizon`` months; None when it has no demand."""
    lines = plan.lines
    total = lines[(lines["kind"] == "demand") & (lines["segment"] == "")].sort_values("period")
    if total.empty:
        return None
    total = total.iloc[:horizon] if horizon else total
    metric = str(total["metric"].iloc[0])
    price = 1.0
    note = translate("Demand from plan version {v} “{name}”.", lang, v=plan.version, name=plan.name)
    if metric == "deals":
        price = float(avg_deal_size or 0.0)
        note += " " + translate(
            "The plan forecasts won deals, priced at the average deal size ({price}).", lang, price=f"{price:,.0f}"
        )
    value = total["value"].to_numpy(dtype=float)
    revenue = {
        "worst": total["lower"].fillna(total["value"]).to_numpy(dtype=float) * price,
        "base": value * price,
        "best": total["upper"].fillna(total["value"]).to_numpy(dtype=float) * price,
    }
    periods = [str(p)[:7] for p in total["period"]]
    service = lines[(lines["kind"] == "service_hours") & (lines["metric"] == "total_hours")]
    hours = None
    if not service.empty:
        hours = service.groupby("period")["value"].sum().reindex(periods, fill_value=0.0).to_numpy(dtype=float)
    if horizon and horizon > len(periods):
        note += " " + translate("It covers {n} months, fewer than the {h} asked for.", lang, n=len(periods), h=horizon)
    return SupplyDemand(periods, revenue, hours, plan.version, note)


def baseline_service_hours(
    conn: Connection, workspace_id: int, months: pd.DatetimeIndex, deals: np.ndarray
) -> np.ndarray:
    """Service hours per month for ``deals`` won deals a month, with step 2's default tiers, hours and churn."""
    frame = pd.DataFrame({"period": months, "deals": deals})
    shares = tier_shares(conn, workspace_id, DEFAULT_TIER_THRESHOLD)
    customers = tier_customers(conn, workspace_id, DEFAULT_TIER_THRESHOLD)
    service = service_demand(frame, shares, DEFAULT_SERVICE_HOURS, customers, DEFAULT_CHURN_MONTHLY)
    return service.groupby("period", sort=True)["total_hours"].sum().to_numpy(dtype=float)


def from_forecast(
    result: ForecastResult, service_hours: np.ndarray | None, lang: str = DEFAULT_LANGUAGE
) -> SupplyDemand:
    """Demand from a revenue forecast (worst/best = its interval), when no plan has been saved."""
    frame = result.forecast
    revenue = {
        "worst": frame["lower"].to_numpy(dtype=float),
        "base": frame["mean"].to_numpy(dtype=float),
        "best": frame["upper"].to_numpy(dtype=float),
    }
    note = translate(
        "No draft plan saved yet: demand is the current baseline forecast of won revenue ({model}; worst and best "
        "are its {level} % interval) and service hours use step 2's default hours. Save a plan on page 2 to plan "
        "supply against your own demand assumptions.",
        lang,
        model=result.model,
        level=result.level,
    )
    return SupplyDemand([p.strftime("%Y-%m") for p in frame.index], revenue, service_hours, None, note)


def baseline(conn: Connection, workspace_id: int, horizon: int, avg_deal_size: float | None) -> SupplyDemand | None:
    """The backtested forecast of won revenue, 90 % interval, when no plan has been saved; None without won deals.
    Slow (fits models): the UI uses step 2's cached fit and :func:`from_forecast` instead."""
    history, _ = complete_history(monthly_series(conn, workspace_id, "revenue"), default_as_of(conn, workspace_id))
    if not isinstance(history, pd.Series) or not len(history) or not history.any():
        return None
    result = forecast_series(history, horizon, 90)
    hours = None
    if avg_deal_size:
        months = pd.DatetimeIndex(result.forecast.index)
        hours = baseline_service_hours(conn, workspace_id, months, result.forecast["mean"].to_numpy() / avg_deal_size)
    return from_forecast(result, hours)
