"""Browser benchmark: how long a person waits in Chromium, from an interaction until the page has settled.

Starts ``streamlit run app.py`` on its own SQLite store, drives Debian's Chromium with Playwright, and times each
interaction from the moment it is made until Streamlit reports its script finished (the app root's
``data-test-script-state`` attribute goes back to ``notRunning`` and stays there) and every plotly chart on the
page has painted. Interactions: first start on an empty store (the Demo workspace is seeded), each page load
(through the navigation, as a person clicks), each section of page 1, each slider on pages 2 and 3 (one keyboard
step, back and forth), a sidebar filter change, and an upload + load of a 50,000-row export.

Every interaction is repeated ``--repeat`` times (5 by default); the table gives the first (cold caches) and the
median of the repeats. The baseline measured in the same run is the settle time of a bare Streamlit script that
draws one chart (what any Streamlit page costs on this machine at this moment); ratios are against it. With
``--big`` the same walk runs on a 1,000,000-deal, 5,000,000-activity workspace built by ``benchmarks/kpis.py``'s
builder (a few minutes the first time; ``--db`` reuses the file).

    .venv/bin/python benchmarks/browser.py [--repeat 5] [--big] [--db /tmp/kpis/kpis.db] [--skip-upload]
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Browser, Locator, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import CHROMIUM_FLAGS, _free_port  # as the browser journeys run Chromium and streamlit

REPO = Path(__file__).resolve().parents[1]
STABLE_MS = 400  # the script state must stay "notRunning" this long to count as settled (catches st.rerun chains)
TIMEOUT_MS = 60_000  # an interaction slower than this is reported as a timeout

# Records every change of the app root's script state with its time, from the first paint of the document.
OBSERVER_JS = """
(() => {
  window.__st = [];
  const attach = (root) => {
    const rec = () => window.__st.push([root.getAttribute('data-test-script-state'), performance.now()]);
    new MutationObserver(rec).observe(root, {attributes: true, attributeFilter: ['data-test-script-state']});
    rec();
  };
  const find = () => document.querySelector('[data-testid="stApp"]');
  if (find()) { attach(find()); return; }
  const watcher = new MutationObserver(() => { if (find()) { watcher.disconnect(); attach(find()); } });
  watcher.observe(document, {childList: true, subtree: true});
})();
"""

# True (the time) once the script ran after ``since``, is not running now, and every chart has painted.
SETTLED_JS = """
(since) => {
  const log = window.__st || [];
  const after = log.filter(e => e[1] >= since);
  if (!after.length) return false;
  const last = after[after.length - 1];
  if (last[0] !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]')) return false;
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    if (!plot.querySelector('.main-svg')) return false;
  }
  return performance.now();  // the first animation frame with the script done and every chart painted
}
"""


@dataclass
class Timing:
    """One interaction's settle times in seconds, cold first."""

    name: str
    samples: list[float] = field(default_factory=list)

    def row(self, baseline: float) -> str:
        """A Markdown table row: first (cold), median of the rest, ratio of that median to the baseline."""
        cold = self.samples[0]
        warm = statistics.median(self.samples[1:]) if len(self.samples) > 1 else cold
        ratio = warm / baseline if baseline > 0 else float("nan")
        shown = [f"> {TIMEOUT_MS / 1000:.0f} s" if math.isinf(v) else f"{v:.2f} s" for v in (cold, warm)]
        return f"| {self.name} | {shown[0]} | {shown[1]} | {ratio:.1f}× |"


Report = Callable[[list["Timing"]], None]


@contextmanager
def streamlit_server(script: Path, database_url: str) -> Iterator[str]:
    """Run ``streamlit run script`` on a free port with ``DATABASE_URL``; yield its base URL once healthy."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "OPENBLAS_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def settle(page: Page, since_ms: float) -> float:
    """Seconds from ``since_ms`` (page clock) until the script finished and charts painted, and stayed so."""
    while True:
        done = float(page.wait_for_function(SETTLED_JS, arg=since_ms, timeout=TIMEOUT_MS, polling="raf").json_value())
        page.wait_for_timeout(STABLE_MS)
        log = page.evaluate("window.__st")
        if log and log[-1][0] == "notRunning" and log[-1][1] <= done:
            return (done - since_ms) / 1000.0


def timed(page: Page, action: Callable[[], Any]) -> float:
    """Perform ``action`` and return the seconds until the app settled after it."""
    since = float(page.evaluate("performance.now()"))
    action()
    try:
        return settle(page, since)
    except PlaywrightError:  # reported as a timeout in the table; the walk goes on once the page has settled
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "browser-bench-timeout.png"), full_page=True)
        if not [e for e in page.evaluate("window.__st") if e[1] >= since]:
            return math.nan  # the interaction started no run at all (nothing to time)
        page.wait_for_function(SETTLED_JS, arg=since, timeout=TIMEOUT_MS * 5, polling=1000)
        return math.inf


def open_app(browser: Browser, url: str) -> tuple[Page, float]:
    """A new browser session on ``url``; returns the page and the seconds from navigation to settled."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.add_init_script(OBSERVER_JS)
    page.goto(url, timeout=TIMEOUT_MS)
    return page, settle(page, 0.0)


