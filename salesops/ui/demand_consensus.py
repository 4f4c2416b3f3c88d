"""Step 2 consensus: the statistical, pipeline and lead-based forecasts for the same months, why they differ, and the
planner's pick or blend, the one demand number the draft plan takes (see :mod:`salesops.demand.consensus`)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesops.demand.consensus import LABELS, SOURCES, Consensus, LeadBasis, blend, explain, side_by_side
from salesops.formatting import money
from salesops.ui.charts import show
from salesops.ui.common import csv_download, data_version, language, plain, t, workspace_id
from salesops.ui.demand_leads import cached_leads, lead_count
from salesops.ui.demand_view import DemandForecast

DEFAULT_WEIGHTS = {"statistical": 50, "pipeline": 25, "leads": 25}


def lead_source(outcome: DemandForecast) -> tuple[pd.Series | None, LeadBasis | None]:
    """Revenue from leads per month and what it assumes (None without leads that have an outcome)."""
    ws, version, s = workspace_id(), data_version(), outcome.settings
    if not lead_count(ws, version):
        return None, None
    threshold = float(st.session_state.get("demand_lead_threshold", 60))
    demand = cached_leads(
        ws, version, s.horizon, s.assumptions.lead_volume_change_pct, threshold, as_of=outcome.filters.as_of
    )
    if float(demand.bands["leads_with_outcome"].sum()) == 0:
        return None, None
    basis = LeadBasis(demand.lag_months, demand.qualified_conversion, demand.avg_deal_size)
    return demand.frame.set_index("period")["revenue"], basis


def _weights(available: list[str]) -> dict[str, float]:
    """The pick (one source at 100 %) or the blend's weight sliders; returns the weights chosen."""
    options = [*available, "blend"]
    st.session_state.setdefault("demand_consensus", "statistical")
    if st.session_state["demand_consensus"] not in options:
        st.session_state["demand_consensus"] = "statistical"
    choice = st.radio(
        t("Demand for the plan"),
        options,
        format_func=lambda name: t("Blend") if name == "blend" else t(LABELS[name]),
        horizontal=True,
        key="demand_consensus",
    )
    if choice != "blend":
        return {choice: 100.0}
    cols = st.columns(len(available))
    weights = {}
    for col, name in zip(cols, available, strict=True):
        st.session_state.setdefault(f"demand_weight_{name}", DEFAULT_WEIGHTS[name])
        weights[name] = float(
            col.slider(t("{source} weight (%)", source=t(LABELS[name])), 0, 100, key=f"demand_weight_{name}")
        )
    return weights


def render(outcome: DemandForecast, pipeline: pd.DataFrame | None) -> Consensus | None:
    """The three forecasts side by side with the reasons they differ and the pick or blend; returns the consensus
    (None when the forecast is of deal counts: the pipeline and lead sources are revenue)."""
    if outcome.settings.metric != "revenue":
        st.info(t("The consensus compares revenue forecasts: choose “Won revenue” under Assumptions to blend them."))
        return None
    pipe = pipeline.set_index("period")["pipeline_weighted"] if pipeline is not None else None
    leads, basis = lead_source(outcome)
    sources = side_by_side(outcome.adjusted["mean"], pipe, leads)
    available = [name for name in SOURCES if name in sources.columns]
    try:
        result = blend(sources, _weights(available))
    except ValueError as error:
        st.warning(t(str(error)) + " " + t("Using the statistical forecast until then."))
        result = blend(sources, {"statistical": 100})
    cols = st.columns(len(available) + 1)
    for col, name in zip(cols[:-1], available, strict=True):
        col.metric(t("{source}, next {h} months", source=t(LABELS[name]), h=len(sources)), money(sources[name].sum()))
    cols[-1].metric(t("Demand for the plan, next {h} months", h=len(sources)), money(result.frame["consensus"].sum()))
    fig = go.Figure()
    for name in available:
        fig.add_scatter(x=sources.index, y=sources[name], mode="lines+markers", name=t(LABELS[name]))
    fig.add_scatter(
        x=sources.index, y=result.frame["consensus"], mode="lines", line={"width": 4}, name=t("Demand for the plan")
    )
    fig.update_layout(title=t("The three forecasts and the demand for the plan"), legend={"orientation": "h"})
    show(fig, "demand_consensus_chart")
    for line in explain(sources, basis, language()):
        st.markdown("- " + plain(line))
    csv_download(result.frame.reset_index(), t("Download consensus (CSV)"), "demand_consensus.csv", "demand_dl_cons")
    return result
