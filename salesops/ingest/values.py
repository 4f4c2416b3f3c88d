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

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from salesops.ingest import values_zh

_TEXT = pd.StringDtype("pyarrow")
_NAT = np.iinfo(np.int64).min  # NaT as int64 microseconds
_EXCEL_EPOCH_US = int(pd.Timestamp("1899-12-30").value // 1000)
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000
_SAMPLE = 20_000

_DATE_PARTS_NUMERIC = ("{a}{s}{b}{s}%y", "{a}{s}{b}{s}%Y")  # %y first: arrow's %Y also accepts "26" as year 26
_DATE_PARTS_OTHER = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%d %b, %Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %B %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%b-%d-%Y",
    "%b-%d-%y",
    "%a, %d %b %Y",
)
_TIME_PARTS = (
    "",
    " %H:%M",
    " %H:%M:%S",
    " %I:%M %p",
    " %I:%M:%S %p",
    " %I:%M%p",
    "T%H:%M:%S",
    "T%H:%M:%SZ",
    "T%H:%M:%S%z",
    "T%H:%M:%S.000%z",  # Salesforce API timestamps always carry .000 milliseconds
    "T%H:%M:%S.000Z",
)
_ISO_LIKE = r"^[0-9]{4}-[0-9]{1,2}"

_CURRENCY = (
    r"US\$|CA\$|C\$|A\$|AU\$|NZ\$|HK\$|NT\$|S\$|R\$|[$€£¥₹₽₩₺₪₫฿₴₦₱]|新臺幣|新台幣|人民幣|人民币|港幣|元|"
    r"(?:USD|EUR|GBP|CHF|JPY|CNY|INR|CAD|AUD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|BRL|MXN|ZAR|SGD|HKD|RUB|TRY|AED|SAR|ILS|"
    r"KRW|RMB|TWD|NTD|kr|Fr|zł|Kč|Ft|lei|Rs)\b\.?"
)
_MULTIPLIERS = (
    (r"(?i)[0-9.]\s*k$", 1e3),
    (r"(?i)[0-9.]\s*(m|mm|mn|mio)$", 1e6),
    (r"(?i)[0-9.]\s*(b|bn)$", 1e9),
    (r"[0-9.]\s*(萬|万)$", 1e4),
    (r"[0-9.]\s*(億|亿)$", 1e8),
)
_SUFFIX = r"(?i)(k|m|mm|mn|mio|b|bn|萬|万|億|亿)$"
_STRIP = "()+-−$€£¥₹₽₩₺₪₫฿₴₦₱ \u00a0\u202f"
_GROUPING = (" ", "\u00a0", "\u202f", "'", "’")

_TRUE = {"true", "t", "yes", "y", "1", "1.0", "x", "checked", "wahr", "ja", "j", "oui", "vrai", "si", "sí", "on"}
_TRUE |= {"是", "真", "已勾選", "已勾选"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", "unchecked", "falsch", "nein", "non", "faux", "off"}
_FALSE |= {"否", "假", "未勾選", "未勾选"}
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
# Chinese stage names (HubSpot 成交/未成交, Pipedrive 已贏得/已失去, Salesforce and Zoho 結案成交/結案失敗 and
# 已結束 - 贏得/失去): a lost word anywhere wins over a won word ("未成交" holds "成交").
_LOST_WORDS_ZH = ("失敗", "失败", "失去", "輸", "输", "丟", "丢", "未成交", "流失", "取消")
_WON_WORDS_ZH = ("成交", "贏", "赢", "成功")
# First matching keyword wins, in this order; anything else non-blank is a task.
_ACTIVITY_KEYWORDS = (
    ("demo", ("demo", "示範", "展示", "演示")),
    ("proposal", ("proposal", "quote", "quotation", "angebot", "offer", "報價", "报价", "提案", "建議書", "建议书")),
    ("call", ("call", "phone", "voicemail", "anruf", "telefon", "電話", "电话", "通話", "通话", "致電", "致电")),
    ("email", ("email", "mail", "letter", "郵件", "邮件", "電郵")),
    ("meeting", ("meeting", "event", "appointment", "visit", "termin", "besprechung", "會議", "会议", "拜訪", "拜访")),
)


def is_blank(values: pd.Series) -> pd.Series:
    """True where a cell is missing or only whitespace (what validation treats as "not given")."""
    return pd.Series(pc.is_null(_text(values)).to_numpy(zero_copy_only=False), index=values.index, name=values.name)


def _text(values: pd.Series) -> pa.Array:
    """The column as an Arrow string array, trimmed, with empty cells as nulls."""
    array = pa.array(values.astype(_TEXT).array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    trimmed = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, trimmed.type), trimmed)