def nav_to(page: Page, url_path: str) -> Callable[[], Any]:
    """The click on the navigation link of the page served at ``url_path`` ("" for the default page)."""
    return page.locator('[data-testid="stSidebarNav"] a').nth(page_paths(page).index(url_path)).click


def page_paths(page: Page) -> list[str]:
    """The url paths of every page in the navigation, in order (so pages added later are walked too)."""
    links = page.locator('[data-testid="stSidebarNav"] a')
    return list(links.evaluate_all("els => els.map(e => new URL(e.href).pathname.replace(/^\\/+|\\/+$/g, ''))"))


def walk_pages(page: Page, repeat: int) -> list[Timing]:
    """Each page load through the navigation, ``repeat`` + 1 visits each (the first is cold)."""
    paths = page_paths(page)
    paths = paths[1:] + paths[:1]  # the session starts on the first page: clicking it would not rerun
    timings = {p: Timing(f"page load: {p or 'home'}") for p in paths}
    for _ in range(repeat + 1):
        for path in paths:
            timings[path].samples.append(timed(page, nav_to(page, path)))
    return list(timings.values())


def walk_sections(page: Page, repeat: int) -> list[Timing]:
    """Each section of page 1 (its radio), ``repeat`` + 1 times; the import sections are left to the upload."""
    timed(page, nav_to(page, "data_collection"))
    radio = page.locator('[data-testid="stMain"] [data-testid="stRadio"]').first
    labels = [s.strip() for s in radio.locator('[role="radiogroup"] label').all_inner_texts()]
    labels = labels[1:] + labels[:1]  # the first is selected already: clicking it would not rerun the script
    timings = [Timing(f"page 1 section: {label}") for label in labels]
    for _ in range(repeat + 1):
        for label, timing in zip(labels, timings, strict=True):
            option = radio.locator('[role="radiogroup"] label').filter(has_text=label).first
            timing.samples.append(timed(page, option.click))
    return timings


def step_key(thumb: Locator, step: int) -> str:
    """Right on even steps and left on odd ones, except at an end of the range (where the key would do nothing)."""
    value, low, high = (float(thumb.get_attribute(a) or 0) for a in ("value", "min", "max"))
    if value >= high:
        return "ArrowLeft"
    if value <= low:
        return "ArrowRight"
    return "ArrowRight" if step % 2 == 0 else "ArrowLeft"


def walk_sliders(page: Page, url_path: str, repeat: int) -> list[Timing]:
    """Each slider of the page at ``url_path``: one keyboard step right then left, ``repeat`` + 1 moves."""
    timed(page, nav_to(page, url_path))
    closed = page.locator('[data-testid="stMain"] [data-testid="stExpander"] details:not([open]) > summary')
    for _ in range(closed.count()):  # sliders inside a collapsed expander cannot be moved (opening reruns nothing)
        closed.first.click()
    sliders = page.locator('[data-testid="stMain"] [data-testid="stSlider"]:not(:has(input[disabled]))')
    timings = []
    for index in range(sliders.count()):
        slider = sliders.nth(index)
        label = slider.locator('[data-testid="stWidgetLabel"]').first.inner_text().strip() or f"slider {index + 1}"
        timing = Timing(f"{url_path} slider: {label[:40]}")
        thumb = slider.locator('input[type="range"]').first
        for step in range(repeat + 1):
            thumb.focus()
            timing.samples.append(timed(page, lambda step=step, thumb=thumb: thumb.press(step_key(thumb, step))))
        timings.append(timing)
    return timings


def walk_filter(page: Page, repeat: int) -> list[Timing]:
    """A sidebar filter change (pick the first option of the first multiselect, then clear it) on page 1."""
    timed(page, nav_to(page, "data_collection"))
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    if box.count() == 0:
        print("  no multiselect filter in the sidebar: filter change not measured")
        return []
    timing = Timing("sidebar filter change")
    for step in range(repeat + 1):
        if step % 2 == 0:

            def pick() -> None:
                box.click()
                page.locator('[role="option"]').first.click()
                page.keyboard.press("Escape")

            timing.samples.append(timed(page, pick))
        else:
            clear = box.locator('[aria-label="Clear all"], [title="Clear all"]').first
            timing.samples.append(timed(page, clear.click))
    return [timing]


