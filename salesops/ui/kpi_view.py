"""KPI explorer of step 1: headline tiles with change vs the previous period, growth, output and input charts.

Every query is cached per workspace, data version and filters; the revenue target only feeds the coverage formula,
so typing a target re-renders from cache. Each chart offers its data as a CSV download.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from salesops import formatting as fmt
from salesops import kpi
from salesops.filters import Filters
from salesops.formatting import percent
from salesops.ingest.fields import ACTIVITY_TYPES
from salesops.kpi import definitions as d
from salesops.kpi.explorer import Presence, presence, summary_table
from salesops.kpi.inputs import deal_filter_note
from salesops.kpi.leads import LeadKpis, lead_kpis
from salesops.kpi.missing import costs_in_store
from salesops.ui import charts
from salesops.ui.common import compact_money, csv_download, data_version, engine, language, t, workspace_id
from salesops.ui.inputs import money_input
from salesops.ui.tables import show_table

TOP_REPS = 25  # bars shown in per-rep charts; the CSV holds every rep
FREQ_LABELS = {"D": "Daily", "W": "Weekly", "M": "Monthly"}
PERIOD_WORDS = {"D": "day", "W": "week", "M": "month"}
GROUPS = {
    "rep": "Rep",
    "team": "Team",
    "region": "Region",
    "segment": "Segment",
    "source": "Lead source",
    "product": "Product",
    "month": "Month",
}
ACTIVITY_LABELS = {
    "email": "Emails",
    "call": "Calls",
    "meeting": "Meetings",
    "demo": "Demos",
    "proposal": "Proposals",
    "task": "Tasks",
}


@st.cache_data(max_entries=64, show_spinner=False)
def cached_presence(workspace: int, version: int) -> Presence:
    """Whether the workspace has deals / activities at this data version."""
    with engine().connect() as conn:
        return presence(conn, workspace)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_missing(workspace: int, version: int, lang: str) -> list[str]:
    """What needed fields left unmapped or empty cost the figures (e.g. won deals without a close date)."""
    with engine().connect() as conn:
        return costs_in_store(conn, workspace, lang)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_summary(workspace: int, version: int, filters: Filters) -> dict:
    """Headline KPIs of the filtered period with the previous period's under ``previous`` (no target)."""
    with engine().connect() as conn:
        return kpi.summary(conn, workspace, filters, compare=True)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_bookings(workspace: int, version: int, filters: Filters, freq: str) -> pd.DataFrame:
    """Won revenue and deals per day, week or month."""
    with engine().connect() as conn:
        return kpi.bookings(conn, workspace, filters, freq)  # type: ignore[arg-type]


@st.cache_data(max_entries=64, show_spinner=False)
def cached_funnel(workspace: int, version: int, filters: Filters) -> pd.DataFrame:
    """Stage funnel of the deals created in the period."""
    with engine().connect() as conn:
        return kpi.funnel(conn, workspace, filters)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_leaderboard(workspace: int, version: int, filters: Filters) -> pd.DataFrame:
    """Won revenue, win rate and quota attainment per rep."""
    with engine().connect() as conn:
        return kpi.leaderboard(conn, workspace, filters)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_breakdown(workspace: int, version: int, filters: Filters, by: str) -> pd.DataFrame:
    """Every KPI per rep, team, region, segment, source, product or month, as one flat table."""
    with engine().connect() as conn:
        return summary_table(kpi.summary_by(conn, workspace, by, filters), by)  # type: ignore[arg-type]


@st.cache_data(max_entries=64, show_spinner=False)
def cached_activity_mix(workspace: int, version: int, filters: Filters, freq: str) -> pd.DataFrame:
    """Activities per type and selling hours per week or month."""
    with engine().connect() as conn:
        return kpi.activity_mix(conn, workspace, filters, freq)  # type: ignore[arg-type]


@st.cache_data(max_entries=64, show_spinner=False)
def cached_activity_by_rep(workspace: int, version: int, filters: Filters) -> pd.DataFrame:
    """Activities per type, selling hours and activities per week for each rep."""
    with engine().connect() as conn:
        return kpi.activity_by_rep(conn, workspace, filters)


