"""Step 3 gap view: headline tiles, the gap of every resource per month, one resource's demand vs capacity, and
the gap table with its CSV download."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesops import formatting as fmt
from salesops.capacity import SupplyResult
from salesops.capacity.gap import Binding, Resource, shortfall_share
from salesops.ui import charts
from salesops.ui.common import compact_money, csv_download, plain, t


def amount(value: float, unit: str) -> str:
    """A figure in its resource's unit: money for bookings, a count with the unit's name otherwise."""
    if unit == "currency":
        return compact_money(value)
    return f"{fmt.count(value)} {t(unit)}"


def binding_text(binding: Binding | None) -> str:
    """The sentence naming the binding constraint and its month."""
    if binding is None:
        return t("Every resource holds in every month.")
    month = pd.Period(binding.period, freq="M").strftime("%b %Y")
    return t(
        "{resource} binds first, in {month}: {share} of that month's demand cannot be served.",
        resource=plain(t(binding.label)),
        month=month,
        share=fmt.percent(binding.share_short),
    )


def tiles(result: SupplyResult) -> None:
    """Revenue to deliver, revenue at risk, feasible months and the binding constraint."""
    cols = st.columns(4)
    revenue = float(result.whatif["revenue"].sum())
    cols[0].metric(t("Revenue to deliver"), compact_money(revenue))
    cols[1].metric(
        t("Revenue at risk"),
        compact_money(result.revenue_at_risk),
        help=t("Each month's revenue × the largest share of demand any resource cannot serve (with planned hires)."),
    )
    short = result.gap.groupby("period")["shortfall"].max() > 0
    cols[2].metric(t("Months every resource holds"), f"{int((~short).sum())} / {len(short)}")
    # A phrase ("Sales capacity (bookings)"), not a figure: in a tile's big type it would be cut off, so it wraps.
    with cols[3].container(border=True):
        st.caption(t("Binding constraint"))
        st.markdown(f"**{t(result.binding.label) if result.binding else t('None')}**")
    st.markdown(binding_text(result.binding))


def _months(periods: list[str]) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.PeriodIndex(periods, freq="M").to_timestamp())


def gap_figure(periods: list[str], resources: list[Resource], title: str) -> go.Figure:
    """Per month and resource, the gap as a share of demand (above zero: short, below: spare)."""
    fig = go.Figure()
    months = _months(periods)
    for r in resources:
        gap = np.divide(r.demand - r.capacity, r.demand, out=np.zeros(len(months)), where=np.asarray(r.demand) > 0)
        fig.add_bar(
            x=months,
            y=gap,
            name=html.escape(t(r.label)),  # a constraint's name is user text; plotly reads tags in names
            hovertemplate="%{x|%b %Y}: %{y" + charts.PERCENT_HOVER + "}<extra>" + html.escape(t(r.label)) + "</extra>",
        )
    fig.add_hline(y=0, line_color=charts.COLORS["actual"], line_width=1)
    fig.update_layout(title=title, barmode="group")
    charts.percent_axis(fig)
    charts.month_axis(fig, months=len(months))
    return fig


def resource_figure(periods: list[str], planned: Resource, after: Resource) -> go.Figure:
    """One resource: demand, capacity with the planned hires, and capacity with the proposed hiring plan."""
    months = _months(periods)
    fig = go.Figure()
    fig.add_bar(
        x=months, y=planned.capacity, name=t("Capacity (team + planned hires)"), marker_color=charts.COLORS["plan"]
    )
    fig.add_scatter(
        x=months,
        y=after.capacity,
        name=t("Capacity with the proposed plan"),
        mode="lines",
        line={"dash": "dash", "color": charts.COLORS["others"]},
    )
    fig.add_scatter(
        x=months, y=planned.demand, name=t("Demand"), mode="lines+markers", line={"color": charts.COLORS["forecast"]}
    )
    fig.update_layout(title=html.escape(t("{resource}: demand vs capacity", resource=t(planned.label))))
    if planned.unit == "currency":
        charts.money_axis(fig)
    charts.month_axis(fig, months=len(months))
    return fig


def render(result: SupplyResult) -> None:
    """The gap tab: all resources' gap, one resource in detail, the table and its download."""
    charts.show(
        gap_figure(result.periods, result.resources, t("Gap by resource (share of demand)")), "supply_gap_chart"
    )
    st.caption(t("Above zero the resource is short that month; below zero it has spare capacity. Planned hires count."))
    labels = {r.key: t(r.label) for r in result.resources}
    key = st.selectbox(t("Resource"), list(labels), format_func=labels.__getitem__, key="supply_resource")
    planned = next(r for r in result.resources if r.key == key)
    after = next(r for r in result.after if r.key == key)
    charts.show(resource_figure(result.periods, planned, after), "supply_resource_chart")
    share = shortfall_share(planned.demand, planned.capacity)
    st.caption(
        t(
            "{resource}: demand {demand}, capacity {capacity} over the horizon; short in {n} of {m} months.",
            resource=labels[key],
            demand=amount(float(planned.demand.sum()), planned.unit),
            capacity=amount(float(planned.capacity.sum()), planned.unit),
            n=int((share > 0).sum()),
            m=len(share),
        )
    )
    table = result.gap[result.gap["resource"] == key].drop(columns=["resource", "label"])
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="supply_gap_table",
        column_config={
            "period": st.column_config.TextColumn(t("Month")),
            "unit": st.column_config.TextColumn(t("Unit")),
            **{
                c: st.column_config.NumberColumn(t(c.replace("_", " ").capitalize()), format="%,.0f")
                for c in ("demand", "capacity", "gap", "shortfall", "surplus", "cumulative_gap")
            },
            "utilisation": st.column_config.NumberColumn(t("Utilisation"), format="percent"),
            "revenue_at_risk": st.column_config.NumberColumn(t("Revenue at risk"), format="$%,.0f"),
        },
    )
    csv_download(result.gap, t("Download the gap table (CSV)"), "supply_gap.csv", "supply_dl_gap")
