"""Home: which workspace, how fresh its data is, what each step shows and what to do next."""

import streamlit as st

from salesops.ui.common import plain, t, workspace_id
from salesops.ui.home import freshness, next_step

st.title(t("Sales Ops Planner"))
st.caption(t("Collect data → plan demand → plan supply → align and implement → measure again."))

info = freshness(workspace_id())
st.subheader(t("Workspace: {name}", name=plain(info.name)))
cols = st.columns(5)
for col, (entity, count) in zip(cols, info.counts.items(), strict=True):
    col.metric(t(entity.capitalize()), f"{count:,}")
if info.last_import is None:
    st.info(t("No data imported yet."))
else:
    st.caption(t("Last import: {when} UTC", when=info.last_import.strftime("%Y-%m-%d %H:%M")))

st.subheader(t("What to do next"))
page, message = next_step(info)
st.info(message)
st.page_link(page, label=t("Go there"), icon=":material/arrow_forward:")

st.subheader(t("The four steps"))
steps = [
    (
        "pages/1_data_collection.py",
        t("1 · Data collection"),
        t(
            "Import CRM exports (Salesforce, HubSpot, Pipedrive, Zoho, spreadsheets), check data quality, "
            "explore input "
            "and output KPIs, compare top and bottom performers, find the ideal customer profile and score leads."
        ),
    ),
    (
        "pages/2_demand_planning.py",
        t("2 · Demand planning"),
        t("Backtested statistical forecast, pipeline and lead-based demand, scenarios and service demand."),
    ),
    (
        "pages/3_supply_planning.py",
        t("3 · Supply planning"),
        t("Rep, support and fulfilment capacity with ramp and hiring, the gap to demand, constraints and pricing."),
    ),
    (
        "pages/4_alignment.py",
        t("4 · Alignment & plan"),
        t("Recommendations, team structure by ARR, action items with sign-off, plan versions and downloads."),
    ),
]
for path, title, text in steps:
    with st.container(border=True):
        st.page_link(path, label=title)
        st.write(text)
