"""Value parsers: every spelling a CRM export uses for dates, money, numbers, checkboxes, stages and activity types."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesops.ingest.values import (
    is_blank,
    normalize_activity_type,
    normalize_stage,
    parse_amounts,
    parse_bools,
    parse_dates,
    parse_numbers,
)


def text(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype=pd.StringDtype("pyarrow"))


def ts(value: str) -> pd.Timestamp:
    return pd.Timestamp(value)


# ---------------------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-14", "2024-03-14"),
        ("2024-03-14T10:00:00Z", "2024-03-14 10:00:00"),
        ("2024-03-14T02:46:47.000+0000", "2024-03-14 02:46:47"),
        ("2024-03-14T12:46:47.000+0200", "2024-03-14 10:46:47"),
        ("2024-03-14 10:15:30", "2024-03-14 10:15:30"),
        ("03/14/2024", "2024-03-14"),
        ("3/1/2024", "2024-03-01"),
        ("02/23/26", "2026-02-23"),
        ("02/23/26 08:55 PM", "2026-02-23 20:55"),
        ("14.03.2024", "2024-03-14"),
        ("14/03/2024", "2024-03-14"),
        ("22-07-2015 02:31", "2015-07-22 02:31"),
        ("15 Apr, 2021 00:02:00", "2021-04-15 00:02:00"),
        ("Jan-1-1995", "1995-01-01"),
        ("  2024-03-14  ", "2024-03-14"),
    ],
)
def test_parse_dates_reads_each_crm_spelling(raw: str, expected: str) -> None:
    assert parse_dates(text(raw)).iloc[0] == ts(expected)


def test_parse_dates_blank_and_junk_are_nat_and_keep_index_and_name() -> None:
    values = pd.Series(["2024-01-05", "", None, "  ", "soon", "2024-13-45"], index=[10, 11, 12, 13, 14, 15], name="d")
    parsed = parse_dates(values)
    assert parsed.index.tolist() == [10, 11, 12, 13, 14, 15]
    assert parsed.name == "d"
    assert parsed.iloc[0] == ts("2024-01-05")
    assert parsed.iloc[1:].isna().all()
    assert str(parsed.dtype).startswith("datetime64")


def test_parse_dates_ambiguous_column_is_month_first() -> None:
    # Every value fits both orders: the US (CRM default) reading wins.
    assert parse_dates(text("01/02/2024", "03/04/2024")).tolist() == [ts("2024-01-02"), ts("2024-03-04")]


def test_parse_dates_one_day_above_twelve_makes_the_whole_column_day_first() -> None:
    assert parse_dates(text("01/02/2024", "25/12/2024")).tolist() == [ts("2024-02-01"), ts("2024-12-25")]


def test_parse_dates_second_part_above_twelve_confirms_month_first() -> None:
    assert parse_dates(text("01/02/2024", "12/25/2024")).tolist() == [ts("2024-01-02"), ts("2024-12-25")]


def test_parse_dates_mixed_formats_in_one_column() -> None:
    parsed = parse_dates(text("2024-03-14", "03/15/2024 09:30 AM", "16 Mar, 2024 10:00:00"))
    assert parsed.tolist() == [ts("2024-03-14"), ts("2024-03-15 09:30"), ts("2024-03-16 10:00")]


def test_parse_dates_excel_serials_only_in_a_numeric_column() -> None:
    assert parse_dates(text("45000", "45000.5", "")).tolist()[:2] == [ts("2023-03-15"), ts("2023-03-15 12:00")]
    assert parse_dates(pd.Series([45000, 45001])).tolist() == [ts("2023-03-15"), ts("2023-03-16")]
    # Out of the 20000..80000 range a number is not a date (a year column, a revenue column).
    assert parse_dates(text("1996", "120")).isna().all()


def test_parse_dates_compact_yyyymmdd() -> None:
    assert parse_dates(text("20240314")).iloc[0] == ts("2024-03-14")


def test_parse_dates_aware_datetime_input_becomes_naive_utc() -> None:
    aware = pd.Series(pd.to_datetime(["2024-03-14 12:00"]).tz_localize("Europe/Berlin"))
    assert parse_dates(aware).iloc[0] == ts("2024-03-14 11:00")


def test_parse_dates_many_rows_few_spellings() -> None:
    values = text(*(["03/14/2024", "12/01/2023", None] * 20_000))
    parsed = parse_dates(values)
    assert parsed.iloc[:3].tolist()[:2] == [ts("2024-03-14"), ts("2023-12-01")]
    assert parsed.isna().sum() == 20_000


dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31))


@settings(max_examples=60, deadline=None)
@given(st.lists(dates, min_size=1, max_size=20), st.sampled_from(["%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%d/%m/%Y"]))
def test_parse_dates_round_trips_iso_us_and_eu(days: list[dt.date], fmt: str) -> None:
    column = [*days, dt.date(2020, 1, 25)]  # day 25 makes the day/month order unambiguous
    parsed = parse_dates(text(*(d.strftime(fmt) for d in column)))
    assert [p.date() for p in parsed] == column


# -------------------------------------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$1,234.50", 1234.5),
        ("1.234,50 €", 1234.5),
        ("1 234,50", 1234.5),
        ("1\u00a0234,50 €", 1234.5),
        ("(500)", -500.0),
        ("($1,200.00)", -1200.0),
        ("-500", -500.0),
        ("-$5", -5.0),
        ("$-5", -5.0),
        ("USD 1200", 1200.0),
        ("1200 EUR", 1200.0),
        ("1200USD", 1200.0),
        ("£99.99", 99.99),
        ("$342.09K", 342090.0),
        ("1.2M", 1_200_000.0),
        ("1,234,567", 1234567.0),
        ("1.234.567", 1234567.0),
        ("1,5", 1.5),
        ("1234", 1234.0),
        ("0.5", 0.5),
    ],
)
def test_parse_amounts_reads_money_spellings(raw: str, expected: float) -> None:
    assert parse_amounts(text(raw)).iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["12%", "abc", "", "  ", None, "1-2-3", "$", "12 apples"])
def test_parse_amounts_non_money_is_nan(raw: str | None) -> None:
    assert math.isnan(parse_amounts(text(raw)).iloc[0])


def test_parse_amounts_three_digits_after_a_single_separator_follow_the_column() -> None:
    # Alone, "1.234" is a decimal point and "1,234" groups thousands (US convention) ...
    assert parse_amounts(text("1.234", "1,234", "12.50")).tolist() == [1.234, 1234.0, 12.5]
    # ... but in a column that otherwise writes decimal commas, "1.234" is one thousand two hundred thirty-four.
    assert parse_amounts(text("1.234", "12,50", "3,75")).tolist() == [1234.0, 12.5, 3.75]
    assert parse_amounts(text("€1.234", "1.234,50 €")).tolist() == [1234.0, 1234.5]


def test_parse_amounts_keeps_index_and_returns_float() -> None:
    parsed = parse_amounts(pd.Series(["$10", None], index=[7, 9], name="Amount"))
    assert parsed.dtype == np.float64
    assert parsed.index.tolist() == [7, 9]
    assert parsed.name == "Amount"


cents = st.integers(min_value=0, max_value=10**11)


@settings(max_examples=150, deadline=None)
@given(st.lists(cents, min_size=1, max_size=10), st.sampled_from(["us", "eu", "parens"]))
def test_parse_amounts_round_trips_formatted_money(values: list[int], style: str) -> None:
    def fmt(amount: int) -> str:
        us = f"{amount / 100:,.2f}"
        if style == "us":
            return f"${us}"
        if style == "eu":
            return us.replace(",", " ").replace(".", ",").replace(" ", ".") + " €"
        return f"({us})"

    sign = -1 if style == "parens" else 1
    parsed = parse_amounts(text(*(fmt(v) for v in values)))
    assert parsed.tolist() == pytest.approx([sign * v / 100 for v in values])


def test_parse_numbers_accepts_percent_and_decimal_comma() -> None:
    assert parse_numbers(text("45%", "1,5", "10", "")).tolist()[:3] == [45.0, 1.5, 10.0]


# ----------------------------------------------------------------------------------------------------- categories


def test_parse_bools_spellings() -> None:
    parsed = parse_bools(text("true", "No", "1", "0", "x", "Checked", "wahr", "FALSCH", "y", "N", "maybe", "", None))
    assert str(parsed.dtype) == "boolean"
    assert parsed.tolist() == [True, False, True, False, True, True, True, False, True, False, pd.NA, pd.NA, pd.NA]


WON = ["Closed Won", "closedwon", "Won", "won", "Gewonnen", "Gagné", "Ganado", "Vinta", "Closed - Won", "Deal Won",
       "Signed", "Closed (Won)", "  CLOSED WON "]  # fmt: skip
LOST = ["Closed Lost", "closedlost", "Lost", "Verloren", "Perdu", "Perdido", "Closed - Lost", "Dead", "Cancelled",
        "Canceled", "Closed (Lost)", "Disqualified"]  # fmt: skip
OPEN = ["Prospecting", "Engaging", "Negotiation/Review", "appointmentscheduled", "Needs Analysis", "Qualification"]


def test_normalize_stage_maps_every_crm_spelling() -> None:
    parsed = normalize_stage(text(*WON, *LOST, *OPEN, "", None))
    assert parsed.tolist() == ["won"] * len(WON) + ["lost"] * len(LOST) + ["open"] * len(OPEN) + [pd.NA, pd.NA]
    assert isinstance(parsed.dtype, pd.StringDtype)


@pytest.mark.parametrize(
    ("kind", "spellings"),
    [
        ("email", ["Email", "E-mail", "Send Letter", "Email Sent"]),
        ("call", ["Call", "Phone", "Outbound call", "Log a Call"]),
        ("meeting", ["Meeting", "Event", "Meeting held"]),
        ("demo", ["Demo", "Demonstration", "Product demo"]),
        ("proposal", ["Proposal", "Quote", "Proposal sent", "Quotation"]),
        ("task", ["Task", "To-do", "Follow-up", "Other"]),
    ],
)
def test_normalize_activity_type(kind: str, spellings: list[str]) -> None:
    assert normalize_activity_type(text(*spellings)).tolist() == [kind] * len(spellings)


def test_normalize_activity_type_blank_stays_missing() -> None:
    assert normalize_activity_type(text("", None)).isna().all()


def test_is_blank() -> None:
    assert is_blank(text("a", " ", "", None, "\t")).tolist() == [False, True, True, True, True]
    assert is_blank(pd.Series([1.0, np.nan])).tolist() == [False, True]
