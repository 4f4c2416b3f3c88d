"""Step 3 reverse funnel: the deals, opportunities, leads and activities the revenue takes, with step 1's rates,
against the activities the team can do."""

from __future__ import annotations

import streamlit as st

from salesops import formatting as fmt
from salesops.capacity import SupplyBase, SupplyResult
from salesops.ui.common import compact_money, csv_download, t


def render(base: SupplyBase, result: SupplyResult) -> None:
    """Rates, the monthly funnel table and the activity capacity it meets."""
    rates = base.rates
    cols = st.columns(5)
    cols[0].metric(t("Average deal size"), compact_money(rates.avg_deal_size))
    cols[1].metric(t("Win rate"), fmt.percent(rates.win_rate))
    cols[2].metric(t("Lead-to-opportunity rate"), fmt.percent(rates.lead_to_opportunity))
    cols[3].metric(t("Activities per won deal"), fmt.number(rates.activities_per_won_deal))
    cols[4].metric(t("Activities per rep a month"), fmt.number(rates.activities_per_rep_month))
    missing = [
        name
        for name, value in (
            (t("lead-to-opportunity rate (import leads with a converted flag)"), rates.lead_to_opportunity),
            (t("activity rates (import activities)"), rates.activities_per_won_deal),
        )
        if value is None
    ]
    if missing:
        st.info(t("Not in the data, so left empty: {what}.", what="; ".join(missing)))
    if rates.top_activities_per_won_deal is not None:
        st.toggle(
            t(
                "Plan activities at the top performers' pace ({n} per won deal)",
                n=fmt.number(rates.top_activities_per_won_deal),
            ),
            key="supply_top_performers",
            help=t("Step 1's top quartile of reps: how many activities their won deals took."),
        )
    funnel = result.funnel.copy()
    activities = next((r for r in result.resources if r.key == "activities"), None)
    if activities is not None:
        funnel["activity_capacity"] = activities.capacity
    st.dataframe(
        funnel,
        hide_index=True,
        width="stretch",
        key="supply_funnel_table",
        column_config={
            "period": st.column_config.TextColumn(t("Month")),
            "revenue": st.column_config.NumberColumn(t("Bookings to deliver"), format="$%,.0f"),
            **{
                c: st.column_config.NumberColumn(t(c.replace("_", " ").capitalize()), format="%,.0f")
                for c in ("deals", "opportunities", "leads", "activities", "activity_capacity")
            },
        },
    )
    st.caption(
        t(
            "Deals = bookings ÷ average deal size; opportunities = deals ÷ win rate; leads = opportunities ÷ "
            "lead-to-opportunity rate; activities = won deals × activities per won deal. Rates from the 12 complete "
            "months before the plan (step 1). Activity capacity = reps on the team × activities per rep a month."
        )
    )
    csv_download(funnel, t("Download the reverse funnel (CSV)"), "supply_funnel.csv", "supply_dl_funnel")
