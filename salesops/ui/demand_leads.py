"""Step 2 lead view: revenue implied by the leads marketing delivers, and the qualified leads the target needs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesops.demand import LeadDemand, leads_needed_frame
from salesops.demand.leads import LeadHistory, lead_history, project_leads
from salesops.formatting import MISSING, count, percent
from salesops.store.workspaces import describe
from salesops.ui import charts
from salesops.ui.common import compact_money, csv_download, data_version, engine, language, t, workspace_id
from salesops.ui.demand_view import DemandForecast


@st.cache_data(max_entries=16, show_spinner=False)
def cached_history(workspace: int, version: int, threshold: float, as_of: date | None) -> LeadHistory:
    """Lead cohorts and deal rates of a workspace (the SQL part), read once per data version, threshold, as-of."""
    with engine().connect() as conn:
        return lead_history(conn, workspace, threshold=threshold, as_of=as_of)


def cached_leads(
    workspace: int, version: int, horizon: int, lead_volume_pct: float, threshold: float, *, as_of: date | None
) -> LeadDemand:
    """Lead cohorts projected ``horizon`` months with the lead-volume change (pure, so a slider move costs no SQL)."""
    return project_leads(cached_history(workspace, version, threshold, as_of), horizon, lead_volume_pct, language())


@st.cache_data(max_entries=64, show_spinner=False)
def lead_count(workspace: int, version: int) -> int:
    """How many leads the workspace holds."""
    with engine().connect() as conn:
        found = describe(conn, workspace)
    return found.counts.get("leads", 0) if found else 0


def target_by_month(outcome: DemandForecast) -> pd.Series:
    """The revenue target over the horizon spread over its months in the statistical forecast's shape."""
    shape = outcome.fit.total.forecast["mean"]
    weights = shape / shape.sum() if shape.sum() > 0 else pd.Series(1 / len(shape), index=shape.index)
    return (weights * outcome.settings.target).rename("target")


def render(outcome: DemandForecast) -> None:
    """Expected revenue from leads per month and the sales-and-marketing agreement: qualified leads per month."""
    s = outcome.settings
    st.session_state.setdefault("demand_lead_threshold", 60)
    threshold = st.slider(
        t("Lead score that counts as qualified"),
        0,
        100,
        step=5,
        key="demand_lead_threshold",
        help=t("Scores come from lead scoring on page 1."),
    )
    change = s.assumptions.lead_volume_change_pct
    ws, version = workspace_id(), data_version()
    demand = None
    if lead_count(ws, version):
        demand = cached_leads(ws, version, s.horizon, change, float(threshold), as_of=outcome.filters.as_of)
    if demand is None or float(demand.bands["leads_with_outcome"].sum()) == 0:
        st.info(t("No leads with a known outcome yet: import a leads export on page 1 to see lead-based demand."))
        return
    delivered = replace(demand, qualified_monthly=demand.qualified_monthly * (1 + change / 100))
    cols = st.columns(4)
    cols[0].metric(
        t("Revenue from leads, next {h} months", h=s.horizon), compact_money(float(demand.frame["revenue"].sum()))
    )
    cols[1].metric(t("Qualified leads expected per month"), f"{delivered.qualified_monthly:,.0f}")
    cols[2].metric(t("Qualified lead → won deal"), percent(demand.qualified_conversion))
    agreement = None
    if s.target > 0:
        agreement = leads_needed_frame(target_by_month(outcome), delivered)
        needed = float(agreement["qualified_leads_needed"].mean())
        gap = needed - delivered.qualified_monthly
        cols[3].metric(
            t("Qualified leads needed per month"),
            count(needed),
            help=t("Qualified leads marketing must deliver each month for the revenue target."),
            delta=t("{n} more than expected", n=f"{gap:,.0f}") if gap > 0 else t("run rate is enough"),
            delta_color="inverse" if gap > 0 else "normal",
        )
    else:
        cols[3].metric(
            t("Qualified leads needed per month"), MISSING, help=t("Set a revenue target under Assumptions.")
        )
    fig = go.Figure()
    fig.add_bar(x=demand.frame["period"], y=demand.frame["revenue"], name=t("Revenue from leads"))
    if s.metric == "revenue":
        fig.add_scatter(
            x=outcome.adjusted.index, y=outcome.adjusted["mean"], mode="lines+markers", name=t("Statistical forecast")
        )
    fig.update_layout(title=t("Expected revenue from leads per month"), legend={"orientation": "h"}, margin={"t": 50})
    charts.show(fig, "demand_leads_chart")
    st.caption(demand.note + " " + t("Leads cover the whole workspace: the sidebar filters do not apply here."))
    csv_download(demand.frame, t("Download lead demand (CSV)"), "demand_leads.csv", "demand_dl_leads")
    if agreement is not None:
        st.markdown(t("**Sales-and-marketing agreement** (all target revenue assumed to come from leads)"))
        st.caption(
            t(
                "Each lead month must deliver the leads for the revenue {lag} month(s) later; the target is spread "
                "over the months in the forecast's shape.",
                lag=demand.lag_months,
            )
        )
        st.dataframe(
            agreement,
            hide_index=True,
            width="stretch",
            column_config={
                "period": st.column_config.DateColumn(t("Lead month"), format="YYYY-MM"),
                "revenue_month": st.column_config.DateColumn(t("Revenue month"), format="YYYY-MM"),
                "target_revenue": st.column_config.NumberColumn(t("Target revenue"), format="dollar"),
                "qualified_leads_needed": st.column_config.NumberColumn(t("Qualified leads needed"), format="%.0f"),
                "qualified_leads_expected": st.column_config.NumberColumn(t("Expected at run rate"), format="%.0f"),
                "shortfall": st.column_config.NumberColumn(t("Shortfall"), format="%.0f"),
            },
        )
        csv_download(agreement, t("Download lead agreement (CSV)"), "demand_lead_agreement.csv", "demand_dl_agreement")
    st.dataframe(
        demand.bands,
        hide_index=True,
        width="stretch",
        column_config={
            "band": t("Score band"),
            "leads_with_outcome": t("Leads with an outcome"),
            "converted": t("Converted"),
            "conversion": st.column_config.NumberColumn(t("Conversion"), format="percent"),
            "monthly_leads": st.column_config.NumberColumn(t("New leads a month"), format="%.0f"),
        },
    )
