"""The plan in Traditional Chinese: the PDF's text extracts with the right characters (an embedded CJK font), the
workbook has Chinese sheet names and headers, and the figures are the same as in English."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import Engine

from salesops import formatting as fmt
from salesops.export.pdf import CJK_FONT_FILE
from salesops.export.plan import export_plan
from salesops.plan.report import PlanReport, build_report
from tests.plan_data import injection_workspace
from tests.plan_fixtures import PLAN_TOTAL


@pytest.fixture
def report(engine: Engine) -> PlanReport:
    with engine.begin() as conn:
        workspace = injection_workspace(conn)
    with engine.connect() as conn:
        return build_report(conn, workspace)


def test_chinese_pdf_embeds_a_cjk_font_and_its_text_extracts(report: PlanReport) -> None:
    if not CJK_FONT_FILE.is_file():
        pytest.fail("Debian's fonts-arphic-uming is not installed: run scripts/setup.sh dev")
    reader = PdfReader(io.BytesIO(export_plan(report, "pdf", "zh-TW")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "銷售計畫" in text  # the title, "Sales plan"
    assert "建議" in text  # the recommendations heading
    assert fmt.money(PLAN_TOTAL) in text
    embedded = {str(font.get_object()["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("UMing" in name for name in embedded), embedded


def test_chinese_workbook_has_chinese_sheet_names_and_headers(report: PlanReport) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_plan(report, "xlsx", "zh-TW")))
    assert {"摘要", "假設", "缺口與招募", "行動項目"} <= set(book.sheetnames)
    headers = [cell.value for cell in book["行動項目"][1]]
    assert "負責人" in headers, headers
    english = openpyxl.load_workbook(io.BytesIO(export_plan(report, "xlsx")))
    numbers = [[c for c in row if isinstance(c, int | float)] for row in english.worksheets[0].values]
    chinese = [[c for c in row if isinstance(c, int | float)] for row in book.worksheets[0].values]
    assert numbers == chinese  # the same figures, only the words change
