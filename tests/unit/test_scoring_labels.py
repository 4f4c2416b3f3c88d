"""Which leads and deals count as history (the label rule) and the employee bands used as a fit feature."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from salesops.scoring.store import deal_labels, employees_band, lead_labels


def test_lead_outcome_rule() -> None:
    newest = dt.date(2026, 6, 30)
    frame = pd.DataFrame(
        {
            "converted": [True, False, False, False, None, None, False],
            "status": ["Open", "Disqualified", "Working", "Working", "Converted", "Working", None],
            "created_date": [
                newest,
                newest,
                newest - dt.timedelta(days=30),  # recent, not converted: still open
                newest - dt.timedelta(days=120),  # older than 90 days: counts as not converted
                newest,
                newest - dt.timedelta(days=300),  # no flag at all: unknown
                None,  # no date: the flag is final
            ],
        }
    )
    assert lead_labels(frame).tolist() == [True, False, pd.NA, False, True, pd.NA, False]


def test_lead_labels_without_dates_take_the_flag() -> None:
    frame = pd.DataFrame({"converted": [True, False], "status": [None, None], "created_date": [None, None]})
    assert lead_labels(frame).tolist() == [True, False]


def test_deal_labels_only_for_closed_deals() -> None:
    frame = pd.DataFrame({"is_closed": [True, True, False], "is_won": [True, False, False]})
    assert deal_labels(frame).tolist() == [True, False, pd.NA]


def test_employee_bands() -> None:
    bands = employees_band(pd.Series([1, 10, 11, 250, 5001, None]))
    assert bands.tolist() == ["1-10", "1-10", "11-50", "201-1000", "5000+", None]
