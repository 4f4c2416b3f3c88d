"""Step 4: the stack checklist and the action items table of the chosen version (editable while it is a draft)."""

from __future__ import annotations

import streamlit as st

from salesops.plan.actions import ACTION_COLUMNS, ACTION_STATUSES, generate_actions, replace_actions
from salesops.plan.drafts import ReadOnlyPlanError
from salesops.plan.recommend import AREA_LABELS, AREAS, STACK_ANSWERS, STACK_QUESTIONS
from salesops.plan.report import PlanReport
from salesops.plan.versions import update_assumptions
from salesops.ui.common import engine, t, workspace_id


def render_stack(report: PlanReport) -> None:
    """The stack questions, answered by the user and recorded in the plan's assumptions (``stack``)."""
    plan = report.plan
    if plan is None:
        return
    answers = {}
    for key, question, _ in STACK_QUESTIONS:
        saved = report.stack.get(key, {}).get("answer", "")
        widget = f"plan_stack_{plan.version}_{key}"
        if key == "next":
            answers[key] = st.text_input(t(question), value=str(saved), key=widget, disabled=plan.read_only)
        else:
            answers[key] = st.radio(
                t(question),
                STACK_ANSWERS,
                index=STACK_ANSWERS.index(saved) if saved in STACK_ANSWERS else 0,
                horizontal=True,
                key=widget,
                disabled=plan.read_only,
                format_func=lambda a: t(a or "not answered"),
            )
    if st.button(t("Save the checklist"), key="plan_stack_save", disabled=plan.read_only):
        with engine().begin() as conn:
            update_assumptions(conn, workspace_id(), plan.id, {"stack": {k: {"answer": v} for k, v in answers.items()}})
        st.success(t("Checklist saved with the plan."))
        st.rerun()


def render_actions(report: PlanReport) -> None:
    """The action items: generated from the recommendations, edited in the table, saved with the plan."""
    plan = report.plan
    if plan is None:
        st.info(t("Save a plan first (page 2): actions are stored with a plan version."))
        return
    if not report.actions_stored:
        st.caption(t("Suggested from the recommendations, not saved yet."))
    if st.button(t("Generate actions from the recommendations"), key="plan_generate", disabled=plan.read_only):
        with engine().begin() as conn:
            replace_actions(conn, workspace_id(), plan.id, generate_actions(report.recommendations, report.as_of))
        st.rerun()
    edited = st.data_editor(
        report.actions[ACTION_COLUMNS],
        key=f"plan_actions_{plan.version}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        disabled=plan.read_only,
        column_config={
            "area": st.column_config.SelectboxColumn(
                t("Area"), options=list(AREAS), required=True, format_func=lambda a: t(AREA_LABELS.get(str(a), str(a)))
            ),
            "action": st.column_config.TextColumn(t("Action"), required=True, width="large"),
            "owner": st.column_config.TextColumn(t("Owner")),
            "due": st.column_config.DateColumn(t("Due")),
            "status": st.column_config.SelectboxColumn(
                t("Status"),
                options=list(ACTION_STATUSES),
                required=True,
                format_func=lambda s: t(str(s).replace("_", " ")),
            ),
            "needs_signoff": st.column_config.CheckboxColumn(t("Needs executive sign-off")),
        },
    )
    if st.button(t("Save actions"), key="plan_actions_save", disabled=plan.read_only, type="primary"):
        try:
            with engine().begin() as conn:
                replace_actions(conn, workspace_id(), plan.id, edited)
        except (ValueError, ReadOnlyPlanError) as exc:
            st.error(t(str(exc)))
            return
        st.success(t("Actions saved with plan version {v}.", v=plan.version))
        st.rerun()
