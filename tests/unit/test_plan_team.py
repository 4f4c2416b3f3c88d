"""The sales-ops team by ARR: each threshold belongs to the larger stage; the distance to the next one."""

from __future__ import annotations

import pytest

from salesops.plan.team import THRESHOLDS, stage_for, team_structure


@pytest.mark.parametrize(
    ("arr", "stage"),
    [
        (0.0, 0),
        (999_999.99, 0),
        (1_000_000.0, 1),
        (1_000_000.01, 1),
        (9_999_999.99, 1),
        (10_000_000.0, 2),
        (250_000_000.0, 2),
    ],
)
def test_stage_at_the_edges(arr: float, stage: int) -> None:
    assert stage_for(arr) == stage


def test_roles_add_up_stage_by_stage() -> None:
    small, middle, large = (team_structure(arr, "ttm") for arr in (500_000.0, 1_000_000.0, 10_000_000.0))
    assert len(small.roles) == 1
    assert small.roles[0].startswith("Technical sales-ops rep")
    assert middle.roles[:1] == small.roles
    assert middle.roles[1].startswith("Sales-efficiency manager")
    assert large.roles[:2] == middle.roles
    assert large.roles[2].startswith("Sales-ops director")


def test_distance_to_next_threshold() -> None:
    assert team_structure(999_999.0, "ttm").distance_to_next == 1.0
    assert team_structure(1_000_000.0, "ttm").next_threshold == THRESHOLDS[1]
    assert team_structure(1_000_000.0, "ttm").distance_to_next == 9_000_000.0
    top = team_structure(10_000_000.0, "ttm")
    assert top.next_threshold is None
    assert top.distance_to_next is None
