"""Journey: open supply planning on the sample data, add a planned hire, see the gap shrink, download the gap table."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _money(text: str) -> float:
    """ "$3.4M" / "$450k" / "$900" as dollars."""
    match = re.fullmatch(r"\$([\d.,]+)([kM]?)", text.strip())
    assert match, text
    return float(match.group(1).replace(",", "")) * {"": 1, "k": 1e3, "M": 1e6}[match.group(2)]


def test_a_planned_hire_shrinks_the_gap_and_the_gap_table_downloads(page: Page, app_url: str) -> None:
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Sales Ops Planner")).to_be_visible()
    page.get_by_role("link", name="3 · Supply planning").first.click()
    expect(page.get_by_role("heading", name="3 · Supply planning")).to_be_visible()
    risk = page.get_by_test_id("stMetric").filter(has_text="Revenue at risk").first.get_by_test_id("stMetricValue")
    expect(risk).to_have_text(re.compile(r"^\$"), timeout=180_000)  # the first baseline fit takes a while
    before_text = risk.inner_text()
    before = _money(before_text)
    assert before > 0, "the sample's demand outruns its team somewhere"

    page.get_by_role("tab", name="Hiring plan").click()
    heads = page.get_by_test_id("stNumberInput").filter(has_text="Heads").locator("input")
    heads.fill("8")
    heads.press("Tab")
    page.get_by_role("button", name="Add planned hire").click()
    expect(page.get_by_text(re.compile(r"^8 × Sales rep, recruiting from \d{4}-\d{2}$"))).to_be_visible()

    page.get_by_role("tab", name="Gap").click()
    expect(risk).not_to_have_text(before_text, timeout=30_000)
    assert _money(risk.inner_text()) < before, "eight more reps leave less revenue at risk"

    with page.expect_download() as info:
        page.get_by_role("button", name="Download the gap table (CSV)").click()
    download = info.value
    assert download.suggested_filename == "supply_gap.csv"
    table = pd.read_csv(io.BytesIO(download.path().read_bytes()), encoding="utf-8-sig")
    assert {"resource", "period", "demand", "capacity", "gap", "shortfall", "revenue_at_risk"} <= set(table.columns)
    sales = table[table["resource"] == "sales"]
    assert len(sales) == 12
    assert (sales["gap"] - (sales["demand"] - sales["capacity"])).abs().max() < 1e-6
