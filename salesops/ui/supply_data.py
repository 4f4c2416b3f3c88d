"""Step 3 data, cached: the team and step-1 rates per data version, the demand per plan version (or the baseline
forecast, shared with page 2's cache), and the demand-source picker."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from salesops import formatting as fmt
from salesops.capacity import SupplyBase, SupplySettings
from salesops.capacity.funnel import FunnelRates, funnel_rates
from salesops.capacity.roster import DEFAULT_ATTRITION, DEFAULT_RAMP_MONTHS, Roster, load_roster
from salesops.capacity.source import SupplyDemand, baseline_service_hours, from_forecast, from_plan
from salesops.capacity.supply import defaults_used
from salesops.filters import Filters
from salesops.i18n import N_
from salesops.plan import list_plans, plan_version
from salesops.ui.common import data_version, engine, language, t, workspace_id
from salesops.ui.demand_view import fitted

BASELINE = 0  # the picker's value for "no plan: the baseline forecast"


@dataclass(frozen=True)
class Source:
    """The demand the user chose: a plan version (BASELINE for the forecast), the scenario and the horizon."""

    version: int
    scenario: str
    horizon: int


@st.cache_data(max_entries=16, show_spinner=False)
def team(workspace: int, version: int) -> tuple[Roster, FunnelRates] | None:
    """The roster and the step-1 rates (None without deals)."""
    with engine().connect() as conn:
        roster = load_roster(conn, workspace)
        return None if roster is None else (roster, funnel_rates(conn, workspace, roster.start))


@st.cache_data(max_entries=32, show_spinner=False)
def demand(
    workspace: int, version: int, plan: int, horizon: int, avg_deal_size: float | None, *, lang: str
) -> SupplyDemand | None:
    """The chosen plan's demand, or the baseline forecast's (step 2's cached fit, the first time a few seconds)."""
    if plan != BASELINE:
        with engine().connect() as conn:
            saved = plan_version(conn, workspace, plan)
        chosen = from_plan(saved, avg_deal_size, horizon, lang) if saved is not None else None
        if chosen is not None:
            return chosen
    result = fitted(workspace, version, Filters(), metric="revenue", horizon=horizon, level=90, by=None).total
    if not len(result.forecast):
        return None
    hours = None
    if avg_deal_size:
        with engine().connect() as conn:
            months = pd.DatetimeIndex(result.forecast.index)
            hours = baseline_service_hours(conn, workspace, months, result.forecast["mean"].to_numpy() / avg_deal_size)
    return from_forecast(result, hours, lang)


def pick_source() -> Source:
    """Plan version (latest draft first), scenario and horizon widgets."""
    with engine().connect() as conn:
        plans = list_plans(conn, workspace_id())
    options = [int(v) for v in plans["version"]] + [BASELINE]
    names = dict(zip(plans["version"], plans["name"], strict=True))
    drafts = plans[plans["status"] == "draft"]["version"]
    if st.session_state.get("supply_plan") not in options:
        st.session_state["supply_plan"] = int(drafts.iloc[0]) if len(drafts) else options[0]
    st.session_state.setdefault("supply_scenario", "base")
    st.session_state.setdefault("supply_horizon", 12)
    cols = st.columns([3, 2, 2])
    version = cols[0].selectbox(
        t("Demand from"),
        options,
        format_func=lambda v: (
            t("Baseline forecast (no plan)")
            if v == BASELINE
            else t("Plan version {v}: {name}", v=v, name=names.get(v, ""))
        ),
        key="supply_plan",
    )
    scenario = cols[1].radio(
        t("Scenario"),
        ["worst", "base", "best"],
        format_func={"worst": t("Worst"), "base": t("Base"), "best": t("Best")}.__getitem__,
        horizontal=True,
        key="supply_scenario",
        help=t("Worst and best are the low and high end of step 2's interval."),
    )
    horizon = cols[2].slider(t("Horizon (months)"), 3, 24, key="supply_horizon")
    return Source(int(version), str(scenario), int(horizon))


def load(source: Source) -> SupplyBase | None:
    """The cached base for the chosen source; None when the workspace has no won deals to plan for."""
    ws, version = workspace_id(), data_version()
    found = team(ws, version)
    if found is None:
        return None
    roster, rates = found
    with st.spinner(t("Reading the demand to plan for…"), show_time=True):
        chosen = demand(ws, version, source.version, source.horizon, rates.avg_deal_size, lang=language())
    return None if chosen is None else SupplyBase(roster, rates, chosen)


DEFAULT_NOTES = {  # worded where shown: t(DEFAULT_NOTES[key])
    "reps": N_(
        "No reps table: each deal owner with wins in the last 12 months counts as a fully ramped rep whose quota "
        "is what they booked then. Import a reps export (quota, hire date, active) for a real roster."
    ),
    "quota": N_("Some reps have no quota: they get the team's median quota."),
    "hire_date": N_("Some reps have no hire date: they count as fully ramped."),
    "ramp_months": N_(
        "Ramp: the data cannot show how new reps ramped (that needs three reps hired inside the "
        "history), so the ramp is the default of {ramp} months."
    ),
    "attrition": N_(
        "Attrition: no inactive reps with hire dates to learn from, so the default of {attrition} % a month."
    ),
    "support_heads": N_(
        "Support staff are not in the data: the default is the heads that just serve the first month's "
        "service hours. Enter your own under Supply assumptions."
    ),
    "attainment": N_("Attainment: no rep has bookings against a quota yet, so 100 % is assumed."),
    "activities": N_("No activities in the data: the activity capacity and the funnel's activities are left out."),
}


def defaults_note(base: SupplyBase, settings: SupplySettings) -> None:
    """Say which inputs come from defaults rather than the data, and what was learned from it."""
    used = [key for key in defaults_used(base, settings) if key in DEFAULT_NOTES]
    values = {"ramp": DEFAULT_RAMP_MONTHS, "attrition": f"{DEFAULT_ATTRITION * 100:.1f}"}
    if used:
        lines = "\n".join(f"- {t(DEFAULT_NOTES[key], **values)}" for key in used)
        intro = t("Some inputs come from defaults, not your data (edit them under Supply assumptions):")
        st.warning(f"{intro}\n{lines}")
    learned = []
    ramp, attrition = base.roster.learned_ramp_months, base.roster.learned_attrition
    if ramp is not None:
        learned.append(t("a ramp of {n} months (how reps hired inside the history grew their bookings)", n=ramp))
    if attrition is not None:
        learned.append(t("attrition of {p} a month (inactive reps over rep-months)", p=fmt.percent(attrition, 2)))
    if learned:
        st.caption(t("Learned from your data: {what}.", what="; ".join(learned)))
