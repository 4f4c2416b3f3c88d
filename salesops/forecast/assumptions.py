"""Planner assumptions applied to a finished forecast, so moving a slider never refits a model.

The formula, per forecast period k = 1..H (``periods_per_year`` is 12 for monthly, 52 for weekly data):

1. Scenario: ``base`` keeps the mean; ``worst`` uses the interval's lower bound as the mean, ``best`` its upper
   bound (the interval itself is unchanged).
2. Seasonality off: mean, lower and upper are divided by the forecast's ``seasonal_factor`` (the history's
   multiplicative seasonal index), leaving the trend without the seasonal swing.
3. Multiplier m_k = (1 + growth)^(k / periods_per_year) x (1 + win-rate change) x (1 + lead-volume change)
   x (1 + deal-size change), percentages as fractions. Growth is an annual uplift compounded every period;
   revenue = leads x win rate x deal size, so the other three scale it directly. For the deal-count metric the
   deal-size change does not apply.
4. mean, lower and upper are multiplied by m_k and clipped at zero (a -100 % change means nothing is sold).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from salesops.forecast.models import seasonal_period

Scenario = Literal["worst", "base", "best"]


@dataclass(frozen=True)
class Assumptions:
    """What the planner believes will differ from the history; all changes in percent, 0 means "as forecast"."""

    growth_pct: float = 0.0  # annual uplift on top of the forecast, compounded per period
    win_rate_change_pct: float = 0.0  # relative change, e.g. 10 = win rate x 1.10
    deal_size_change_pct: float = 0.0
    lead_volume_change_pct: float = 0.0
    scenario: Scenario = "base"
    seasonality: bool = True


def multipliers(index: pd.DatetimeIndex, assumptions: Assumptions, metric: str = "revenue") -> np.ndarray:
    """The per-period multiplier m_k of step 3 of the module's formula."""
    per_year = seasonal_period(index.freqstr if index.freq is not None else None)
    per_year = per_year if per_year > 1 else 12
    k = np.arange(1, len(index) + 1)
    growth = np.power(max(1 + assumptions.growth_pct / 100, 0.0), k / per_year)
    level = (1 + assumptions.win_rate_change_pct / 100) * (1 + assumptions.lead_volume_change_pct / 100)
    if metric == "revenue":
        level *= 1 + assumptions.deal_size_change_pct / 100
    return growth * max(level, 0.0)


def apply_assumptions(
    result_forecast: pd.DataFrame, assumptions: Assumptions, *, metric: Literal["revenue", "deals"] = "revenue"
) -> pd.DataFrame:
    """A copy of a forecast frame (mean, lower, upper[, seasonal_factor]) adjusted by the module's formula."""
    if assumptions.scenario not in ("worst", "base", "best"):
        raise ValueError(f"scenario must be worst, base or best, not {assumptions.scenario!r}")
    frame = result_forecast.copy()
    if assumptions.scenario == "worst":
        frame["mean"] = frame["lower"]
    elif assumptions.scenario == "best":
        frame["mean"] = frame["upper"]
    if not assumptions.seasonality and "seasonal_factor" in frame:
        factor = frame["seasonal_factor"].where(frame["seasonal_factor"] > 0, 1.0)
        frame[["mean", "lower", "upper"]] = frame[["mean", "lower", "upper"]].div(factor, axis=0)
        frame["seasonal_factor"] = 1.0
    scale = multipliers(pd.DatetimeIndex(frame.index), assumptions, metric)
    frame[["mean", "lower", "upper"]] = frame[["mean", "lower", "upper"]].mul(scale, axis=0).clip(lower=0)
    return frame