def walk_upload(page: Page, files: list[Path]) -> list[Timing]:
    """Upload each 50,000-row export on page 1's import section and load it: both waits timed."""
    timed(page, nav_to(page, "data_collection"))
    radio = page.locator('[data-testid="stMain"] [data-testid="stRadio"]').first
    timed(page, radio.locator('[role="radiogroup"] label').filter(has_text="Import").first.click)
    read, load = Timing("upload 50k rows: read + detect"), Timing("upload 50k rows: load")
    for path in files:
        chooser = page.locator('[data-testid="stFileUploaderDropzoneInput"]').first
        read.samples.append(timed(page, lambda path=path, chooser=chooser: chooser.set_input_files(str(path))))
        button = page.get_by_role("button", name=re.compile(r"^Load\b")).first
        load.samples.append(timed(page, button.click))
        remove = page.locator('[data-testid="stFileChipDeleteBtn"]').first
        timed(page, remove.click)
    return [read, load]


BASELINE_APP = """
import plotly.express as px
import streamlit as st
st.title("baseline")
st.slider("x", 0, 10, 5, key="x")
st.plotly_chart(px.bar(x=list("abcdef"), y=[1, 3, 2, 5, 4, 6]), key="c")
"""


def baseline(browser: Browser, work: Path, repeat: int) -> float:
    """Median settle time of a bare one-chart Streamlit script after a slider step: this run's floor."""
    script = work / "baseline_app.py"
    script.write_text(BASELINE_APP)
    with streamlit_server(script, f"sqlite:///{work / 'baseline.db'}") as url:
        page, _ = open_app(browser, url)
        thumb = page.locator('input[type="range"]').first
        samples = []
        for step in range(repeat + 1):
            thumb.focus()
            samples.append(timed(page, lambda step=step: thumb.press(step_key(thumb, step))))
        page.context.close()
    return statistics.median(samples[1:])


def choose_workspace(page: Page, name: str) -> None:
    """Switch the sidebar's workspace picker to ``name`` (the big workspace lives beside the Demo one)."""
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    if name in picker.inner_text():
        return

    def pick() -> None:
        picker.click()
        page.locator('[role="option"]').filter(has_text=name).first.click()

    timed(page, pick)


def first_starts(browser: Browser, work: Path, count: int) -> Timing:
    """The first page load of a new server on an empty store (the Demo workspace is seeded), ``count`` times."""
    timing = Timing("first start (empty store: Demo seeded)")
    for run in range(count):
        with streamlit_server(REPO / "app.py", f"sqlite:///{work / f'first_{run}.db'}") as url:
            page, seconds = open_app(browser, url)
            timing.samples.append(seconds)
            page.context.close()
    return timing


def walk_app(browser: Browser, url: str, args: argparse.Namespace, uploads: list[Path], report: Report) -> None:
    """Every measured interaction on one running app (its first session included, cold), reported as it is done."""
    page, first = open_app(browser, url)
    report([Timing("first session on the store" if args.big else "first session after the start", [first])])
    if args.big:
        choose_workspace(page, args.workspace)
    report(walk_pages(page, args.repeat))
    report(walk_sections(page, args.repeat))
    for path in ("demand_planning", "supply_planning"):
        report(walk_sliders(page, path, args.repeat))
    report(walk_filter(page, args.repeat))
    if uploads:
        report(walk_upload(page, uploads))
    page.context.close()


def big_store(db: Path) -> str:
    """The 1M-deal, 5M-activity workspace of benchmarks/kpis.py, built once and reused."""
    from benchmarks.kpis import build

    db.parent.mkdir(parents=True, exist_ok=True)
    build(db, 1_000_000, 5_000_000)
    return f"sqlite:///{db}"


def upload_files(work: Path, count: int) -> list[Path]:
    """``count`` different 50,000-row HubSpot-style deals exports (different seeds, so each is a new file)."""
    from benchmarks.datagen import write_deals_csv

    return [write_deals_csv(work / f"upload_{seed}.csv", 50_000, seed=seed) for seed in range(10, 10 + count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--big", action="store_true", help="the 1M-deal workspace instead of the sample data")
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "kpis" / "kpis.db")
    parser.add_argument("--workspace", default="Bench")
    parser.add_argument("--skip-upload", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="browser-bench-"))
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    database_url = big_store(args.db) if args.big else f"sqlite:///{work / 'store.db'}"
    uploads = [] if args.skip_upload else upload_files(work, args.repeat)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        floor = baseline(browser, work, args.repeat)
        print(f"load average {os.getloadavg()[0]:.1f}; baseline (bare one-chart script, slider step): {floor:.2f} s\n")
        print("| interaction | first (cold) | median of the rest | × baseline |\n| --- | --- | --- | --- |", flush=True)

        def report(timings: list[Timing]) -> None:  # rows as they come: a long walk that stops keeps its figures
            for timing in timings:
                print(timing.row(floor), flush=True)

        if not args.big:
            report([first_starts(browser, work, args.repeat + 1)])
        with streamlit_server(REPO / "app.py", database_url) as url:
            walk_app(browser, url, args, uploads, report)
        browser.close()
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
