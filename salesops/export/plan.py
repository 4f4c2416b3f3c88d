"""Every download of the plan by file type: one entry point for the page and the CLI."""

from __future__ import annotations

from collections.abc import Callable

from salesops.i18n import DEFAULT_LANGUAGE
from salesops.plan.report import PlanReport

MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "md": "text/markdown",
    "json": "application/json",
}
FORMATS = tuple(MIME)


def _writer(kind: str) -> Callable[[PlanReport, str], bytes]:
    """The writer of one file type (imported on use: PDF and PPTX pull in heavier libraries)."""
    if kind == "xlsx":
        from salesops.export.xlsx import plan_xlsx

        return plan_xlsx
    if kind == "pdf":
        from salesops.export.pdf import plan_pdf

        return plan_pdf
    if kind == "pptx":
        from salesops.export.pptx import plan_pptx

        return plan_pptx
    if kind == "md":
        from salesops.export.markdown import plan_markdown

        return lambda report, lang: plan_markdown(report, lang).encode("utf-8")
    if kind == "json":
        from salesops.export.scenario import scenario_json

        return lambda report, lang: scenario_json(report)
    raise ValueError(f"unknown plan file type {kind!r}; choose from {', '.join(FORMATS)}")


def export_plan(report: PlanReport, kind: str, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The plan as a file of type ``kind`` (xlsx, pdf, pptx, md, json)."""
    return _writer(kind)(report, lang)
