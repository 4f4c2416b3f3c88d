"""Vectorised parsers that turn the text cells of a CRM export into dates, amounts, numbers, booleans and categories.

Each parser works on the column's unique values (CRM columns repeat a lot) and maps the result back, so a million
cells cost about as much as their distinct spellings. A value that cannot be parsed becomes missing (NaT, NaN, <NA>)
so validation can reject its row with the original spelling.

Rules for ambiguous input, decided once per column rather than per value:
- Dates: numeric day/month orders are day-first if any value's first part is above 12, month-first if any value's
  second part is above 12, and month-first (US, the CRM default) when every value is ambiguous. A column of plain
  numbers is read as Excel serial days (20000..80000, i.e. 1954..2119) and nothing else.
- Amounts and numbers: a value with both "." and "," uses the last one as the decimal mark; a single separator
  followed by exactly three digits ("1.234", "1,234") is a thousands separator only if the column otherwise uses
  the other mark as decimal (so "1.234" is 1.234 and "1,234" is 1234 unless the column shows "12,50"-style values).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

_TEXT = pd.StringDtype("pyarrow")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000

_DATE_PARTS_NUMERIC = ("{a}{s}{b}{s}%Y", "{a}{s}{b}{s}%y")
_DATE_PARTS_OTHER = (
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%d %b, %Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %B %Y",
    "%d %B, %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%B %d, %Y",
    "%B %d %Y",
    "%b-%d-%Y",
    "%b-%d-%y",
    "%a, %d %b %Y",
)
_TIME_PARTS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %I:%M%p", " %H:%M:%S.%f", "T%H:%M:%S")

_CURRENCY = (
    r"(?:US\$|CA\$|C\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|Mex\$|[$€£¥₹₽₩₺₪₫฿₴₦₱]|"
    r"(?:USD|EUR|GBP|CHF|JPY|CNY|INR|CAD|AUD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|BRL|MXN|ZAR|SGD|HKD|RUB|TRY|AED|SAR|ILS|"
    r"KRW|RMB|kr|Fr|zł|Kč|Ft|lei|Rs)\b\.?)"
)
_MULTIPLIER = {"k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "b": 1e9, "bn": 1e9}
_NUMBER = (
    r"^(?P<sign>[-+−]?)\s*(?P<num>\d[\d.,'’\s\u00a0\u202f]*\d|\d)?(?P<frac>[.,]\d+)?\s*"
    r"(?P<mult>[kKmMbB]|mm|MM|mn|bn|Bn|BN|[mM]io)?\s*(?P<trail>-?)$"
)

_TRUE = {"true", "t", "yes", "y", "1", "1.0", "x", "checked", "wahr", "ja", "j", "oui", "vrai", "si", "sí", "on"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", "unchecked", "falsch", "nein", "non", "faux", "off"}
_WON = {"closedwon", "won", "gewonnen", "gagne", "ganado", "vinta", "vinto", "dealwon", "signed", "wonclosed"}
_LOST = {
    "closedlost",
    "lost",
    "verloren",
    "perdu",
    "perdido",
    "persa",
    "perso",
    "dead",
    "cancelled",
    "canceled",
    "disqualified",
    "deallost",
    "lostclosed",
}
# First matching keyword wins, in this order; anything else non-blank is a task.
_ACTIVITY_KEYWORDS = (
    ("demo", ("demo",)),
    ("proposal", ("proposal", "quote", "quotation", "angebot", "offer")),
    ("call", ("call", "phone", "voicemail", "anruf", "telefon")),
    ("email", ("email", "mail", "letter", "inmail")),
    ("meeting", ("meeting", "event", "appointment", "visit", "termin", "besprechung")),
)


def is_blank(values: pd.Series) -> pd.Series:
    """True where a cell is missing or only whitespace (what validation treats as "not given")."""
    text = values.astype(_TEXT)
    return (text.isna() | text.str.strip().eq("")).fillna(True).astype(bool)


def _by_unique(values: pd.Series, parse: Callable[[pd.Series], pd.Series], dtype: object) -> pd.Series:
    """Apply ``parse`` to the distinct stripped non-blank values and map the results back onto every row."""
    text = values.astype(_TEXT).str.strip()
    codes, uniques = pd.factorize(text.mask(text.eq("")), use_na_sentinel=True)
    if len(uniques) == 0:
        return pd.Series(index=values.index, name=values.name, dtype=dtype)
    parsed = parse(pd.Series(uniques, dtype=_TEXT)).astype(dtype)
    result = parsed.take(np.maximum(codes, 0))
    result.index, result.name = values.index, values.name
    return result.mask(codes < 0)


# ---------------------------------------------------------------------------------------------------------- dates


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse a column of dates/datetimes in any common CRM spelling to naive datetime64 (UTC for aware values)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        converted = values.dt.tz_convert("UTC").dt.tz_localize(None) if values.dt.tz is not None else values
        return converted.astype("datetime64[us]")
    numbers = _numeric_column(values)
    if numbers is not None:
        return _from_serials(numbers)
    return _by_unique(values, _parse_date_strings, "datetime64[us]")


def _numeric_column(values: pd.Series) -> pd.Series | None:
    """The values as floats when every non-blank cell is a plain number, else None."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("float64")
    text = values.astype(_TEXT).str.strip()
    present = text.notna() & text.ne("")
    if not present.any():
        return None
    numbers = pd.to_numeric(text.where(present), errors="coerce")
    if numbers[present].isna().any() or not text[present].str.fullmatch(r"[+-]?\d+(?:\.\d+)?").all():
        return None
    return numbers.astype("float64")


