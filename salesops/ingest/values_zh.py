"""Chinese spellings of dates and numbers, rewritten to the forms the column parsers already read.

Chinese Windows Excel and CRMs set to Chinese write ``2024年3月14日``, ``2024/3/14 下午 03:25:00``, Republic of
China years (``民國113/3/14``, or a bare ``113/03/14`` in Taiwanese government and ERP exports) and full-width
digits (``１２３``). Rewriting them to ``2024/3/14 03:25:00 PM`` and ASCII digits keeps one parser for every
language. A bare three-digit year is read as an ROC year only when every date in the column has one (the column is
unambiguous); a ``民國`` prefix always means one.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROC_OFFSET = 1911  # ROC year 1 is 1912
_NON_ASCII = r"[^\x00-\x7f]"
_ROC_PREFIX = r"^(民國|民国)\s*"
_BARE_ROC = r"^1[0-9]{2}[/.\-][0-9]{1,2}[/.\-][0-9]{1,2}"
_YEAR_MONTH_DAY = (r"([0-9]{2,4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日", r"\1/\2/\3")
_MERIDIEM = (
    (r"^(.*?)\s*(上午|早上|凌晨)\s*([0-9:]+)$", r"\1 \3 AM"),
    (r"^(.*?)\s*(下午|晚上|中午)\s*([0-9:]+)$", r"\1 \3 PM"),
)


def needs_rewrite(text: pa.Array) -> bool:
    """Whether any value has a non-ASCII character or a bare ROC year (most columns have neither: a fast exit)."""
    return bool(pc.any(pc.match_substring_regex(text, f"{_NON_ASCII}|{_BARE_ROC}")).as_py())


def ascii_digits(text: pa.Array) -> pa.Array:
    """Full-width digits, commas, points and currency signs as their ASCII forms (Unicode NFKC)."""
    return pc.utf8_normalize(text, "NFKC")


def rewrite_dates(text: pa.Array) -> pa.Array:
    """Chinese date spellings as ``yyyy/m/d[ h:mm[:ss] AM|PM]``; ROC years as Gregorian ones."""
    text = ascii_digits(text)
    text = pc.replace_substring_regex(text, *_YEAR_MONTH_DAY)
    for pattern, replacement in _MERIDIEM:
        text = pc.replace_substring_regex(text, pattern, replacement)
    marked = pc.fill_null(pc.match_substring_regex(text, _ROC_PREFIX), False)
    text = pc.replace_substring_regex(text, _ROC_PREFIX, "")
    bare = pc.fill_null(pc.match_substring_regex(text, _BARE_ROC), False)
    numeric = pc.fill_null(pc.match_substring_regex(text, r"^[0-9]{1,4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,4}"), False)
    every_numeric_date_is_roc = pc.all(pc.or_(pc.invert(numeric), bare)).as_py() and pc.any(bare).as_py()
    return _shift_roc_years(text, pc.or_(marked, bare) if every_numeric_date_is_roc else marked)


def _shift_roc_years(text: pa.Array, roc: pa.Array) -> pa.Array:
    """Add 1911 to the leading year of the values flagged ``roc``."""
    flags = np.asarray(pc.fill_null(roc, False).to_numpy(zero_copy_only=False), dtype=bool)
    if not flags.any():
        return text
    parts = pc.extract_regex(text, r"^(?P<year>[0-9]{2,3})(?P<rest>[/.\-].*)$")
    years = pc.cast(pc.struct_field(parts, "year"), pa.int64()).to_numpy(zero_copy_only=False)
    rest = pc.struct_field(parts, "rest").to_numpy(zero_copy_only=False)
    values = np.asarray(text.to_numpy(zero_copy_only=False), dtype=object)
    for i in np.flatnonzero(flags & ~np.isnan(years.astype(float))):
        values[i] = f"{int(years[i]) + ROC_OFFSET}{rest[i]}"
    return pa.array(values, pa.string())
