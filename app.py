"""Sales Ops Planner: the router. Page config, shared sidebar, navigation over the four steps."""

import os

# Forecast fits make many small matrix products: BLAS threads competing for a few shared cores make them several
# times slower, so the app runs BLAS single-threaded (must be set before numpy is first imported).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


import streamlit as st

from salesops.ui.common import engine, seed_demo, t, workspace_sidebar

st.set_page_config(page_title="Sales Ops Planner", page_icon="📈", layout="wide")

pages = [
    st.Page("pages/0_home.py", title=t("Home"), icon=":material/home:", url_path="home", default=True),
    st.Page(
        "pages/1_data_collection.py",
        title=t("1 · Data collection"),
        icon=":material/upload_file:",
        url_path="data_collection",
    ),
    st.Page(
        "pages/2_demand_planning.py",
        title=t("2 · Demand planning"),
        icon=":material/trending_up:",
        url_path="demand_planning",
    ),
    st.Page(
        "pages/3_supply_planning.py",
        title=t("3 · Supply planning"),
        icon=":material/groups:",
        url_path="supply_planning",
    ),
    st.Page("pages/4_alignment.py", title=t("4 · Alignment & plan"), icon=":material/task_alt:", url_path="alignment"),
]
navigation = st.navigation(pages)  # before any slow work, so the real navigation shows from the first paint
with st.spinner(t("Preparing the store…")):
    engine()
seed_demo()
workspace_sidebar()
navigation.run()
