"""The plan as a PDF report (fpdf2): headline figures, key charts, recommendations, actions and sign-off.

Charts are the page's plotly figures rendered to PNG by kaleido in Debian's Chromium; when that fails (no browser)
the same bars are drawn with the PDF library, with a line saying so. Text is written as plain text in the bundled
DejaVu Sans (Latin, Greek, Cyrillic and symbols), never parsed as markup or links.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from salesops import formatting as fmt
from salesops.export.figures import ChartData, plan_charts, render_png
from salesops.export.sheets import recommendations_table, summary_table
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.plan.report import PlanReport

FONTS = Path(__file__).resolve().parent / "fonts"
# Debian's fonts-arphic-uming (setup.sh installs it): a TrueType collection whose TW face draws the glyphs Taiwan
# reads. TrueType outlines, because fpdf2 embeds OpenType/CFF fonts (Noto CJK) with an encoding that text
# extraction reads back as NUL-separated characters.
CJK_FONT_FILE = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
CJK_FONT = "UMingTW"
CJK_TRADITIONAL = 2  # the collection's faces: CN, HK, TW, TW MBE
FONT = "DejaVu"
WIDTH = 180.0  # mm of text width on A4 with 15 mm margins


def cell_text(value: Any, kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A value as the report prints it: formatted numbers and dates, text as it is."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return fmt.MISSING
    if kind in ("money", "percent", "count", "number", "days") and not isinstance(value, str):
        return fmt.by_kind(float(value), kind, lang)  # type: ignore[arg-type]
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


class _Report(FPDF):
    """A4 portrait with the Unicode font and page numbers."""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 8, str(self.page_no()), align="C")


def _add_cjk_fallback(pdf: FPDF) -> None:
    """Chinese text (the zh-TW plan, or Chinese CRM names in any plan) drawn in AR PL UMing TW when installed."""
    if not CJK_FONT_FILE.is_file():
        return
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # its bitmap table is dropped, as it should be
    for style in ("", "B"):  # the collection has no bold face: the regular one serves both
        pdf.add_font(CJK_FONT, style, str(CJK_FONT_FILE), collection_font_number=CJK_TRADITIONAL)
    pdf.set_fallback_fonts([CJK_FONT])


def _document() -> _Report:
    pdf = _Report(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    _add_cjk_fallback(pdf)
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, text: str, size: int = 13) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(WIDTH, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(WIDTH, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(pdf: FPDF, frame: pd.DataFrame, lang: str, kinds: dict[str, str] | None = None) -> None:
    """A table with worded headers; an empty frame prints "Nothing yet."."""
    if frame.empty:
        _paragraph(pdf, translate("Nothing yet.", lang))
        return
    columns = [str(c) for c in frame.columns]
    kind = {c: (kinds or {}).get(c, fmt.column_kind(c)) for c in columns}
    pdf.set_font(FONT, "", 7 if len(columns) > 6 else 8)
    with pdf.table(text_align="LEFT", line_height=4.5, markdown=False) as table:
        table.row([fmt.column_label(c, lang) for c in columns])
        for record in frame.itertuples(index=False):
            table.row([cell_text(v, kind[c], lang) for c, v in zip(columns, record, strict=True)])
    pdf.ln(3)


def _draw_bars(pdf: FPDF, chart: ChartData) -> None:
    """The chart's grouped bars drawn with the PDF library (the fallback when no image can be rendered)."""
    height, top = 55.0, pdf.get_y() + 6
    _paragraph(pdf, chart.title)
    peak = max([v for _, values, _ in chart.series for v in values] + [1.0])
    slot = WIDTH / max(len(chart.x), 1)
    bar = slot * 0.8 / max(len(chart.series), 1)
    for s, (_, values, colour) in enumerate(chart.series):
        pdf.set_fill_color(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))
        for i, value in enumerate(values):
            h = height * max(value, 0.0) / peak
            pdf.rect(15 + i * slot + s * bar, top + height - h, bar * 0.95, h, style="F")
    pdf.set_font(FONT, "", 6)
    for i, label in enumerate(chart.x):
        pdf.text(15 + i * slot, top + height + 4, label)
    legend = "   ".join(
        f"{name}: {fmt.money_compact(max(values)) if chart.money else fmt.number(max(values))} max"
        for name, values, _ in chart.series
        if values
    )
    pdf.set_y(top + height + 6)
    _paragraph(pdf, legend)


def _charts(pdf: FPDF, report: PlanReport, lang: str) -> None:
    """The key charts as kaleido images, or drawn bars with a note when kaleido cannot render."""
    charts = plan_charts(report, lang)
    try:
        images = render_png(charts)
    except Exception as exc:  # noqa: BLE001 - any renderer failure falls back to drawn bars
        _paragraph(pdf, translate("Charts drawn without the browser renderer: {reason}", lang, reason=str(exc)[:200]))
        for chart in charts:
            _draw_bars(pdf, chart)
        return
    for image in images:
        pdf.image(io.BytesIO(image), w=WIDTH)
        pdf.ln(2)


def plan_pdf(report: PlanReport, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The plan as PDF bytes."""
    pdf = _document()
    plan = report.plan
    title = translate("Sales plan", lang) + (f" v{plan.version}: {plan.name}" if plan else "")
    _heading(pdf, title, 16)
    rows = [(item, cell_text(v, kind, lang)) for item, v, kind in summary_table(report, lang).itertuples(index=False)]
    _table(pdf, pd.DataFrame(rows, columns=["item", "value"]), lang, {"value": "text"})
    _heading(pdf, translate("Key charts", lang))
    _charts(pdf, report, lang)
    _heading(pdf, translate("Recommendations", lang))
    _table(pdf, recommendations_table(report, lang).drop(columns=["needs_signoff"]), lang)
    _heading(pdf, translate("Sales-ops team", lang))
    _paragraph(pdf, translate("ARR {arr} ({basis}).", lang, arr=fmt.money(report.team.arr), basis=report.team.basis))
    for role in report.team.roles:
        _paragraph(pdf, f"• {role}")
    for title_text, frame in (
        (translate("Hires", lang), report.hires),
        (translate("Actions", lang), report.actions),
        (translate("Monthly cadence", lang), report.cadence),
        (translate("Sign-off", lang), report.signoffs),
    ):
        _heading(pdf, title_text)
        _table(pdf, frame, lang)
    return bytes(pdf.output())
