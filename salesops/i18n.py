"""One translation helper for every user-facing string, backed by gettext catalogs that Babel manages.

The English text is the message id. ``make i18n`` extracts every ``t(...)``, ``translate(...)`` and ``N_(...)``
literal into ``salesops/locale/messages.pot``, merges it into each language's ``.po`` (which a translator edits with
ordinary tools, e.g. Poedit) and compiles the ``.mo`` files the app reads. A language is offered in the UI only
when its catalog translates every message of the template (``offered_languages``), so a half-translated UI is
never shown; ``missing_translations`` lists what a catalog still lacks.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

DEFAULT_LANGUAGE = "en"
LANGUAGES: dict[str, str] = {"en": "English", "zh-TW": "繁體中文"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"


def gettext_code(lang: str) -> str:
    """The gettext/Babel locale of a UI language code: ``zh-TW`` -> ``zh_TW``."""
    return lang.replace("-", "_")


def catalog_path(lang: str, suffix: str = ".po") -> Path:
    """Where the catalog of ``lang`` lives (``.po`` source or compiled ``.mo``)."""
    return LOCALE_DIR / gettext_code(lang) / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English, or a language without a catalog, translates to itself)."""
    if lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[gettext_code(lang)], fallback=True)


def translate(text: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """Return ``text`` in ``lang`` (falling back to English), with ``{placeholders}`` filled from ``values``."""
    template = _translations(lang).gettext(text) if text else text
    return template.format(**values) if values else template


class Wording(str):
    """English text that keeps its catalog message and values, so a page can show it in another language.

    Domain code that words a result once (a model's "why", a method note) returns a Wording: it is the English text
    wherever a plain string is expected (JSON, logs, tests), and ``worded(text, lang)`` renders it again in ``lang``.
    """

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Wording:
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template, text.values = template, values
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_wording, (self.template, self.values))

    def in_language(self, lang: str) -> str:
        """The same wording in ``lang`` (Wording values are worded in ``lang`` too)."""
        values = {k: worded(v, lang) if isinstance(v, Wording) else v for k, v in self.values.items()}
        return translate(self.template, lang, **values)


def _wording(template: str, values: dict[str, Any]) -> Wording:
    """Rebuild a pickled Wording (st.cache_data stores results pickled)."""
    return Wording(template, **values)


def worded(text: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """``text`` in ``lang``: a Wording rendered from its message, any other string looked up as a message itself."""
    return text.in_language(lang) if isinstance(text, Wording) else translate(text, lang)


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction, translate later"
    """Mark a literal for extraction where it is defined; it is translated where it is shown (``t(label)``)."""
    return text


@cache
def template_messages() -> frozenset[str]:
    """Every message id of the extracted template: what a complete catalog must translate."""
    with TEMPLATE.open("rb") as handle:
        return frozenset(str(m.id) for m in read_po(handle) if m.id)


@cache
def catalog_messages(lang: str) -> dict[str, str]:
    """The translated messages of ``lang``'s ``.po`` source ({id: translation}, untranslated and fuzzy left out)."""
    path = catalog_path(lang)
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id and m.string and not m.fuzzy}


def missing_translations(lang: str) -> list[str]:
    """Message ids of the template that ``lang``'s catalog does not translate yet (empty for English)."""
    if lang == DEFAULT_LANGUAGE:
        return []
    done = catalog_messages(lang)
    return sorted(m for m in template_messages() if m not in done)


def offered_languages() -> dict[str, str]:
    """The languages a user may pick: English, and each other language whose catalog is complete."""
    return {code: name for code, name in LANGUAGES.items() if not missing_translations(code)}
