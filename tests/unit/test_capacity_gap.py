"""Gap table, revenue at risk and the binding constraint."""

from __future__ import annotations

import numpy as np
import pytest

from salesops.capacity.gap import Resource, at_risk_share, binding_constraint, feasible_months, gap_table

PERIODS = ["2026-01", "2026-02", "2026-03"]
SALES = Resource("sales", "Sales", "currency", "sales", np.array([100.0, 100.0, 100.0]), np.array([120.0, 80.0, 100.0]))
VENDOR = Resource("vendor", "Vendor", "units", "constraint", np.array([10.0, 10.0, 10.0]), np.array([10.0, 9.0, 5.0]))


def test_gap_table_has_shortfall_surplus_utilisation_cumulative_gap_and_revenue_at_risk() -> None:
    table = gap_table(PERIODS, [SALES], np.array([1_000.0, 1_000.0, 1_000.0]))
    assert table["gap"].tolist() == [-20.0, 20.0, 0.0]
    assert table["shortfall"].tolist() == [0.0, 20.0, 0.0]
    assert table["surplus"].tolist() == [20.0, 0.0, 0.0]
    assert table["cumulative_gap"].tolist() == [-20.0, 0.0, 0.0]
    assert table["utilisation"].tolist() == pytest.approx([100 / 120, 100 / 80, 1.0])
    assert table["revenue_at_risk"].tolist() == [0.0, 200.0, 0.0]  # 20 % of 1,000


def test_binding_constraint_is_the_first_month_short_and_the_scarcest_resource_then() -> None:
    binding = binding_constraint(PERIODS, [SALES, VENDOR])
    assert binding is not None
    assert (binding.resource, binding.period) == ("sales", "2026-02")  # 20 % short vs the vendor's 10 %
    assert binding.share_short == pytest.approx(0.2)
    np.testing.assert_allclose(at_risk_share([SALES, VENDOR]), [0.0, 0.2, 0.5])
    assert feasible_months([SALES, VENDOR]).tolist() == [True, False, False]


def test_nothing_binds_when_every_resource_holds() -> None:
    holds = Resource("sales", "Sales", "currency", "sales", np.array([1.0, 1.0, 1.0]), np.array([2.0, 2.0, 2.0]))
    assert binding_constraint(PERIODS, [holds]) is None
    assert feasible_months([holds]).all()
