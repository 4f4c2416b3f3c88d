"""Journey: a Chinese HubSpot-style deals export saved in Big5 is uploaded in the browser into a new workspace and
shows the same KPI tiles as its English twin uploaded into another one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.chinese_data import write_twins

pytestmark = pytest.mark.browser


def _new_workspace(page: Page, name: str) -> None:
    page.get_by_role("link", name="Home").first.click()
    expect(page.get_by_role("heading", name="Sales Ops Planner")).to_be_visible()
    page.get_by_role("button", name="New workspace").click()
    field = page.get_by_role("textbox", name="Name")
    field.fill(name)
    field.press("Enter")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name=f"Workspace: {name}")).to_be_visible()


def _load(page: Page, path: Path) -> None:
    page.get_by_role("link", name="1 · Data collection").first.click()
    page.get_by_text("Import", exact=True).click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    expect(page.get_by_text(re.compile(rf"{re.escape(path.name)} — .* export, deals"))).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Load 1 table")).click()
    result = page.get_by_text(re.compile(rf"{re.escape(path.name)} \(deals, .*\): [\d,]+ loaded"))
    expect(result).to_be_visible(timeout=120_000)  # this file's result, not the previous one's


def _kpi_tiles(page: Page) -> dict[str, str]:
    sections = page.locator('[data-testid="stMain"] [role="radiogroup"] label')
    sections.filter(has_text=re.compile(r"^KPIs$")).first.click()
    tiles = page.locator('[data-testid="stMetric"]')
    expect(tiles.filter(has_text="Win rate").first).to_be_visible(timeout=120_000)
    labels = tiles.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = tiles.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return dict(zip(labels, values, strict=True))


def test_big5_chinese_export_in_the_browser_shows_the_english_twins_kpis(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    english_csv, chinese_csv = write_twins(tmp_path)
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Sales Ops Planner")).to_be_visible()
    _new_workspace(page, "English twin")
    _load(page, english_csv)
    english = _kpi_tiles(page)
    _new_workspace(page, "中文匯出")
    _load(page, chinese_csv)
    chinese = _kpi_tiles(page)
    assert any(value.startswith("$") for value in english.values()), english
    assert chinese == english
