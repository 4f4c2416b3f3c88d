"""Every page in Traditional Chinese: no exception, and no English message of the catalog left on the screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from salesops.i18n import template_messages

REPO = Path(__file__).resolve().parents[2]
PAGES = sorted(str(p.relative_to(REPO)) for p in (REPO / "pages").glob("*.py"))
# Names that read the same in both languages (product and vendor names, units); never flagged.
PROPER_NAMES = frozenset({"KPIs", "ARR", "AUC", "MAPE (%)", "ETS", "Theta", "SARIMA", "CSV", "XLSX", "PDF", "PPTX"})
# Default names the app gives a saved plan: once saved they are data (a user's plan name), shown as stored.
NAMES_AS_DATA = frozenset({"Demand plan {day}", "Supply plan {day}", "Demand plan", "Supply plan"})
TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error")
LABELLED_KINDS = ("button", "radio", "selectbox", "multiselect", "slider", "number_input", "text_input", "checkbox")


@cache
def english_patterns() -> list[re.Pattern[str]]:
    """A pattern per catalog message with at least two English words outside its placeholders."""
    patterns = []
    for message in template_messages():
        static = re.sub(r"\{[^{}]*\}", " ", message)
        if message in PROPER_NAMES | NAMES_AS_DATA or not re.search(r"[A-Za-z]{2,}[ -][A-Za-z]{2,}", static):
            continue
        parts = re.split(r"\{[^{}]*\}", message)
        patterns.append(re.compile(".*?".join(re.escape(p) for p in parts), re.S))
    return patterns


def visible_texts(app: AppTest) -> Iterator[str]:
    """Every string the page shows: texts, widget labels and options, metric labels, table headers."""
    for kind in TEXT_KINDS:
        for element in app.get(kind):
            yield str(getattr(element, "value", "") or "")
    for kind in LABELLED_KINDS:
        for element in app.get(kind):
            yield str(getattr(element, "label", "") or "")
            yield from (str(o) for o in getattr(element, "options", []) or [])
    for metric in app.get("metric"):
        yield str(metric.label)
    for frame in app.get("dataframe"):
        yield from (str(c) for c in getattr(frame.value, "columns", []))


ENGLISH_SENTENCE = re.compile(r"\b(?:[A-Za-z]{2,}[ ,]+){4,}[A-Za-z]{2,}")  # five English words in a row


def untranslated(app: AppTest) -> list[str]:
    """The texts on the page that are an English catalog message shown as is, or an English sentence."""
    found = []
    for text in visible_texts(app):
        for pattern in [*english_patterns(), ENGLISH_SENTENCE]:
            if pattern.search(text):
                found.append(f"{text[:100]!r} ← {pattern.pattern[:60]!r}")
                break
    return found


def _in_chinese(app: AppTest, page: str) -> AppTest:
    app.session_state["app_language"] = "zh-TW"
    app.run()
    if page != PAGES[0]:
        app.switch_page(page).run()
    return app


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_chinese(app: AppTest, page: str) -> None:
    _in_chinese(app, page)
    assert not app.exception
    assert untranslated(app) == []


def test_every_section_of_page_one_in_chinese(app: AppTest) -> None:
    app.run()
    app.switch_page("pages/1_data_collection.py").run()
    sections: list[Any] = list(app.radio(key="data_section").options)  # the English names are the section keys
    for section in sections:
        # A new session per section: AppTest formats a radio's value outside the script, in English, so a second
        # run on a page with a translated radio would fail in the test harness, not in the app.
        fresh = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        fresh.session_state["data_section"] = section
        _in_chinese(fresh, "pages/1_data_collection.py")
        assert not fresh.exception, section
        assert untranslated(fresh) == [], section


def test_a_chinese_reader_may_choose_wan_and_yi_for_tile_amounts(app: AppTest) -> None:
    app.session_state["app_language"] = "zh-TW"
    app.session_state["app_wan_units"] = True
    app.run()
    app.switch_page("pages/1_data_collection.py").run()
    assert not app.exception
    amounts = [m.value for m in app.metric if m.value.startswith("$")]
    assert any("萬" in a or "億" in a for a in amounts), amounts
    assert not [a for a in amounts if re.search(r"[0-9](k|M|B)\b", a)], amounts
