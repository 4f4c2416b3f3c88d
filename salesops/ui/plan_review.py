"""Step 4: plan vs actual with the error's causes, and "restart": a new draft with the lessons as its defaults."""

from __future__ import annotations

from typing import Any

import streamlit as st

from salesops import formatting as fmt
from salesops.plan.report import PlanReport
from salesops.plan.versions import new_draft_from
from salesops.ui.common import engine, t, workspace_id
from salesops.ui.plan_versions import flash, select_version
from salesops.ui.tables import show_table

# plan assumption key -> step 2's widget key (salesops.ui.demand_controls), so a restored or restarted scenario
# opens page 2 with its values as the sliders' starting point.
STEP2_KEYS = {
    "metric": "demand_metric",
    "horizon": "demand_horizon",
    "level": "demand_level",
    "growth_pct": "demand_growth",
    "win_rate_change_pct": "demand_win_rate",
    "deal_size_change_pct": "demand_deal_size",
    "lead_volume_change_pct": "demand_lead_volume",
    "scenario": "demand_scenario",
    "seasonality": "demand_seasonality",
    "revenue_target": "demand_target",
}
STEP2_STORE = "demand_saved"


INT_WIDGETS = ("demand_growth", "demand_win_rate", "demand_deal_size", "demand_lead_volume", "demand_horizon")


def seed_step2(assumptions: dict[str, Any]) -> None:
    """Make ``assumptions`` page 2's starting values (its widgets read them from their saved store)."""
    saved = dict(st.session_state.get(STEP2_STORE, {}))
    for key, widget in STEP2_KEYS.items():
        value = assumptions.get(key)
        if value is not None:
            saved[widget] = round(float(value)) if widget in INT_WIDGETS else value
            st.session_state.pop(widget, None)
    if "breakdown" in assumptions:
        saved["demand_by"] = assumptions["breakdown"] or "none"
    st.session_state[STEP2_STORE] = saved


def render(report: PlanReport) -> None:
    """The chosen version against what happened since, month by month, and the restart button."""
    review, plan = report.review, report.plan
    if plan is None or review is None:
        st.info(t("Plan vs actual needs a saved plan with demand (page 2)."))
        return
    for note in review.notes:
        st.caption(note)
    if review.months.empty:
        return
    st.metric(t("Plan accuracy (MAPE over the months seen)"), fmt.percent(review.mape, 1))
    words = review.months.assign(cause=[t(str(c).replace("_", " ")) for c in review.months["cause"]])
    show_table(words, key="plan_review_table")
    causes = review.months["cause"].value_counts()
    st.markdown(
        t(
            "Main cause of the monthly error: {causes}.",
            causes=", ".join(f"{t(c.replace('_', ' '))} ({n})" for c, n in causes.items()),
        )
    )
    if not review.lessons:
        return
    st.markdown(t("**Lessons for the next draft** (editable on page 2):"))
    st.json(review.lessons)
    if st.button(t("Restart: new draft with these lessons"), key="plan_restart", type="primary"):
        with engine().begin() as conn:
            new_draft_from(
                conn,
                workspace_id(),
                plan,
                t("Restart from v{v}", v=plan.version),
                {**review.lessons, "lessons_from": plan.version},
            )
        seed_step2({**plan.assumptions, **review.lessons})
        select_version(None)
        flash(t("New draft started with the lessons of v{v}; page 2 opens with them as its defaults.", v=plan.version))
        st.rerun()
