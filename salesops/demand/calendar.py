"""Which month the data runs to, so every demand view starts from the same month.

A month counts as complete when its last recorded day is on or after the 25th (``COMPLETE_DAY``): an export pulled
on the 10th holds a third of that month, and forecasting from it would pull every later month down.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import pandas as pd
from sqlalchemy import Connection, func, select

from salesops.i18n import Wording
from salesops.store.schema import deals

COMPLETE_DAY = 25

History = TypeVar("History", pd.Series, pd.DataFrame)


def last_data_day(conn: Connection, workspace_id: int) -> date | None:
    """The newest date in the workspace's deals: a created date, or the close date of a closed deal."""
    created = conn.execute(select(func.max(deals.c.created_date)).where(deals.c.workspace_id == workspace_id))
    closed = conn.execute(
        select(func.max(deals.c.close_date)).where(deals.c.workspace_id == workspace_id, deals.c.status != "open")
    )
    days = [pd.Timestamp(v).date() for v in (created.scalar(), closed.scalar()) if v is not None]
    return max(days) if days else None


def last_complete_month(last_day: date) -> pd.Timestamp:
    """Month start of the last complete month: ``last_day``'s month when ``last_day`` is on/after the 25th."""
    month = pd.Timestamp(last_day).to_period("M")
    return (month if last_day.day >= COMPLETE_DAY else month - 1).to_timestamp()


def first_forecast_month(last_day: date) -> pd.Period:
    """The first month to forecast: the one after the last complete month."""
    return last_complete_month(last_day).to_period("M") + 1


def complete_history(series: History, last_day: date | None) -> tuple[History, str]:
    """A monthly series (or frame of them) ending at the last complete month: an incomplete last month is dropped,
    quiet months up to it are 0. Returns the series and a warning ("" when nothing was dropped)."""
    if last_day is None or not len(series):
        return series, ""
    end = last_complete_month(last_day)
    index = pd.date_range(series.index[0], end, freq="MS", name=series.index.name)
    warning = ""
    if series.index[-1] > end:
        warning = Wording(
            "{month} is left out of the history: the data end on {day}, before day {complete}, and a part month "
            "would pull the forecast down.",
            month=f"{last_day:%Y-%m}",
            day=last_day.isoformat(),
            complete=COMPLETE_DAY,
        )
    return series.reindex(index, fill_value=0.0), warning
