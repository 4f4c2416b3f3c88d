"""The KPI formulas of docs/architecture.md "Definitions" on hand-computed figures."""

from __future__ import annotations

from datetime import date

import pytest

from salesops.filters import Filters
from salesops.kpi import definitions as d


def test_win_rate_and_deal_size() -> None:
    assert d.win_rate(3, 1) == pytest.approx(0.75)
    assert d.win_rate(0, 0) is None
    assert d.avg_deal_size(9000.0, 3) == pytest.approx(3000.0)
    assert d.avg_deal_size(0.0, 0) is None


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([(30.0, 2), (19.0, 1), (45.0, 1)], 30.0),  # 19, 30, 30, 45
        ([(10.0, 1), (20.0, 1)], 15.0),  # even count: mean of the middle two
        ([(7.0, 3)], 7.0),
        ([(5.0, 1), (9.0, 1), (100.0, 1)], 9.0),
        ([], None),
        ([(3.0, 0)], None),
    ],
)
def test_median_from_counts(counts: list[tuple[float, int]], expected: float | None) -> None:
    assert d.median_from_counts(counts) == expected


def test_weighted_pipeline_falls_back_to_win_rate() -> None:
    assert d.weighted_pipeline(5000.0, 4000.0, 0.8) == pytest.approx(8200.0)
    assert d.weighted_pipeline(5000.0, 0.0, None) == pytest.approx(5000.0)
    assert d.weighted_pipeline(5000.0, 4000.0, None) is None


def test_pipeline_coverage_needs_a_remaining_target() -> None:
    assert d.pipeline_coverage(8200.0, 20000.0, 10000.0) == pytest.approx(0.82)
    assert d.pipeline_coverage(8200.0, None, 10000.0) is None
    assert d.pipeline_coverage(8200.0, 10000.0, 10000.0) is None  # target met
    assert d.pipeline_coverage(None, 20000.0, 0.0) is None


def test_velocity_per_day() -> None:
    assert d.velocity(3, 0.8, 2500.0, 30.0) == pytest.approx(200.0)
    assert d.velocity(3, None, 2500.0, 30.0) is None
    assert d.velocity(3, 0.8, 2500.0, 0.0) is None


def test_growth_of_last_complete_month_quarter_year() -> None:
    monthly = {"2024-03": 100.0, "2025-02": 300.0, "2025-03": 600.0, "2024-12": 500.0, "2025-01": 100.0}
    # period 1 Jan 2024 - 31 Mar 2025: March vs February, Q1 2025 vs Q4 2024, 2024 vs 2023 (nothing in 2023)
    growth = d.period_growth(monthly, date(2024, 1, 1), date(2025, 3, 31))
    assert growth["growth_mom"] == pytest.approx(1.0)
    assert growth["growth_qoq"] == pytest.approx(1000.0 / 500.0 - 1)
    assert growth["growth_yoy"] is None
    # a period ending mid-March: February is the last complete month, Q4 2024 the last complete quarter
    mid = d.period_growth(monthly, date(2024, 10, 1), date(2025, 3, 15))
    assert mid["growth_mom"] == pytest.approx(300.0 / 100.0 - 1)
    assert mid["growth_qoq"] is None  # Q3 2024 is outside the data: no revenue to compare with
    assert d.period_growth(monthly, date(2025, 1, 1), date(2025, 12, 31))["growth_yoy"] == pytest.approx(
        1000.0 / 600.0 - 1
    )


def test_growth_lookback_reaches_the_unit_before() -> None:
    assert d.growth_lookback(date(2025, 1, 1), date(2025, 3, 31)) == date(2024, 10, 1)
    assert d.growth_lookback(date(2025, 1, 1), date(2025, 12, 31)) == date(2024, 1, 1)
    assert d.growth_lookback(date(2025, 3, 5), date(2025, 3, 20)) == date(2025, 3, 5)  # no complete month


def test_previous_period_same_length_just_before() -> None:
    quarter = Filters(start=date(2025, 4, 1), end=date(2025, 6, 30), reps=("Alice",))
    assert d.previous_period(quarter) == Filters(start=date(2025, 1, 1), end=date(2025, 3, 31), reps=("Alice",))
    march = Filters(start=date(2024, 3, 1), end=date(2024, 3, 31))
    assert d.previous_period(march) == Filters(start=date(2024, 2, 1), end=date(2024, 2, 29))
    days = Filters(start=date(2025, 3, 10), end=date(2025, 3, 16))
    assert d.previous_period(days) == Filters(start=date(2025, 3, 3), end=date(2025, 3, 9))
    with pytest.raises(ValueError, match="start and an end"):
        d.previous_period(Filters(start=date(2025, 1, 1)))


def test_growth_units_name_the_compared_months() -> None:
    from datetime import date

    units = d.growth_units(date(2025, 11, 1), date(2026, 10, 30))
    assert units["growth_mom"] == (date(2026, 9, 1), date(2026, 8, 1))  # October is not complete on the 30th
    assert units["growth_qoq"] == (date(2026, 7, 1), date(2026, 4, 1))
    assert units["growth_yoy"] is None  # no whole calendar year inside the period
