"""The as-of rule's calendar: the last complete month up to a date and the default 12-month period."""

from __future__ import annotations

from datetime import date

import pandas as pd

from salesops.asof import default_period, history_end, last_complete_month


def test_month_is_complete_from_the_25th() -> None:
    assert last_complete_month(date(2025, 3, 24)) == pd.Timestamp("2025-02-01")
    assert last_complete_month(date(2025, 3, 25)) == pd.Timestamp("2025-03-01")


def test_history_ends_on_the_last_day_of_the_last_complete_month() -> None:
    assert history_end(date(2021, 12, 20)) == date(2021, 11, 30)
    assert history_end(date(2024, 2, 26)) == date(2024, 2, 29)


def test_default_period_is_the_last_twelve_complete_months() -> None:
    assert default_period(date(2021, 12, 20)) == (date(2020, 12, 1), date(2021, 11, 30))
    assert default_period(date(2025, 1, 31)) == (date(2024, 2, 1), date(2025, 1, 31))
