"""Ramped capacity: how productive a rep is by tenure, how many stay, and when a hire must start.

Definitions: docs/architecture.md "Ramped capacity" and "Gap".

Months are counted from the first plan month (index 0). A rep with tenure ``t`` months (0 in the month they join)
produces ``ramp(t)`` of a fully ramped rep:

- linear: ``min((t + 1) / R, 1)``: a quarter in the first month of a 4-month ramp, fully ramped in the 4th month;
- s-curve: a logistic curve through half productivity at ``t = R / 2``, rescaled so ``ramp(R - 1) = 1``;
- step: 0 for the first ``R`` months, then 1.

``R = 0`` means productive from day one. Attrition compounds from the month a rep is first on the plan:
``survival(k) = (1 - a)^k`` after ``k`` months, so the ramped capacity of a rep in plan month ``m`` is
``quota/12 x attainment x ramp(tenure in m) x (1 - a)^(m - first plan month of the rep)``.
A hire decided in month ``h`` joins in ``h + recruiting lead time`` and starts at ``ramp(0)``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

RampShape = Literal["linear", "s-curve", "step"]
RAMP_SHAPES: tuple[RampShape, ...] = ("linear", "s-curve", "step")


def ramp(tenure: np.ndarray | int, ramp_months: int, shape: RampShape = "linear") -> np.ndarray:
    """Share of full productivity at each tenure (months since joining; negative = not yet joined, 0)."""
    t = np.asarray(tenure, dtype=float)
    if ramp_months < 0:
        raise ValueError("Ramp months cannot be negative.")
    if shape not in RAMP_SHAPES:
        raise ValueError(f"ramp shape must be one of {RAMP_SHAPES}, not {shape!r}")
    if ramp_months == 0:
        factor = np.ones_like(t)
    elif shape == "linear":
        factor = np.minimum((t + 1) / ramp_months, 1.0)
    elif shape == "step":
        factor = (t >= ramp_months).astype(float)
    else:
        steep = 8.0 / ramp_months
        curve = 1 / (1 + np.exp(-steep * (t + 1 - ramp_months / 2)))
        full = 1 / (1 + np.exp(-steep * (ramp_months / 2)))
        factor = np.where(t + 1 >= ramp_months, 1.0, curve / full)
    return np.where(t < 0, 0.0, np.clip(factor, 0.0, 1.0))


def survival(months_on_plan: np.ndarray | int, attrition_monthly: float) -> np.ndarray:
    """Expected share of reps still there after ``months_on_plan`` months (0 before they are on the plan)."""
    if not 0 <= attrition_monthly < 1:
        raise ValueError("Monthly attrition must be at least 0 and below 1.")
    k = np.asarray(months_on_plan, dtype=float)
    return np.where(k < 0, 0.0, np.power(1 - attrition_monthly, np.maximum(k, 0.0)))


def rep_capacity(
    monthly_quota: np.ndarray,
    attainment: np.ndarray,
    start_month: np.ndarray,
    horizon: int,
    *,
    ramp_months: int,
    shape: RampShape,
    attrition_monthly: float,
) -> np.ndarray:
    """Reps x months matrix of expected bookings. ``start_month`` is the plan month each rep joins (negative for
    reps already there: ``-tenure`` at the first plan month); attrition counts from ``max(start, 0)``."""
    months = np.arange(horizon)[None, :]
    start = np.asarray(start_month, dtype=float)[:, None]
    factor = ramp(months - start, ramp_months, shape) * survival(months - np.maximum(start, 0), attrition_monthly)
    per_rep = np.asarray(monthly_quota, dtype=float)[:, None] * np.asarray(attainment, dtype=float)[:, None]
    return np.asarray(per_rep * factor, dtype=float)


def hire_curve(
    horizon: int, lead_months: int, *, ramp_months: int, shape: RampShape, attrition_monthly: float
) -> np.ndarray:
    """Months-after-decision curve of one hire: ``curve[k]`` = its share of a ramped head ``k`` months after the
    decision (0 during the recruiting lead time), for ``k`` in ``0..horizon-1``."""
    k = np.arange(horizon) - lead_months
    return np.asarray(ramp(k, ramp_months, shape) * survival(k, attrition_monthly), dtype=float)


def hire_by(needed_month: int, lead_months: int, ramp_months: int) -> int:
    """The plan month recruiting must start so a hire is fully ramped in ``needed_month`` (may be negative:
    already too late by that many months)."""
    return needed_month - lead_months - max(ramp_months - 1, 0)
