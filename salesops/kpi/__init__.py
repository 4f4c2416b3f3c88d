"""KPI layer of step 1: output KPIs (deals), input KPIs (activity rollup), performers and data quality, in SQL."""

from salesops.kpi.definitions import previous_period
from salesops.kpi.inputs import activity_by_rep, activity_mix
from salesops.kpi.outputs import bookings, funnel, leaderboard, resolve_period, summary, summary_by

__all__ = [
    "activity_by_rep",
    "activity_mix",
    "bookings",
    "funnel",
    "leaderboard",
    "previous_period",
    "resolve_period",
    "summary",
    "summary_by",
]
