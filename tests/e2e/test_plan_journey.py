"""Journey: a fresh workspace, the Maven CRM deals uploaded, demand (page 2) and supply (page 3) saved into the plan,
page 4 read and the plan downloaded as XLSX, PDF and PPTX, each opened with its own library and holding the plan
total the page shows."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from pptx import Presentation
from pypdf import PdfReader

from salesops import formatting as fmt
from tests.conftest import DATASETS, require

pytestmark = pytest.mark.browser

DEALS = DATASETS / "maven-crm-sales-opportunities" / "sales_pipeline.csv"
TOTAL = "Plan total (demand)"


def _open(page: Page, name: str) -> None:
    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def _new_workspace(page: Page, name: str) -> None:
    page.get_by_role("button", name="New workspace").click()
    field = page.get_by_role("textbox", name="Name")
    field.fill(name)
    field.press("Enter")  # Streamlit takes a text input's value on Enter or blur
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name=f"Workspace: {name}")).to_be_visible()


def _upload_deals(page: Page) -> None:
    _open(page, "1 · Data collection")
    page.get_by_text("Import", exact=True).click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(DEALS))
    page.get_by_role("button", name=re.compile(r"Load 1 table")).click()
    expect(page.get_by_text("Import finished.")).to_be_visible(timeout=120_000)


def _save_demand(page: Page) -> None:
    _open(page, "2 · Demand planning")
    tile = page.locator('[data-testid="stMetric"]').filter(has_text="Forecast total, next 12 months")
    expect(tile.locator('[data-testid="stMetricValue"]')).to_have_text(re.compile(r"^\$"), timeout=120_000)
    page.get_by_role("button", name="Save as draft plan").click()
    expect(page.get_by_text(re.compile("Saved as draft plan version 1"))).to_be_visible()


def _download(page: Page, label: str) -> bytes:
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name=label).click()
    path = info.value.path()
    assert path is not None
    return path.read_bytes()


def test_fresh_workspace_maven_deals_to_plan_downloads(page: Page, app_url: str) -> None:
    require(DEALS.exists(), "the Maven CRM deals export is not in ../shared/datasets")
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Sales Ops Planner")).to_be_visible()
    _new_workspace(page, "Maven journey")
    _upload_deals(page)
    _save_demand(page)
    _open(page, "3 · Supply planning")
    page.get_by_role("button", name="Save supply into the plan").click()
    expect(page.get_by_text(re.compile("Saved as draft version 2"))).to_be_visible(timeout=120_000)
    _open(page, "4 · Alignment & plan")
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="Hires planned")).to_be_visible()
    expect(page.get_by_text(re.compile("No supply part in this plan"))).to_have_count(0)
    value = page.locator('[data-testid="stMetric"]').filter(has_text=TOTAL).locator('[data-testid="stMetricValue"]')
    expect(value).to_have_text(re.compile(r"^\$[\d,]+$"), timeout=120_000)
    shown = value.inner_text().strip()
    page.get_by_role("tab", name="Downloads").click()

    book = openpyxl.load_workbook(io.BytesIO(_download(page, "Workbook (XLSX)")))
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows(min_row=2)}
    assert summary["Workspace"] == "Maven journey"
    assert fmt.money(summary[TOTAL]) == shown
    assert sum(row[1].value for row in book["Demand"].iter_rows(min_row=2)) == pytest.approx(summary[TOTAL])

    pdf = PdfReader(io.BytesIO(_download(page, "Report (PDF)")))
    assert shown in "\n".join(p.extract_text() for p in pdf.pages)

    deck = Presentation(io.BytesIO(_download(page, "Deck (PPTX)")))
    text = "\n".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    assert f"{TOTAL}: {shown}" in text
