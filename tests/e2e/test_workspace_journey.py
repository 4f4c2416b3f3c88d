"""Journey: create a workspace in the sidebar, upload into it, and the rows land there, not in Demo (issue 7, 2)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _tile(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stMetric").filter(has_text="Deals").first.get_by_test_id("stMetricValue")


def _deals(page: Page) -> int:
    expect(_tile(page)).to_have_text(re.compile(r"^[\d,]+$"))
    return int(_tile(page).inner_text().replace(",", ""))


DEALS = "Deal ID,Deal Name,Owner,Stage,Amount,Created Date,Close Date\n" + "".join(
    f"J-{i},Journey deal {i},Ann Lee,Closed Won,{1000 + i},2025-01-0{i},2025-02-0{i}\n" for i in range(1, 4)
)


def test_create_workspace_then_upload_lands_in_it(page: Page, app_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    export = tmp_path / "journey_deals.csv"
    export.write_text(DEALS, encoding="utf-8")
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Workspace: Demo")).to_be_visible()
    demo_deals = _deals(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="New workspace").click()
    page.get_by_label("Name").fill("Journey")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Workspace: Journey")).to_be_visible()
    expect(_tile(page)).to_have_text("0")

    page.get_by_role("link", name="1 · Data collection").first.click()
    expect(page.get_by_role("heading", name="1 · Data collection")).to_be_visible()
    page.get_by_text("Import", exact=True).click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(export))
    page.get_by_role("button", name=re.compile(r"Load 1 table")).click()
    expect(page.get_by_text("Import finished.")).to_be_visible()

    page.get_by_role("link", name="Home").first.click()
    expect(page.get_by_role("heading", name="Workspace: Journey")).to_be_visible()
    expect(_tile(page)).to_have_text("3")
    sidebar.get_by_test_id("stSelectbox").filter(has_text="Workspace").click()
    page.get_by_role("option", name="Demo").click()
    expect(page.get_by_role("heading", name="Workspace: Demo")).to_be_visible()
    expect(_tile(page)).to_have_text(f"{demo_deals:,}")  # the three deals did not land in Demo
