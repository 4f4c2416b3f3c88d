"""User text made safe for every place it goes: spreadsheets, Markdown, terminals, file names.

One helper per destination, shared by the UI, the CLI and every writer in :mod:`salesops.export`:
- ``neutralise`` / ``safe_cell``: a text cell that a spreadsheet would run as a formula (starting with ``=``, ``+``,
  ``-``, ``@``, tab, CR, LF or NUL, also after leading blanks) gets a single-quote prefix, as OWASP ASVS 1.2.10
  asks; numbers stay numbers, so ``-500`` as a float is untouched.
- ``markdown_escape``: Markdown specials, HTML brackets, ``$`` (LaTeX) and bare-URL autolinks shown literally.
- ``escape_control``: control and bidirectional-override characters shown as ``\\x1b``-style escapes (terminal
  escapes and forged lines cannot reach a terminal or a log).
- ``safe_filename``: a download file name without path separators, quotes or control characters.
- ``inert_figure``: data values in plotly labels, legends and hovers shown as text (no live ``<a href>``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
# Leading blanks do not stop every spreadsheet from reading "  =1+1" as a formula.
_RISKY = re.compile(r"^[\s\x00]*[=+\-@\t\r\n\x00]")
_FILENAME_BAD = re.compile(r'[\\/:*?"<>|;\x00-\x1f\x7f]+')


def safe_cell(value: str) -> str:
    """One text cell that cannot start a formula in Excel, LibreOffice or Google Sheets."""
    return "'" + value if _RISKY.match(value) else value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot start a formula."""
    out = frame.copy()
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_string_dtype(col) or col.dtype == object:
            text = col.astype("string")
            risky = text.str.match(_RISKY.pattern).fillna(False)
            if risky.any():
                out[name] = text.mask(risky, "'" + text)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel opens accents correctly), RFC 4180 CRLF rows, formula cells neutralised.

    CRLF as the row terminator also makes the writer quote any cell holding a bare CR or LF.
    """
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# Enough to stop emphasis, code, links, bare-URL autolinks (":" escaped), images, tables and HTML; "." and "-" stay
# as they are (names, amounts).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!~$|#:])")


# GitHub-flavoured Markdown links bare URLs and e-mail addresses even when their ":" or "." is backslash-escaped
# (seen in Streamlit's renderer); an invisible word joiner inside the scheme word or before "@" stops it.
_AUTOLINK = re.compile(r"(?i)\b(h)(ttps?\b)|\b(f)(tp\b)|\b(w)(ww\\?\.)|\b(m)(ailto\b)")
WORD_JOINER = "\u2060"


def markdown_escape(text: object) -> str:
    """``text`` (a CRM value, a file name) escaped so Markdown shows it literally: no links, images or markup.

    Line breaks become spaces, so a value cannot start a heading or end a table row; what the user sees is the text
    itself (backslashes and invisible word joiners are the only additions).
    """
    flat = " ".join(str(text).splitlines())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat).replace("www.", "www\\.").replace("@", WORD_JOINER + "@")
    return _AUTOLINK.sub(lambda m: WORD_JOINER.join(g for g in m.groups() if g is not None), escaped)


def escape_control(text: str) -> str:
    """``text`` with control, format (bidi overrides) and line-separator characters shown as escapes; the rest kept."""
    return "".join(_escaped(ch) if _is_control(ch) else ch for ch in text) if _has_control(text) else text


def _has_control(text: str) -> bool:
    return any(_is_control(ch) for ch in text)


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def safe_filename(name: str, default: str = "download") -> str:
    """A download file name: no path parts, quotes, separators or control characters; at most 120 characters."""
    cleaned = _FILENAME_BAD.sub("_", escape_control(name).replace("\\", "_")).strip(" ._")
    return cleaned[:120] or default


# Trace properties that carry data values into labels, legends and hovers (plotly renders <a href>, <b>, <br>...
# in them); layout axis properties that repeat category values.
_TRACE_TEXT_KEYS = ("x", "y", "z", "text", "hovertext", "labels", "parents", "ids", "customdata", "name")
_AXIS_TEXT_KEYS = ("categoryarray", "ticktext")
# plotly express writes group values into hover templates; only the layout tags the app itself uses stay live there.
_TEMPLATE_KEYS = ("hovertemplate", "texttemplate")
_FOREIGN_TAG = re.compile(r"<(?!/?(?:br|extra|b|i|em|sup|sub)\b)", re.IGNORECASE)


def plotly_text(text: str) -> str:
    """``text`` shown literally by plotly: its pseudo-HTML tags become entities, which plotly prints as characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inert(value: Any) -> Any:
    """``value`` with every string in it (a scalar, a list, a tuple or an object array) passed through plotly_text."""
    if isinstance(value, str):
        return plotly_text(value)
    if isinstance(value, np.ndarray):
        return np.vectorize(_inert, otypes=[object])(value) if value.dtype == object and value.size else value
    if isinstance(value, list | tuple):
        return type(value)(_inert(v) for v in value)
    return value


def inert_figure(fig: Any) -> Any:
    """``fig`` (a plotly Figure) with data values in labels, legends, hovers and category axes shown as text.

    Only data-bearing properties change; titles and hover templates written by the app keep their markup.
    """
    for trace in fig.data:
        for key in _TRACE_TEXT_KEYS:
            if key in trace and trace[key] is not None:
                trace[key] = _inert(trace[key])
        for key in _TEMPLATE_KEYS:
            if key in trace and isinstance(trace[key], str):
                trace[key] = _FOREIGN_TAG.sub("&lt;", trace[key])
    for axis_name in [name for name in fig.layout if name.startswith(("xaxis", "yaxis"))]:
        axis = fig.layout[axis_name]
        for key in _AXIS_TEXT_KEYS:
            if axis[key] is not None:
                axis[key] = _inert(axis[key])
    return fig
