"""Translation catalogs: gettext lookups with placeholders, compiled catalogs in step with their sources."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from babel.messages.mofile import read_mo

from salesops import i18n

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
