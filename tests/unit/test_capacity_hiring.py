"""The hiring optimiser: closes what it can, beats a greedy plan built to be myopic, respects caps and pins."""

from __future__ import annotations

import numpy as np
import pytest

from salesops.capacity.gap import Resource, at_risk_share
from salesops.capacity.hiring import COST_GAP, Role, greedy_hires, optimise_hires
from salesops.capacity.ramp import hire_curve

H = 12


def _need(start: int, units: float = 10.0, key: str = "sales") -> Resource:
    """A resource with no capacity and ``units`` of demand from month ``start`` on."""
    demand = np.where(np.arange(H) >= start, units, 0.0)
    return Resource(key, key, "units", "sales", demand, np.zeros(H))


def _rep(cost: float = 6.0, lead: int = 0, ramp_months: int = 2) -> Role:
    curve = 10.0 * hire_curve(H, lead, ramp_months=ramp_months, shape="linear", attrition_monthly=0.0)
    return Role("rep", "Rep", cost, lead, {"sales": curve})


def _contractor(cost: float = 10.0) -> Role:
    return Role("contractor", "Contractor", cost, 0, {"sales": 10.0 * np.ones(H)})


def _uncovered(resources: list[Resource], added: dict[str, np.ndarray]) -> float:
    after = [Resource(r.key, r.label, r.unit, r.kind, r.demand, r.capacity + added.get(r.key, 0.0)) for r in resources]
    return float(at_risk_share(after).sum())


def test_optimiser_is_cheaper_than_greedy_where_greedy_is_myopic() -> None:
    # From month 2, 10 units a month. A rep (6 a month) ramps over two months (5, then 10 units); a contractor
    # (10 a month) gives 10 at once. Greedy fills month 2 with the cheaper-per-unit-now contractor (10 months x 10 =
    # 100); recruiting the rep one month earlier covers every month for 11 x 6 = 66.
    resources, roles = [_need(2)], [_rep(), _contractor()]
    greedy = greedy_hires(resources, roles)
    best = optimise_hires(resources, roles, np.full(H, 1_000.0))
    assert greedy.cost == pytest.approx(100.0)
    assert best.cost == pytest.approx(66.0)
    assert best.cost < greedy.cost
    assert _uncovered(resources, best.added) == 0.0
    assert best.hires[["role", "month", "count"]].to_dict("records") == [{"role": "rep", "month": 1, "count": 1}]


def test_optimiser_never_costs_more_than_greedy_at_equal_coverage() -> None:
    rng = np.random.default_rng(7)
    for _ in range(5):
        demand = rng.uniform(0, 40, H)
        resources = [Resource("sales", "s", "units", "sales", demand, np.full(H, 10.0))]
        roles = [_rep(cost=float(rng.uniform(4, 8))), _contractor(cost=float(rng.uniform(8, 12)))]
        greedy = greedy_hires(resources, roles)
        best = optimise_hires(resources, roles, np.full(H, 1_000.0))
        assert _uncovered(resources, best.added) <= _uncovered(resources, greedy.added) + 1e-9
        assert best.cost <= greedy.cost * (1 + COST_GAP) + 1e-6  # optimal within the solver's stated gap


def test_gaps_before_any_hire_could_join_stay_open() -> None:
    resources = [_need(0)]
    plan = optimise_hires(resources, [_rep(lead=3, ramp_months=0)], np.full(H, 100.0))
    after = resources[0].demand - plan.added["sales"]
    np.testing.assert_allclose(after[:3], 10.0)  # nobody can join before month 3
    np.testing.assert_allclose(np.maximum(after[3:], 0), 0.0)
    assert plan.hires["count"].sum() == 1


def test_headcount_cap_leaves_a_reported_remaining_gap() -> None:
    resources = [_need(0, units=30.0)]  # needs three contractors every month
    plan = optimise_hires(resources, [_contractor()], np.full(H, 100.0), headcount_cap=1)
    assert plan.hires["count"].sum() == 1
    remaining = resources[0].demand - plan.added["sales"]
    np.testing.assert_allclose(remaining, 20.0)
    assert _uncovered(resources, plan.added) == pytest.approx(H * 2 / 3)


def test_budget_cap_limits_the_cost() -> None:
    # 30 units a month need three contractors (10 a month each, 10 units each): 360 to close it all. 245 buys 24
    # contractor-months, which cover at most 24 of the 36 contractor-months the gap needs.
    resources = [_need(0, units=30.0)]
    plan = optimise_hires(resources, [_contractor()], np.full(H, 100.0), budget_cap=245.0)
    assert plan.cost <= 245.0
    assert _uncovered(resources, plan.added) == pytest.approx(H / 3)


def test_pinned_hires_are_kept_even_where_they_are_not_needed() -> None:
    roles = [_rep(), _contractor()]
    pinned = np.zeros((2, H))
    pinned[1, 8] = 2  # two contractors pinned in month 8
    plan = optimise_hires([_need(2)], roles, np.full(H, 1_000.0), pinned)
    rows = plan.hires.set_index(["role", "month"])
    assert rows.loc[("contractor", 8), "count"] == 2
    assert rows.loc[("contractor", 8), "pinned"] == 2
    assert ("rep", 1) in rows.index, "the rest of the gap is still closed the cheapest way"


def test_pins_beyond_the_headcount_cap_raise_it_and_say_so() -> None:
    pinned = np.zeros((1, H))
    pinned[0, 0] = 3
    plan = optimise_hires([_need(0)], [_contractor()], np.full(H, 100.0), pinned, headcount_cap=1)
    assert plan.hires["count"].sum() == 3
    assert [message for message, _ in plan.notes] == [
        "The pinned hires ({n}) exceed the headcount cap ({cap}); cap raised."
    ]
    assert plan.notes[0][1] == {"n": 3, "cap": 1}


def test_hire_only_where_it_pays() -> None:
    resources, roles = [_need(2)], [_rep(), _contractor()]
    cheap_revenue = optimise_hires(resources, roles, np.full(H, 1.0), revenue_value=0.5)
    assert cheap_revenue.hires.empty, "0.5 of 1 a month cannot pay for a 6-a-month rep"
    rich = optimise_hires(resources, roles, np.full(H, 1_000.0), revenue_value=0.5)
    assert rich.cost == pytest.approx(66.0)


def test_where_it_pays_a_hire_another_resource_would_waste_is_not_made() -> None:
    # Sales is short from month 2, but a vendor with no capacity caps every month at zero deliverable revenue.
    vendor = Resource("vendor", "vendor", "units", "constraint", np.full(H, 10.0), np.zeros(H))
    resources, roles = [_need(2), vendor], [_rep(), _contractor()]
    assert optimise_hires(resources, roles, np.full(H, 1_000.0), revenue_value=0.5).hires.empty
    # Closing every gap it can still closes the sales gap (it will matter once the vendor is solved).
    assert optimise_hires(resources, roles, np.full(H, 1_000.0)).cost == pytest.approx(66.0)