def _per_distinct(text: pa.Array, parse: Callable[[pa.Array], np.ndarray]) -> np.ndarray:
    """Run ``parse`` once per distinct value when values repeat (most CRM columns), else on every value."""
    sample = text.slice(0, _SAMPLE)
    if len(text) > 2 * _SAMPLE and pc.count_distinct(sample).as_py() > _SAMPLE // 2:
        return parse(text)
    encoded = text.dictionary_encode()
    parsed = parse(encoded.dictionary)
    indices = pc.fill_null(encoded.indices, 0).to_numpy(zero_copy_only=False)
    return parsed[indices] if len(parsed) else np.zeros(len(text), dtype=parsed.dtype)


def _matches(text: pa.Array, pattern: str) -> np.ndarray:
    return _flag(pc.match_substring_regex(text, pattern))


# ---------------------------------------------------------------------------------------------------------- dates


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse a column of dates/datetimes in any common CRM spelling to naive datetime64 (UTC for aware values)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        converted = values.dt.tz_convert("UTC").dt.tz_localize(None) if values.dt.tz is not None else values
        return converted.astype("datetime64[us]")
    text = _text(values)
    present = pc.is_valid(text).to_numpy(zero_copy_only=False)
    if present.any() and _matches(text, r"^[+-]?[0-9]+(\.[0-9]+)?$")[present].all():
        micros = _from_serials(pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False))
    else:
        micros = _per_distinct(text, _parse_date_strings)
    micros = np.where(present, micros, _NAT)
    return pd.Series(micros.view("datetime64[us]"), index=values.index, name=values.name)


def _from_serials(numbers: np.ndarray) -> np.ndarray:
    """Excel serial days (20000..80000) and compact yyyymmdd integers; any other number is not a date."""
    with np.errstate(invalid="ignore"):
        serial = (numbers >= _SERIAL_MIN) & (numbers <= _SERIAL_MAX)
        micros = np.where(serial, np.round(np.nan_to_num(numbers) * 86_400_000_000) + _EXCEL_EPOCH_US, 0).astype(
            np.int64
        )
        compact = (numbers >= 19000101) & (numbers <= 21001231) & (numbers % 1 == 0)
    compact_text = pa.array(np.where(compact, np.nan_to_num(numbers), 0).astype(np.int64).astype(str))
    from_compact = _strptime(compact_text, "%Y%m%d")
    return np.where(serial, micros, np.where(compact, from_compact, _NAT))


def _strptime(text: pa.Array, fmt: str) -> np.ndarray:
    parsed = pc.strptime(text, format=fmt, unit="us", error_is_null=True)
    return np.asarray(pc.fill_null(parsed.cast(pa.int64()), _NAT).to_numpy(zero_copy_only=False))


def _parse_date_strings(text: pa.Array) -> np.ndarray:
    """Cascade of explicit formats: on each round the one parsing most of a sample of what is left is applied."""
    result = np.full(len(text), _NAT, dtype=np.int64)
    if values_zh.needs_rewrite(text):
        text = values_zh.rewrite_dates(text)
    formats = _candidate_formats(_is_day_first(text))
    todo = np.flatnonzero(pc.is_valid(text).to_numpy(zero_copy_only=False))
    while len(todo):
        rest = text.take(pa.array(todo))
        sample = rest.take(pa.array(np.unique(np.linspace(0, len(rest) - 1, min(len(rest), 500)).astype(np.int64))))
        hits = [(int((_strptime(sample, fmt) != _NAT).sum()), fmt) for fmt in formats]
        best_hits, best = max(hits, key=lambda hit: hit[0])
        if best_hits == 0:
            break
        result[todo] = _strptime(rest, best)
        todo = todo[result[todo] == _NAT]
        formats.remove(best)
    # Fractional seconds and other ISO 8601 spellings (Salesforce API "2024-03-14T02:46:47.000+0000").
    iso = todo[_matches(text.take(pa.array(todo)), _ISO_LIKE)] if len(todo) else todo
    if len(iso):
        stamps = pd.to_datetime(
            pd.Series(text.take(pa.array(iso)), dtype=_TEXT), format="ISO8601", errors="coerce", utc=True
        )
        result[iso] = stamps.dt.tz_localize(None).astype("datetime64[us]").to_numpy().view(np.int64)
    return result


def _is_day_first(text: pa.Array) -> bool:
    """Column-wide day/month order of numeric dates: day-first only when some value proves it (first part > 12)."""
    parts = pc.extract_regex(text, r"^(?P<a>[0-9]{1,2})[/.\-](?P<b>[0-9]{1,2})[/.\-][0-9]{2,4}")
    first = pc.cast(pc.struct_field(parts, "a"), pa.int32()).to_numpy(zero_copy_only=False)
    second = pc.cast(pc.struct_field(parts, "b"), pa.int32()).to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        return bool(
            np.nan_to_num(first.astype(float)).max(initial=0) > 12
            and not (np.nan_to_num(second.astype(float)) > 12).any()
        )


