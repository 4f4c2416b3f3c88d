"""4 · Alignment & plan: recommendations, team, actions, versions and sign-off, plan vs actual, downloads."""

import streamlit as st

from salesops.ui import plan_actions, plan_downloads, plan_review, plan_versions, plan_view
from salesops.ui.common import t

st.title(t("4 · Alignment & plan"))
st.caption(t("One plan the leadership team can read, sign and later hold against what happened."))
plan_versions.show_flash()
version = plan_view.choose_version()
report = plan_view.load_report(version)
plan_view.render_summary(report)
tabs = st.tabs(
    [
        t("Recommendations"),
        t("Team and routing"),
        t("Actions"),
        t("Versions and sign-off"),
        t("Plan vs actual"),
        t("Downloads"),
    ]
)
with tabs[0]:
    plan_view.render_recommendations(report)
    st.subheader(t("Stack checklist"))
    plan_actions.render_stack(report)
with tabs[1]:
    plan_view.render_team(report)
    st.subheader(t("Lead routing and territory balance"))
    plan_view.render_routing(report)
    plan_view.render_webhook(report)
with tabs[2]:
    plan_actions.render_actions(report)
with tabs[3]:
    plan_versions.render(report)
    st.subheader(t("Compare two versions"))
    plan_versions.render_compare()
with tabs[4]:
    plan_review.render(report)
with tabs[5]:
    plan_downloads.render(report)
    plan_downloads.render_restore()
