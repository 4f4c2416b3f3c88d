"""The product's chart look without Streamlit: the registered plotly template and the series colours.

``salesops.ui.charts`` draws with it on the pages; ``salesops.export`` renders the same figures into the PDF and
the deck, so a chart looks the same on screen and on paper.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE_NAME = "salesops"

COLORS: dict[str, str] = {
    "actual": "#334155",
    "forecast": "#2563EB",
    "plan": "#0D9488",
    "target": "#B45309",
    "interval": "rgba(37, 99, 235, 0.15)",
    "others": "#94A3B8",
}
"""Fixed colours of the series every page shares."""

COLORWAY = ["#2563EB", "#0D9488", "#7C3AED", "#D97706", "#0891B2", "#DB2777", "#65A30D", "#64748B"]
FONT = "Source Sans, Source Sans Pro, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"


def _template() -> go.layout.Template:
    """The product template: white background, light grid, one font, calm colourway, unified-looking hovers."""
    axis = {"gridcolor": "#E2E8F0", "zerolinecolor": "#CBD5E1", "linecolor": "#CBD5E1", "automargin": True}
    return go.layout.Template(
        layout={
            "font": {"family": FONT, "size": 14, "color": "#0F172A"},
            "title": {"font": {"size": 16}, "x": 0, "xanchor": "left"},
            "colorway": COLORWAY,
            "paper_bgcolor": "#FFFFFF",
            "plot_bgcolor": "#FFFFFF",
            "margin": {"t": 40, "b": 40, "l": 10, "r": 10},
            "xaxis": axis,
            "yaxis": axis,
            "legend": {
                "orientation": "h",
                "yanchor": "bottom",
                "y": 1.02,
                "xanchor": "right",
                "x": 1,
                "title": {"text": ""},
            },
            "hoverlabel": {"font": {"family": FONT, "size": 13}, "bgcolor": "#FFFFFF", "bordercolor": "#CBD5E1"},
            "bargap": 0.25,
            "coloraxis": {"colorscale": "Blues"},
        }
    )


pio.templates[TEMPLATE_NAME] = _template()
