"""Top vs bottom performers (how each group sells and spends its time) and forecast vs actual, on page 1."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from salesops.accuracy.forecast import AccuracyResult, forecast_vs_actual
from salesops.filters import Filters
from salesops.formatting import column_label, percent
from salesops.ingest.fields import ACTIVITY_TYPES
from salesops.performers.compare import Basis, PerformerComparison, compare_performers
from salesops.plan.actuals import PlanComparison, latest_plan_vs_actual
from salesops.ui import charts
from salesops.ui.common import compact_money, csv_download, data_version, engine, language, plain, t, workspace_id
from salesops.ui.tables import show_table

FINDINGS_SHOWN = 6
# Attainment first: ranking by raw revenue mostly sorts reps by the segment they sell to.
BASES: tuple[Basis, ...] = ("attainment", "revenue")
_GROUP_COLOURS = {"top": "#2563EB", "middle": "#94A3B8", "bottom": "#F97316"}


@st.cache_data(max_entries=64, show_spinner=False)
def cached_comparison(workspace: int, version: int, filters: Filters, basis: Basis, lang: str) -> PerformerComparison:
    """Top vs bottom comparison of a workspace at a data version."""
    with engine().connect() as conn:
        return compare_performers(conn, workspace, filters, basis, lang=lang)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_accuracy(workspace: int, version: int, filters: Filters, lang: str) -> AccuracyResult:
    """Forecast vs actual of a workspace at a data version."""
    with engine().connect() as conn:
        return forecast_vs_actual(conn, workspace, filters, lang=lang)


def _formatted(value: object, kind: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    if kind in ("share", "rate"):
        return percent(number)
    if kind == "money":
        return compact_money(number)
    return f"{number:,.0f}" if abs(number) >= 100 else f"{number:.1f}"


def metrics_chart(metrics: pd.DataFrame) -> go.Figure:
    """Grouped bars of top vs bottom for the headline and per-won-deal metrics, each pair scaled so the higher
    group reads 100 (the units differ); the bar labels carry the real figures."""
    headline = metrics["activity_type"].isna() | metrics["metric"].str.endswith("_per_won_deal")
    rows = metrics[headline & metrics["top"].notna() & metrics["bottom"].notna()]
    fig = go.Figure()
    for group in ("top", "bottom"):
        values = rows[group].astype(float)
        highest = rows[["top", "bottom"]].astype(float).max(axis=1).replace(0.0, float("nan"))
        fig.add_bar(
            name=t("Top group") if group == "top" else t("Bottom group"),
            x=[t(label) for label in rows["label"]],
            y=(values / highest * 100).fillna(0.0),
            text=[_formatted(v, k) for v, k in zip(rows[group], rows["kind"], strict=True)],
            textposition="outside",
            marker_color=_GROUP_COLOURS[group],
        )
    fig.update_layout(
        barmode="group",
        yaxis_title=t("Index (higher group = 100)"),
        yaxis_range=[0, 118],
        legend_title_text="",
        margin={"t": 30},
    )
    return fig


def activity_mix(metrics: pd.DataFrame) -> pd.DataFrame:
    """Long frame group, activity type, share of the group's activities (for a 100 % stacked bar)."""
    shares = metrics[metrics["kind"] == "share"].set_index("activity_type")
    records = [
        {"group": group, "activity_type": kind, "share": float(shares.at[kind, group])}
        for group in ("top", "middle", "bottom")
        for kind in ACTIVITY_TYPES
        if kind in shares.index and pd.notna(shares.at[kind, group])
    ]
    return pd.DataFrame.from_records(records, columns=["group", "activity_type", "share"])


