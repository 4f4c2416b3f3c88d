"""forecast_series on known series: what a planner would see on the demand page."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesops.forecast import forecast_series
from salesops.forecast.models import OnLog, Sarima
from salesops.forecast.select import SWITCH_MARGIN

PATTERN = np.array([10, 12, 15, 20, 18, 16, 14, 13, 17, 22, 30, 40], dtype=float) * 100


def monthly(values, start: str = "2021-01-01") -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.date_range(start, periods=len(values), freq="MS"))


@pytest.fixture(scope="module")
def noisy_trend():
    """Five years of a trending, seasonal, noisy series (a typical bookings history)."""
    rng = np.random.default_rng(7)
    t = np.arange(60)
    return monthly(1000 + 8 * t + 150 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 60, 60))


def test_pure_seasonal_series_is_forecast_almost_exactly():
    result = forecast_series(monthly(np.tile(PATTERN, 4)), 12)
    assert np.allclose(result.forecast["mean"].to_numpy(), PATTERN, rtol=0.01)
    assert result.forecast.index[0] == pd.Timestamp("2025-01-01")


def test_noisy_seasonal_series_is_close_and_no_worse_than_the_baseline():
    rng = np.random.default_rng(3)
    y = monthly(np.tile(PATTERN, 5) * (1 + rng.normal(0, 0.02, 60)))
    result = forecast_series(y, 12)
    # Within 5 % of the true pattern every month, and the chosen model no worse than seasonal naive beyond the noise
    # margin the choice allows for.
    assert np.allclose(result.forecast["mean"].to_numpy(), PATTERN, rtol=0.05)
    assert result.backtest.iloc[0]["mase"] <= result.baseline["mase"] / (1 - SWITCH_MARGIN)


def test_linear_trend_is_followed():
    rng = np.random.default_rng(1)
    t = np.arange(36)
    y = monthly(500 + 20 * t + rng.normal(0, 5, 36))
    result = forecast_series(y, 6)
    expected = 500 + 20 * np.arange(36, 42)
    assert np.allclose(result.forecast["mean"].to_numpy(), expected, rtol=0.03)


def test_eight_months_fall_back_to_drift_with_a_warning():
    y = monthly([5, 7, 6, 8, 9, 8, 10, 11], start="2024-01-01")
    result = forecast_series(y, 6)
    assert result.model == "Drift"
    assert any("Only 8 months of history" in w for w in result.warnings)
    assert result.backtest.empty
    mean = result.forecast["mean"].to_numpy()
    assert np.all(mean > 0)
    assert mean.max() < 2 * y.max()
    width = (result.forecast["upper"] - result.forecast["lower"]).to_numpy()
    assert width[0] > 0
    assert np.all(np.diff(width) > 0)


def test_intervals_widen_with_the_horizon_and_with_the_level(noisy_trend):
    bands = {level: forecast_series(noisy_trend, 12, level).forecast for level in (80, 95)}
    width80 = (bands[80]["upper"] - bands[80]["lower"]).to_numpy()
    width95 = (bands[95]["upper"] - bands[95]["lower"]).to_numpy()
    assert np.all(np.diff(width80) >= -1e-9)
    assert width80[-1] > width80[0]
    assert np.all(width95 > width80)
    assert np.all(bands[95]["lower"] <= bands[95]["mean"])
    assert np.all(bands[95]["mean"] <= bands[95]["upper"])


def test_result_reports_backtest_baseline_and_why(noisy_trend):
    result = forecast_series(noisy_trend, 12)
    table = result.backtest
    assert {"Seasonal naive", "Drift", "Theta of log"} <= set(table["model"])
    assert any(label.startswith("ETS(") for label in table["model"])
    assert any(label.startswith("SARIMA(") for label in table["model"])
    assert table.iloc[0]["model"] == result.model
    assert (table["origins"] == 3).all()
    naive = table.set_index("model").loc["Seasonal naive"]
    assert result.baseline == pytest.approx({"mase": naive["mase"], "mape": naive["mape"]})
    assert result.model in result.method_note
    assert "MASE" in result.method_note
    assert list(result.backtest_path.columns) == ["origin", "period", "actual", "predicted"]
    assert len(result.backtest_path) == 3 * 12
    assert result.forecast.index.freqstr == "MS"
    assert len(result.forecast) == 12


def test_light_search_backtests_fewer_candidates(noisy_trend):
    result = forecast_series(noisy_trend, 12, full_search=False)
    assert set(result.backtest["model"]) == {"Seasonal naive", "Drift", "ETS(A,Ad,A)"}
    assert (result.backtest["origins"] == 2).all()


def test_revenue_forecast_never_goes_negative():
    rng = np.random.default_rng(5)
    y = monthly(np.clip(40 - 1.5 * np.arange(30) + rng.normal(0, 6, 30), 0, None))
    frame = forecast_series(y, 12).forecast
    assert (frame[["mean", "lower", "upper"]] >= 0).all().all()


def test_all_zero_history_gives_a_zero_forecast_and_a_message():
    result = forecast_series(monthly(np.zeros(30)), 3)
    assert (result.forecast[["mean", "lower", "upper"]] == 0).all().all()
    assert any("No bookings" in w for w in result.warnings)


def test_gappy_series_is_filled_with_zero_months_and_forecast():
    full = monthly([5, 0, 0, 7, 0, 3, 0, 0, 0, 9, 0, 0, 4, 0, 0, 0, 8, 0, 0, 2], start="2023-01-01")
    observed = full[full > 0]  # the months without a deal are missing rows, as from a CRM export
    result = forecast_series(observed, 4)
    assert any("13 missing months filled with 0" in w for w in result.warnings)
    assert any("sparse" in w for w in result.warnings)
    assert list(result.forecast.index) == list(pd.date_range("2024-09-01", periods=4, freq="MS"))
    assert np.all(np.isfinite(result.forecast.to_numpy()))
    assert (result.forecast["lower"] >= 0).all()


def test_leading_months_before_the_first_booking_are_ignored():
    y = monthly(np.r_[np.zeros(10), np.full(6, 50.0)])
    result = forecast_series(y, 3)
    assert any("Only 6 months" in w for w in result.warnings)


def test_weekly_series_keeps_its_frequency():
    index = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    y = pd.Series(100 + np.arange(40, dtype=float), index=index)
    result = forecast_series(y, 4, full_search=False)
    assert result.forecast.index.freqstr == "W-MON"
    assert np.allclose(result.forecast["mean"], 140 + np.arange(4), rtol=0.02)


def test_bad_inputs_are_refused_with_a_message():
    with pytest.raises(ValueError, match="level"):
        forecast_series(monthly(np.ones(24)), 6, level=70)
    with pytest.raises(ValueError, match="DatetimeIndex"):
        forecast_series(pd.Series([1.0, 2.0, 3.0]), 3)
    with pytest.raises(ValueError, match="horizon"):
        forecast_series(monthly(np.ones(24)), 0)


def test_every_candidate_is_backtested_on_three_years_of_history():
    """36 months: the early backtest origins hold under two cycles; Theta still competes (fitted unseasonal there)."""
    rng = np.random.default_rng(11)
    y = monthly(np.tile(PATTERN, 3) * (1 + rng.normal(0, 0.05, 36)))
    models = set(forecast_series(y, 12).backtest["model"])
    assert {"Seasonal naive", "Drift", "Theta of log"} <= models
    assert any(label.startswith("ETS(") for label in models)
    assert any(label.startswith("SARIMA(") for label in models)


def test_the_combination_is_the_default_and_a_single_model_needs_a_wide_win(noisy_trend):
    result = forecast_series(noisy_trend, 12)
    table = result.backtest.set_index("model")
    combination = next(label for label in table.index if label.startswith("Mean of "))
    if result.model == combination:
        assert "no single model beat it" in result.method_note
    else:  # a single model replaced it: it must be clearly better on mean MASE
        assert table.loc[result.model, "mase"] < (1 - SWITCH_MARGIN) * table.loc[combination, "mase"]
        assert "at every one of" in result.method_note


def test_series_with_zero_months_are_modelled_on_their_own_scale():
    rng = np.random.default_rng(2)
    values = np.tile(PATTERN, 4) * (1 + rng.normal(0, 0.05, 48))
    values[[5, 17]] = 0.0
    table = forecast_series(monthly(values), 12).backtest
    assert not any(label.endswith(" of log") for label in table["model"])
    assert "Theta" in set(table["model"])


def test_airline_model_integrates_its_forecast_and_widens_its_band():
    t = np.arange(72)
    y = np.log(1000 + 10 * t) + np.log(PATTERN[t % 12] / PATTERN.mean()) + np.random.default_rng(4).normal(0, 0.02, 72)
    fitted = OnLog(Sarima((0, 1, 1), (0, 1, 1, 12))).fit(np.exp(y))
    expected = (1000 + 10 * np.arange(72, 84)) * PATTERN / PATTERN.mean()
    assert np.allclose(fitted.predict(12), expected, rtol=0.06)
    assert fitted.bands is not None
    lower, upper = fitted.bands(12, 95)
    assert np.all(lower < fitted.predict(12))
    assert np.all(fitted.predict(12) < upper)
    assert np.all(np.diff(np.log(upper / lower)) > 0)