def _candidate_formats(day_first: bool) -> list[str]:
    order = ("%d", "%m") if day_first else ("%m", "%d")
    dates = [part.format(a=order[0], b=order[1], s=sep) for sep in "/.-" for part in _DATE_PARTS_NUMERIC]
    return [d + t for d in (*_DATE_PARTS_OTHER[:1], *dates, *_DATE_PARTS_OTHER[1:]) for t in _TIME_PARTS]


# -------------------------------------------------------------------------------------------------------- numbers


def parse_amounts(values: pd.Series) -> pd.Series:
    """Parse money amounts ("$1,234.50", "1.234,50 €", "(500)", "USD 1200", "$342.09K") to float; % is not money."""
    text = _text(values)
    parsed = _per_distinct(text, lambda t: _parse_decimal(t, percent_ok=False))
    return pd.Series(
        np.where(pc.is_valid(text).to_numpy(zero_copy_only=False), parsed, np.nan), index=values.index, name=values.name
    )


def parse_numbers(values: pd.Series) -> pd.Series:
    """Parse plain numbers, including "45%" (as 45) and European "1,5", to float."""
    text = _text(values)
    parsed = _per_distinct(text, lambda t: _parse_decimal(t, percent_ok=True))
    return pd.Series(
        np.where(pc.is_valid(text).to_numpy(zero_copy_only=False), parsed, np.nan), index=values.index, name=values.name
    )


def _parse_decimal(text: pa.Array, *, percent_ok: bool) -> np.ndarray:
    """Numbers with currency, sign, parentheses, K/M/B suffix and either decimal mark, using Arrow kernels only."""
    if _matches(text, r"^[+-]?[0-9]*\.?[0-9]+$").all():  # fast path: plain numbers only
        return np.asarray(pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False))
    if values_zh.needs_rewrite(text):
        text = values_zh.ascii_digits(text)
    in_parens = _flag(pc.and_(pc.starts_with(text, "("), pc.ends_with(text, ")")))
    percent = _flag(pc.match_substring(text, "%"))
    minus = _matches(text, r"^[^0-9]*[-−]") | _flag(pc.ends_with(text, "-"))
    multiplier = np.ones(len(text))
    has_letters = _matches(text, "[A-Za-z\u3400-\u9fff]")
    if has_letters.any():  # currency codes and K/M/B suffixes: regex work only on the rows that need it
        for pattern, factor in _MULTIPLIERS:
            multiplier[_matches(text, pattern) & has_letters] = factor
        cleaned = pc.replace_substring_regex(text, _CURRENCY, "")
        cleaned = pc.replace_substring_regex(pc.utf8_trim_whitespace(cleaned), _SUFFIX, "")
        text = pc.if_else(pa.array(has_letters), cleaned, text)
    text = pc.utf8_trim(pc.replace_substring(text, "%", ""), _STRIP)
    for mark in _GROUPING:
        if pc.any(pc.match_substring(text, mark)).as_py():
            text = pc.replace_substring(text, mark, "")
    valid = _matches(text, r"^[0-9]+([.,][0-9]+)*$|^[.,][0-9]+$") & (percent_ok | ~percent)
    digits = text.filter(pa.array(valid))
    marks = _decimal_marks(digits)
    canonical = pc.if_else(
        pa.array(marks == ","),
        pc.replace_substring(pc.replace_substring(digits, ".", ""), ",", "."),
        pc.replace_substring(digits, ",", ""),
    )
    canonical = pc.if_else(pa.array(marks == ""), pc.replace_substring(canonical, ".", ""), canonical)
    number = np.full(len(text), np.nan)
    number[valid] = pc.cast(canonical, pa.float64()).to_numpy(zero_copy_only=False)
    return number * multiplier * np.where(minus ^ in_parens, -1.0, 1.0)


def _flag(mask: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False))


def _decimal_marks(digits: pa.Array) -> np.ndarray:
    """Per value "," or "." for the decimal mark, or "" when its separators only group thousands (see module doc)."""
    commas = pc.count_substring(digits, ",").to_numpy(zero_copy_only=False)
    dots = pc.count_substring(digits, ".").to_numpy(zero_copy_only=False)
    last_is_comma = _matches(digits, r",[0-9]*$")
    three_after = _matches(digits, r"[.,][0-9]{3}$")
    both = (commas > 0) & (dots > 0)
    single_comma = (commas == 1) & (dots == 0)
    single_dot = (dots == 1) & (commas == 0)
    ambiguous = (single_comma | single_dot) & three_after
    comma_votes = (both & last_is_comma) | (single_comma & ~ambiguous) | ((dots > 1) & (commas == 0))
    point_votes = (both & ~last_is_comma) | (single_dot & ~ambiguous) | ((commas > 1) & (dots == 0))
    column_uses_comma = comma_votes.sum() > point_votes.sum()
    marks = np.where(both | single_comma | single_dot, np.where(last_is_comma, ",", "."), "")
    marks = np.where(ambiguous & single_comma, "," if column_uses_comma else "", marks)
    return np.where(ambiguous & single_dot, "" if column_uses_comma else ".", marks)


