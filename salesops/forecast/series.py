"""Monthly won revenue or won-deal counts from the store, aggregated in SQL, ready for :func:`forecast_series`.

Revenue is the sum of ``amount`` of deals with status ``won`` by month of ``close_date`` (docs/architecture.md);
deals is their count. Months without a win inside the data's span are 0, so the index is a continuous monthly
``DatetimeIndex`` with ``freq="MS"``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, overload

import pandas as pd
from sqlalchemy import ColumnElement, Connection, func, select
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from salesops.filters import Filters
from salesops.kpi.outputs import bookings
from salesops.kpi.sqlfilters import NO_FILTERS, deal_conditions, grouped, rep_directory
from salesops.store.schema import deals
from salesops.store.sqlfn import month_of

Metric = Literal["revenue", "deals"]
GROUP_COLUMNS = ("segment", "product", "region", "owner", "lead_source", "deal_type", "team")
NO_GROUP = "(none)"  # label of deals whose grouping column is empty


@overload
def monthly_series(
    conn: Connection, workspace_id: int, metric: Metric, filters: Filters | None = None, by: None = None
) -> pd.Series: ...
@overload
def monthly_series(
    conn: Connection, workspace_id: int, metric: Metric, filters: Filters | None = None, *, by: str
) -> pd.DataFrame: ...
@overload
def monthly_series(
    conn: Connection, workspace_id: int, metric: Metric, filters: Filters | None = None, by: str | None = None
) -> pd.Series | pd.DataFrame: ...
def monthly_series(
    conn: Connection,
    workspace_id: int,
    metric: Metric,
    filters: Filters | None = None,
    by: str | None = None,
) -> pd.Series | pd.DataFrame:
    """Won revenue (or won deal count) per month: a Series, or with ``by`` a DataFrame with one column per value of
    that deals column (empty values under ``"(none)"``), so the columns add up to the total series.

    ``by="team"`` groups by owner in SQL and folds owners into their rep's team (reps table) afterwards.
    """
    if metric not in ("revenue", "deals"):
        raise ValueError(f"metric must be 'revenue' or 'deals', not {metric!r}")
    if by is not None and by not in GROUP_COLUMNS:
        raise ValueError(f"by must be one of {GROUP_COLUMNS}, not {by!r}")
    filters = filters or NO_FILTERS
    rows = (
        select(
            month_of(deals.c.close_date, conn.dialect.name).label("month"),
            *([deals.c["owner" if by == "team" else by].label("grp")] if by else []),
            deals.c.amount.label("amount"),
        )
        .where(*deal_conditions(workspace_id, filters, deals.c.close_date))
        .where(deals.c.status == "won", deals.c.close_date.is_not(None))
    )
    keys = ["month", "grp"] if by else ["month"]

    def measure(columns: ReadOnlyColumnCollection[str, Any]) -> list[ColumnElement[Any]]:
        value = func.coalesce(func.sum(columns.amount), 0.0) if metric == "revenue" else func.count()
        return [value.label("value")]

    frame = pd.DataFrame(conn.execute(grouped(rows, keys, measure)).all(), columns=[*keys, "value"])
    frame["month"] = pd.to_datetime(frame["month"].astype(str) + "-01")
    frame["value"] = frame["value"].astype(float)
    index = _months(frame["month"])
    if by is None:
        series = frame.set_index("month")["value"].reindex(index, fill_value=0.0)
        return series.rename(metric)
    if by == "team":
        teams = {owner: rep.team for owner, rep in rep_directory(conn, workspace_id).items()}
        frame["grp"] = frame["grp"].map(teams)
    frame["grp"] = frame["grp"].fillna(NO_GROUP).astype(str).replace("", NO_GROUP)
    wide = frame.pivot_table(index="month", columns="grp", values="value", aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(index, fill_value=0.0)
    wide.columns = pd.Index([str(c) for c in wide.columns], name=by)
    return wide.astype(float)


def weekly_series(
    conn: Connection,
    workspace_id: int,
    metric: Metric,
    filters: Filters | None = None,
    last_day: date | None = None,
) -> pd.Series:
    """Won revenue (or won deals) per week from Monday, ``freq="W-MON"``, for the weekly forecast.

    Weeks without a win are 0; a last week that ``last_day`` (the newest data) does not reach the Sunday of is
    dropped, so a part week does not drag the forecast down.
    """
    if metric not in ("revenue", "deals"):
        raise ValueError(f"metric must be 'revenue' or 'deals', not {metric!r}")
    frame = bookings(conn, workspace_id, filters or NO_FILTERS, "W")
    if frame.empty:
        return pd.Series([], index=pd.DatetimeIndex([], freq="W-MON", name="period"), name=metric, dtype=float)
    values = frame["won_revenue" if metric == "revenue" else "deals_won"].astype(float).to_numpy()
    index = pd.DatetimeIndex(pd.to_datetime(frame["period"]), name="period")
    series = pd.Series(values, index=index, name=metric)
    series = series.reindex(pd.date_range(index.min(), index.max(), freq="W-MON", name="period"), fill_value=0.0)
    if last_day is not None and len(series) and pd.Timestamp(last_day) < series.index[-1] + pd.Timedelta(days=6):
        series = series.iloc[:-1]
    return series


def _months(months: pd.Series) -> pd.DatetimeIndex:
    """Every month from the first to the last with data (empty when there is none), ``freq="MS"``."""
    if months.empty:
        return pd.DatetimeIndex([], freq="MS", name="period")
    return pd.date_range(months.min(), months.max(), freq="MS", name="period")
