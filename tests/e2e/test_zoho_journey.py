"""Acceptance journey of issue 7: a new workspace, the Zoho sample export's files uploaded in the browser, 11 reps,
a funnel in the CRM's stage order, and no forecast-vs-actual claim made from the export's Expected Revenue."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import DATASETS, require

pytestmark = pytest.mark.browser

ZOHO = DATASETS / "zoho-crm-sample-export"
# Zoho's default pipeline, in order; the sample's own stages Prospect and Initial Offer may sit between them.
ZOHO_ORDER = ["Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"]


def _tile(page: Page, label: str):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stMetric").filter(has_text=label).first.get_by_test_id("stMetricValue")


def test_zoho_export_in_a_new_workspace(page: Page, app_url: str) -> None:
    require(ZOHO.is_dir(), "../shared/datasets/zoho-crm-sample-export is not present")
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Workspace: Demo")).to_be_visible()
    page.get_by_test_id("stSidebar").get_by_role("button", name="New workspace").click()
    page.get_by_label("Name").fill("Zoho")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Workspace: Zoho")).to_be_visible()

    page.get_by_role("link", name="1 · Data collection").first.click()
    expect(page.get_by_role("heading", name="1 · Data collection")).to_be_visible()
    page.get_by_text("Import", exact=True).click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(sorted(ZOHO.glob("*.csv")))
    page.get_by_role("button", name=re.compile(r"^Load \d+ table")).click()
    expect(page.get_by_text("Import finished.")).to_be_visible()

    page.get_by_role("link", name="Home").first.click()
    expect(page.get_by_role("heading", name="Workspace: Zoho")).to_be_visible()
    expect(_tile(page, "Reps")).to_have_text("11")  # 11 people in Users.csv, however the deals name their owner

    page.get_by_role("link", name="1 · Data collection").first.click()
    page.get_by_text("KPIs", exact=True).click()
    charts = page.locator(".js-plotly-plot")
    expect(charts.get_by_text(re.compile(r"^Won revenue by rep: 11 reps"))).to_be_visible()
    steps = page.get_by_test_id("stCaptionContainer").filter(has_text=re.compile(r"^Created → ")).first.inner_text()
    stages = [step.split(" → ")[0] for step in steps.split(" · ")]
    assert stages[0] == "Created"
    shown = [stage for stage in stages if stage in ZOHO_ORDER]
    assert shown == [stage for stage in ZOHO_ORDER if stage in shown]
    assert len(shown) >= 3

    page.get_by_text("Forecast vs actual", exact=True).click()
    expect(page.get_by_text(re.compile("would invent a forecast"))).to_be_visible()
    expect(page.get_by_text(re.compile("over-forecasts|under-forecasts"))).to_have_count(0)
    expect(page.get_by_test_id("stMetric").filter(has_text="Forecast error")).to_have_count(0)
