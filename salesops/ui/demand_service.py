"""Step 2 service view: onboarding and support hours per month by customer tier, the demand step 3 staffs."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesops.demand import ServiceHours, service_demand, tier_customers, tier_shares
from salesops.demand.service import (
    DEFAULT_CHURN_MONTHLY,
    DEFAULT_SERVICE_HOURS,
    DEFAULT_TIER_THRESHOLD,
    ENTERPRISE,
    ENTRY,
)
from salesops.forecast import apply_assumptions
from salesops.formatting import percent
from salesops.ui import charts
from salesops.ui.common import csv_download, data_version, engine, t, workspace_id
from salesops.ui.demand_view import DemandForecast, fitted

DEFAULTS = {
    "demand_tier_threshold": DEFAULT_TIER_THRESHOLD,
    "demand_churn": DEFAULT_CHURN_MONTHLY * 100,
    "demand_onboard_entry": DEFAULT_SERVICE_HOURS[ENTRY].onboarding,
    "demand_onboard_enterprise": DEFAULT_SERVICE_HOURS[ENTERPRISE].onboarding,
    "demand_support_entry": DEFAULT_SERVICE_HOURS[ENTRY].support_per_month,
    "demand_support_enterprise": DEFAULT_SERVICE_HOURS[ENTERPRISE].support_per_month,
}


@st.cache_data(max_entries=64, show_spinner=False)
def cached_tiers(workspace: int, version: int, threshold: float) -> tuple[dict[str, float], dict[str, int]]:
    """Share of won deals and today's customers per tier at an enterprise amount threshold."""
    with engine().connect() as conn:
        return tier_shares(conn, workspace, threshold), tier_customers(conn, workspace, threshold)


def won_deals_forecast(outcome: DemandForecast) -> pd.DataFrame:
    """Won deals per forecast month (period, deals) under the page's assumptions; revenue pages fit deal counts."""
    s = outcome.settings
    if s.metric == "deals":
        frame = outcome.adjusted
    else:
        fit = fitted(
            workspace_id(), data_version(), outcome.filters, metric="deals", horizon=s.horizon, level=s.level, by=None
        )
        frame = apply_assumptions(fit.total.forecast, s.assumptions, metric="deals")
    return pd.DataFrame({"period": frame.index, "deals": frame["mean"].to_numpy()})


def render(outcome: DemandForecast) -> pd.DataFrame | None:
    """Tier and hours inputs, hours per month by tier; returns the service frame for the plan."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    inputs = st.columns(3)
    threshold = inputs[0].number_input(
        t("Enterprise tier from deal amount ($)"), min_value=0.0, step=5_000.0, key="demand_tier_threshold"
    )
    churn = inputs[1].number_input(t("Customer churn (% a month)"), 0.0, 100.0, step=0.5, key="demand_churn")
    hours_cols = st.columns(4)
    onboard_entry = hours_cols[0].number_input(t("Onboarding hours, entry"), 0.0, step=1.0, key="demand_onboard_entry")
    onboard_ent = hours_cols[1].number_input(
        t("Onboarding hours, enterprise"), 0.0, step=1.0, key="demand_onboard_enterprise"
    )
    support_entry = hours_cols[2].number_input(
        t("Support hours a month, entry customer"), 0.0, step=0.5, key="demand_support_entry"
    )
    support_ent = hours_cols[3].number_input(
        t("Support hours a month, enterprise customer"), 0.0, step=0.5, key="demand_support_enterprise"
    )
    shares, customers = cached_tiers(workspace_id(), data_version(), float(threshold))
    inputs[2].metric(t("Enterprise share of won deals"), percent(shares[ENTERPRISE]))
    with st.spinner(t("Forecasting won deals for the service hours…")):
        deals = won_deals_forecast(outcome)
    hours = {
        ENTRY: ServiceHours(onboard_entry, support_entry),
        ENTERPRISE: ServiceHours(onboard_ent, support_ent),
    }
    frame = service_demand(deals, shares, hours, customers, churn / 100)
    monthly = frame.groupby("period")["total_hours"].sum()
    cols = st.columns(3)
    cols[0].metric(t("Service hours, first month"), f"{monthly.iloc[0]:,.0f}")
    cols[1].metric(t("Service hours, peak month"), f"{monthly.max():,.0f}")
    cols[2].metric(t("Service hours, whole horizon"), f"{monthly.sum():,.0f}")
    fig = go.Figure()
    for tier in (ENTRY, ENTERPRISE):
        rows = frame[frame["tier"] == tier]
        fig.add_bar(x=rows["period"], y=rows["onboarding_hours"], name=t("Onboarding, {tier}", tier=t(tier)))
        fig.add_bar(x=rows["period"], y=rows["support_hours"], name=t("Support, {tier}", tier=t(tier)))
    fig.update_layout(
        barmode="stack", title=t("Service hours per month by tier"), legend={"orientation": "h"}, margin={"t": 50}
    )
    charts.show(fig, "demand_service_chart")
    st.caption(
        t(
            "Each forecast won deal is one new customer, enterprise when its amount is at least the threshold "
            "(share from the workspace's won deals). Active customers start from today's {n} customers with a won "
            "deal (an upper bound: the store has no churn history) and shrink by the churn each month. This is what "
            "step 3 staffs.",
            n=f"{sum(customers.values()):,}",
        )
    )
    csv_download(frame, t("Download service hours (CSV)"), "demand_service_hours.csv", "demand_dl_service")
    return frame
