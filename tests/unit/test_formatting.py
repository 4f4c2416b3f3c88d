"""The formatting module: amounts, compact amounts, percentages, counts, missing and negative values, labels."""

import math

import pandas as pd
import pytest

from salesops import formatting as fmt


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (13_300_000, "$13,300,000"),
        (1_000, "$1,000"),
        (1_234.56, "$1,235"),
        (999.5, "$999.50"),
        (850, "$850"),
        (12.5, "$12.50"),
        (0, "$0"),
        (-1_234.4, "-$1,234"),
        (1_234.5, "$1,235"),
        (2.005, "$2.01"),
        (-12.5, "-$12.50"),
    ],
)
def test_money_has_symbol_separators_and_no_cents_from_a_thousand(value: float, expected: str) -> None:
    assert fmt.money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (13_312_000, "$13.3M"),
        (493_400, "$493k"),
        (4_240, "$4.2k"),
        (42_000, "$42k"),
        (850, "$850"),
        (999.6, "$1k"),
        (999_950, "$1M"),
        (2_000_000_000, "$2B"),
        (250_000_000, "$250M"),
        (-1_250_000, "-$1.3M"),
        (0, "$0"),
    ],
)
def test_money_compact_fits_a_tile(value: float, expected: str) -> None:
    assert fmt.money_compact(value) == expected


def test_other_currencies_carry_their_symbol() -> None:
    assert fmt.money(1_500, "EUR") == "€1,500"
    assert fmt.money_compact(2_500_000, "twd") == "NT$2.5M"
    assert fmt.money(10, "CHF") == "CHF 10"


@pytest.mark.parametrize(
    ("value", "digits", "signed", "expected"),
    [
        (0.384, 0, False, "38 %"),
        (1.26, 0, True, "+126 %"),
        (-0.045, 1, True, "-4.5 %"),
        (0.0001, 0, True, "0 %"),
        (-0.001, 0, False, "0 %"),
        (1, 0, False, "100 %"),
    ],
)
def test_percent(value: float, digits: int, signed: bool, expected: str) -> None:
    assert fmt.percent(value, digits, signed=signed) == expected


def test_counts_numbers_and_days() -> None:
    assert fmt.count(1204) == "1,204"
    assert fmt.count(1_234_567.4) == "1,234,567"
    assert fmt.count(-3) == "-3"
    assert fmt.number(3.456) == "3.5"
    assert fmt.number(12_345.678, 2) == "12,345.68"
    assert fmt.days(41.6) == "42 days"
    assert fmt.days(1) == "1 day"


@pytest.mark.parametrize("missing", [None, math.nan, math.inf, -math.inf, float("nan")])
def test_missing_values_show_a_dash_everywhere(missing: float | None) -> None:
    for format_ in (fmt.money, fmt.money_compact, fmt.percent, fmt.count, fmt.number, fmt.days):
        assert format_(missing) == fmt.MISSING


def test_by_kind_dispatches_on_the_label_table() -> None:
    assert fmt.by_kind(0.25, fmt.column_kind("win_rate")) == "25 %"
    assert fmt.by_kind(2500, fmt.column_kind("avg_deal_size")) == "$2,500"
    assert fmt.by_kind(12, fmt.column_kind("median_cycle_days")) == "12 days"
    assert fmt.by_kind(4321, fmt.column_kind("deals_won")) == "4,321"
    assert fmt.column_kind("something_unknown") == "text"


def test_column_labels_are_words_for_known_and_unknown_names() -> None:
    assert fmt.column_label("win_rate") == "Win rate"
    assert fmt.column_label("avg_deal_size") == "Average deal"
    assert fmt.column_label("brand_new_metric") == "Brand new metric"
    assert fmt.column_label("Already words") == "Already words"
    assert all("_" not in label for label, _ in fmt.COLUMNS.values())


def test_labelled_renames_headers_and_keeps_values() -> None:
    frame = pd.DataFrame({"rep": ["Ana"], "won_revenue": [1500.0], "x_y": [1]})
    shown = fmt.labelled(frame)
    assert list(shown.columns) == ["Rep", "Won revenue", "X y"]
    assert shown["Won revenue"].iloc[0] == 1500.0
    assert list(frame.columns) == ["rep", "won_revenue", "x_y"]


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("2026-11", "en", "Nov 2026"),
        ("2026-11", "zh-TW", "2026年11月"),
        (pd.Timestamp("2026-03-31 23:59"), "zh-TW", "2026年3月"),
        (pd.Period("2025-01", freq="M"), "en", "Jan 2025"),
        (None, "en", fmt.MISSING),
        (pd.NaT, "zh-TW", fmt.MISSING),
    ],
)
def test_month_labels_follow_the_locale(value: object, lang: str, expected: str) -> None:
    assert fmt.month_label(value, lang) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13300000", 13_300_000),
        ("$13,300,000", 13_300_000),
        ("13.3M", 13_300_000),
        (" 250k ", 250_000),
        ("$1.2b", 1_200_000_000),
        ("€1 500", 1_500),
        ("0", 0),
        ("", None),
        ("thirteen", None),
        ("inf", None),
    ],
)
def test_parse_money_reads_what_people_type(text: str, expected: float | None) -> None:
    parsed = fmt.parse_money(text)
    assert parsed == (pytest.approx(expected) if expected is not None else None)


def test_parse_money_reads_back_what_money_writes() -> None:
    for value in (0, 850, 13_300_000, 1_234_567):
        assert fmt.parse_money(fmt.money(value)) == value


def test_growth_is_signed_and_a_small_base_says_so() -> None:
    assert fmt.growth(0.126) == "+13 %"
    assert fmt.growth(-0.29) == "-29 %"
    assert fmt.growth(1.26) == "+126 %"
    assert fmt.growth(13.23) == "×14.2, small base"
    assert fmt.growth(None) == fmt.MISSING


def test_days_read_as_words() -> None:
    from datetime import date

    assert fmt.day(date(2023, 11, 1)) == "1 Nov 2023"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(850, "$850"), (15_000, "$1.5萬"), (13_300_000, "$1,330萬"), (120_000_000, "$1.2億"), (-4_500_000, "-$450萬")],
)
def test_compact_money_in_wan_and_yi_when_chosen(value: float, expected: str) -> None:
    assert fmt.money_compact(value, wan=True) == expected
