"""One translation helper for every user-facing string.

The English text is the message key; other languages are catalogs keyed by it, so adding Traditional Chinese
is a new catalog in ``CATALOGS``, not a rewrite. The UI layer wraps this with the session's language.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

DEFAULT_LANGUAGE = "en"
LANGUAGES: dict[str, str] = {"en": "English", "zh-TW": "繁體中文"}

# zh-TW starts empty on purpose: untranslated strings fall back to English until the catalog is filled.
CATALOGS: MappingProxyType[str, MappingProxyType[str, str]] = MappingProxyType(
    {"en": MappingProxyType({}), "zh-TW": MappingProxyType({})}
)


def translate(text: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """Return ``text`` in ``lang`` (falling back to English), with ``{placeholders}`` filled from ``values``."""
    catalog = CATALOGS.get(lang, CATALOGS[DEFAULT_LANGUAGE])
    template = catalog.get(text, text)
    return template.format(**values) if values else template
