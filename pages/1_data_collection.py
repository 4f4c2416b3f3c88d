"""Step 1 · Data collection: import CRM exports, then check and explore what came in.

Only the chosen section runs (a radio, not tabs): on a million-deal workspace each section costs seconds on its
first run, and tabs would compute all of them on every page load.
"""

import streamlit as st

from salesops.ui import icp_view, kpi_view, performers_view, quality_view, scoring_view
from salesops.ui.common import engine, t, workspace_id
from salesops.ui.filters import filter_sidebar
from salesops.ui.upload import history_section, last_results, upload_section


def _import() -> None:
    last_results(engine())  # the outcome of the last Load first, above the files
    if upload_section(engine(), workspace_id()):
        st.cache_data.clear()
        st.rerun()


SECTIONS = {
    "KPIs": kpi_view.render,
    "Top vs bottom": performers_view.render,
    "Forecast vs actual": performers_view.render_accuracy,
    "Data quality": quality_view.render,
    "Ideal customer profile": icp_view.render,
    "Lead scoring": lambda _filters: scoring_view.render(),
    "Import": lambda _filters: _import(),
    "Import history": lambda _filters: history_section(engine(), workspace_id()),
}

st.title(t("1 · Data collection"))
filters = filter_sidebar()
section = st.radio(
    t("Section"),
    list(SECTIONS),
    format_func=t,
    horizontal=True,
    label_visibility="collapsed",
    key="data_section",
)
st.divider()
SECTIONS[section](filters)
