"""The consensus demand: sources on the same months, the blend, and the plain-words reasons they differ."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from salesops.demand.consensus import (
    LeadBasis,
    blend,
    explain,
    normalise,
    parse_weights,
    plan_demand,
    record,
    side_by_side,
)

MONTHS = pd.date_range("2026-01-01", periods=6, freq="MS")


def _sources() -> pd.DataFrame:
    stat = pd.Series([100.0, 110, 120, 130, 140, 150], index=MONTHS)
    pipe = pd.Series([90.0, 60, 30, 10], index=MONTHS[:4])  # open deals close in the first months only
    leads = pd.Series([40.0, 50, 60, 70, 80, 90], index=MONTHS)
    return side_by_side(stat, pipe, leads)


def test_sources_share_the_statistical_months_and_a_month_without_deals_counts_zero():
    frame = _sources()
    assert list(frame.index) == list(MONTHS)
    assert list(frame.columns) == ["statistical", "pipeline", "leads"]
    assert frame["pipeline"].tolist() == [90, 60, 30, 10, 0, 0]


def test_a_missing_source_has_no_column_and_cannot_be_blended():
    frame = side_by_side(pd.Series([1.0, 2.0], index=MONTHS[:2]), None, None)
    assert list(frame.columns) == ["statistical"]
    result = blend(frame, {"statistical": 50, "pipeline": 50})
    assert result.weights == {"statistical": 100.0}
    assert result.choice == "statistical"
    assert result.frame["consensus"].tolist() == [1.0, 2.0]


def test_blend_is_the_weighted_mean_month_by_month():
    result = blend(_sources(), {"statistical": 50, "pipeline": 25, "leads": 25})
    expected = 0.5 * _sources()["statistical"] + 0.25 * _sources()["pipeline"] + 0.25 * _sources()["leads"]
    assert result.frame["consensus"].tolist() == pytest.approx(expected.tolist())
    assert result.choice == "blend"
    assert sum(result.weights.values()) == pytest.approx(100)


def test_picking_one_source_takes_its_numbers():
    result = blend(_sources(), {"pipeline": 1})
    assert result.choice == "pipeline"
    assert result.frame["consensus"].tolist() == [90, 60, 30, 10, 0, 0]


def test_weights_are_normalised_and_all_zero_is_refused():
    assert normalise({"statistical": 3, "leads": 1}, ["statistical", "leads"]) == {"statistical": 75, "leads": 25}
    with pytest.raises(ValueError, match="weight"):
        normalise({"statistical": 0, "leads": 0}, ["statistical", "leads"])


def test_explanations_say_why_each_source_differs():
    basis = LeadBasis(lag_months=2, qualified_conversion=0.125, avg_deal_size=25_000)
    pipeline, leads = explain(_sources(), basis)
    assert "$180 vs statistical $330 over the next 3 months (55 % of it)" in pipeline
    assert "only deals already open" in pipeline
    assert "From Apr 2026 the open pipeline holds under a fifth" in pipeline
    assert "Lead-based $390 vs statistical $750 over 6 months (52 % of it)" in leads
    assert "12.5 % of the time, 2 month(s) later" in leads
    assert "$25,000" in leads


def test_a_pipeline_above_the_statistical_forecast_is_called_out():
    stat = pd.Series([100.0, 100, 100], index=MONTHS[:3])
    frame = side_by_side(stat, pd.Series([150.0, 150, 150], index=MONTHS[:3]), None)
    pipeline, leads = explain(frame)
    assert "above the statistical forecast" in pipeline
    assert "no lead-based forecast" in leads


def test_plan_takes_the_blend_without_an_interval_and_rescales_the_segments():
    sources = _sources()
    adjusted = pd.DataFrame({"mean": sources["statistical"], "lower": 0.0, "upper": 999.0})
    kept, ones = plan_demand(adjusted, blend(sources, {"statistical": 1}))
    assert kept["lower"].eq(0).all()
    assert ones.eq(1).all()
    result = blend(sources, {"statistical": 50, "leads": 50})
    demand, ratio = plan_demand(adjusted, result)
    assert demand["mean"].tolist() == pytest.approx(result.frame["consensus"].tolist())
    assert demand["lower"].isna().all()
    assert (ratio * sources["statistical"]).tolist() == pytest.approx(demand["mean"].tolist())
    saved = record(result)
    assert saved["choice"] == "blend"
    assert math.isclose(saved["totals"]["consensus"], float(result.frame["consensus"].sum()))


def test_cli_weights_are_a_source_name_or_three_numbers():
    assert parse_weights("Pipeline") == {"pipeline": 100.0}
    assert parse_weights("50,25,25") == {"statistical": 50.0, "pipeline": 25.0, "leads": 25.0}
    for bad in ("1,2", "a,b,c", "forecast"):
        with pytest.raises(ValueError, match="--consensus"):
            parse_weights(bad)
