"""Journey: open demand planning from the sidebar, wait for the forecast, raise the growth uplift with the keyboard,
see the forecast total go up."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TOTAL = "Forecast total, next 12 months"


def _money(text: str) -> float:
    """ "$13.9M" / "$450k" / "$900" as dollars."""
    match = re.fullmatch(r"\$([\d.,]+)([kM]?)", text.strip())
    assert match, text
    return float(match.group(1).replace(",", "")) * {"": 1, "k": 1e3, "M": 1e6}[match.group(2)]


def test_growth_slider_raises_the_forecast_total(page: Page, app_url: str) -> None:
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Sales Ops Planner")).to_be_visible()
    page.get_by_role("link", name="2 · Demand planning").first.click()
    expect(page.get_by_role("heading", name="2 · Demand planning")).to_be_visible()
    tile = page.locator('[data-testid="stMetric"]').filter(has_text=TOTAL)
    value = tile.locator('[data-testid="stMetricValue"]')
    expect(value).to_have_text(re.compile(r"^\$"), timeout=120_000)  # the first fit takes a few seconds
    expect(page.get_by_text(re.compile("Chosen model:"))).to_be_visible()
    before_text = value.inner_text()
    before = _money(before_text)

    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Growth uplift").get_by_role("slider")
    slider.focus()
    for _ in range(15):
        slider.press("ArrowRight")
    expect(slider).to_have_value("15")
    expect(value).not_to_have_text(before_text, timeout=30_000)
    # Each key press may start a re-run; wait for the one with all 15 points (about +8 % over the year).
    deadline = time.monotonic() + 30
    while _money(value.inner_text()) < before * 1.05 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    after = _money(value.inner_text())
    assert after == pytest.approx(before * 1.08, rel=0.03)  # +15 % a year, compounded monthly, over 12 months
