"""Slider assumptions move the forecast exactly as the documented formula says, without refitting."""

from __future__ import annotations

import pandas as pd
import pytest

from salesops.forecast import Assumptions, apply_assumptions


@pytest.fixture
def flat() -> pd.DataFrame:
    index = pd.date_range("2026-01-01", periods=12, freq="MS", name="period")
    factors = [0.5, 1.5] * 6
    return pd.DataFrame({"mean": 100.0, "lower": 80.0, "upper": 130.0, "seasonal_factor": factors}, index=index)


def test_no_assumption_changes_nothing(flat):
    pd.testing.assert_frame_equal(apply_assumptions(flat, Assumptions()), flat)


def test_growth_compounds_monthly_to_the_annual_rate(flat):
    out = apply_assumptions(flat, Assumptions(growth_pct=12))
    assert out["mean"].iloc[11] == pytest.approx(112.0)
    assert out["mean"].iloc[5] == pytest.approx(100 * 1.12**0.5)
    assert out["upper"].iloc[11] == pytest.approx(130 * 1.12)
    assert flat["mean"].iloc[11] == 100.0  # the input frame is untouched


def test_win_rate_deal_size_and_lead_volume_multiply(flat):
    change = Assumptions(win_rate_change_pct=10, deal_size_change_pct=-10, lead_volume_change_pct=20)
    assert apply_assumptions(flat, change)["mean"].iloc[0] == pytest.approx(100 * 1.1 * 0.9 * 1.2)
    # A deal count does not depend on deal size.
    assert apply_assumptions(flat, change, metric="deals")["mean"].iloc[0] == pytest.approx(100 * 1.1 * 1.2)


def test_scenarios_take_the_interval_bounds(flat):
    assert (apply_assumptions(flat, Assumptions(scenario="worst"))["mean"] == 80.0).all()
    assert (apply_assumptions(flat, Assumptions(scenario="best"))["mean"] == 130.0).all()


def test_seasonality_off_removes_the_seasonal_swing(flat):
    out = apply_assumptions(flat, Assumptions(seasonality=False))
    assert out["mean"].tolist()[:2] == pytest.approx([200.0, 100 / 1.5])
    assert (out["seasonal_factor"] == 1.0).all()


def test_a_full_cut_clips_at_zero(flat):
    out = apply_assumptions(flat, Assumptions(lead_volume_change_pct=-150))
    assert (out[["mean", "lower", "upper"]] == 0).all().all()
