"""Demand-planning forecast engine: model choice by rolling-origin backtest, intervals, reconciliation, assumptions."""

from salesops.forecast.assumptions import Assumptions, apply_assumptions
from salesops.forecast.reconcile import HierarchyResult, forecast_hierarchy
from salesops.forecast.select import ForecastResult, forecast_series
from salesops.forecast.series import monthly_series

__all__ = [
    "Assumptions",
    "ForecastResult",
    "HierarchyResult",
    "apply_assumptions",
    "forecast_hierarchy",
    "forecast_series",
    "monthly_series",
]
