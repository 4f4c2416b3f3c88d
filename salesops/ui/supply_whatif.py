"""Step 3 what-ifs: a price change with its elasticity, a promotion and a product launch, against capacity."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesops.capacity import SupplyResult
from salesops.capacity.gap import shortfall_share
from salesops.capacity.whatif import Launch, PriceChange, Promotion, WhatIfs
from salesops.ui import charts
from salesops.ui.common import compact_money, csv_download, t
from salesops.ui.inputs import money_input

DEFAULTS = {
    "supply_price_change": 0,
    "supply_elasticity": -1.0,
    "supply_promo_discount": 0,
    "supply_promo_months": 0,
    "supply_promo_lift": 0,
    "supply_promo_pull": 30,
    "supply_launch_peak": 0.0,
    "supply_launch_ramp": 3,
    "supply_launch_cannibal": 0,
}


def inputs(periods: list[str]) -> WhatIfs:
    """The three what-ifs' widgets."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    st.markdown(t("**Price change**"))
    cols = st.columns(2)
    change = cols[0].slider(t("List price change (%)"), -50, 50, key="supply_price_change")
    elasticity = cols[1].number_input(
        t("Price elasticity of demand"),
        -5.0,
        0.0,
        step=0.1,
        key="supply_elasticity",
        help=t("Deals change by (1 + price change)^elasticity: -1 keeps revenue about flat, -2 loses revenue."),
    )
    st.markdown(t("**Promotion**"))
    cols = st.columns(5)
    discount = cols[0].slider(t("Discount (%)"), 0, 60, key="supply_promo_discount")
    start = cols[1].selectbox(t("From"), periods, key="supply_promo_start")
    months = cols[2].slider(t("Months"), 0, 6, key="supply_promo_months")
    lift = cols[3].slider(t("Extra deals while it runs (%)"), 0, 200, key="supply_promo_lift")
    pull = cols[4].slider(t("Pulled forward from later (%)"), 0, 100, key="supply_promo_pull")
    st.markdown(t("**Product launch**"))
    cols = st.columns(4)
    with cols[0]:
        peak = money_input(t("Launch revenue a month at peak"), "supply_launch_peak")
    launch_start = cols[1].selectbox(t("Launch month"), periods, key="supply_launch_start")
    ramp = cols[2].slider(t("Months to peak"), 1, 12, key="supply_launch_ramp")
    cannibal = cols[3].slider(t("Cannibalisation of today's products (%)"), 0, 100, key="supply_launch_cannibal")
    return WhatIfs(
        PriceChange(change / 100, float(elasticity)),
        Promotion(discount / 100, periods.index(start), int(months), lift / 100, pull / 100),
        Launch(float(peak), periods.index(launch_start), int(ramp), cannibal / 100),
    )


def render(result: SupplyResult) -> None:
    """Revenue and the sales workload before and after the what-ifs, against sales capacity."""
    frame = result.whatif
    months = pd.PeriodIndex(result.periods, freq="M").to_timestamp()
    sales = next(r for r in result.resources if r.key == "sales")
    cols = st.columns(4)
    change = float(frame["revenue"].sum() - frame["base_revenue"].sum())
    cols[0].metric(
        t("Revenue after the what-ifs"),
        compact_money(float(frame["revenue"].sum())),
        delta=compact_money(change),
    )
    cols[1].metric(t("Given away in discounts"), compact_money(float(frame["discount_cost"].sum())))
    cols[2].metric(t("Promotion nets"), compact_money(result.promotion_net))
    short = [r for r in result.resources if shortfall_share(r.demand, r.capacity).max() > 0]
    cols[3].metric(t("Resources short in some month"), f"{len(short)} / {len(result.resources)}")
    fig = go.Figure()
    fig.add_scatter(
        x=months,
        y=frame["base_revenue"],
        name=t("Demand before what-ifs"),
        mode="lines",
        line={"dash": "dot", "color": charts.COLORS["others"]},
    )
    fig.add_scatter(
        x=months,
        y=frame["revenue"],
        name=t("Revenue after what-ifs"),
        mode="lines+markers",
        line={"color": charts.COLORS["forecast"]},
    )
    fig.add_scatter(
        x=months,
        y=frame["workload"],
        name=t("Sales workload (today's prices)"),
        mode="lines",
        line={"color": charts.COLORS["target"]},
    )
    fig.add_bar(x=months, y=sales.capacity, name=t("Sales capacity"), marker_color=charts.COLORS["plan"], opacity=0.5)
    fig.update_layout(title=t("What-ifs against sales capacity"))
    charts.money_axis(fig)
    charts.month_axis(fig, months=len(months))
    charts.show(fig, "supply_whatif_chart")
    st.caption(
        t(
            "Where the workload line rises above the capacity bars, the promotion or launch outruns what the team "
            "can sell; the gap tab shows every resource. A promotion nets its extra deals' revenue after the "
            "discount and the deals it pulls forward from later months."
        )
    )
    csv_download(frame, t("Download what-if data (CSV)"), "supply_whatifs.csv", "supply_dl_whatif")
