"""Data-quality report on page 1: the 0-100 score, what lowers it and how to fix it, completeness per column."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from salesops.filters import Filters
from salesops.kpi.quality import QualityReport, quality_report
from salesops.ui import charts
from salesops.ui.common import csv_download, data_version, engine, language, t, workspace_id

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
FINDING_COLUMNS = ["severity", "entity", "column", "message", "fix", "count"]


@st.cache_data(max_entries=64, show_spinner=False)
def cached_report(workspace: int, version: int, as_of: date) -> QualityReport:
    """Quality report of a workspace at a data version (stale and future close dates are judged against ``as_of``)."""
    with engine().connect() as conn:
        return quality_report(conn, workspace, as_of)


def findings_frame(report: QualityReport) -> pd.DataFrame:
    """The findings as a table in the session's language, high severity first, then the most rows affected."""
    records = [
        {**dataclasses.asdict(f), "message": f.describe(language()), "fix": f.remedy(language())}
        for f in report.findings
    ]
    frame = pd.DataFrame.from_records(records, columns=FINDING_COLUMNS)
    order = frame["severity"].map(SEVERITY_ORDER)
    return frame.assign(_order=order).sort_values(["_order", "count"], ascending=[True, False]).drop(columns="_order")


def gauge(score: int) -> go.Figure:
    """A 0-100 gauge: red below 60, amber below 80, green above."""
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=score,
            gauge={
                "axis": {"range": [0, 100]},
                "bar": {"color": "#0F172A"},
                "steps": [
                    {"range": [0, 60], "color": "#FECACA"},
                    {"range": [60, 80], "color": "#FDE68A"},
                    {"range": [80, 100], "color": "#BBF7D0"},
                ],
            },
        )
    )
    fig.update_layout(height=220, margin={"t": 20, "b": 10, "l": 30, "r": 30})
    return fig


def render(filters: Filters | None = None) -> None:
    """Draw the data-quality section (the whole workspace: quality is not filtered by period or rep)."""
    as_of = (filters.as_of if filters else None) or date.today()
    report = cached_report(workspace_id(), data_version(), as_of)
    if report.columns.empty or not int(report.columns["rows"].max() or 0):
        st.info(t("No data in this workspace yet: import CRM exports in the Import tab to get a quality report."))
        return
    st.caption(
        t(
            "The report covers the whole workspace: the sidebar filters do not apply here. Stale and future close "
            "dates are judged against the as-of date, {day}.",
            day=as_of.isoformat(),
        )
    )
    left, right = st.columns([1, 2])
    left.metric(
        t("Data-quality score"),
        f"{report.score} / 100",
        help=t("100 minus, per finding, its severity weight times the share of rows it affects."),
    )
    with right:
        charts.show(gauge(report.score), "quality_gauge")
    findings = findings_frame(report)
    st.subheader(t("What to fix"))
    if findings.empty:
        st.success(t("No problems found."))
    else:
        st.dataframe(
            findings,
            hide_index=True,
            column_config={
                "severity": t("Severity"),
                "entity": t("Table"),
                "column": t("Column"),
                "message": st.column_config.TextColumn(t("Problem"), width="large"),
                "fix": st.column_config.TextColumn(t("How to fix"), width="large"),
                "count": st.column_config.NumberColumn(t("Rows")),
            },
            key="quality_findings_table",
        )
        csv_download(
            findings, t("Download the findings (CSV)"), "data_quality_findings.csv", "quality_findings_download"
        )
    st.subheader(t("Completeness"))
    columns = report.columns[report.columns["rows"] > 0]
    gaps = columns[columns["completeness"] < 1].assign(name=lambda f: f["entity"] + " · " + f["column"])
    if gaps.empty:
        st.success(t("Every mapped column is filled in every row."))
    else:
        fig = px.bar(
            gaps.sort_values("completeness", ascending=False),
            x="completeness",
            y="name",
            color="entity",
            orientation="h",
            range_x=[0, 1],
            hover_data={"filled": True, "rows": True},
            text_auto=".0%",
        )
        fig.update_layout(
            xaxis_tickformat=".0%",
            xaxis_title=t("Rows with a value"),
            yaxis_title="",
            legend_title_text=t("Table"),
            height=max(260, 24 * len(gaps) + 80),
        )
        st.caption(t("Columns with gaps (the others are complete)."))
        charts.show(fig, "quality_completeness_chart")
    with st.expander(t("Completeness of every column")):
        st.dataframe(
            columns,
            hide_index=True,
            column_config={
                "completeness": st.column_config.ProgressColumn(t("Completeness"), min_value=0, max_value=1)
            },
            key="quality_columns_table",
        )
    csv_download(columns, t("Download completeness (CSV)"), "data_quality_completeness.csv", "quality_columns_download")
