"""Segment forecasts add up to the total: the hand-checked split and the full hierarchy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesops.forecast import forecast_hierarchy
from salesops.forecast.reconcile import bottom_up, top_down

INDEX = pd.date_range("2026-01-01", periods=2, freq="MS", name="period")


def frame(mean, lower, upper) -> pd.DataFrame:
    return pd.DataFrame({"mean": mean, "lower": lower, "upper": upper, "seasonal_factor": 1.0}, index=INDEX)


def test_top_down_splits_the_total_by_forecast_shares_and_scales_intervals():
    total = frame([100.0, 200.0], [80.0, 150.0], [120.0, 250.0])
    segments = {"a": frame([30.0, 0.0], [20.0, 0.0], [40.0, 0.0]), "b": frame([10.0, 0.0], [5.0, 0.0], [15.0, 0.0])}
    out = top_down(total, segments, recent={"a": 1.0, "b": 3.0})
    # Month 1: shares 3/4 and 1/4 of 100, intervals scaled by 75/30 and 25/10.
    assert out["a"].iloc[0][["mean", "lower", "upper"]].tolist() == pytest.approx([75.0, 50.0, 100.0])
    assert out["b"].iloc[0][["mean", "lower", "upper"]].tolist() == pytest.approx([25.0, 12.5, 37.5])
    # Month 2: both segments forecast 0, so the total is split by recent history (1:3), with the total's band.
    assert out["a"].iloc[1][["mean", "lower", "upper"]].tolist() == pytest.approx([50.0, 37.5, 62.5])
    assert out["b"].iloc[1]["mean"] == pytest.approx(150.0)


def test_bottom_up_total_is_the_segment_sum_with_its_own_band_width():
    total = frame([100.0, 200.0], [80.0, 150.0], [120.0, 250.0])
    out = bottom_up(total, [frame([30.0, 60.0], [0, 0], [0, 0]), frame([40.0, 50.0], [0, 0], [0, 0])])
    assert out["mean"].tolist() == [70.0, 110.0]
    assert out["lower"].tolist() == [50.0, 60.0]
    assert out["upper"].tolist() == [90.0, 160.0]


@pytest.fixture(scope="module")
def hierarchy_inputs():
    rng = np.random.default_rng(11)
    index = pd.date_range("2021-01-01", periods=48, freq="MS")
    t = np.arange(48)
    parts = {
        "Enterprise": 500 + 5 * t + 80 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 30, 48),
        "Mid-market": 300 + rng.normal(0, 40, 48),
        "SMB": np.r_[np.zeros(20), 100 + rng.normal(0, 10, 28)],  # a segment that started later
    }
    segments = {name: pd.Series(values, index=index) for name, values in parts.items()}
    return sum(segments.values()), segments


@pytest.mark.parametrize("method", ["top_down", "bottom_up"])
def test_reconciled_segments_sum_to_the_total(hierarchy_inputs, method):
    total, segments = hierarchy_inputs
    result = forecast_hierarchy(total, segments, 6, 90, method=method)
    summed = sum(r.forecast["mean"] for r in result.segments.values())
    np.testing.assert_allclose(summed.to_numpy(), result.total.forecast["mean"].to_numpy(), rtol=1e-9)
    assert result.method == method
    assert result.reconciliation.startswith("Top-down" if method == "top_down" else "Bottom-up")
    for seg in result.segments.values():
        assert (seg.forecast["lower"] <= seg.forecast["mean"] + 1e-9).all()
        assert (seg.forecast["mean"] <= seg.forecast["upper"] + 1e-9).all()
        assert seg.forecast.index.equals(result.total.forecast.index)
