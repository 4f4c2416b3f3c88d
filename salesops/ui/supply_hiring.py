"""Step 3 hiring: the hires the user plans (add, pin, remove) and the optimiser's cheapest plan around them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesops import formatting as fmt
from salesops.capacity import PlannedHire, SupplyResult, hire_records
from salesops.capacity.supply import ROLE_LABELS
from salesops.ui import charts
from salesops.ui.common import compact_money, csv_download, t
from salesops.ui.supply_gap import gap_figure

PLANNED = "supply_planned_list"


def _index(periods: list[str], month: str) -> int:
    return (pd.Period(month, freq="M") - pd.Period(periods[0], freq="M")).n


def planned_hires(periods: list[str]) -> tuple[PlannedHire, ...]:
    """The form to add a planned hire and the list with pin and remove; returns the hires inside the horizon."""
    st.session_state.setdefault(PLANNED, [])
    with st.form("supply_hire_form", clear_on_submit=False, border=False):
        cols = st.columns([2, 2, 1, 1, 2])
        role = cols[0].selectbox(
            t("Role"), list(ROLE_LABELS), format_func=lambda r: t(ROLE_LABELS[r]), key="supply_hire_role"
        )
        month = cols[1].selectbox(t("Start recruiting in"), periods, key="supply_hire_month")
        count = cols[2].number_input(t("Heads"), 1, 100, 1, key="supply_hire_count")
        pinned = cols[3].checkbox(t("Pinned"), value=True, key="supply_hire_pinned")
        if cols[4].form_submit_button(t("Add planned hire"), key="supply_hire_add"):
            hire = {"role": role, "month": month, "count": int(count), "pinned": bool(pinned)}
            st.session_state[PLANNED] = [*st.session_state[PLANNED], hire]
    for i, hire in enumerate(st.session_state[PLANNED]):
        cols = st.columns([4, 1, 1])
        cols[0].markdown(
            t(
                "{count} × {role}, recruiting from {month}",
                count=hire["count"],
                role=t(ROLE_LABELS.get(hire["role"], hire["role"])),
                month=hire["month"],
            )
        )
        pin = cols[1].toggle(t("Pinned"), value=hire["pinned"], key=f"supply_hire_pin_{i}")
        if pin != hire["pinned"]:
            st.session_state[PLANNED][i] = {**hire, "pinned": pin}
        if cols[2].button(t("Remove"), key=f"supply_hire_remove_{i}"):
            st.session_state[PLANNED] = [h for j, h in enumerate(st.session_state[PLANNED]) if j != i]
            for key in [k for k in st.session_state if str(k).startswith("supply_hire_pin_")]:
                del st.session_state[key]  # the toggles below the removed row now belong to other hires
            st.rerun()
    return tuple(
        PlannedHire(h["role"], _index(periods, h["month"]), h["count"], h["pinned"])
        for h in st.session_state[PLANNED]
        if 0 <= _index(periods, h["month"]) < len(periods)
    )


def proposal_table(result: SupplyResult) -> pd.DataFrame:
    """The optimiser's hires as the page shows and downloads them."""
    records = pd.DataFrame(
        hire_records(result),
        columns=["label", "count", "hire_by", "starts", "productive_from", "monthly_cost", "total_cost", "pinned"],
    )
    return records.rename(columns={"label": "role"})


def render(result: SupplyResult) -> None:
    """The proposed plan: its cost, what it protects and leaves uncovered, the hires, and the gap after it."""
    plan = result.plan
    cols = st.columns(4)
    cols[0].metric(t("Hiring cost over the horizon"), compact_money(plan.cost))
    cols[1].metric(t("Revenue protected"), compact_money(result.revenue_protected))
    cols[2].metric(t("Revenue still uncovered"), compact_money(result.revenue_uncovered))
    comparable = result.greedy_uncovered >= result.revenue_uncovered - 1.0
    cols[3].metric(
        t("Saved vs hiring month by month"),
        compact_money(result.greedy_cost - plan.cost) if comparable else fmt.MISSING,
        help=t(
            "Against filling each month's shortfall with the hire cheapest for that month alone: it would cost "
            "{cost} and leave {uncovered} uncovered.",
            cost=compact_money(result.greedy_cost),
            uncovered=compact_money(result.greedy_uncovered),
        ),
    )
    for message, values in plan.notes:
        st.warning(t(message, **values))
    table = proposal_table(result)
    if table.empty:
        st.info(t("No hire is needed (or none can help) under these assumptions."))
    else:
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            key="supply_hires_table",
            column_config={
                "role": st.column_config.TextColumn(t("Role")),
                "count": st.column_config.NumberColumn(t("Heads")),
                "hire_by": st.column_config.TextColumn(t("Start recruiting by")),
                "starts": st.column_config.TextColumn(t("Joins")),
                "productive_from": st.column_config.TextColumn(t("Fully productive")),
                "monthly_cost": st.column_config.NumberColumn(t("Cost a month"), format="$%,.0f"),
                "total_cost": st.column_config.NumberColumn(t("Cost in the horizon"), format="$%,.0f"),
                "pinned": st.column_config.CheckboxColumn(t("Pinned")),
            },
        )
        csv_download(table, t("Download the hiring plan (CSV)"), "supply_hiring_plan.csv", "supply_dl_hires")
        if st.button(t("Use this plan as my planned hires"), key="supply_use_plan"):
            st.session_state[PLANNED] = [
                {"role": r["role"], "month": r["hire_by"], "count": r["count"], "pinned": r["pinned"]}
                for r in hire_records(result)
            ]
            st.rerun()
    after = gap_figure(result.periods, result.after, t("Gap after the proposed hiring plan"))
    charts.show(after, "supply_after_chart")
    st.caption(
        t(
            "Hire-by dates count the recruiting lead time and the ramp: recruiting starts in the month shown, the hire "
            "joins after the lead time and is fully productive once ramped. Costs run from joining to the horizon's "
            "end. Pinned hires are kept; the optimiser may move or drop the others."
        )
    )
