"""Step 3 scenarios: step 2's worst, base and best demand through the same supply assumptions."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from salesops.capacity import SupplyBase, SupplyResult, SupplySettings, plan_supply
from salesops.ui.common import csv_download, t


def table(results: dict[str, SupplyResult]) -> pd.DataFrame:
    """One row per scenario: revenue, what is at risk with the planned hires, and the proposed plan's figures."""
    rows = []
    for name, r in results.items():
        binding = r.binding_after
        rows.append(
            {
                "scenario": t(name.capitalize()),
                "revenue": float(r.whatif["revenue"].sum()),
                "revenue_at_risk": r.revenue_at_risk,
                "hires": int(r.plan.hires["count"].sum()) if len(r.plan.hires) else 0,
                "hiring_cost": r.plan.cost,
                "revenue_uncovered": r.revenue_uncovered,
                "binding": f"{t(binding.label)} ({binding.period})" if binding else t("None"),
            }
        )
    return pd.DataFrame(rows)


def render(base: SupplyBase, settings: SupplySettings, current: SupplyResult) -> None:
    """On request (three optimisations instead of one per re-run), the comparison table and its download."""
    if not st.toggle(t("Compare worst, base and best"), key="supply_compare"):
        st.caption(t("Runs the same supply assumptions, hiring optimisation included, on all three scenarios."))
        return
    results = {
        name: current if name == current.settings.scenario else plan_supply(base, replace(settings, scenario=name))
        for name in base.demand.revenue
    }
    frame = table(results)
    money = {
        c: st.column_config.NumberColumn(t(c.replace("_", " ").capitalize()), format="$%,.0f")
        for c in ("revenue", "revenue_at_risk", "hiring_cost", "revenue_uncovered")
    }
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key="supply_scenarios_table",
        column_config={
            "scenario": st.column_config.TextColumn(t("Scenario")),
            "hires": st.column_config.NumberColumn(t("Proposed hires")),
            "binding": st.column_config.TextColumn(t("Still binding after the plan")),
            **money,
        },
    )
    st.caption(t("Worst and best are the low and high end of step 2's interval; every other assumption is the same."))
    csv_download(frame, t("Download the scenario comparison (CSV)"), "supply_scenarios.csv", "supply_dl_scen")
