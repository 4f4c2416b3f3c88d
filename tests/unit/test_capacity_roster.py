"""Expected attainment: booked ÷ ramp-weighted prorated quota, shrunk toward the team median by months of history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesops.capacity.roster import Roster, attainment


def _roster(tenure: list[int], booked: list[list[float]], from_table: bool = True) -> Roster:
    reps = pd.DataFrame({"rep": list("ABC")[: len(tenure)], "team": "T", "quota": 120_000.0, "tenure0": tenure})
    return Roster(pd.Period("2026-01", freq="M"), reps, np.array(booked, dtype=float), from_table, None, None, ())


def test_attainment_is_shrunk_toward_the_median_of_seasoned_reps() -> None:
    # Quota 10,000 a month, no ramp. A booked 10,000 a month for 12 months (1.0), B 5,000 (0.5), C joined two months
    # before the plan and booked 20,000 in each of them (2.0 over 2 months). Median of the seasoned A and B: 0.75.
    # Shrunk with K = 6: A (12 x 1.0 + 6 x 0.75) / 18, B (12 x 0.5 + 4.5) / 18, C (2 x 2.0 + 4.5) / 8.
    booked = [[10_000.0] * 12, [5_000.0] * 12, [0.0] * 10 + [20_000.0] * 2]
    values, median, measured = attainment(_roster([100, 100, 2], booked), 0, "linear")
    assert measured
    assert median == pytest.approx(0.75)
    np.testing.assert_allclose(values, [16.5 / 18, 10.5 / 18, 8.5 / 8])


def test_a_ramping_rep_is_judged_against_the_ramped_quota() -> None:
    # A 4-month linear ramp: a rep who joined 2 months ago owed 1/4 and 2/4 of 10,000; booking exactly that is 100 %.
    seasoned = [[10_000.0] * 12] * 2
    values, _, _ = attainment(_roster([100, 100, 2], [*seasoned, [0.0] * 10 + [2_500.0, 5_000.0]]), 4, "linear")
    np.testing.assert_allclose(values[2], 1.0)


def test_without_history_or_a_reps_table_attainment_is_stated_not_guessed() -> None:
    none_booked = _roster([-1, -2], [[0.0] * 12, [0.0] * 12])  # both join after the plan starts
    values, median, measured = attainment(none_booked, 3, "linear")
    assert median == 1.0
    assert not measured
    np.testing.assert_allclose(values, [1.0, 1.0])
    owners = _roster([120, 120], [[1.0] * 12, [2.0] * 12], from_table=False)
    assert attainment(owners, 3, "linear")[0].tolist() == [1.0, 1.0]
