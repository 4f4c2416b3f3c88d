"""Every plan download opens with its own library, holds the plan's total that the CLI's JSON reports, and keeps
CRM values such as =HYPERLINK(...) or [a](http://x) inert text."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import Engine

from salesops import formatting as fmt
from salesops.cli import main
from salesops.export import figures
from salesops.export.plan import export_plan
from salesops.plan.report import PlanReport, build_report
from tests.plan_data import FORMULA, LINK, injection_workspace
from tests.plan_fixtures import PLAN_TOTAL


@pytest.fixture
def report(engine: Engine) -> PlanReport:
    with engine.begin() as conn:
        workspace = injection_workspace(conn)
    with engine.connect() as conn:
        return build_report(conn, workspace)


def _cli_summary(engine: Engine, out: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["plan", "--workspace", "Inert", "--out", str(out), "--json"], engine_factory=lambda: engine) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_json_scenario_holds_the_plan_total(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with engine.begin() as conn:
        injection_workspace(conn)
    printed = _cli_summary(engine, tmp_path / "plan.json", capsys)
    written = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert printed["demand_total"] == written["summary"]["demand_total"] == PLAN_TOTAL
    assert written["plan_name"] == f"{LINK} {FORMULA}"  # JSON keeps the text exactly; it is data, never code
    assert written["actions"][0]["action"] == FORMULA


def test_xlsx_has_number_cells_frozen_headers_and_no_formula(report: PlanReport) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_plan(report, "xlsx")))
    assert {
        "Summary",
        "Assumptions",
        "KPIs",
        "Demand",
        "Capacity",
        "Gap and hiring",
        "Actions",
        "Plan vs actual",
    } <= set(book.sheetnames)
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    total = summary["Plan total (demand)"]
    assert (total.value, total.data_type, total.number_format) == (PLAN_TOTAL, "n", "$#,##0")
    assert book["Demand"].freeze_panes == "A2"
    texts = []
    for sheet in book.worksheets:
        assert not sheet._hyperlinks  # openpyxl keeps cell links there
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert any(FORMULA in t for t in texts)
    assert any(LINK in t for t in texts)
    assert sum(book["Demand"].cell(row=r, column=2).value for r in range(2, 8)) == PLAN_TOTAL


def _pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_pdf_holds_total_charts_and_inert_text(report: PlanReport) -> None:
    text, reader = _pdf_text(export_plan(report, "pdf"))
    assert fmt.money(PLAN_TOTAL) in text
    flat = text.replace("\n", "")
    assert FORMULA in flat
    assert LINK in flat
    assert sum(len(page.images) for page in reader.pages) >= 2, "demand and capacity charts as images"
    assert all("/Annots" not in page for page in reader.pages), "no link annotations"


def test_pdf_draws_the_charts_when_no_browser_renders(report: PlanReport, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_browser(charts: list[figures.ChartData]) -> list[bytes]:
        raise RuntimeError("no Chromium here")

    monkeypatch.setattr("salesops.export.pdf.render_png", no_browser)
    text, reader = _pdf_text(export_plan(report, "pdf"))
    assert "Charts drawn without the browser renderer: no Chromium here" in text
    assert "Planned demand per month" in text
    assert sum(len(page.images) for page in reader.pages) == 0
    assert fmt.money(PLAN_TOTAL) in text


def test_pptx_has_a_slide_per_step_the_total_and_no_links(report: PlanReport) -> None:
    deck = Presentation(io.BytesIO(export_plan(report, "pptx")))
    titles = [s.shapes.title.text for s in deck.slides]
    for title in (
        "Summary",
        "Step 1 · Data collection",
        "Step 2 · Demand",
        "Step 3 · Supply",
        "Step 4 · Alignment",
        "Decisions to sign",
    ):
        assert title in titles
    runs = [
        run
        for s in deck.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for run in p.runs
    ]
    text = "\n".join(r.text for r in runs)
    assert fmt.money(PLAN_TOTAL) in text
    assert FORMULA in text
    assert LINK in text
    assert all(r.hyperlink.address is None for r in runs)


def test_markdown_escapes_links_and_holds_the_total(report: PlanReport) -> None:
    text = export_plan(report, "md").decode("utf-8")
    assert fmt.money(PLAN_TOTAL) in text
    assert not re.search(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\(", text), "no Markdown link survives"
    assert "http://x" not in text, "no bare URL to autolink"
    # Escaped, and a word joiner inside "http" so no renderer links it; the text reads the same.
    assert "\\[a\\](h\u2060ttp\\://x)" in text
    assert '=HYPERLINK("h\u2060ttp\\://x","y")' in text
