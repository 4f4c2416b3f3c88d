"""Journey (catalogue H1): script and link payloads in every user-controlled name stay text in the browser.

A workspace, an uploaded file, a ZIP member and the CRM values (rep names, account names, a bare URL) carry
``<img src=x onerror=alert(1)>``-style payloads; the Home, import and KPI views are rendered. No dialog opens (no
script ran), no request leaves for another host (no outside image or link prefetch), and no element links to or
loads from a payload address.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
LINK = '<a href="http://evil.example/a">click</a>'
MD = "[md](http://evil.example/m) ![i](http://evil.example/i.png) $x^2$"
WORKSPACE = f"Team {XSS} {MD}"


def hostile_deals() -> bytes:
    """Deals whose owners, names and accounts are payloads."""
    rows = [
        "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date,Opportunity Owner",
        f'O-1,"{XSS}",https://evil.example/acct,Closed Won,1000,2024-03-01,"{LINK}"',
        f'O-2,"{MD}",www.evil.example,Closed Won,2000,2024-04-01,"{XSS}"',
        f'O-3,Plain,"{LINK}",Closed Lost,500,2024-04-15,"{MD}"',
        "O-4,Open one,Acme,Prospecting,700,2024-06-30,Ann",
    ]
    return ("\n".join(rows) + "\n").encode()


def test_payloads_in_every_name_stay_text(page: Page, app_url: str, tmp_path: Path) -> None:
    dialogs: list[str] = []
    outside: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    local = urlparse(app_url).hostname

    def record(request) -> None:  # type: ignore[no-untyped-def]
        host = urlparse(request.url).hostname
        if request.url.startswith(("http://", "https://")) and host not in (local, "localhost"):
            outside.append(request.url)

    page.on("request", record)
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Sales Ops Planner")).to_be_visible()

    # A workspace named with the payloads, created from the sidebar.
    page.get_by_role("button", name="New workspace").click()
    page.get_by_label("Name").fill(WORKSPACE)
    page.get_by_label("Name").press("Enter")  # Streamlit applies a text input on Enter or blur
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text(re.compile(r"Workspace: Team"))).to_be_visible()

    # A file and a ZIP member named with the payloads, holding payload CRM values.
    hostile = tmp_path / f"deals {XSS}.csv".replace("/", "_")
    hostile.write_bytes(hostile_deals())
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"{LINK}.csv".replace("/", "_"), b"not,a,crm\n1,2,3\n")
    page.get_by_role("link", name="1 · Data collection").first.click()
    page.get_by_text("Import", exact=True).click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files([str(hostile), str(archive)])
    page.get_by_role("button", name=re.compile(r"Load 1 table")).click()
    expect(page.get_by_text("Import finished.")).to_be_visible()

    # The KPI view draws the leaderboard and breakdowns from the payload values.
    page.get_by_text("KPIs", exact=True).first.click()
    page.wait_for_timeout(4000)
    page.get_by_role("link", name="Home").first.click()
    expect(page.get_by_text(re.compile(r"Workspace: Team"))).to_be_visible()
    page.wait_for_timeout(2000)

    assert dialogs == []
    assert outside == []
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert [h for h in hrefs if urlparse(h).hostname not in (local, "localhost")] == []  # no live outside link
    assert page.locator('img[src="x"], img[src*="evil.example"]').count() == 0
    assert page.get_by_text("onerror=alert(1)").count() >= 1  # the payload is on screen, as text
