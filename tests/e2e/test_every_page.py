"""Walk: every page of the navigation and every section and tab on it, on the sample data at 1440×900.

Fails on an exception, an error box, tile text cut off with an ellipsis, or a raw snake_case header in a visible
table. The pages come from the sidebar navigation, not from a list here, so a page added later is walked too.
A full-page screenshot of every state goes to ``E2E_SCREENSHOTS`` (default ``tests/e2e/screenshots/``, git-ignored;
CI keeps the folder as its artefacts).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", Path(__file__).parent / "screenshots"))
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")

# Text of every visible tile (label, value, delta) that is cut off by an ellipsis.
_TRUNCATED_TILES = """() => [...document.querySelectorAll('[data-testid="stMetric"] *')]
  .filter(e => e.offsetParent !== null && getComputedStyle(e).textOverflow === 'ellipsis'
            && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim())"""
# Column headers of every visible table (st.dataframe keeps an accessible copy of its grid in the DOM).
_HEADERS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]')]
  .filter(t => t.getBoundingClientRect().width > 0)
  .flatMap(t => [...t.querySelectorAll('th, [role="columnheader"]')].map(h => h.textContent.trim()))"""


def _settle(page: Page) -> None:
    """Wait for the script run a click started (if it started) to finish."""
    app = page.get_by_test_id("stApp")
    with contextlib.suppress(AssertionError):  # the run was already over, or the click did not rerun
        expect(app).to_have_attribute("data-test-script-state", "running", timeout=1_500)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=180_000)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "page"


def _problems(page: Page, where: str) -> list[str]:
    """What a person would notice on the current screen, each as one line naming the screen."""
    found = [f"{where}: exception {e.inner_text()[:200]!r}" for e in page.get_by_test_id("stException").all()]
    found += [f"{where}: error box {e.inner_text()[:200]!r}" for e in page.get_by_test_id("stAlertContentError").all()]
    found += [f"{where}: tile text cut off {text!r}" for text in page.evaluate(_TRUNCATED_TILES)]
    found += [f"{where}: raw header {h!r}" for h in page.evaluate(_HEADERS) if SNAKE.match(h)]
    return found


def _check(page: Page, where: str) -> list[str]:
    page.screenshot(path=str(SHOTS / f"{_slug(where)}.png"), full_page=True)
    return _problems(page, where)


def _walk_tabs(page: Page, where: str) -> list[str]:
    found = []
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        if not tab.is_visible():
            continue
        name = tab.inner_text().strip()
        tab.click()
        found += _check(page, f"{where} - {name}")
    return found


def _walk_page(page: Page, title: str) -> list[str]:
    """The page as it opens, then every option of its section switch and every tab under each."""
    found = _check(page, title)
    found += _walk_tabs(page, title)
    sections = page.get_by_test_id("stMain").get_by_role("radiogroup").first
    if not sections.count():
        return found
    options = sections.locator("label")
    names = [options.nth(i).inner_text().strip() for i in range(options.count())]
    for i, name in enumerate(names):
        options.nth(i).click()
        _settle(page)
        found += _check(page, f"{title} - {name}")
        found += _walk_tabs(page, f"{title} - {name}")
    return found


@pytest.mark.timeout(1800)
def test_every_page_and_section_reads_cleanly(browser, app_url: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        page.goto(app_url)
        _settle(page)
        links = page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink")
        expect(links.first).to_be_visible()
        titles = [links.nth(i).inner_text().strip().splitlines()[-1] for i in range(links.count())]
        assert len(titles) >= 3, titles
        problems: list[str] = []
        for i, title in enumerate(titles):
            links.nth(i).click()
            _settle(page)
            try:
                problems += _walk_page(page, title)
            except PlaywrightError as error:
                problems.append(f"{title}: the walk could not go on ({error.message.splitlines()[0]})")
        assert problems == [], "\n".join(problems)
    finally:
        context.close()
