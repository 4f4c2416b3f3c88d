"""Step 1 · Data collection: import CRM exports, then check and explore what came in."""

import streamlit as st

from salesops.ui import icp_view, kpi_view, performers_view, quality_view, scoring_view
from salesops.ui.common import engine, t, workspace_id
from salesops.ui.filters import filter_sidebar
from salesops.ui.upload import history_section, last_results, upload_section

st.title(t("1 · Data collection"))
filters = filter_sidebar()
tabs = st.tabs(
    [
        t("KPIs"),
        t("Top vs bottom"),
        t("Forecast vs actual"),
        t("Data quality"),
        t("Ideal customer profile"),
        t("Lead scoring"),
        t("Import"),
        t("Import history"),
    ]
)
with tabs[0]:
    kpi_view.render(filters)
with tabs[1]:
    performers_view.render(filters)
with tabs[2]:
    performers_view.render_accuracy(filters)
with tabs[3]:
    quality_view.render()
with tabs[4]:
    icp_view.render(filters)
with tabs[5]:
    scoring_view.render()
with tabs[6]:
    if upload_section(engine(), workspace_id()):
        st.cache_data.clear()
        st.rerun()
    last_results(engine())
with tabs[7]:
    history_section(engine(), workspace_id())
