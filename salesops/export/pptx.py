"""The plan as a deck for the executive meeting (python-pptx): a slide per step and one of decisions to sign.

Charts are the same kaleido images as the PDF; without a renderer a slide lists the chart's figures instead. All
text goes into text frames as plain runs (no hyperlinks, no fields), so CRM values stay inert.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.util import Inches, Pt

from salesops import formatting as fmt
from salesops.export.figures import ChartData, plan_charts, render_png
from salesops.export.sheets import summary_table
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.plan.recommend import AREA_LABELS
from salesops.plan.report import PlanReport

MAX_BULLETS = 9


def _slide(deck: Deck, title: str, bullets: Sequence[str], image: bytes | None = None) -> None:
    """A title-and-content slide; with ``image`` the bullets sit above the chart."""
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    slide.shapes.title.text = title
    top = Inches(1.3)
    box = slide.shapes.add_textbox(Inches(0.5), top, Inches(9), Inches(1.6 if image else 5.5))
    frame = box.text_frame
    frame.word_wrap = True
    for i, text in enumerate(list(bullets)[:MAX_BULLETS]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.font.size = Pt(14 if image else 16)
    if image is not None:
        slide.shapes.add_picture(io.BytesIO(image), Inches(0.5), Inches(3.1), width=Inches(9))


def _images(charts: list[ChartData]) -> dict[str, bytes]:
    """Chart key → PNG, empty when the renderer is not available (slides then carry the figures as text)."""
    try:
        return dict(zip([c.key for c in charts], render_png(charts), strict=True))
    except Exception:  # noqa: BLE001 - any renderer failure: the deck still opens, without pictures
        return {}


def _recs(report: PlanReport, areas: Sequence[str]) -> list[str]:
    return [f"{r.text} ({r.evidence})" for r in report.recommendations if r.area in areas]


def plan_pptx(report: PlanReport, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The executive deck as PPTX bytes."""
    deck = Presentation()
    images = _images(plan_charts(report, lang))
    plan = report.plan
    title = deck.slides.add_slide(deck.slide_layouts[0])
    title.shapes.title.text = translate("Sales plan", lang) + (f" v{plan.version}" if plan else "")
    title.placeholders[1].text = f"{plan.name if plan else ''}\n{report.workspace} · {report.as_of.isoformat()}"
    summary = [
        f"{i}: {fmt.by_kind(v, k, lang) if k not in ('text', 'date') else v}"
        for i, v, k in summary_table(report, lang).itertuples(index=False)
    ]
    _slide(deck, translate("Summary", lang), summary)
    _slide(deck, translate("Step 1 · Data collection", lang), _recs(report, ("technology",)))
    _slide(deck, translate("Step 2 · Demand", lang), summary[4:8], images.get("demand"))
    hires = [f"{h.count} × {h.role}: {h.hire_by} → {h.productive_from}" for h in report.hires.itertuples(index=False)]
    _slide(deck, translate("Step 3 · Supply", lang), hires or list(report.missing), images.get("capacity"))
    step4 = [*_recs(report, ("sales_process", "communication")), *report.team.roles]
    _slide(deck, translate("Step 4 · Alignment", lang), step4)
    if "review" in images:
        _slide(deck, translate("Plan vs actual", lang), [], images["review"])
    decide = report.actions[report.actions["needs_signoff"].astype(bool)]
    decisions = [
        f"{translate(AREA_LABELS.get(a, a), lang)}: {text} ({owner or '—'})"
        for a, text, owner in zip(decide["area"], decide["action"], decide["owner"], strict=True)
    ]
    signed = [f"{s.name}, {s.role}: {str(s.signed_at)[:16]}" for s in report.signoffs.itertuples(index=False)]
    _slide(deck, translate("Decisions to sign", lang), decisions + signed)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
