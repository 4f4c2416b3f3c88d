"""2 · Demand planning: coming in this release (an honest placeholder, no fake charts)."""

import streamlit as st

from salesops.ui.common import t

st.title(t("2 · Demand planning"))
st.info(
    t(
        "Coming in this release: The backtested statistical forecast, pipeline and lead-based demand, "
        "scenarios and service demand."
    )
)
st.page_link("pages/1_data_collection.py", label=t("Meanwhile, import and check your data"), icon="📥")
