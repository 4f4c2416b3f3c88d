"""The product's one chart look: a registered plotly template, series colours, money/percent/month axes, bar charts
that label every bar, and ``show`` to draw a figure with it.

Use it on every page:

- ``show(fig, key)`` instead of ``st.plotly_chart``: applies ``TEMPLATE`` and draws at full width.
- ``COLORS["actual" | "forecast" | "plan" | "target" | "interval" | "others"]``: the same series always get the same
  calm colours (actual is dark slate, forecast blue, plan teal; nothing reads as an alarm).
- ``money_axis(fig, "y")``, ``percent_axis(fig, "y")``, ``month_axis(fig, "x")``: ticks as people read them ($1.2M,
  38%, Sep 2026; a one-month series shows one tick, not 23:59:59).
- ``MONEY_HOVER`` / ``PERCENT_HOVER`` / ``COUNT_HOVER``: hover number formats for ``hovertemplate`` (``"%{y"
  + MONEY_HOVER + "}"``).
- ``ranked_bars(frame, label, value, text=fmt.money_compact, hover=MONEY_HOVER)``: horizontal bars, one labelled
  row per category, height growing with the count; past ``top`` categories, the top ones plus one "others" bar.
- ``fit_bars(fig, n)``: an existing horizontal bar chart (plotly express) with every one of its ``n`` bars labelled.
- ``top_n(frame, label, value, n, others)``: that top-N-plus-others frame on its own (pure pandas).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesops.chart_theme import COLORS, COLORWAY, FONT, TEMPLATE_NAME  # noqa: F401 - re-exported
from salesops.export.safe import inert_figure
from salesops.ui.common import t

MONEY_HOVER = ":$,.0f"
PERCENT_HOVER = ":.1%"
COUNT_HOVER = ":,.0f"

BAR_ROW_PX = 26
"""Height of one horizontal bar so each keeps its own readable label."""

Axis = Literal["x", "y"]


def show(fig: go.Figure, key: str) -> None:
    """Draw ``fig`` in the product template at full width (the template wins over Streamlit's own theme).

    CRM values in its labels, legends and hovers are shown as text (``inert_figure``): a rep named
    ``<a href=...>`` is not a live link.
    """
    inert_figure(fig)
    fig.update_layout(template=TEMPLATE_NAME)
    st.plotly_chart(fig, key=key, width="stretch", theme=None)


def _axis(fig: go.Figure, axis: Axis, **settings: Any) -> None:
    if axis == "x":
        fig.update_xaxes(**settings)
    else:
        fig.update_yaxes(**settings)


def money_axis(fig: go.Figure, axis: Axis = "y", symbol: str = "$") -> None:
    """Amount ticks like $250k and $1.2M on ``axis``."""
    _axis(fig, axis, tickprefix=symbol, tickformat="~s")


def percent_axis(fig: go.Figure, axis: Axis = "y") -> None:
    """Fraction ticks as whole percentages on ``axis``."""
    _axis(fig, axis, tickformat=".0%")


def month_axis(fig: go.Figure, axis: Axis = "x", months: int | None = None) -> None:
    """Month ticks ("Sep 2026") on a date ``axis``; with few ``months`` one tick per month, never clock times."""
    month = t("%b %Y")  # a d3 date format the catalog words per language: "Sep 2026", "2026年9月"
    settings: dict[str, Any] = {"tickformat": month, "hoverformat": month}
    if months is not None and months <= 12:
        settings["dtick"] = "M1"
    _axis(fig, axis, **settings)


def top_n(frame: pd.DataFrame, label: str, value: str, n: int, others: str) -> pd.DataFrame:
    """The ``n`` largest rows by ``value`` and one ``others`` row summing the rest (the frame itself if it fits)."""
    ordered = frame.sort_values(value, ascending=False)
    if len(ordered) <= n + 1:
        return ordered[[label, value]].reset_index(drop=True)
    head = ordered.head(n)[[label, value]]
    rest = pd.DataFrame({label: [others], value: [ordered[value].iloc[n:].sum()]})
    return pd.concat([head, rest], ignore_index=True)


def ranked_bars(
    frame: pd.DataFrame,
    label: str,
    value: str,
    *,
    text: Callable[[float], str] | None = None,
    hover: str = COUNT_HOVER,
    top: int = 30,
    others: str = "Others",
) -> go.Figure:
    """Horizontal bars, largest on top, every bar labelled; past ``top`` rows the rest is one ``others`` bar.

    ``text`` formats the figure written at each bar's end (``formatting.money_compact``, ``formatting.count``).
    """
    shown = top_n(frame, label, value, top, others)
    colors = [COLORS["others"] if name == others and len(frame) > top + 1 else COLORWAY[0] for name in shown[label]]
    fig = go.Figure(
        go.Bar(
            x=shown[value],
            y=shown[label].astype(str),
            orientation="h",
            marker_color=colors,
            text=[text(float(v)) for v in shown[value]] if text is not None else None,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x" + hover + "}<extra></extra>",
        )
    )
    fit_bars(fig, len(shown))
    return fig


def fit_bars(fig: go.Figure, bars: int) -> None:
    """Horizontal bars each with its own category label (none skipped), first row on top, the chart as tall as
    ``bars`` rows need."""
    fig.update_yaxes(autorange="reversed", dtick=1, type="category")
    fig.update_layout(height=max(260, BAR_ROW_PX * bars + 90), template=TEMPLATE_NAME)
