"""Journey: read the won-revenue tile, narrow to one rep in the sidebar, see tile and chart change, download data."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REP = "Priya Raman"


def _tile(page: Page, label: str):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stMetric").filter(has_text=label).first.get_by_test_id("stMetricValue")


def test_filter_one_rep_changes_tile_and_chart_and_download_has_rows(page: Page, app_url: str) -> None:
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Sales Ops Planner")).to_be_visible()
    page.get_by_role("link", name="1 · Data collection").first.click()
    expect(page.get_by_role("heading", name="1 · Data collection")).to_be_visible()
    won = _tile(page, "Won revenue")
    expect(won).to_have_text(re.compile(r"^\$[\d.]+[kM]?$"))
    before = won.inner_text()
    charts = page.locator(".js-plotly-plot")
    # The default period is the last 12 complete months to the as-of date: the reps who closed deals in it.
    expect(charts.get_by_text(re.compile(r"^Won revenue by rep: 2\d reps, "))).to_be_visible()

    sidebar = page.get_by_test_id("stSidebar")
    rep_filter = sidebar.get_by_test_id("stMultiSelect").filter(has=page.get_by_text("Rep", exact=True))
    rep_filter.locator("input").click()
    page.keyboard.type(REP)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")

    expect(charts.get_by_text(re.compile(r"^Won revenue by rep: 1 rep, "))).to_be_visible()  # the chart redrew
    expect(charts.get_by_text(re.compile(r"^Won revenue by rep: \d+ reps"))).to_have_count(0)
    expect(won).not_to_have_text(before)
    after = won.inner_text()
    expect(charts.get_by_text(f"Won revenue by rep: 1 rep, {after} in total")).to_be_visible()  # tile = chart

    with page.expect_download() as info:
        page.get_by_role("button", name="Download leaderboard (CSV)").click()
    download = info.value
    assert download.suggested_filename == "leaderboard.csv"
    frame = pd.read_csv(io.BytesIO(download.path().read_bytes()), encoding="utf-8-sig")
    assert list(frame["rep"]) == [REP]  # the download carries the filtered data the chart shows
    assert frame.loc[0, "won_revenue"] > 0

    with page.expect_download() as info:
        page.get_by_role("button", name="Download bookings (CSV)").click()
    bookings = pd.read_csv(io.BytesIO(info.value.path().read_bytes()), encoding="utf-8-sig")
    assert len(bookings) >= 12  # every month of the default period, with or without a win
    assert bookings["won_revenue"].sum() == pytest.approx(frame.loc[0, "won_revenue"])
