"""Step 2 controls: what to forecast (metric, horizon, level, breakdown) and the planner's assumptions.

Widget values are copied to a non-widget key (``demand_saved``) so they survive a switch to another page and back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

from salesops.forecast import Assumptions
from salesops.ui.common import t
from salesops.ui.inputs import money_input

_STORE = "demand_saved"
BREAKDOWNS = ("none", "segment", "product", "region", "team")
DEFAULTS: dict[str, Any] = {
    "demand_metric": "revenue",
    "demand_horizon": 12,
    "demand_level": 90,
    "demand_by": "none",
    "demand_growth": 0,
    "demand_win_rate": 0,
    "demand_deal_size": 0,
    "demand_lead_volume": 0,
    "demand_seasonality": True,
    "demand_scenario": "base",
}


@dataclass(frozen=True)
class DemandSettings:
    """Everything the page's numbers depend on besides the data: the fit's keys plus the assumptions on top."""

    metric: Literal["revenue", "deals"]
    horizon: int
    level: int
    by: str | None  # a deals column to break the forecast down by, or None
    target: float  # revenue target over the horizon (the yearly target scaled to it), 0 when none is set
    assumptions: Assumptions


def _seed(defaults: dict[str, Any]) -> None:
    """Give every widget key its saved (or default) value once, so widgets never get value= and a key together."""
    saved = st.session_state.get(_STORE, {})
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = saved.get(key, value)


def render(default_target: float) -> DemandSettings:
    """Draw the "Assumptions" expander and return the settings it selects."""
    defaults = {**DEFAULTS, "demand_target": float(default_target)}
    _seed(defaults)
    with st.expander(t("Assumptions"), expanded=True):
        setup = st.columns(4)
        metric = setup[0].radio(
            t("Forecast"),
            ["revenue", "deals"],
            format_func={"revenue": t("Won revenue"), "deals": t("Won deals")}.__getitem__,
            horizontal=True,
            key="demand_metric",
        )
        horizon = setup[1].slider(t("Horizon (months)"), 3, 24, key="demand_horizon")
        level = setup[2].select_slider(t("Interval level (%)"), options=[80, 90, 95], key="demand_level")
        by = setup[3].selectbox(
            t("Break down by"),
            BREAKDOWNS,
            format_func={b: t("No breakdown") if b == "none" else t(b.capitalize()) for b in BREAKDOWNS}.__getitem__,
            key="demand_by",
        )
        change = st.columns(4)
        growth = change[0].slider(
            t("Growth uplift (% a year)"), -50, 100, key="demand_growth", help=t("Compounded every month.")
        )
        win_rate = change[1].slider(t("Win-rate change (%)"), -50, 50, key="demand_win_rate")
        deal_size = change[2].slider(
            t("Deal-size change (%)"), -50, 50, key="demand_deal_size", help=t("Applies to revenue, not deal counts.")
        )
        lead_volume = change[3].slider(t("Lead-volume change (%)"), -50, 100, key="demand_lead_volume")
        scene = st.columns(4)
        scenario = scene[0].radio(
            t("Scenario"),
            ["worst", "base", "best"],
            format_func={"worst": t("Worst"), "base": t("Base"), "best": t("Best")}.__getitem__,
            horizontal=True,
            key="demand_scenario",
            help=t("Worst takes the interval's lower bound as the forecast, best its upper bound."),
        )
        seasonality = scene[1].toggle(t("Seasonality"), key="demand_seasonality")
        with scene[2]:
            yearly = money_input(
                t("Revenue target, 12 months"),
                "demand_target",
                help=t(
                    "Over a horizon of other than 12 months the target scales with it (18 months: 1.5 × this). "
                    "Type 13.3M, 250k or 13,300,000; $0 means no target."
                ),
            )
        scene[3].caption(
            t(
                "Moving an assumption re-uses the fitted models: forecast × (1 + growth)^(month/12) × (1 + win-rate "
                "change) × (1 + lead-volume change) × (1 + deal-size change)."
            )
        )
    st.session_state[_STORE] = {key: st.session_state[key] for key in defaults}
    return DemandSettings(
        metric=metric,
        horizon=int(horizon),
        level=int(level),
        by=None if by == "none" else str(by),
        target=yearly * int(horizon) / 12,
        assumptions=Assumptions(
            growth_pct=float(growth),
            win_rate_change_pct=float(win_rate),
            deal_size_change_pct=float(deal_size),
            lead_volume_change_pct=float(lead_volume),
            scenario=scenario,
            seasonality=bool(seasonality),
        ),
    )
