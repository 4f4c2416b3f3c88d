"""Step 2 pipeline view: the weighted open pipeline month by month beside the statistical forecast."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesops.demand.pipeline import PipelineForecast, pipeline_forecast
from salesops.filters import Filters
from salesops.ui import charts
from salesops.ui.common import compact_money, csv_download, data_version, engine, language, t, workspace_id
from salesops.ui.demand_view import DemandForecast

QUARTER = 3


@st.cache_data(max_entries=64, show_spinner=False)
def cached_pipeline(workspace: int, version: int, filters: Filters, horizon: int, lang: str) -> PipelineForecast:
    """Open deals weighted by win probability and spread over their expected close months (notes in ``lang``)."""
    with engine().connect() as conn:
        return pipeline_forecast(conn, workspace, filters, horizon, lang=lang)


def pipeline_for(outcome: DemandForecast) -> PipelineForecast:
    """The cached pipeline forecast for the page's filters and horizon."""
    return cached_pipeline(workspace_id(), data_version(), outcome.filters, outcome.settings.horizon, language())


def comparison(outcome: DemandForecast, pipe: PipelineForecast) -> pd.DataFrame:
    """Per forecast month: the statistical forecast (after assumptions) and the pipeline's figures side by side."""
    stat = outcome.adjusted["mean"].rename("statistical").rename_axis("period").reset_index()
    return stat.merge(pipe.frame, on="period", how="outer").sort_values("period").fillna(0.0)


def render(outcome: DemandForecast) -> pd.DataFrame | None:
    """Commit / best case / weighted pipeline bars per month with the statistical line, stage table and method;
    returns the month-by-month comparison for the plan (None without open deals)."""
    pipe = pipeline_for(outcome)
    if pipe.stage_table.empty:
        st.info(
            t(
                "No open deals in this selection, so there is no pipeline to weigh. Import an export that includes "
                "open opportunities, or widen the filters."
            )
        )
        return None
    table = comparison(outcome, pipe)
    revenue = outcome.settings.metric == "revenue"
    first = table.head(QUARTER)
    cols = st.columns(4)
    if revenue:
        cols[0].metric(t("Statistical, next quarter"), compact_money(float(first["statistical"].sum())))
        cols[1].metric(t("Commit, next quarter"), compact_money(float(first["commit"].sum())))
        cols[2].metric(t("Best case, next quarter"), compact_money(float(first["best_case"].sum())))
        cols[3].metric(t("Weighted pipeline, next quarter"), compact_money(float(first["pipeline_weighted"].sum())))
    else:
        cols[0].metric(t("Statistical, next quarter"), t("{n} wins", n=f"{first['statistical'].sum():,.0f}"))
        cols[1].metric(t("Expected wins from pipeline"), f"{first['expected_wins'].sum():,.0f}")
        cols[2].metric(t("Open deals expected to close"), f"{first['deals'].sum():,.0f}")
    fig = go.Figure()
    months = table["period"]
    bars = (
        [("commit", t("Commit")), ("best_case", t("Best case")), ("pipeline_weighted", t("Weighted pipeline"))]
        if revenue
        else [("expected_wins", t("Expected wins from pipeline"))]
    )
    for column, label in bars:
        fig.add_bar(x=months, y=table[column], name=label)
    fig.add_scatter(x=months, y=table["statistical"], mode="lines+markers", name=t("Statistical forecast"))
    fig.update_layout(
        barmode="group",
        title=t("Pipeline vs statistical forecast by month"),
        legend={"orientation": "h"},
        margin={"t": 50},
    )
    charts.show(fig, "demand_pipeline_chart")
    st.caption(
        t(
            "The pipeline only holds deals already open, so it fades after a few months; the statistical forecast "
            "also counts deals not created yet. {note}",
            note=pipe.method_note,
        )
    )
    if revenue and pipe.beyond_horizon > 0:
        st.caption(
            t("{amount} of weighted pipeline is expected after the horizon.", amount=compact_money(pipe.beyond_horizon))
        )
    csv_download(table, t("Download pipeline vs statistical (CSV)"), "demand_pipeline.csv", "demand_dl_pipe")
    stages = pipe.stage_table.rename(
        columns={
            "stage": t("Stage"),
            "open_deals": t("Open deals"),
            "amount": t("Amount"),
            "win_probability": t("Win probability"),
            "weighted_amount": t("Weighted amount"),
            "source": t("Probability from"),
        }
    )
    st.dataframe(
        stages,
        hide_index=True,
        width="stretch",
        column_config={
            t("Amount"): st.column_config.NumberColumn(format="dollar"),
            t("Weighted amount"): st.column_config.NumberColumn(format="dollar"),
            t("Win probability"): st.column_config.NumberColumn(format="percent"),
        },
    )
    csv_download(pipe.stage_table, t("Download stage table (CSV)"), "demand_stages.csv", "demand_dl_stages")
    return table
