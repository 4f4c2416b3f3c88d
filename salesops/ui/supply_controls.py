"""Step 3 assumptions: the sales ramp, attrition and hiring costs, service staff and contractors, inventory, named
constraints and the hiring goal and caps. Widget values are copied to ``supply_saved`` so they survive a page
switch; the defaults come from the data where it shows them (roster learning), else stated defaults."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from salesops.capacity import SupplyBase, SupplySettings, default_settings
from salesops.capacity.ramp import RAMP_SHAPES
from salesops.capacity.resources import Constraint, Inventory, ServiceSettings, support_heads_default
from salesops.ui.common import plain, t, workspace_id
from salesops.ui.inputs import money_input
from salesops.ui.supply_hiring import PLANNED

_STORE = "supply_saved"
_SEEDED_FOR = "supply_seeded_workspace"
CONSTRAINTS = "supply_constraint_list"


def _defaults(base: SupplyBase) -> dict[str, Any]:
    s, sv = default_settings(base), ServiceSettings()
    hours = base.demand.service_hours
    quota = base.roster.reps["quota"].median()
    quota = 0.0 if pd.isna(quota) else float(round(quota, -3))
    return {
        "supply_ramp_months": s.ramp_months,
        "supply_ramp_shape": s.ramp_shape,
        "supply_attrition": round(s.attrition_monthly * 100, 2),
        "supply_lead": s.recruiting_lead_months,
        "supply_rep_cost": s.rep_monthly_cost,
        "supply_rep_quota": quota,
        "supply_support_heads": support_heads_default(hours, sv) if hours is not None else 0.0,
        "supply_hours_per_head": sv.hours_per_head,
        "supply_utilisation": int(sv.utilisation * 100),
        "supply_support_cost": sv.support_monthly_cost,
        "supply_support_lead": sv.support_lead_months,
        "supply_contractor_hours": sv.contractor_hours,
        "supply_contractor_cost": sv.contractor_monthly_cost,
        "supply_contractor_notice": sv.contractor_notice_months,
        "supply_inventory": False,
        "supply_on_hand": 0.0,
        "supply_monthly_supply": 0.0,
        "supply_stock_lead": 0,
        "supply_safety": 0.0,
        "supply_units_per_deal": 1.0,
        "supply_goal": "close",
        "supply_margin": 60,
        "supply_headcount_cap": 0,
        "supply_budget_cap": 0.0,
    }


def _seed(defaults: dict[str, Any]) -> None:
    """Give each widget its saved (or default) value once; another workspace starts again from its own defaults."""
    if st.session_state.get(_SEEDED_FOR) != workspace_id():
        for key in [*defaults, *(f"{k}_text" for k in defaults), _STORE, CONSTRAINTS, PLANNED]:
            st.session_state.pop(key, None)  # "_text": what a money input shows
        st.session_state[_SEEDED_FOR] = workspace_id()
    saved = st.session_state.get(_STORE, {})
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = saved.get(key, value)
    st.session_state.setdefault(CONSTRAINTS, [])


def _sales() -> dict[str, Any]:
    cols = st.columns(6)
    ramp_months = cols[0].slider(t("Ramp (months to full productivity)"), 0, 18, key="supply_ramp_months")
    names = {"linear": t("linear"), "s-curve": t("s-curve"), "step": t("step")}
    shape = cols[1].selectbox(t("Ramp shape"), RAMP_SHAPES, format_func=names.__getitem__, key="supply_ramp_shape")
    attrition = cols[2].number_input(
        t("Rep attrition (% a month)"), 0.0, 20.0, step=0.1, format="%.2f", key="supply_attrition"
    )
    lead = cols[3].slider(t("Recruiting lead time (months)"), 0, 12, key="supply_lead")
    with cols[4]:
        cost = money_input(t("Rep cost a month"), "supply_rep_cost")
    with cols[5]:
        quota = money_input(t("New rep annual quota"), "supply_rep_quota")
    return {
        "ramp_months": int(ramp_months),
        "ramp_shape": shape,
        "attrition_monthly": float(attrition) / 100,
        "recruiting_lead_months": int(lead),
        "rep_monthly_cost": float(cost),
        "new_rep_quota": float(quota),
    }


def _service() -> ServiceSettings:
    cols = st.columns(5)
    heads = cols[0].number_input(
        t("Support / onboarding staff"), 0.0, step=1.0, format="%.0f", key="supply_support_heads"
    )
    per_head = cols[1].number_input(
        t("Hours per head a month"), 1.0, step=5.0, format="%.0f", key="supply_hours_per_head"
    )
    utilisation = cols[2].slider(t("Utilisation (%)"), 10, 100, key="supply_utilisation")
    with cols[3]:
        cost = money_input(t("Support cost a month"), "supply_support_cost")
    lead = cols[4].slider(t("Support hiring lead (months)"), 0, 6, key="supply_support_lead")
    more = st.columns(3)
    contracted = more[0].number_input(
        t("Contractor hours already a month"), 0.0, step=10.0, format="%.0f", key="supply_contractor_hours"
    )
    with more[1]:
        c_cost = money_input(t("Contractor cost a month"), "supply_contractor_cost")
    notice = more[2].slider(t("Contractor notice (months)"), 0, 3, key="supply_contractor_notice")
    return ServiceSettings(
        support_heads=float(heads),
        hours_per_head=float(per_head),
        utilisation=float(utilisation) / 100,
        support_monthly_cost=float(cost),
        support_lead_months=int(lead),
        contractor_hours=float(contracted),
        contractor_monthly_cost=float(c_cost),
        contractor_notice_months=int(notice),
    )


def _inventory() -> Inventory | None:
    if not st.toggle(t("We ship goods: plan inventory"), key="supply_inventory"):
        return None
    cols = st.columns(5)
    on_hand = cols[0].number_input(t("Units on hand"), 0.0, step=10.0, format="%.0f", key="supply_on_hand")
    supply = cols[1].number_input(
        t("Units supplied a month"), 0.0, step=10.0, format="%.0f", key="supply_monthly_supply"
    )
    lead = cols[2].slider(t("Supply lead time (months)"), 0, 12, key="supply_stock_lead")
    safety = cols[3].number_input(t("Safety stock (units)"), 0.0, step=10.0, format="%.0f", key="supply_safety")
    per_deal = cols[4].number_input(t("Units per won deal"), 0.0, step=1.0, key="supply_units_per_deal")
    return Inventory(float(on_hand), float(supply), int(lead), float(safety), float(per_deal))


def _constraints() -> tuple[Constraint, ...]:
    """Named resources: a small form to add one, and the list with a remove button each."""
    with st.form("supply_constraint_form", clear_on_submit=True, border=False):
        cols = st.columns([3, 2, 2, 2, 1])
        name = cols[0].text_input(t("Constraint (vendor, machine, tool, budget, people…)"), key="supply_c_name")
        capacity = cols[1].number_input(t("Capacity a month"), 0.0, step=10.0, format="%.0f", key="supply_c_capacity")
        per_deal = cols[2].number_input(t("Used per won deal"), 0.0, step=0.5, key="supply_c_per_deal")
        unit = cols[3].text_input(t("Unit"), value="units", key="supply_c_unit")
        cols[4].write("")
        if cols[4].form_submit_button(t("Add"), key="supply_constraint_add") and name.strip():
            item = {"name": name.strip(), "monthly_capacity": capacity, "per_deal": per_deal, "unit": unit or "units"}
            st.session_state[CONSTRAINTS] = [*st.session_state[CONSTRAINTS], item]
    for i, item in enumerate(st.session_state[CONSTRAINTS]):
        left, right = st.columns([6, 1])
        left.markdown(
            t(
                "**{name}**: {capacity} {unit} a month, {per_deal} per won deal",
                name=plain(item["name"]),
                capacity=f"{item['monthly_capacity']:,.0f}",
                unit=plain(item["unit"]),
                per_deal=f"{item['per_deal']:,.2f}",
            )
        )
        if right.button(t("Remove"), key=f"supply_constraint_remove_{i}"):
            st.session_state[CONSTRAINTS] = [c for j, c in enumerate(st.session_state[CONSTRAINTS]) if j != i]
            st.rerun()
    return tuple(Constraint(**item) for item in st.session_state[CONSTRAINTS])


def _goal() -> dict[str, Any]:
    cols = st.columns(4)
    goal = cols[0].radio(
        t("Hiring goal"),
        ["close", "pays"],
        format_func={"close": t("Close every gap it can"), "pays": t("Hire only where it pays")}.__getitem__,
        key="supply_goal",
    )
    margin = cols[1].slider(
        t("Margin on protected revenue (%)"),
        5,
        100,
        key="supply_margin",
        disabled=goal != "pays",
        help=t("A hire is made only when the margin on the revenue it protects exceeds its cost."),
    )
    cap = cols[2].number_input(t("Headcount cap on new hires (0 = none)"), 0, step=1, key="supply_headcount_cap")
    with cols[3]:
        budget = money_input(t("Hiring budget cap ($0 = none)"), "supply_budget_cap")
    return {
        "revenue_value": float(margin) / 100 if goal == "pays" else None,
        "headcount_cap": int(cap) or None,
        "budget_cap": float(budget) or None,
    }


def render(base: SupplyBase) -> SupplySettings:
    """The "Supply assumptions" expander; returns the settings (what-ifs and planned hires are added later)."""
    defaults = _defaults(base)
    _seed(defaults)
    with st.expander(t("Supply assumptions"), expanded=False):
        st.markdown(t("**Sales team**"))
        sales = _sales()
        st.markdown(t("**Service and fulfilment**"))
        service = _service()
        inventory = _inventory()
        st.markdown(t("**Other constraints**"))
        constraints = _constraints()
        st.markdown(t("**Hiring plan**"))
        goal = _goal()
    st.session_state[_STORE] = {key: st.session_state[key] for key in defaults}
    return replace(SupplySettings(), **sales, **goal, service=service, inventory=inventory, constraints=constraints)
