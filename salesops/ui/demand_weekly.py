"""Step 2 weekly view: the statistical forecast per week (weeks from Monday), as ``forecast --freq week`` gives it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesops.asof import resolve_as_of
from salesops.filters import Filters
from salesops.forecast import ForecastResult, forecast_series
from salesops.forecast.series import weekly_series
from salesops.formatting import money
from salesops.ui.charts import show
from salesops.ui.common import csv_download, data_version, engine, plain, t, workspace_id
from salesops.ui.demand_view import DemandForecast


@st.cache_data(max_entries=32, show_spinner=False)
def weekly_fit(
    workspace: int, version: int, filters: Filters, *, metric: str, weeks: int, level: int
) -> tuple[pd.Series, ForecastResult | None]:
    """Won revenue or deals per complete week and its forecast (None without any win), cached per data version."""
    with engine().connect() as conn:
        last_day = resolve_as_of(conn, workspace, filters.as_of)
        series = weekly_series(conn, workspace, metric, filters, last_day=last_day)  # type: ignore[arg-type]
    if not len(series) or not series.any():
        return series, None
    return series, forecast_series(series, weeks, level)


def render(outcome: DemandForecast) -> None:
    """Weeks-ahead slider, the weekly forecast with its interval, the chosen model and its reason."""
    s = outcome.settings
    st.session_state.setdefault("demand_weeks", 13)
    weeks = st.slider(t("Weeks ahead"), 4, 52, key="demand_weeks")
    with st.spinner(t("Fitting the weekly forecast…")):
        history, result = weekly_fit(
            workspace_id(), data_version(), outcome.filters, metric=s.metric, weeks=int(weeks), level=s.level
        )
    if result is None:
        st.info(t("No won deals by week in this selection."))
        return
    for warning in result.warnings:
        st.warning(t(warning))
    frame = result.forecast
    amount = money(float(frame["mean"].sum())) if s.metric == "revenue" else f"{frame['mean'].sum():,.0f}"
    st.metric(t("Forecast total, next {n} weeks", n=len(frame)), amount)
    recent = history.iloc[-104:]
    fig = go.Figure()
    fig.add_scatter(x=frame.index, y=frame["upper"], mode="lines", line={"width": 0}, showlegend=False)
    fig.add_scatter(
        x=frame.index, y=frame["lower"], mode="lines", line={"width": 0}, fill="tonexty", name=t("Interval")
    )
    fig.add_scatter(x=recent.index, y=recent.to_numpy(), mode="lines", name=t("Actual"))
    fig.add_scatter(x=frame.index, y=frame["mean"], mode="lines+markers", name=t("Weekly forecast"))
    fig.update_layout(title=t("Per week (weeks from Monday)"), legend={"orientation": "h"})
    show(fig, "demand_weekly_chart")
    st.markdown(
        t("**Weekly model:** {model}  \n**Why:** {note}", model=plain(result.model), note=plain(t(result.method_note)))
    )
    st.caption(
        t(
            "The weekly view is the statistical forecast alone: the assumption sliders, pipeline, leads and the plan "
            "work per month. A last week the data does not reach the Sunday of is left out of the history."
        )
    )
    table = frame[["mean", "lower", "upper"]].rename_axis("week").reset_index()
    csv_download(table, t("Download weekly forecast (CSV)"), "demand_weekly.csv", "demand_dl_weekly")
