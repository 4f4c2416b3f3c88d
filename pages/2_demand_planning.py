"""Step 2 · Demand planning: how much will we sell, when and where, and what will it take to serve it."""

import streamlit as st

from salesops.ui import (
    demand_consensus,
    demand_controls,
    demand_leads,
    demand_pipeline,
    demand_save,
    demand_service,
    demand_view,
    demand_weekly,
)
from salesops.ui.common import t
from salesops.ui.filters import filter_sidebar

st.title(t("2 · Demand planning"))
st.caption(t("How much will we sell, when and where, and what will it take to serve it."))
filters = filter_sidebar(all_history=True)
settings = demand_controls.render(demand_view.default_target(filters))
forecast = demand_view.render(filters, settings)
if forecast is not None:
    tabs = st.tabs([t("Breakdown"), t("Pipeline"), t("Lead-based demand"), t("Service demand"), t("Weekly forecast")])
    with tabs[0]:
        demand_view.render_breakdown(forecast)
    with tabs[1]:
        pipeline = demand_pipeline.render(forecast)
    with tabs[2]:
        demand_leads.render(forecast)
    with tabs[3]:
        service = demand_service.render(forecast)
    with tabs[4]:
        demand_weekly.render(forecast)
    st.subheader(t("One demand number"))
    st.caption(
        t(
            "The statistical, pipeline and lead-based forecasts for the same months, why they differ, and the pick "
            "or blend that goes into the draft plan."
        )
    )
    consensus = demand_consensus.render(forecast, pipeline)
    st.subheader(t("Save the demand plan"))
    demand_save.render(forecast, pipeline, service, consensus)
