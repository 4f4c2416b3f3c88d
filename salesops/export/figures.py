"""The plan's key charts as data and as plotly figures: the page draws them, the PDF and the deck embed them.

A chart is a :class:`ChartData` (months and named series of raw numbers), so a file writer that cannot render a
plotly figure to an image still draws the same bars itself.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from salesops.chart_theme import COLORS, TEMPLATE_NAME
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.plan.report import PlanReport

IMAGE_WIDTH, IMAGE_HEIGHT = 1000, 420


@dataclass(frozen=True)
class ChartData:
    """A grouped bar chart: x labels (months) and series name → values; ``money`` says how values read."""

    key: str
    title: str
    x: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...], str], ...]  # (name, values, colour)
    money: bool = True


def plan_charts(report: PlanReport, lang: str = DEFAULT_LANGUAGE) -> list[ChartData]:
    """Demand per month, capacity against demand (the resource with the largest gap), plan vs actual."""
    money = report.summary.get("metric") != "deals"
    charts: list[ChartData] = []
    if len(report.demand):
        months = tuple(str(p) for p in report.demand["period"])
        charts.append(
            ChartData(
                "demand",
                translate("Planned demand per month", lang),
                months,
                ((translate("Plan", lang), tuple(float(v) for v in report.demand["value"]), COLORS["plan"]),),
                money,
            )
        )
    cap = report.capacity
    if len(cap):
        worst = str(cap.groupby("resource")["gap"].sum().idxmax())
        rows = cap[cap["resource"] == worst]
        charts.append(
            ChartData(
                "capacity",
                translate("Capacity against demand: {resource}", lang, resource=worst),
                tuple(str(p) for p in rows["period"]),
                (
                    (translate("Capacity", lang), tuple(float(v) for v in rows["capacity"].fillna(0)), COLORS["plan"]),
                    (translate("Demand", lang), tuple(float(v) for v in rows["demand"].fillna(0)), COLORS["forecast"]),
                ),
                False,
            )
        )
    if report.review is not None and len(report.review.months):
        months_frame = report.review.months
        charts.append(
            ChartData(
                "review",
                translate("Plan vs actual", lang),
                tuple(str(p) for p in months_frame["period"]),
                (
                    (translate("Plan", lang), tuple(float(v) for v in months_frame["planned"]), COLORS["plan"]),
                    (translate("Actual", lang), tuple(float(v) for v in months_frame["actual"]), COLORS["actual"]),
                ),
                money,
            )
        )
    return charts


def figure(chart: ChartData) -> go.Figure:
    """The plotly figure of a chart in the product template."""
    fig = go.Figure(
        [
            go.Bar(name=name, x=list(chart.x), y=list(values), marker_color=colour)
            for name, values, colour in chart.series
        ]
    )
    fig.update_layout(
        template=TEMPLATE_NAME,
        title=chart.title,
        barmode="group",
        height=IMAGE_HEIGHT,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},  # below the axis, clear of the title
    )
    if chart.money:
        fig.update_yaxes(tickprefix="$", tickformat="~s")
    return fig


def render_png(charts: list[ChartData]) -> list[bytes]:
    """PNG images of the charts through kaleido (Chromium), one browser for all; raises when it cannot render."""
    import kaleido  # imported on use: it is only needed for the PDF and the deck

    with tempfile.TemporaryDirectory() as folder:
        specs = [
            {
                "fig": figure(c),
                "path": str(Path(folder) / f"{i}.png"),
                "opts": {"format": "png", "width": IMAGE_WIDTH, "height": IMAGE_HEIGHT},
            }
            for i, c in enumerate(charts)
        ]
        if specs:
            kaleido.write_fig_from_object_sync(specs)
        return [Path(str(spec["path"])).read_bytes() for spec in specs]
