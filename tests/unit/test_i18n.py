"""Translation catalogs: gettext lookups with placeholders, compiled catalogs in step with their sources."""

from __future__ import annotations

import pickle
import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from salesops import i18n

REPO = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def test_english_is_the_message_itself_with_placeholders_filled() -> None:
    assert i18n.translate("Plan {n}", "en", n=3) == "Plan 3"
    assert i18n.translate("", "zh-TW") == ""  # gettext's "" is the catalog header, never a message


def test_unknown_language_and_unknown_message_fall_back_to_english() -> None:
    assert i18n.translate("No such message {x}", "zh-TW", x=1) == "No such message 1"
    assert i18n.translate("No such message", "xx") == "No such message"


def test_english_is_always_offered_and_a_language_only_when_complete() -> None:
    offered = i18n.offered_languages()
    assert "en" in offered
    assert ("zh-TW" in offered) == (not i18n.missing_translations("zh-TW"))


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE])
def test_every_translation_keeps_the_placeholders_of_its_message(lang: str) -> None:
    broken = {
        source: target
        for source, target in i18n.catalog_messages(lang).items()
        if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(target))
    }
    assert broken == {}


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE])
def test_compiled_catalog_matches_its_source(lang: str) -> None:
    compiled = read_mo(BytesIO(i18n.catalog_path(lang, ".mo").read_bytes()))
    translated = {str(m.id): str(m.string) for m in compiled if m.id and m.string}
    assert translated == i18n.catalog_messages(lang), "run `make i18n` after editing a .po file"


def test_the_template_holds_every_message_of_the_code(tmp_path: Path) -> None:
    """A new or changed user-facing string needs `make i18n` (and a translation) before it lands."""
    extracted = tmp_path / "messages.pot"
    keywords = [arg for k in ("t", "translate", "N_", "Wording") for arg in ("-k", k)]
    options = ["-F", str(REPO / "babel.cfg"), "--no-default-keywords", *keywords, "--no-location"]
    CommandLineInterface().run(["pybabel", "-q", "extract", *options, "-o", str(extracted), str(REPO)])
    with extracted.open("rb") as handle:
        in_code = {str(m.id) for m in read_po(handle) if m.id}
    assert sorted(in_code - i18n.template_messages()) == [], "run `make i18n` and translate the new messages"
    assert sorted(i18n.template_messages() - in_code) == [], "run `make i18n` to drop messages no longer used"


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE])
def test_every_message_has_a_translation(lang: str) -> None:
    assert i18n.missing_translations(lang) == []


def test_a_wording_is_english_text_that_renders_again_in_another_language() -> None:
    wording = i18n.Wording("{n} deals", n=3)
    assert wording == "3 deals"
    assert i18n.worded(pickle.loads(pickle.dumps(wording)), "zh-TW") == "3 筆商機"
    assert i18n.worded("Plan", "zh-TW") == "計畫"
