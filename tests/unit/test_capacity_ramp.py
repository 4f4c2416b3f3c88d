"""Ramped capacity on the hand-worked example of issue 9, ramp shapes and hire-by dates."""

from __future__ import annotations

import numpy as np
import pytest

from salesops.capacity.ramp import hire_by, hire_curve, ramp, rep_capacity, survival


def test_new_hire_in_month_3_with_a_4_month_linear_ramp_and_2_percent_attrition() -> None:
    # Quota 120,000 a year = 10,000 a month, attainment 90 %. Joins in plan month 3 (tenure 0 there).
    # Month 3: 9,000 x 1/4             = 2,250
    # Month 4: 9,000 x 2/4 x 0.98      = 4,410
    # Month 5: 9,000 x 3/4 x 0.98^2    = 6,482.7
    # Month 6: 9,000 x 4/4 x 0.98^3    = 8,470.728
    # Month 7: 9,000 x 1   x 0.98^4    = 8,301.31344
    capacity = rep_capacity(
        np.array([10_000.0]), np.array([0.9]), np.array([3]), 8, ramp_months=4, shape="linear", attrition_monthly=0.02
    )
    expected = [0.0, 0.0, 0.0, 2_250.0, 4_410.0, 6_482.7, 8_470.728, 8_301.31344]
    np.testing.assert_allclose(capacity[0], expected, rtol=1e-12, atol=1e-9)


def test_a_ramped_rep_loses_only_attrition_from_the_first_plan_month() -> None:
    capacity = rep_capacity(
        np.array([10_000.0]), np.array([1.0]), np.array([-24]), 3, ramp_months=4, shape="linear", attrition_monthly=0.02
    )
    np.testing.assert_allclose(capacity[0], [10_000.0, 9_800.0, 9_604.0])


def test_a_rep_part_way_through_the_ramp_continues_it() -> None:
    # Joined two months before the plan: tenure 2 in month 0, so 3/4, then fully ramped.
    capacity = rep_capacity(
        np.array([4_000.0]), np.array([1.0]), np.array([-2]), 3, ramp_months=4, shape="linear", attrition_monthly=0.0
    )
    np.testing.assert_allclose(capacity[0], [3_000.0, 4_000.0, 4_000.0])


@pytest.mark.parametrize("shape", ["linear", "s-curve", "step"])
def test_every_shape_rises_from_zero_before_joining_to_full_at_the_end_of_the_ramp(shape: str) -> None:
    factors = ramp(np.arange(-2, 10), 6, shape)  # type: ignore[arg-type]
    assert factors[0] == factors[1] == 0.0
    assert np.all(np.diff(factors) >= 0)
    assert factors[-1] == 1.0
    assert factors.min() >= 0.0
    assert factors.max() <= 1.0


def test_step_ramp_gives_nothing_during_the_ramp() -> None:
    np.testing.assert_array_equal(ramp(np.arange(5), 3, "step"), [0, 0, 0, 1, 1])


def test_no_ramp_is_productive_from_the_first_month() -> None:
    np.testing.assert_array_equal(ramp(np.arange(3), 0, "linear"), [1, 1, 1])


def test_survival_compounds_and_rejects_impossible_rates() -> None:
    np.testing.assert_allclose(survival(np.array([0, 1, 2]), 0.1), [1.0, 0.9, 0.81])
    with pytest.raises(ValueError, match="attrition"):
        survival(1, 1.0)


def test_hire_by_counts_recruiting_lead_time_and_ramp() -> None:
    # Needed fully ramped in month 6 with a 2-month lead and a 4-month ramp: recruit from month 1, join in 3,
    # ramped in month 6 (tenure 3 = the 4th month).
    assert hire_by(6, lead_months=2, ramp_months=4) == 1
    curve = hire_curve(8, 2, ramp_months=4, shape="linear", attrition_monthly=0.0)
    np.testing.assert_allclose(curve, [0, 0, 0.25, 0.5, 0.75, 1, 1, 1])
    assert curve[6 - hire_by(6, 2, 4)] == 1.0
    assert curve[6 - hire_by(6, 2, 4) - 1] < 1.0, "a month later would be too late"


def test_hire_by_can_be_in_the_past() -> None:
    assert hire_by(1, lead_months=2, ramp_months=3) == -3
