"""Step 1 · Data collection: import CRM exports, then check and explore what came in."""

import streamlit as st

from salesops.ui.common import engine, t, workspace_id
from salesops.ui.upload import history_section, last_results, upload_section

st.title(t("1 · Data collection"))
tab_import, tab_history = st.tabs([t("Import"), t("Import history")])
with tab_import:
    if upload_section(engine(), workspace_id()):
        st.cache_data.clear()
        st.rerun()
    last_results(engine())
with tab_history:
    history_section(engine(), workspace_id())
