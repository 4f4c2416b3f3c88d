"""One translation helper for every user-facing string.

The English text is the message key; other languages are catalogs keyed by it, so adding Traditional Chinese
is a new catalog in ``CATALOGS``, not a rewrite. The UI layer wraps this with the session's language, and offers
only the languages whose catalog is complete (``offered_languages``; ``is_complete`` checks any catalog against
``message_keys``, the literal messages of the code).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
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


_ROOT = Path(__file__).resolve().parents[1]
_CALLS = frozenset({"t", "translate"})


def _messages_in(source: str) -> set[str]:
    """The literal first arguments of ``t(...)`` and ``translate(...)`` calls in ``source``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        first = node.args[0]
        if name in _CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
    return found


@lru_cache(maxsize=1)
def message_keys() -> frozenset[str]:
    """Every literal message the app passes to ``t`` or ``translate``: what a complete catalog must translate."""
    sources = [*_ROOT.glob("salesops/**/*.py"), *_ROOT.glob("pages/*.py"), _ROOT / "app.py"]
    return frozenset().union(*(_messages_in(p.read_text(encoding="utf-8")) for p in sources if p.is_file()))


def is_complete(catalog: Mapping[str, str], keys: Iterable[str] | None = None) -> bool:
    """Whether ``catalog`` translates every one of ``keys`` (by default every message of the app)."""
    return all(catalog.get(key) for key in (message_keys() if keys is None else keys))


def offered_languages() -> dict[str, str]:
    """The languages a user may pick: English, and each other language whose catalog is complete.

    A half-filled catalog would switch some labels and leave the rest in English, so it is not offered at all.
    """
    return {
        code: name
        for code, name in LANGUAGES.items()
        if code == DEFAULT_LANGUAGE or is_complete(CATALOGS.get(code, MappingProxyType({})))
    }
