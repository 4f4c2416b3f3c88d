"""Lead-implied demand on hand-made cohorts: conversion by score band, lag, projection and leads needed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from salesops.demand.leads import LeadDemand, band_table, lag_months, leads_needed, leads_needed_frame, project

START = pd.Period("2025-04", freq="M")


@pytest.fixture
def cohorts() -> pd.DataFrame:
    """Band 60-80 converts 8 of 20 known (0.4) at 20 leads/month Jan-Mar; band 0-20 converts 13 of 130 (0.1)."""
    rows = [
        ("60-80", True, "2025-01-01", 10, 10, 4),
        ("60-80", True, "2025-02-01", 20, 10, 4),
        ("60-80", True, "2025-03-01", 30, 0, 0),
        ("0-20", False, "2024-12-01", 100, 100, 10),  # before the 3-month run-rate window
        ("0-20", False, "2025-03-01", 30, 30, 3),
    ]
    frame = pd.DataFrame(rows, columns=["band", "qualified", "month", "leads", "known", "converted"])
    return frame.assign(month=pd.to_datetime(frame["month"])).astype({"leads": float, "known": float})


def test_conversion_and_run_rate_per_score_band(cohorts: pd.DataFrame) -> None:
    bands = band_table(cohorts, START)
    assert bands["band"].tolist() == ["0-20", "60-80"]  # score order
    assert bands["leads_with_outcome"].tolist() == [130, 20]
    assert bands["conversion"].tolist() == pytest.approx([0.1, 0.4])
    assert bands["monthly_leads"].tolist() == pytest.approx([10.0, 20.0])  # mean of Jan-Mar


def test_revenue_lags_lead_cohorts_and_scales_new_ones(cohorts: pd.DataFrame) -> None:
    bands = band_table(cohorts, START)
    frame = project(cohorts, bands, START, 3, lag=2, lead_volume_change_pct=50, win_rate=0.5, avg_deal_size=1000.0)
    # April <- February cohort (20 x 0.4 = 8 conversions), May <- March (30 x 0.4 + 30 x 0.1 = 15),
    # June <- April, projected: (20 x 0.4 + 10 x 0.1) x 1.5 = 13.5; half of the conversions are won at 1,000.
    assert frame["wins"].tolist() == pytest.approx([4.0, 7.5, 6.75])
    assert frame["revenue"].tolist() == pytest.approx([4000.0, 7500.0, 6750.0])
    assert frame["leads"].tolist() == pytest.approx([45.0] * 3)
    assert frame["qualified_leads"].tolist() == pytest.approx([30.0] * 3)
    assert frame["period"].tolist() == [pd.Timestamp(m) for m in ("2025-04-01", "2025-05-01", "2025-06-01")]


def test_lag_is_median_conversion_days_plus_median_cycle_in_months() -> None:
    assert lag_months(pd.Series({10.0: 3.0, 20.0: 1.0}), 50.0) == 2  # (10 + 50) / 30.4 = 1.97
    assert lag_months(pd.Series(dtype=float), None) == 0


def test_leads_needed_for_a_revenue_target() -> None:
    assert leads_needed(10_000, 0.2, 1000) == pytest.approx(50.0)
    assert leads_needed(0, 0.2, 1000) == 0.0
    assert math.isinf(leads_needed(10_000, 0.0, 1000))


def test_leads_needed_frame_dates_leads_one_lag_earlier() -> None:
    demand = LeadDemand(
        frame=pd.DataFrame(),
        bands=pd.DataFrame(),
        win_rate=0.5,
        avg_deal_size=1000.0,
        lag_months=2,
        threshold=60.0,
        qualified_conversion=0.1,
        qualified_monthly=30.0,
        note="",
    )
    target = pd.Series([5000.0, 2000.0], index=pd.DatetimeIndex(["2025-06-01", "2025-07-01"]))
    frame = leads_needed_frame(target, demand)
    assert frame["period"].tolist() == [pd.Timestamp("2025-04-01"), pd.Timestamp("2025-05-01")]
    assert frame["qualified_leads_needed"].tolist() == pytest.approx([50.0, 20.0])
    assert frame["shortfall"].tolist() == pytest.approx([20.0, -10.0])
