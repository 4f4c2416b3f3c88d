"""Ideal customer profile on page 1: win rate with its uncertainty per segment, the profile in words, rep focus."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from salesops.filters import Filters
from salesops.segments.icp import DIMENSIONS, LOW_CONFIDENCE_BELOW, Dimension, ICPResult, icp, ideal_profile, rep_focus
from salesops.ui import charts
from salesops.ui.common import csv_download, data_version, engine, language, plain, t, workspace_id
from salesops.ui.tables import show_table

DIMENSION_LABELS: dict[str, str] = {
    "industry": "Industry",
    "size_band": "Company size",
    "region": "Region",
    "product": "Product",
    "source": "Lead source",
    "segment": "Segment",
}
_CONFIDENT, _LOW = "#2563EB", "#CBD5E1"


@st.cache_data(max_entries=64, show_spinner=False)
def cached_segments(workspace: int, version: int, filters: Filters, dimension: Dimension) -> pd.DataFrame:
    """Per-segment figures of closed deals along one dimension."""
    with engine().connect() as conn:
        return icp(conn, workspace, filters, dimension)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_profile(workspace: int, version: int, filters: Filters, lang: str) -> ICPResult:
    """The ranked segments over every dimension and the ideal profile named from them."""
    with engine().connect() as conn:
        return ideal_profile(conn, workspace, filters, lang=lang)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_focus(workspace: int, version: int, filters: Filters, dimension: Dimension) -> pd.DataFrame:
    """Each rep's share of won revenue per segment against the team's."""
    with engine().connect() as conn:
        return rep_focus(conn, workspace, filters, dimension)


def win_rate_chart(segments: pd.DataFrame) -> go.Figure:
    """Win rate per segment with its 95 % interval as error bars; low-confidence segments in grey."""
    low = segments["confidence"] == "low"
    fig = go.Figure(
        go.Bar(
            x=segments["label"],
            y=segments["win_rate"],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": segments["win_rate_high"] - segments["win_rate"],
                "arrayminus": segments["win_rate"] - segments["win_rate_low"],
            },
            marker_color=[_LOW if flag else _CONFIDENT for flag in low],
            customdata=segments[["closed", "confidence"]],
            hovertemplate=t("%{x}: win rate %{y:.0%} (%{customdata[0]} closed, %{customdata[1]} confidence)")
            + "<extra></extra>",
        )
    )
    fig.update_layout(yaxis_tickformat=".0%", yaxis_title=t("Win rate (95 % interval)"), margin={"t": 30})
    return fig


def focus_heatmap(focus: pd.DataFrame) -> go.Figure:
    """Rep × segment focus index (rep's share of won revenue / team's share; above 1 = leans in)."""
    grid = focus.pivot_table(index="rep", columns="segment", values="focus_index", aggfunc="first")
    fig = px.imshow(
        grid,
        color_continuous_scale="RdBu",
        range_color=[0.0, 2.0],  # a ratio around 1: "half as much" and "twice as much" sit at the same distance
        aspect="auto",
        text_auto=".1f",
        labels={"color": t("Focus index")},
    )
    fig.update_layout(xaxis_title="", yaxis_title="", height=max(300, 22 * len(grid) + 120))
    fig.update_coloraxes(colorbar={"tickvals": [0, 0.5, 1, 1.5, 2], "ticktext": ["0×", "0.5×", "1×", "1.5×", "2×+"]})
    fig.update_yaxes(dtick=1)
    return fig


def render(filters: Filters | None = None) -> None:
    """Draw the ICP section: the profile in words, the segment chart and table, and reps' segment focus."""
    filters = filters or Filters()
    ws, version = workspace_id(), data_version()
    profile = cached_profile(ws, version, filters, language())
    if not profile.overall.get("closed"):
        st.info(t("No closed deals in the selection: widen the filters or import deals with won/lost outcomes."))
        return
    st.subheader(t("Ideal customer profile"))
    if profile.statements:
        st.markdown("\n".join(f"- {plain(text)}" for text in profile.statements))
    if profile.note:
        st.info(profile.note)
    with st.expander(t("Every ranked segment")):
        ranked = profile.segments[profile.segments["rank"].notna()]
        show_table(ranked, key="icp_ranked_table")
        csv_download(ranked, t("Download the ranked segments (CSV)"), "icp_ranked_segments.csv", "icp_ranked_download")
    dimension = st.selectbox(
        t("Segment by"), DIMENSIONS, format_func=lambda d: t(DIMENSION_LABELS[d]), key="icp_dimension"
    )
    segments = cached_segments(ws, version, filters, dimension)
    if segments.empty:
        st.info(t("No closed deals to segment by this dimension in the selection."))
        return
    charts.show(win_rate_chart(segments), "icp_win_rate_chart")
    if (segments["confidence"] == "low").any():
        st.caption(
            t("Grey bars: fewer than {n} closed deals, too few to read (low confidence).", n=LOW_CONFIDENCE_BELOW)
        )
    table = segments[
        [
            "label",
            "closed",
            "won",
            "win_rate",
            "win_rate_low",
            "win_rate_high",
            "avg_deal_size",
            "median_cycle_days",
            "revenue",
            "confidence",
        ]
    ]
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "label": t(DIMENSION_LABELS[dimension]),
            "closed": st.column_config.NumberColumn(t("Closed")),
            "won": st.column_config.NumberColumn(t("Won")),
            "win_rate": st.column_config.NumberColumn(t("Win rate"), format="percent"),
            "win_rate_low": st.column_config.NumberColumn(t("CI low"), format="percent"),
            "win_rate_high": st.column_config.NumberColumn(t("CI high"), format="percent"),
            "avg_deal_size": st.column_config.NumberColumn(t("Avg deal size"), format="dollar"),
            "median_cycle_days": st.column_config.NumberColumn(t("Median cycle (days)")),
            "revenue": st.column_config.NumberColumn(t("Revenue"), format="dollar"),
            "confidence": t("Confidence"),
        },
        key="icp_segments_table",
    )
    csv_download(segments, t("Download the segments (CSV)"), f"icp_{dimension}.csv", "icp_segments_download")
    st.subheader(t("Reps' segment focus"))
    focus = cached_focus(ws, version, filters, dimension)
    if focus.empty:
        st.info(t("No won deals with an owner in the selection."))
        return
    st.caption(t("Focus index: a rep's share of won revenue in a segment / the team's share. Above 1 = leans in."))
    charts.show(focus_heatmap(focus), "icp_focus_chart")
    csv_download(focus, t("Download rep focus (CSV)"), f"rep_focus_{dimension}.csv", "icp_focus_download")