def render(filters: Filters | None = None) -> None:
    """Draw the top vs bottom performers section: findings, metric and activity-mix charts, rep groups."""
    filters = filters or Filters()
    basis = st.radio(
        t("Rank reps by"),
        BASES,
        format_func=lambda b: t("Won revenue") if b == "revenue" else t("Quota attainment"),
        horizontal=True,
        key="perf_basis",
    )
    result = cached_comparison(workspace_id(), data_version(), filters, basis, language())
    if result.metrics.empty:
        st.info(
            t("{note} Widen the period or rep filters, or import deals with owners.", note=result.note)
            if result.note
            else t("No reps to compare yet: import deals with owners.")
        )
        return
    st.subheader(t("What sets the top group apart"))
    findings = list(result.findings)
    if findings:
        st.markdown("\n".join(f"- {plain(text)}" for text in findings[:FINDINGS_SHOWN]))
        if len(findings) > FINDINGS_SHOWN:
            with st.expander(t("All {n} differences", n=len(findings))):
                st.markdown("\n".join(f"- {plain(text)}" for text in findings[FINDINGS_SHOWN:]))
    else:
        st.info(t("The top and bottom groups differ by less than 20 % on every measure."))
    st.caption(result.note)
    charts.show(metrics_chart(result.metrics), "perf_metrics_chart")
    csv_download(result.metrics, t("Download the metrics (CSV)"), "top_vs_bottom_metrics.csv", "perf_metrics_download")
    mix = activity_mix(result.metrics)
    if mix.empty:
        st.info(t("No activities in the selection: import an activities export to compare how each group works."))
    else:
        st.subheader(t("Activity mix of each group"))
        mix = mix.assign(group=mix["group"].map(lambda g: t(g.capitalize())), activity_type=mix["activity_type"])
        fig = px.bar(mix, x="group", y="share", color="activity_type", text_auto=".0%")
        fig.update_layout(barmode="stack", yaxis_tickformat=".0%", xaxis_title="", yaxis_title=t("Share of activities"))
        fig.update_layout(legend_title_text=t("Activity"))
        charts.show(fig, "perf_mix_chart")
        csv_download(mix, t("Download the activity mix (CSV)"), "activity_mix.csv", "perf_mix_download")
    with st.expander(t("Reps and their group")):
        st.dataframe(
            result.groups,
            hide_index=True,
            column_config={
                "won_revenue": st.column_config.NumberColumn(t("Won revenue"), format="dollar"),
                "quota_attainment": st.column_config.NumberColumn(t("Attainment"), format="percent"),
                "win_rate": st.column_config.NumberColumn(t("Win rate"), format="percent"),
                "avg_deal_size": st.column_config.NumberColumn(t("Avg deal size"), format="dollar"),
            },
            key="perf_groups_table",
        )
        csv_download(result.groups, t("Download the reps (CSV)"), "performer_groups.csv", "perf_groups_download")


def accuracy_chart(monthly: pd.DataFrame) -> go.Figure:
    """Won revenue as bars with the forecast and commit lines over it, per close month."""
    fig = go.Figure()
    colors = charts.COLORS
    fig.add_bar(x=monthly["month"], y=monthly["actual"], name=t("Actual (won)"), marker_color=colors["actual"])
    fig.add_scatter(
        x=monthly["month"],
        y=monthly["forecast"],
        name=t("Forecast"),
        mode="lines+markers",
        line_color=colors["forecast"],
    )
    fig.add_scatter(
        x=monthly["month"], y=monthly["commit"], name=t("Commit"), mode="lines+markers", line_color=colors["target"]
    )
    fig.update_layout(xaxis_title=t("Close month"), yaxis_title=t("Amount"))
    fig.update_traces(hovertemplate="%{x|%b %Y}: %{y" + charts.MONEY_HOVER + "}")
    charts.money_axis(fig, "y")
    charts.month_axis(fig, "x", months=len(monthly))
    return fig


@st.cache_data(max_entries=16, show_spinner=False)
def cached_plan_comparison(workspace: int, version: int, as_of: date | None) -> PlanComparison | None:
    """The latest saved plan against bookings at a data version, up to the as-of date's last complete month."""
    with engine().connect() as conn:
        return latest_plan_vs_actual(conn, workspace, as_of)