def _count(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def _money(value: float | None) -> str:
    return "n/a" if value is None else compact_money(value)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else percent(value)


def _relative(current: float | None, previous: float | None) -> str | None:
    """'+12 %' style change, or None (no delta shown) when there is nothing to compare with."""
    if current is None or previous is None:
        return None
    change = d.growth(current, previous)
    if change is None:
        return None
    return "0 %" if round(change * 100) == 0 else f"{change * 100:+.0f} %"


def _difference(current: float | None, previous: float | None, unit: str) -> str | None:
    if current is None or previous is None:
        return None
    return f"{current - previous:+.1f} {unit}"


def _output_tiles(now: dict, before: dict | None, target: float | None) -> None:
    """Won revenue … velocity with change vs the previous period (None: no change shown), and target coverage."""

    def was(name: str) -> Any:
        return None if before is None else before[name]

    row = st.columns(5)
    row[0].metric(
        t("Won revenue"), _money(now["won_revenue"]), _relative(now["won_revenue"], was("won_revenue")), border=True
    )
    row[1].metric(t("Deals won"), _count(now["deals_won"]), _relative(now["deals_won"], was("deals_won")), border=True)
    rate, rate_before = now["win_rate"], was("win_rate")
    row[2].metric(
        t("Win rate"),
        _percent(rate),
        _difference(None if rate is None else rate * 100, None if rate_before is None else rate_before * 100, "pp"),
        help=t("Won / (won + lost) among deals closed in the period."),
        border=True,
    )
    row[3].metric(
        t("Average deal size"),
        _money(now["avg_deal_size"]),
        _relative(now["avg_deal_size"], was("avg_deal_size")),
        border=True,
    )
    row[4].metric(
        t("Median cycle (days)"),
        _count(now["median_cycle_days"]),
        _difference(now["median_cycle_days"], was("median_cycle_days"), t("days")),
        delta_color="inverse",
        help=t("Days from created to close, median over deals won in the period."),
        border=True,
    )
    row = st.columns(5)
    row[0].metric(
        t("Open pipeline"),
        _money(now["open_pipeline"]),
        help=t("{n} open deals today; the open pipeline is a snapshot and ignores the period.", n=now["open_deals"]),
        border=True,
    )
    row[1].metric(
        t("Weighted pipeline"),
        _money(now["weighted_pipeline"]),
        help=t("Open amounts × stage probability (the win rate where a deal has none)."),
        border=True,
    )
    row[2].metric(
        t("Opportunities created"),
        _count(now["opportunities_created"]),
        _relative(now["opportunities_created"], was("opportunities_created")),
        border=True,
    )
    velocity = now["velocity"]
    row[3].metric(
        t("Velocity"),
        "n/a" if velocity is None else t("{amount}/day", amount=compact_money(velocity)),
        _relative(velocity, was("velocity")),
        help=t("Open deals × win rate × average deal size / median cycle days."),
        border=True,
    )
    coverage = d.pipeline_coverage(now["weighted_pipeline"], target, now["won_revenue"])
    if target is None:
        shown = "—"
    elif coverage is None:
        shown = t("Target met") if now["won_revenue"] >= target else "n/a"
    else:
        shown = f"{coverage:.1f}×"
    row[4].metric(
        t("Pipeline coverage"),
        shown,
        help=t("Weighted pipeline / (target − won revenue). Enter the period's revenue target above."),
        border=True,
    )


def _unit_name(first: date, name: str) -> str:
    """A compared unit in words: "Sep 2026", "Q3 2026" or "2025"."""
    if name == "growth_mom":
        return fmt.month_label(first, language())
    return f"Q{(first.month - 1) // 3 + 1} {first.year}" if name == "growth_qoq" else str(first.year)


def _growth_tiles(now: dict) -> None:
    """Growth of won revenue, each tile naming the units it compares ("Sep 2026 vs Aug 2026")."""
    row = st.columns(3)
    helps = {
        "growth_mom": t("Won revenue of the last complete month in the period vs the month before."),
        "growth_qoq": t("Won revenue of the last complete quarter in the period vs the quarter before."),
        "growth_yoy": t("Won revenue of the last complete calendar year in the period vs the year before."),
    }
    labels = {"growth_mom": t("Growth MoM"), "growth_qoq": t("Growth QoQ"), "growth_yoy": t("Growth YoY")}
    units: dict[str, tuple[date, date] | None] = dict.fromkeys(labels)
    if now["period_start"] and now["period_end"]:
        units = d.growth_units(date.fromisoformat(now["period_start"]), date.fromisoformat(now["period_end"]))
    for column, name in zip(row, labels, strict=True):
        unit = units[name]
        label = labels[name]
        if unit is not None:
            label = t("{growth}: {now} vs {before}", growth=label, now=_unit_name(unit[0], name),
                      before=_unit_name(unit[1], name))  # fmt: skip
        help_text = helps[name] if unit is not None else t("The period holds no complete unit to compare.")
        column.metric(label, fmt.growth(now[name], language()), help=help_text, border=True)


def _bookings_chart(ws: int, version: int, filters: Filters) -> None:
    freq = st.radio(
        t("Bookings per"),
        list(FREQ_LABELS),
        index=2,
        format_func=lambda f: t(FREQ_LABELS[f]),
        horizontal=True,
        key="kpi_freq",
    )
    frame = cached_bookings(ws, version, filters, freq)
    total, won = float(frame["won_revenue"].sum()), int(frame["deals_won"].sum())
    title = t(
        "Bookings per {unit}: {total} won in {n} deals",
        unit=t(PERIOD_WORDS[freq]),
        total=compact_money(total),
        n=f"{won:,}",
    )
    fig = px.bar(
        frame,
        x="period",
        y="won_revenue",
        hover_data={"deals_won": True},
        labels={"period": t("Close date"), "won_revenue": t("Won revenue"), "deals_won": t("Deals won")},
        title=title,
        color_discrete_sequence=[charts.COLORS["actual"]],
    )
    fig.update_traces(
        hovertemplate=t("%{x}: %{y:$,.0f} won in %{customdata[0]:,} deals") + "<extra></extra>",
    )
    charts.money_axis(fig, "y")
    if freq == "M":
        charts.month_axis(fig, "x", months=len(frame))
    charts.show(fig, "kpi_bookings_chart")
    csv_download(frame, t("Download bookings (CSV)"), f"bookings_{freq}.csv", "kpi_bookings_csv")


def _funnel_chart(ws: int, version: int, filters: Filters) -> None:
    frame = cached_funnel(ws, version, filters)
    created = int(frame["reached"].iloc[0])
    won_share = frame["share_of_created"].iloc[-1]
    title = t("Stage funnel: {n} deals created, {share} reached Won", n=f"{created:,}", share=_percent(won_share))
    shown = frame.assign(
        share=[_percent(v) for v in frame["share_of_created"]],
        next_step=[_percent(None if pd.isna(v) else v) for v in frame["conversion_to_next"]],
    )
    fig = px.funnel(
        shown,
        x="reached",
        y="stage",
        hover_data={"share": True, "next_step": True, "current": True},
        labels={
            "reached": t("Reached at least this stage"),
            "stage": t("Stage"),
            "share": t("Share of created"),
            "next_step": t("Conversion to next stage"),
            "current": t("There now"),
        },
        title=title,
    )
    charts.show(fig, "kpi_funnel_chart")
    steps = [
        t("{a} → {b}: {rate}", a=a, b=b, rate=_percent(rate))
        for a, b, rate in zip(frame["stage"], frame["stage"].iloc[1:], frame["conversion_to_next"], strict=False)
    ]
    st.caption(" · ".join(steps))
    csv_download(frame, t("Download funnel (CSV)"), "funnel.csv", "kpi_funnel_csv")


def _leaderboard_chart(ws: int, version: int, filters: Filters) -> None:
    frame = cached_leaderboard(ws, version, filters)
    if frame.empty:
        st.info(t("No deals closed in the period for these filters, so there is no leaderboard yet."))
        return
    reps = t("1 rep") if len(frame) == 1 else t("{n} reps", n=f"{len(frame):,}")
    title = t(
        "Won revenue by rep: {reps}, {total} in total", reps=reps, total=compact_money(frame["won_revenue"].sum())
    )
    top = frame.head(TOP_REPS).assign(
        win=[_percent(v) for v in frame["win_rate"].head(TOP_REPS)],
        attainment=[_percent(None if pd.isna(v) else v) for v in frame["quota_attainment"].head(TOP_REPS)],
    )
    fig = px.bar(
        top,
        x="won_revenue",
        y="rep",
        orientation="h",
        hover_data={"win": True, "attainment": True, "deals_won": True, "team": True},
        labels={
            "won_revenue": t("Won revenue"),
            "rep": t("Rep"),
            "win": t("Win rate"),
            "attainment": t("Quota attainment"),
            "deals_won": t("Deals won"),
            "team": t("Team"),
        },
        title=title,
    )
    charts.money_axis(fig, "x")
    charts.fit_bars(fig, len(top))
    charts.show(fig, "kpi_leaderboard_chart")
    if len(frame) > TOP_REPS:
        st.caption(t("The top {k} of {n} reps; the download holds every rep.", k=TOP_REPS, n=len(frame)))
    csv_download(frame, t("Download leaderboard (CSV)"), "leaderboard.csv", "kpi_leaderboard_csv")


def _breakdown(ws: int, version: int, filters: Filters) -> None:
    by = st.selectbox(
        t("KPIs by"),
        list(GROUPS),
        index=None,
        format_func=lambda g: t(GROUPS[g]),
        placeholder=t("Choose a grouping"),
        key="kpi_by",
        help=t("Every KPI per group, computed when you choose one (a large workspace takes a few seconds)."),
    )
    if by is None:
        return
    frame = cached_breakdown(ws, version, filters, by)
    show_table(frame, key="kpi_breakdown_table")
    csv_download(frame, t("Download KPIs by group (CSV)"), f"kpis_by_{by}.csv", "kpi_breakdown_csv")


def _input_tiles(now: dict, before: dict | None) -> None:
    by_type = now["activities_by_type"] or dict.fromkeys(ACTIVITY_TYPES, 0)
    before_types = (before or {}).get("activities_by_type") or {}
    row = st.columns(4)
    for i, kind in enumerate(ACTIVITY_TYPES):
        row[i % 4].metric(
            t(ACTIVITY_LABELS[kind]),
            _count(by_type[kind]),
            _relative(by_type[kind], before_types.get(kind)),
            border=True,
        )
        if i == 3:
            row = st.columns(4)
    hours, hours_before = now["selling_hours"], (before or {}).get("selling_hours")
    row[2].metric(
        t("Selling hours"),
        _count(hours),
        _relative(hours, hours_before),
        help=t("Logged duration of all activities, in hours."),
        border=True,
    )
    row[3].metric(
        t("Opportunities created"),
        _count(now["opportunities_created"]),
        _relative(now["opportunities_created"], (before or {}).get("opportunities_created")),
        border=True,
    )


def _activity_charts(ws: int, version: int, filters: Filters) -> None:
    freq = st.radio(
        t("Activities per"),
        ["W", "M"],
        index=1,
        format_func=lambda f: t(FREQ_LABELS[f]),
        horizontal=True,
        key="kpi_mix_freq",
    )
    mix = cached_activity_mix(ws, version, filters, freq)
    long = mix.melt(id_vars="period", value_vars=list(ACTIVITY_TYPES), var_name="type", value_name="count")
    long["type"] = [t(ACTIVITY_LABELS[k]) for k in long["type"]]
    total = int(long["count"].sum())
    title = t("Activity mix per {unit}: {n} activities", unit=t(PERIOD_WORDS[freq]), n=f"{total:,}")
    fig = px.bar(
        long,
        x="period",
        y="count",
        color="type",
        labels={"period": t("Date"), "count": t("Activities"), "type": t("Type")},
        title=title,
    )
    fig.update_layout(barmode="stack")
    if freq == "M":
        charts.month_axis(fig, "x", months=len(mix))
    charts.show(fig, "kpi_mix_chart")
    csv_download(mix, t("Download activity mix (CSV)"), f"activity_mix_{freq}.csv", "kpi_mix_csv")

    by_rep = cached_activity_by_rep(ws, version, filters)
    top = by_rep.head(TOP_REPS).melt(id_vars="rep", value_vars=list(ACTIVITY_TYPES), var_name="type", value_name="n")
    top["type"] = [t(ACTIVITY_LABELS[k]) for k in top["type"]]
    reps = t("1 rep") if len(by_rep) == 1 else t("{n} reps", n=f"{len(by_rep):,}")
    title = t("Activities per rep: {reps}", reps=reps)
    fig = px.bar(
        top,
        x="n",
        y="rep",
        color="type",
        orientation="h",
        labels={"n": t("Activities"), "rep": t("Rep"), "type": t("Type")},
        title=title,
    )
    fig.update_layout(barmode="stack")
    charts.fit_bars(fig, min(len(by_rep), TOP_REPS))
    charts.show(fig, "kpi_by_rep_chart")
    if len(by_rep) > TOP_REPS:
        st.caption(t("The top {k} of {n} reps; the download holds every rep.", k=TOP_REPS, n=len(by_rep)))
    csv_download(by_rep, t("Download activities per rep (CSV)"), "activities_by_rep.csv", "kpi_by_rep_csv")


def _comparable(now: dict) -> dict | None:
    """The previous period's KPIs when it had closed deals; otherwise changes would compare with missing history."""
    before = now["previous"]
    return before if before is not None and before["deals_won"] + before["deals_lost"] > 0 else None


def _period_caption(now: dict, before: dict | None, filters: Filters) -> None:
    """The dates every tile and chart below cover, why they may stop before the sidebar's end, what they compare to."""
    if now["period_start"] is None:
        return
    start, end = date.fromisoformat(now["period_start"]), date.fromisoformat(now["period_end"])
    text = t("Close dates {start} to {end}.", start=fmt.day(start), end=fmt.day(end))
    if filters.end is not None and filters.end > end:
        text += " " + t("The data end on {end}; the sidebar runs to {sidebar}.", end=fmt.day(end),
                        sidebar=fmt.day(filters.end))  # fmt: skip
    if before is None:
        text += " " + t("No closed deals in the period before to compare with.")
    else:
        p_start, p_end = date.fromisoformat(before["period_start"]), date.fromisoformat(before["period_end"])
        text += " " + t("Changes compare with {start} to {end}.", start=fmt.day(p_start), end=fmt.day(p_end))
    st.caption(text)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_deal_filter_note(workspace: int, version: int, filters: Filters, lang: str) -> str | None:
    """What a segment, source or product filter keeps of the activities (None without such a filter)."""
    with engine().connect() as conn:
        return deal_filter_note(conn, workspace, filters, lang)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_lead_kpis(workspace: int, version: int, filters: Filters, lang: str) -> LeadKpis:
    """Lead volume, conversion, time to convert and lead-to-opportunity of the filtered workspace."""
    with engine().connect() as conn:
        return lead_kpis(conn, workspace, filters, lang=lang)


def _lead_section(ws: int, version: int, filters: Filters) -> None:
    """Lead KPIs, shown where a workspace has leads but no deals."""
    figures = cached_lead_kpis(ws, version, filters, language())
    st.subheader(t("Lead KPIs"))
    st.caption(t("This workspace holds leads but no deals: these are the KPIs its leads support."))
    row = st.columns(5)
    row[0].metric(t("Leads"), _count(figures.leads), border=True)
    row[1].metric(t("Converted"), _count(figures.converted), border=True)
    row[2].metric(
        t("Conversion rate"), _percent(figures.conversion_rate), help=t("Converted leads / leads."), border=True
    )
    row[3].metric(
        t("Median days to convert"),
        _count(figures.median_days_to_convert),
        help=t("Days from created to converted date, median over converted leads with both dates."),
        border=True,
    )
    row[4].metric(
        t("Lead-to-opportunity"),
        _percent(figures.lead_to_opportunity),
        help=t("Deals created / leads created in the period."),
        border=True,
    )
    for note in figures.missing:
        st.info(note)
    if not figures.monthly.empty:
        title = t("Leads created per month: {n} leads", n=f"{int(figures.monthly['leads'].sum()):,}")
        fig = px.bar(
            figures.monthly, x="month", y="leads", title=title, labels={"month": t("Month"), "leads": t("Leads")}
        )
        charts.show(fig, "kpi_leads_monthly_chart")
        csv_download(figures.monthly, t("Download leads per month (CSV)"), "leads_per_month.csv", "kpi_leads_month_csv")
    for frame, label, key in ((figures.by_source, "Lead source", "source"), (figures.by_owner, "Owner", "owner")):
        if frame.empty:
            continue
        st.markdown(f"**{t('Leads by {what}', what=t(label).lower())}**")
        st.dataframe(
            frame.rename(columns={"group": t(label)}),
            hide_index=True,
            column_config={"conversion_rate": st.column_config.NumberColumn(t("Conversion rate"), format="percent")},
            key=f"kpi_leads_by_{key}",
        )
        csv_download(frame, t("Download leads by {what} (CSV)", what=t(label).lower()), f"leads_by_{key}.csv",
                     f"kpi_leads_{key}_csv")  # fmt: skip


def render(filters: Filters) -> None:
    """Draw the KPI explorer for the current workspace and the sidebar's filters."""
    ws, version = workspace_id(), data_version()
    has = cached_presence(ws, version)
    if not has.deals and not has.activities and not has.leads:
        st.info(t("This workspace is empty. Import a deals export (and activities) in the Import tab to see KPIs."))
        return
    now = cached_summary(ws, version, filters)
    before = _comparable(now)
    for message in cached_missing(ws, version, language()):
        st.warning(message)

    if not has.deals and has.leads:
        _lead_section(ws, version, filters)
    st.subheader(t("Output KPIs"))
    if not has.deals:
        st.info(t("No deals in this workspace yet: import a deals export in the Import tab to see output KPIs."))
    elif now["deals_won"] + now["deals_lost"] + now["opportunities_created"] == 0:
        st.info(
            t(
                "No deals closed or created in the selected period with these filters. Widen the period, "
                "clear the filters in the sidebar, or import more recent data."
            )
        )
    else:
        _period_caption(now, before, filters)
        target = money_input(
            t("Revenue target for the period"),
            "kpi_target",
            help=t("Used for pipeline coverage; $0 means no target. Type 2.5M, 250k or 2,500,000."),
        )
        _output_tiles(now, before, target or None)
        _growth_tiles(now)
        _bookings_chart(ws, version, filters)
        left, right = st.columns(2)
        with left:
            _funnel_chart(ws, version, filters)
        with right:
            _leaderboard_chart(ws, version, filters)
        with st.expander(t("KPIs by rep, team, region, segment, source, product or month")):
            _breakdown(ws, version, filters)

    st.subheader(t("Input KPIs"))
    note = cached_deal_filter_note(ws, version, filters, language()) if has.activities else None
    if note:
        st.caption(note)
    if not has.activities:
        st.info(t("Import an activities export to see input KPIs (emails, calls, meetings, demos, selling hours)."))
        return
    if not sum((now["activities_by_type"] or {}).values()):
        st.info(t("No activities in the selected period for these filters. Widen the period or clear the filters."))
        return
    _input_tiles(now, before)
    _activity_charts(ws, version, filters)
