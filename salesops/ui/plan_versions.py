"""Step 4: save the draft as a named version, sign it off, start a new draft from it, compare two versions."""

from __future__ import annotations

import streamlit as st

from salesops.plan import list_plans
from salesops.plan.actions import load_actions
from salesops.plan.drafts import Plan, plan_version
from salesops.plan.report import PlanReport
from salesops.plan.versions import compare_versions, new_draft_from, save_version, sign
from salesops.ui.common import engine, plain, t, workspace_id
from salesops.ui.tables import show_table

FLASH_KEY = "plan_flash"
PENDING_KEY = "plan_version_pending"  # the version picker's next value, set before the picker is drawn


def select_version(version: int | None) -> None:
    """Show ``version`` (the latest when None) after the rerun that follows a write."""
    st.session_state[PENDING_KEY] = "latest" if version is None else version


def flash(message: str) -> None:
    """A success message shown once after the rerun that follows a write."""
    st.session_state[FLASH_KEY] = message


def show_flash() -> None:
    """Show (and forget) the pending success message."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


def _save(plan: Plan) -> None:
    """Name the draft and freeze it as a version."""
    name = st.text_input(t("Version name"), value=plan.name, key=f"plan_version_name_{plan.version}")
    if st.button(t("Save as a named version"), key="plan_save_version", type="primary"):
        with engine().begin() as conn:
            save_version(conn, workspace_id(), plan.id, name)
        flash(t("Version {v} saved as “{name}” and frozen.", v=plan.version, name=plain(name.strip())))
        st.rerun()


def _sign(plan: Plan) -> None:
    """Who signs, in which role, with which comment."""
    cols = st.columns(2)
    who = cols[0].text_input(t("Signed by"), key="plan_sign_name")
    role = cols[1].text_input(t("Role"), key="plan_sign_role")
    comment = st.text_area(t("Comment"), key="plan_sign_comment")
    if st.button(t("Sign off this version"), key="plan_sign", disabled=not who.strip() or not role.strip()):
        with engine().begin() as conn:
            sign(conn, workspace_id(), plan.id, name=who, role=role, comment=comment)
        flash(t("Version {v} signed off by {who}.", v=plan.version, who=plain(who.strip())))
        st.rerun()


def _new_draft(plan: Plan) -> None:
    """A new editable draft copying a frozen version."""
    if st.button(t("Start a new draft from this version"), key="plan_new_draft"):
        with engine().begin() as conn:
            new_draft_from(conn, workspace_id(), plan, t("Draft from v{v}", v=plan.version))
            latest = int(list_plans(conn, workspace_id())["version"].iloc[0])
        select_version(latest)
        flash(t("New draft v{v} started from v{source}.", v=latest, source=plan.version))
        st.rerun()


def render(report: PlanReport) -> None:
    """Status of the chosen version, and what can be done with it."""
    plan = report.plan
    if plan is None:
        return
    if plan.read_only:
        signed = t("signed") if plan.status == "approved" else t("saved")
        st.info(
            t(
                "Version {v} is {state} and read-only. Start a new draft from it to change anything.",
                v=plan.version,
                state=signed,
            )
        )
    else:
        _save(plan)
    if len(report.signoffs):
        show_table(report.signoffs, key="plan_signoffs")
    _sign(plan)
    if plan.read_only:
        _new_draft(plan)


def render_compare() -> None:
    """Two versions side by side: what changed and by how much."""
    with engine().connect() as conn:
        versions = list_plans(conn, workspace_id())
    if len(versions) < 2:
        st.caption(t("Compare needs two saved versions."))
        return
    numbers = [int(v) for v in versions["version"]]
    cols = st.columns(2)
    a = cols[0].selectbox(t("Version A"), numbers, index=1, key="plan_compare_a")
    b = cols[1].selectbox(t("Version B"), numbers, index=0, key="plan_compare_b")
    with engine().connect() as conn:
        plan_a, plan_b = plan_version(conn, workspace_id(), a), plan_version(conn, workspace_id(), b)
        if plan_a is None or plan_b is None:
            return
        diff = compare_versions(
            plan_a, plan_b, load_actions(conn, workspace_id(), plan_a.id), load_actions(conn, workspace_id(), plan_b.id)
        )
    st.markdown(
        t("**v{a}** {name_a} → **v{b}** {name_b}", a=a, b=b, name_a=plain(plan_a.name), name_b=plain(plan_b.name))
    )
    show_table(diff.astype({"a": "string", "b": "string"}), key="plan_compare_table")