def _saved_plan_section(as_of: date | None) -> None:
    """The latest plan saved in step 2 against what was booked in the months the data covers."""
    st.subheader(t("Saved plan vs actual"))
    found = cached_plan_comparison(workspace_id(), data_version(), as_of)
    if found is None:
        st.caption(t("Save a demand plan in step 2 to compare it with bookings here once new data arrives."))
        return
    title = t("Plan v{version} “{name}” covers {first} to {last}.", version=found.version, name=plain(found.name),
              first=found.first_period, last=found.last_period)  # fmt: skip
    if found.months.empty:
        st.info(t("{title} Plan vs actual appears once deals closed in those months are imported.", title=title))
        return
    st.caption(title)
    months = found.months
    fig = go.Figure(
        [
            go.Bar(x=months["period"], y=months["actual"], name=t("Actual"), marker_color=charts.COLORS["actual"]),
            go.Scatter(
                x=months["period"],
                y=months["plan"],
                name=t("Plan"),
                mode="lines+markers",
                line_color=charts.COLORS["plan"],
            ),
        ]
    )
    fig.update_layout(yaxis_title=t(found.metric.capitalize()))
    if found.metric == "revenue":
        charts.money_axis(fig, "y")
    charts.show(fig, "plan_vs_actual_chart")
    counts = {c: st.column_config.NumberColumn(column_label(c, language()), format="%,.0f") for c in months.columns}
    show_table(
        months,
        key="plan_vs_actual_table",
        column_config={} if found.metric == "revenue" else {c: counts[c] for c in ("plan", "actual", "variance")},
    )
    csv_download(months, t("Download plan vs actual (CSV)"), "plan_vs_actual.csv", "plan_vs_actual_download")


def render_accuracy(filters: Filters) -> None:
    """Draw the forecast vs actual section: monthly chart, reps with a systematic bias, per-rep table, and the
    latest saved plan against bookings."""
    _accuracy(filters)
    _saved_plan_section(filters.as_of)


def _accuracy(filters: Filters) -> None:
    result = cached_accuracy(workspace_id(), data_version(), filters, language())
    if result.monthly.empty:
        st.info(t("{note} Meanwhile, the saved plan below is compared with what was booked.", note=result.note))
        return
    monthly = result.monthly
    forecast, actual = float(monthly["forecast"].sum()), float(monthly["actual"].sum())
    cols = st.columns(3)
    cols[0].metric(t("Forecast"), compact_money(forecast))
    cols[1].metric(t("Actual (won)"), compact_money(actual))
    cols[2].metric(
        t("Forecast error"),
        f"{(forecast - actual) / actual * 100:+.0f} %" if actual else "—",
        help=t("(forecast − actual) / actual"),
    )
    charts.show(accuracy_chart(monthly), "accuracy_chart")
    csv_download(monthly, t("Download the months (CSV)"), "forecast_vs_actual.csv", "accuracy_monthly_download")
    st.caption(result.note)
    for flag in result.flags:
        st.warning(plain(flag))
    if not result.flags:
        st.success(t("No rep is systematically over or under forecast."))
    st.subheader(t("Forecast bias per rep"))
    st.dataframe(
        result.reps,
        hide_index=True,
        column_config={
            "rep": t("Rep"),
            "months": st.column_config.NumberColumn(t("Months with bookings")),
            "mean_error_pct": st.column_config.NumberColumn(t("Mean error"), format="percent"),
            "months_over": t("Months over"),
            "months_under": t("Months under"),
            "flagged": st.column_config.CheckboxColumn(t("Systematic")),
            "statement": t("In words"),
        },
        key="accuracy_reps_table",
    )
    csv_download(result.reps, t("Download the reps (CSV)"), "forecast_bias_by_rep.csv", "accuracy_reps_download")
    csv_download(
        result.by_rep, t("Download rep × month (CSV)"), "forecast_by_rep_month.csv", "accuracy_by_rep_download"
    )