_SYMBOL_CODES = {"US$": "USD", "$": "USD", "CA$": "CAD", "C$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD",
                 "HK$": "HKD", "S$": "SGD", "R$": "BRL", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB",
                 "₩": "KRW", "₺": "TRY", "₪": "ILS", "₫": "VND", "฿": "THB", "₴": "UAH", "₦": "NGN", "₱": "PHP",
                 "RMB": "CNY", "zł": "PLN", "Kč": "CZK", "Ft": "HUF", "Rs": "INR", "Fr": "CHF"}  # fmt: skip
_CODE = re.compile(r"(US\$|CA\$|C\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|[$€£¥₹₽₩₺₪₫฿₴₦₱]|\b[A-Z]{3}\b|RMB|zł|Kč|Ft|Rs|Fr)")


def amount_currencies(values: pd.Series) -> pd.Series:
    """The currency each amount is written in ("$1,200" → USD, "1.200 €" → EUR, "JPY 300" → JPY), else <NA>.

    A bare "$" is read as USD (the note the import shows says so); three capital letters count as an ISO code.
    """

    def parse(distinct: pd.Series) -> np.ndarray:
        found = distinct.str.extract(_CODE.pattern, expand=False)
        return np.asarray(found.map(lambda m: _SYMBOL_CODES.get(m, m) if isinstance(m, str) else None), dtype=object)

    return _categorise(values, parse, _TEXT)


# ---------------------------------------------------------------------------------------------------- categories


def _categorise(
    values: pd.Series, parse: Callable[[pd.Series], np.ndarray], dtype: str | pd.StringDtype[Any]
) -> pd.Series:
    """Map each distinct non-blank value through ``parse`` (which sees a pandas string Series); blanks stay <NA>."""
    text = _text(values)

    def parse_arrow(distinct: pa.Array) -> np.ndarray:
        return np.asarray(parse(pd.Series(distinct, dtype=_TEXT)), dtype=object)

    parsed = _per_distinct(text, parse_arrow)
    valid = np.asarray(pc.is_valid(text).to_numpy(zero_copy_only=False), dtype=bool)
    parsed = np.where(valid, parsed, np.full(len(parsed), None, dtype=object))
    return pd.Series(parsed, index=values.index, name=values.name, dtype=dtype)


def parse_bools(values: pd.Series) -> pd.Series:
    """Parse checkbox-like cells (true/false, yes/no, 1/0, x, checked, wahr/falsch, ...) to nullable booleans."""

    def parse(distinct: pd.Series) -> np.ndarray:
        lowered = distinct.str.lower()
        result = np.full(len(lowered), None, dtype=object)
        result[lowered.isin(_FALSE).to_numpy(dtype=bool)] = False
        result[lowered.isin(_TRUE).to_numpy(dtype=bool)] = True
        return result

    return _categorise(values, parse, "boolean")


def _keys(distinct: pd.Series) -> pd.Series:
    """Lower-case letters and digits only, accents removed: "Closed (Won)" -> "closedwon", "Gagné" -> "gagne"."""
    folded = distinct.str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True).str.lower()
    return folded.str.replace(r"[\W_]+", "", regex=True)


def normalize_stage(values: pd.Series) -> pd.Series:
    """Map a CRM stage or status to "open", "won" or "lost" (any non-won, non-lost stage is open)."""

    def parse(distinct: pd.Series) -> np.ndarray:
        keys = _keys(distinct)
        lost = keys.isin(_LOST) | keys.str.startswith("closedlost") | keys.str.contains("|".join(_LOST_WORDS_ZH))
        won = (keys.isin(_WON) | keys.str.startswith("closedwon") | keys.str.contains("|".join(_WON_WORDS_ZH))) & ~lost
        return np.where(won, "won", np.where(lost, "lost", "open"))

    return _categorise(values, parse, _TEXT)


def normalize_activity_type(values: pd.Series) -> pd.Series:
    """Map an activity type to email, call, meeting, demo, proposal or task (unknown non-blank types are tasks)."""

    def parse(distinct: pd.Series) -> np.ndarray:
        keys = _keys(distinct)
        result = np.full(len(keys), "task", dtype=object)
        decided = np.zeros(len(keys), dtype=bool)
        for kind, words in _ACTIVITY_KEYWORDS:
            hit = keys.str.contains("|".join(words), regex=True).to_numpy(dtype=bool) & ~decided
            result[hit] = kind
            decided |= hit
        return result

    return _categorise(values, parse, _TEXT)
