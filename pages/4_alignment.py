"""4 · Alignment & plan: coming in this release (an honest placeholder, no fake charts)."""

import streamlit as st

from salesops.ui.common import t

st.title(t("4 · Alignment & plan"))
st.info(
    t(
        "Coming in this release: Recommendations, team structure by ARR, action items with sign-off, "
        "plan versions, plan vs actual and downloads."
    )
)
st.page_link(
    "pages/1_data_collection.py", label=t("Meanwhile, import and check your data"), icon=":material/upload_file:"
)
