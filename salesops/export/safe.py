"""Spreadsheet-safe exports: cells that a spreadsheet would run as a formula are neutralised.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab/carriage return before one) is prefixed with a single quote,
as OWASP recommends against CSV injection; numbers stay numbers, so ``-500`` as a float is untouched.
"""

from __future__ import annotations

import re

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot start a formula."""
    out = frame.copy()
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_string_dtype(col) or col.dtype == object:
            text = col.astype("string")
            risky = text.str.startswith(TRIGGERS).fillna(False)
            if risky.any():
                out[name] = text.mask(risky, "'" + text)
    out.columns = [("'" + str(c)) if str(c).startswith(TRIGGERS) else str(c) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel opens accents correctly), RFC 4180 CRLF rows, formula cells neutralised.

    CRLF as the row terminator also makes the writer quote any cell holding a bare CR or LF.
    """
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# Enough to stop emphasis, code, links, bare-URL autolinks (":" escaped), images, tables and HTML; "." and "-" stay
# as they are (names, amounts).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!~$|#:])")


def markdown_escape(text: object) -> str:
    """``text`` (a CRM value, a file name) escaped so Markdown shows it literally: no links, images or markup.

    Line breaks become spaces, so a value cannot start a heading or end a table row.
    """
    flat = " ".join(str(text).splitlines())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat).replace("www.", "www\\.")
