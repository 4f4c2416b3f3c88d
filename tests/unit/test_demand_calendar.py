"""The last complete month: a month whose data stop before the 25th is left out of the history."""

from __future__ import annotations

from datetime import date

import pandas as pd

from salesops.asof import last_complete_month
from salesops.demand.calendar import complete_history, first_forecast_month


def test_month_is_complete_from_the_25th() -> None:
    assert last_complete_month(date(2025, 3, 24)) == pd.Timestamp("2025-02-01")
    assert last_complete_month(date(2025, 3, 25)) == pd.Timestamp("2025-03-01")
    assert first_forecast_month(date(2025, 12, 31)) == pd.Period("2026-01", freq="M")


def test_part_last_month_is_dropped_with_a_warning() -> None:
    series = pd.Series([5.0, 6.0, 1.0], index=pd.date_range("2025-01-01", periods=3, freq="MS", name="period"))
    history, warning = complete_history(series, date(2025, 3, 10))
    assert history.tolist() == [5.0, 6.0]
    assert warning.startswith("2025-03 is left out of the history")


def test_quiet_months_up_to_the_last_complete_one_are_zero() -> None:
    series = pd.Series([5.0, 6.0], index=pd.date_range("2025-01-01", periods=2, freq="MS", name="period"))
    history, warning = complete_history(series, date(2025, 4, 28))
    assert history.tolist() == [5.0, 6.0, 0.0, 0.0]
    assert history.index[-1] == pd.Timestamp("2025-04-01")
    assert warning == ""
