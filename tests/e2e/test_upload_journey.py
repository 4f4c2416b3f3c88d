"""Journey: upload real CRM exports in the browser, confirm the load, see the new row counts on the page."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.conftest import DATASETS, require

pytestmark = pytest.mark.browser

EXPORTS = [
    ("maven-crm-sales-opportunities/sales_pipeline.csv", "Generic"),
    ("zoho-crm-sample-export/Potentials.csv", "Zoho"),
    ("salesforce-dataloader-sample-sfdc-assets/Opportunity.csv", "Salesforce"),
]


@pytest.mark.parametrize(("relative", "source"), EXPORTS)
def test_upload_confirm_and_see_counts(page: Page, app_url: str, relative: str, source: str) -> None:
    path = DATASETS / relative
    require(path.exists(), f"{relative} is not in ../shared/datasets")
    rows = len(pd.read_csv(path, dtype=str, keep_default_na=False))
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Sales Ops Planner")).to_be_visible()
    page.get_by_role("link", name="1 · Data collection").first.click()
    expect(page.get_by_role("heading", name="1 · Data collection")).to_be_visible()
    page.get_by_text("Import", exact=True).click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    expect(page.get_by_text(re.compile(rf"{Path(relative).name} — {source} export, deals"))).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Load 1 table")).click()
    expect(page.get_by_text("Import finished.")).to_be_visible()
    summary = page.get_by_text(re.compile(rf"{re.escape(Path(relative).name)} \(deals, {source.lower()}\)"))
    expect(summary).to_be_visible()
    text = summary.inner_text()
    loaded = int(re.search(r"([\d,]+) loaded", text).group(1).replace(",", ""))  # type: ignore[union-attr]
    rejected = int(re.search(r"([\d,]+) rejected", text).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert rejected == 0
    assert loaded > 0
    assert f"of {rows:,} rows read" in text
