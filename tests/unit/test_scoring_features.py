"""The scoring feature builder: kinds, groups, log1p standardising, top-k levels and missing indicators."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from salesops.scoring.features import MISSING, OTHER, fit_spec


def test_numeric_text_is_logged_standardised_with_a_missing_indicator() -> None:
    frame = pd.DataFrame({"Web Visits": ["0", "1", "3", "7", None]})
    spec = fit_spec(frame)
    (visits,) = spec.numeric
    logged = [0.0, math.log(2), math.log(4), math.log(8)]
    assert visits.group == "engagement"
    assert visits.mean == pytest.approx(sum(logged) / 4)
    assert visits.std == pytest.approx(float(np.std(logged)))
    design = spec.design(frame)
    assert list(design.columns) == ["Web Visits", "Web Visits missing"]
    assert design.loc[2, "Web Visits"] == pytest.approx((math.log(4) - visits.mean) / visits.std)
    assert design.loc[4, "Web Visits"] == 0.0  # missing -> the mean
    assert design["Web Visits missing"].tolist() == [0, 0, 0, 0, 1]


def test_categorical_keeps_top_levels_against_the_most_common_reference() -> None:
    frame = pd.DataFrame({"Industry": ["Retail"] * 5 + ["Tech"] * 3 + ["Mining", None]})
    spec = fit_spec(frame, top_k=2, min_share=0.0)
    (industry,) = spec.categorical
    assert industry.group == "fit"
    assert industry.reference == "Retail"
    assert industry.levels == ("Tech", OTHER)  # Mining and (missing) are rare -> other
    scored = spec.design(pd.DataFrame({"Industry": ["Tech", "Retail", "Mining", "Never seen", None]}))
    assert scored["Industry = Tech"].tolist() == [1, 0, 0, 0, 0]
    assert scored["Industry = other"].tolist() == [0, 0, 1, 1, 1]


def test_missing_is_a_level_of_its_own_when_common() -> None:
    frame = pd.DataFrame({"Lead Quality": ["High"] * 4 + [None] * 3 + ["Low"] * 3})
    (quality,) = fit_spec(frame).categorical
    assert quality.reference == "High"
    assert quality.levels == (MISSING, "Low")


def test_ids_constants_and_empty_columns_are_skipped() -> None:
    frame = pd.DataFrame(
        {
            "Lead Number": [str(660000 + i) for i in range(40)],
            "Prospect": [f"p{i}" for i in range(40)],
            "Magazine": ["No"] * 40,
            "Blank": [None] * 40,
            "Email Opens": [i % 5 for i in range(40)],
        }
    )
    spec = fit_spec(frame)
    assert spec.features == ("Email Opens",)
    assert set(spec.skipped) == {"Lead Number", "Prospect", "Magazine", "Blank"}


def test_group_override_and_same_design_for_the_same_input() -> None:
    frame = pd.DataFrame({"Score A": [1.0, 2.0, 5.0, 9.0], "Is Partner": [True, False, True, True]})
    spec = fit_spec(frame, groups={"Score A": "engagement"})
    assert [f.group for f in spec.numeric] == ["engagement"]
    assert spec.categorical[0].levels == ("False",)
    pd.testing.assert_frame_equal(spec.design(frame), fit_spec(frame, groups={"Score A": "engagement"}).design(frame))