def _from_serials(numbers: pd.Series) -> pd.Series:
    """Excel serial days (20000..80000) and compact yyyymmdd integers; any other number is not a date."""
    days = numbers.where(numbers.between(_SERIAL_MIN, _SERIAL_MAX))
    result = _EXCEL_EPOCH + pd.to_timedelta((days * 86400).round(), unit="s")
    compact = numbers.where(numbers.between(19000101, 21001231) & (numbers % 1 == 0))
    from_compact = pd.to_datetime(compact.astype("Int64").astype(_TEXT), format="%Y%m%d", errors="coerce")
    return result.fillna(from_compact).astype("datetime64[us]").rename(numbers.name)


def _parse_date_strings(uniques: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(uniques, format="ISO8601", errors="coerce", utc=True).dt.tz_localize(None)
    parsed = parsed.astype("datetime64[us]")
    todo = parsed.isna() & uniques.notna()
    if not todo.any():
        return parsed
    rest = uniques[todo]
    day_first = _is_day_first(rest)
    # Group the remaining spellings by shape (digits -> 9, letters -> a) and find one format per shape.
    shapes = rest.str.replace(r"\d", "9", regex=True).str.replace(r"[^\W\d_]", "a", regex=True)
    for _, group in rest.groupby(shapes.to_numpy(), sort=False):
        fmt = _format_for(group.iloc[0], day_first)
        if fmt is not None:
            parsed.loc[group.index] = pd.to_datetime(group, format=fmt, errors="coerce").astype("datetime64[us]")
    return parsed


def _is_day_first(texts: pd.Series) -> bool:
    """Column-wide day/month order of numeric dates: day-first only when some value proves it (first part > 12)."""
    parts = texts.str.extract(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}\b").astype("float64")
    return bool((parts[0] > 12).any() and not (parts[1] > 12).any())


def _candidate_formats(day_first: bool) -> list[str]:
    order = ("%d", "%m") if day_first else ("%m", "%d")
    dates = [part.format(a=order[0], b=order[1], s=sep) for sep in "/.-" for part in _DATE_PARTS_NUMERIC]
    return [d + t for d in (*dates, *_DATE_PARTS_OTHER) for t in _TIME_PARTS]


def _format_for(example: str, day_first: bool) -> str | None:
    """The first candidate format that parses ``example`` (a representative of its shape)."""
    for fmt in _candidate_formats(day_first):
        if pd.notna(pd.to_datetime(example, format=fmt, errors="coerce")):
            return fmt
    return None


# -------------------------------------------------------------------------------------------------------- numbers


def parse_amounts(values: pd.Series) -> pd.Series:
    """Parse money amounts ("$1,234.50", "1.234,50 €", "(500)", "USD 1200", "$342.09K") to float; % is not money."""
    return _by_unique(values, lambda u: _parse_decimal(u, percent_ok=False), "float64")


def parse_numbers(values: pd.Series) -> pd.Series:
    """Parse plain numbers, including "45%" (as 45) and European "1,5", to float."""
    return _by_unique(values, lambda u: _parse_decimal(u, percent_ok=True), "float64")


def _parse_decimal(uniques: pd.Series, *, percent_ok: bool) -> pd.Series:
    plain = pd.to_numeric(uniques, errors="coerce").astype("float64")
    if np.isfinite(plain.to_numpy()).all():  # fast path: every value is already a plain number
        return plain
    text = uniques.str.strip()
    negative = text.str.fullmatch(r"\(.*\)").fillna(False).to_numpy(dtype=bool)
    text = text.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    percent = text.str.contains("%", regex=False).fillna(False)
    text = text.str.replace("%", "", regex=False).str.replace(_CURRENCY, "", regex=True).str.strip()
    parts = text.str.extract(_NUMBER)
    valid = (parts["num"].notna() | parts["frac"].notna()) & (percent_ok | ~percent)
    digits = (parts["num"].fillna("") + parts["frac"].fillna(""))[valid.to_numpy(dtype=bool)]
    digits = digits.str.replace(r"['’\s\u00a0\u202f]", "", regex=True).astype(object)
    marks = _decimal_marks(digits)
    points = digits.str.replace(",", "", regex=False)
    canonical = points.where(marks.ne(","), digits.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    canonical = canonical.where(marks.ne(""), canonical.str.replace(".", "", regex=False))
    number = pd.to_numeric(canonical, errors="coerce").astype("float64").reindex(uniques.index)
    multiplier = parts["mult"].str.lower().map(_MULTIPLIER).astype("float64").fillna(1.0).to_numpy()
    minus = parts["sign"].isin(["-", "−"]).to_numpy(dtype=bool) | parts["trail"].eq("-").fillna(False).to_numpy(
        dtype=bool
    )
    sign = np.where(negative ^ minus, -1.0, 1.0)
    return pd.Series(number.to_numpy() * multiplier * sign, index=uniques.index)


def _decimal_marks(digits: pd.Series) -> pd.Series:
    """Per value "," or "." for the decimal mark, or "" when its separators only group thousands (see module doc)."""
    commas = digits.str.count(",").to_numpy()
    dots = digits.str.count(r"\.").to_numpy()
    last = digits.str.extract(r"([.,])\d*$")[0].fillna("").to_numpy(dtype=object)
    after = digits.str.extract(r"[.,](\d*)$")[0].fillna("").str.len().to_numpy()
    both = (commas > 0) & (dots > 0)
    single_comma = (commas == 1) & (dots == 0)
    single_dot = (dots == 1) & (commas == 0)
    ambiguous = (single_comma | single_dot) & (after == 3)
    comma_votes = (both & (last == ",")) | (single_comma & ~ambiguous) | ((dots > 1) & (commas == 0))
    point_votes = (both & (last == ".")) | (single_dot & ~ambiguous) | ((commas > 1) & (dots == 0))
    column_uses_comma = comma_votes.sum() > point_votes.sum()
    marks = np.where(both | single_comma | single_dot, last, "")
    marks = np.where(ambiguous & single_comma, "," if column_uses_comma else "", marks)
    marks = np.where(ambiguous & single_dot, "" if column_uses_comma else ".", marks)
    return pd.Series(marks, index=digits.index, dtype=object)


# ---------------------------------------------------------------------------------------------------- categories


def parse_bools(values: pd.Series) -> pd.Series:
    """Parse checkbox-like cells (true/false, yes/no, 1/0, x, checked, wahr/falsch, ...) to nullable booleans."""

    def parse(uniques: pd.Series) -> pd.Series:
        lowered = uniques.str.lower()
        return pd.Series(np.where(lowered.isin(_TRUE), True, np.where(lowered.isin(_FALSE), False, None)))

    return _by_unique(values, parse, "boolean")


def _keys(uniques: pd.Series) -> pd.Series:
    """Lower-case letters and digits only, accents removed: "Closed (Won)" -> "closedwon", "Gagné" -> "gagne"."""
    folded = uniques.str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True).str.lower()
    return folded.str.replace(r"[\W_]+", "", regex=True)


def normalize_stage(values: pd.Series) -> pd.Series:
    """Map a CRM stage or status to "open", "won" or "lost" (any non-won, non-lost stage is open)."""

    def parse(uniques: pd.Series) -> pd.Series:
        keys = _keys(uniques)
        won = keys.isin(_WON) | keys.str.startswith("closedwon")
        lost = keys.isin(_LOST) | keys.str.startswith("closedlost")
        return pd.Series(np.where(won, "won", np.where(lost, "lost", "open")))

    return _by_unique(values, parse, _TEXT)


def normalize_activity_type(values: pd.Series) -> pd.Series:
    """Map an activity type to email, call, meeting, demo, proposal or task (unknown non-blank types are tasks)."""

    def parse(uniques: pd.Series) -> pd.Series:
        keys = _keys(uniques)
        result = pd.Series("task", index=uniques.index, dtype=object)
        decided = pd.Series(False, index=uniques.index)
        for kind, words in _ACTIVITY_KEYWORDS:
            hit = keys.str.contains("|".join(words), regex=True).fillna(False) & ~decided
            result[hit] = kind
            decided |= hit
        return result

    return _by_unique(values, parse, _TEXT)
