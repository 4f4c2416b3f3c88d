"""3 · Supply planning: coming in this release (an honest placeholder, no fake charts)."""

import streamlit as st

from salesops.ui.common import t

st.title(t("3 · Supply planning"))
st.info(
    t(
        "Coming in this release: Rep, support and fulfilment capacity with ramp and hiring, the gap to "
        "demand, constraints and pricing what-ifs."
    )
)
st.page_link(
    "pages/1_data_collection.py", label=t("Meanwhile, import and check your data"), icon=":material/upload_file:"
)
