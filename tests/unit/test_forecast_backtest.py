"""Backtest plumbing with hand-computed cases: where the origins fall, how MASE and MAPE are scored."""

from __future__ import annotations

import numpy as np
import pytest

from salesops.forecast.backtest import Origins, backtest, mape, mase_scale, plan_origins, score
from salesops.forecast.models import Drift, SeasonalNaive


def test_five_years_get_four_origins_half_a_horizon_apart_with_a_twelve_month_horizon():
    assert plan_origins(60, 18, min_train=18, max_origins=4) == Origins(12, (30, 36, 42, 48))


def test_short_history_shrinks_the_origins_then_the_horizon():
    assert plan_origins(26, 12, min_train=8, max_origins=4) == Origins(12, (8, 14))
    assert plan_origins(25, 12, min_train=8, max_origins=4) == Origins(12, (13,))
    assert plan_origins(12, 6, min_train=8, max_origins=4) == Origins(4, (8,))
    assert plan_origins(8, 6, min_train=8, max_origins=4) is None


def test_mase_scale_is_the_in_sample_seasonal_naive_error():
    assert mase_scale(np.array([1.0, 2.0, 4.0, 7.0]), period=1) == pytest.approx(2.0)
    assert mase_scale(np.array([1.0, 5.0, 2.0, 7.0]), period=2) == pytest.approx(1.5)
    # A perfectly repeating series has no seasonal-naive error: the one-step naive error is used instead.
    assert mase_scale(np.array([1.0, 3.0, 1.0, 3.0]), period=2) == pytest.approx(2.0)
    # A flat series falls back to its level, so MASE stays finite.
    assert mase_scale(np.array([4.0, 4.0, 4.0]), period=1) == pytest.approx(4.0)


def test_mape_skips_months_without_bookings():
    assert mape(np.array([0.0, 10.0, 20.0]), np.array([5.0, 12.0, 18.0])) == pytest.approx(15.0)
    assert np.isnan(mape(np.zeros(3), np.ones(3)))


def test_score_averages_mase_over_origins():
    y = np.array([1.0, 2.0, 3.0, 4.0, 6.0, 8.0])
    origins = Origins(1, (4, 5))
    predictions = np.array([[5.0], [7.0]])  # errors 1 and 1
    scored = score("Test", predictions, y, origins, period=1)
    # scales: naive MAE of [1,2,3,4] = 1, of [1,2,3,4,6] = 1.25 -> MASE (1/1 + 1/1.25) / 2 = 0.9
    assert scored.mase == pytest.approx(0.9)
    assert scored.mape == pytest.approx((1 / 6 + 1 / 8) / 2 * 100)


def test_backtest_refits_at_each_origin_and_clips_at_zero():
    y = np.array([10.0, 8.0, 6.0, 4.0, 2.0, 1.0, 1.0])
    origins = Origins(3, (4, 5))
    preds = backtest(Drift(), y, origins)
    assert preds is not None
    np.testing.assert_allclose(preds, [[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    naive = backtest(SeasonalNaive(2), y, origins)
    np.testing.assert_allclose(naive, [[6.0, 4.0, 6.0], [4.0, 2.0, 4.0]])
