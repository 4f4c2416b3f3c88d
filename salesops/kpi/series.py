"""Turn per-day aggregates from SQL into a continuous series of days, Monday-starting weeks or months.

SQL groups by calendar day (portable and small: at most one row per day), pandas rolls the days up to the asked
frequency, so week boundaries need no dialect-specific SQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import pandas as pd

from salesops.filters import Filters

Freq = Literal["D", "W", "M"]
_RULE: dict[str, str] = {"D": "D", "W": "W-MON", "M": "MS"}


def period_floor(day: date, freq: Freq) -> date:
    """The first day of the day/week (Monday)/month that contains ``day``."""
    if freq == "W":
        return day - timedelta(days=day.weekday())
    if freq == "M":
        return day.replace(day=1)
    return day


def daily_to_periods(daily: pd.DataFrame, filters: Filters, freq: Freq) -> pd.DataFrame:
    """Sum a frame indexed by day into periods labelled by their first day, with zero rows for empty periods.

    Every period between the filter's start and end appears (when both are set), so charts show gaps as zeros.
    """
    if freq not in _RULE:
        raise ValueError(f"freq must be one of {sorted(_RULE)}, not {freq!r}")
    index = pd.DatetimeIndex(pd.to_datetime(daily.index), name="period").as_unit("us")
    days = daily.set_axis(index)
    periods = days.groupby(pd.DatetimeIndex([period_floor(d.date(), freq) for d in index]).as_unit("us")).sum()
    if filters.start is not None and filters.end is not None and filters.start <= filters.end:
        full = pd.date_range(period_floor(filters.start, freq), filters.end, freq=_RULE[freq], unit="us")
        periods = periods.reindex(full.union(pd.DatetimeIndex(periods.index)), fill_value=0)
    periods.index.name = "period"
    return periods.reset_index()
