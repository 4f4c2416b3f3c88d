"""Which month the forecast starts from and the monthly history it learns from, both ending at the as-of date's last
complete month (:mod:`salesops.asof`), so every demand view starts from the same month."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import pandas as pd

from salesops.asof import COMPLETE_DAY, last_complete_month
from salesops.i18n import Wording

History = TypeVar("History", pd.Series, pd.DataFrame)


def first_forecast_month(as_of: date) -> pd.Period:
    """The first month to forecast: the one after the last complete month."""
    return last_complete_month(as_of).to_period("M") + 1


def complete_history(series: History, as_of: date | None) -> tuple[History, str]:
    """A monthly series (or frame of them) ending at the last complete month up to ``as_of``: months after it are
    dropped, quiet months up to it are 0. Returns the series and a warning ("" when no part month was dropped)."""
    if as_of is None or not len(series):
        return series, ""
    end = last_complete_month(as_of)
    index = pd.date_range(series.index[0], end, freq="MS", name=series.index.name)
    warning = ""
    if series.index[-1] > end and as_of.day < COMPLETE_DAY:
        warning = Wording(
            "{month} is left out of the history: the as-of date is {day}, before day {complete}, and a part month "
            "would pull the forecast down.",
            month=f"{as_of:%Y-%m}",
            day=as_of.isoformat(),
            complete=COMPLETE_DAY,
        )
    return series.reindex(index, fill_value=0.0), warning
