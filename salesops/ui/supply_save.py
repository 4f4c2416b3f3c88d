"""Step 3 save: the supply assumptions, capacity, demand per resource and hires as a new draft plan version."""

from __future__ import annotations

from datetime import date

import streamlit as st

from salesops.capacity import SupplyBase, SupplyResult
from salesops.capacity.save import save_supply
from salesops.plan import latest_plan, plan_version
from salesops.ui.common import engine, plain, t, workspace_id


def render(base: SupplyBase, result: SupplyResult) -> None:
    """Plan name and save button; a new draft copies the demand plan it builds on and adds supply."""
    st.session_state.setdefault("supply_plan_name", t("Supply plan {day}", day=date.today().isoformat()))
    left, right = st.columns([3, 1])
    name = left.text_input(t("Plan name"), key="supply_plan_name")
    right.write("")
    if not right.button(t("Save supply into the plan"), key="supply_save", type="primary"):
        source = base.demand.plan_version
        st.caption(
            t("Saves a new draft version: plan version {v}'s demand with this supply plan added.", v=source)
            if source is not None
            else t("Saves a new draft version with the baseline demand and this supply plan (no step-2 plan yet).")
        )
        return
    with engine().begin() as conn:
        ws = workspace_id()
        source_plan = plan_version(conn, ws, base.demand.plan_version) if base.demand.plan_version else None
        save_supply(conn, ws, name.strip() or t("Supply plan"), source_plan, base=base, result=result)
        saved = latest_plan(conn, ws)
    version = saved.version if saved is not None else "?"
    st.success(t("Saved as draft version {v}: “{name}”. Step 4 builds on it.", v=version, name=plain(name)))
