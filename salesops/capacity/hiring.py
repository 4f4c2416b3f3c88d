"""The hiring plan: the cheapest set of hires (reps, support, contractors) that closes each gap where it can.

An integer programme over ``x[r, h]`` = hires of role ``r`` decided (recruiting starts) in plan month ``h``. One
such hire adds ``curve[r, k][m − h]`` of resource ``k`` in month ``m ≥ h`` (zero during the recruiting lead time,
then the role's ramp and attrition) and costs ``monthly cost × months on payroll inside the horizon``. Solved
lexicographically with ``scipy.optimize.milp`` (HiGHS):

1. cover as much as possible: minimise Σ shortfall ÷ demand over every resource and month (uncloseable gaps,
   e.g. before any hire could join, or beyond a headcount/budget cap, stay as shortfall);
2. at that coverage, minimise the cost of the hires.

Pinned hires are lower bounds on ``x``; caps are Σ x ≤ headcount cap and Σ cost × x ≤ budget (raised to what the
pinned hires already take, and the note says so). :func:`greedy_hires` is the month-by-month rule a planner would
use by hand; the page shows how much the optimiser saves against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.linalg import toeplitz
from scipy.optimize import Bounds, LinearConstraint, milp

from salesops.capacity.gap import TOLERANCE, Resource

HIRE_COLUMNS = ("role", "label", "month", "count", "pinned", "monthly_cost", "total_cost")


@dataclass(frozen=True)
class Role:
    """A kind of hire: its cost, recruiting lead time and what one head adds to each resource after the decision
    (``curves[resource][j]`` = units added ``j`` months after recruiting starts)."""

    key: str
    label: str
    monthly_cost: float
    lead_months: int
    curves: dict[str, np.ndarray] = field(default_factory=dict)

    def hire_cost(self, month: int, horizon: int) -> float:
        """Cost of one hire decided in ``month``: payroll from joining to the end of the horizon."""
        return self.monthly_cost * max(horizon - month - self.lead_months, 0)


@dataclass(frozen=True)
class HiringPlan:
    """Hires (HIRE_COLUMNS, ``month`` = plan month recruiting starts; ``pinned`` = how many of them are pinned),
    the capacity they add per resource and month, their cost, and the caps' note."""

    hires: pd.DataFrame
    added: dict[str, np.ndarray]
    cost: float
    note: str = ""


def added_capacity(roles: list[Role], counts: np.ndarray, horizon: int) -> dict[str, np.ndarray]:
    """Units each resource gains per month from ``counts`` (roles x decision months)."""
    added: dict[str, np.ndarray] = {}
    for r, role in enumerate(roles):
        for key, curve in role.curves.items():
            shifted = _toeplitz(curve, horizon) @ counts[r]
            added[key] = added.get(key, np.zeros(horizon)) + shifted
    return added


def _toeplitz(curve: np.ndarray, horizon: int) -> np.ndarray:
    """T[m, h] = curve[m − h] for m ≥ h: the contribution in month m of one hire decided in month h."""
    column = np.asarray(curve, dtype=float)[:horizon]
    return np.tril(toeplitz(column, np.zeros(horizon)))


def _plan(roles: list[Role], counts: np.ndarray, pinned: np.ndarray, horizon: int, note: str) -> HiringPlan:
    rows = []
    for r, role in enumerate(roles):
        for h in np.flatnonzero(counts[r] > 0):
            n = int(np.rint(counts[r, h]))
            unit = role.hire_cost(int(h), horizon)
            rows.append((role.key, role.label, int(h), n, int(pinned[r, h]), role.monthly_cost, unit * n))
    hires = pd.DataFrame(rows, columns=list(HIRE_COLUMNS))
    cost = float(hires["total_cost"].sum()) if len(hires) else 0.0
    return HiringPlan(hires, added_capacity(roles, counts, horizon), cost, note)


def optimise_hires(
    resources: list[Resource],
    roles: list[Role],
    pinned: np.ndarray | None = None,
    *,
    headcount_cap: int | None = None,
    budget_cap: float | None = None,
) -> HiringPlan:
    """The cheapest hires that close every gap they can (module docstring); ``pinned`` is roles x months."""
    horizon = len(resources[0].demand) if resources else 0
    pinned = np.zeros((len(roles), horizon)) if pinned is None else np.asarray(pinned, dtype=float)
    costs = np.array([[role.hire_cost(h, horizon) for h in range(horizon)] for role in roles]).reshape(-1)
    note, headcount_cap, budget_cap = _caps(pinned, costs, headcount_cap, budget_cap)
    blocks, needs, weights = [], [], []
    for res in resources:
        need = np.asarray(res.demand, float) - np.asarray(res.capacity, float)
        months = np.flatnonzero(need > TOLERANCE * np.maximum(np.asarray(res.demand, float), 1.0))
        if not len(months):
            continue
        row = np.hstack([_toeplitz(role.curves.get(res.key, np.zeros(horizon)), horizon) for role in roles])
        blocks.append(row[months] if len(roles) else np.zeros((len(months), 0)))
        needs.append(need[months])
        weights.append(1.0 / np.maximum(np.asarray(res.demand, float)[months], 1e-9))
    if not blocks or not len(roles):
        return _plan(roles, pinned, pinned, horizon, note)
    a_x, need, weight = np.vstack(blocks), np.concatenate(needs), np.concatenate(weights)
    n_x, n_s = a_x.shape[1], len(need)
    upper = _upper_bounds(a_x, need, pinned.reshape(-1), headcount_cap)
    bounds = Bounds(np.concatenate([pinned.reshape(-1), np.zeros(n_s)]), np.concatenate([upper, np.full(n_s, np.inf)]))
    cover = LinearConstraint(np.hstack([a_x, np.eye(n_s)]), need, np.inf)
    caps = _cap_constraints(costs, n_s, headcount_cap, budget_cap)
    integrality = np.concatenate([np.ones(n_x), np.zeros(n_s)])
    options = {"time_limit": 20.0, "mip_rel_gap": 1e-9}
    first = milp(np.concatenate([np.zeros(n_x), weight]), integrality=integrality, bounds=bounds,
                 constraints=[cover, *caps], options=options)  # fmt: skip
    if first.x is None:
        return _plan(roles, pinned, pinned, horizon, note + " The optimiser found no plan; showing pinned hires only.")
    covered = LinearConstraint(np.concatenate([np.zeros(n_x), weight])[None, :], -np.inf, first.fun + 1e-7)
    second = milp(np.concatenate([costs, np.zeros(n_s)]), integrality=integrality, bounds=bounds,
                  constraints=[cover, covered, *caps], options=options)  # fmt: skip
    solution = second.x if second.x is not None else first.x
    counts = np.round(solution[:n_x]).reshape(len(roles), horizon)
    return _plan(roles, counts, pinned, horizon, note)


def _caps(
    pinned: np.ndarray, costs: np.ndarray, headcount_cap: int | None, budget_cap: float | None
) -> tuple[str, int | None, float | None]:
    """Caps raised to what the pinned hires already need, with the sentence that says so."""
    notes = []
    if headcount_cap is not None and pinned.sum() > headcount_cap:
        notes.append(f"The pinned hires ({int(pinned.sum())}) exceed the headcount cap ({headcount_cap}); cap raised.")
        headcount_cap = int(pinned.sum())
    pinned_cost = float(costs @ pinned.reshape(-1))
    if budget_cap is not None and pinned_cost > budget_cap:
        notes.append(f"The pinned hires cost {pinned_cost:,.0f}, above the budget cap {budget_cap:,.0f}; cap raised.")
        budget_cap = pinned_cost
    return " ".join(notes), headcount_cap, budget_cap


def _cap_constraints(
    costs: np.ndarray, n_s: int, headcount_cap: int | None, budget_cap: float | None
) -> list[LinearConstraint]:
    caps = []
    if headcount_cap is not None:
        caps.append(LinearConstraint(np.concatenate([np.ones(len(costs)), np.zeros(n_s)])[None, :], 0, headcount_cap))
    if budget_cap is not None:
        caps.append(LinearConstraint(np.concatenate([costs, np.zeros(n_s)])[None, :], 0, budget_cap))
    return caps


def _upper_bounds(a_x: np.ndarray, need: np.ndarray, pinned: np.ndarray, headcount_cap: int | None) -> np.ndarray:
    """Enough hires of each (role, month) to close the largest need alone; pinned where it adds nothing."""
    best = a_x.max(axis=0)
    enough = np.ceil(np.divide(need.max(), best, out=np.zeros_like(best), where=best > 0))
    if headcount_cap is not None:
        enough = np.minimum(enough, headcount_cap)
    return np.maximum(enough, pinned)


def greedy_hires(resources: list[Resource], roles: list[Role], *, headcount_cap: int | None = None) -> HiringPlan:
    """Month by month, while a resource is short, hire the role that is cheapest per share of the month's shortfall
    it covers, decided as late as its lead time allows (the rule of thumb the optimiser is measured against)."""
    horizon = len(resources[0].demand) if resources else 0
    counts = np.zeros((len(roles), horizon))
    for m in range(horizon):
        while headcount_cap is None or counts.sum() < headcount_cap:
            added = added_capacity(roles, counts, horizon)
            short = {r.key: r.demand[m] - r.capacity[m] - added.get(r.key, np.zeros(horizon))[m] for r in resources}
            demand = {r.key: max(float(r.demand[m]), 1e-9) for r in resources}
            if all(v <= TOLERANCE * max(demand[k], 1.0) for k, v in short.items()):
                break
            choice = _cheapest(roles, m, horizon, short, demand)
            if choice is None:
                break
            counts[choice[0], choice[1]] += 1
    return _plan(roles, counts, np.zeros_like(counts), horizon, "")


def _cheapest(
    roles: list[Role], month: int, horizon: int, short: dict[str, float], demand: dict[str, float]
) -> tuple[int, int] | None:
    best: tuple[float, int, int] | None = None
    for r, role in enumerate(roles):
        h = month - role.lead_months
        if h < 0:
            continue
        covered = sum(
            min(float(curve[role.lead_months]), short[k]) / demand[k]
            for k, curve in role.curves.items()
            if k in short and short[k] > 0
        )
        if covered <= 0:
            continue
        price = role.hire_cost(h, horizon) / covered
        if best is None or price < best[0]:
            best = (price, r, h)
    return None if best is None else (best[1], best[2])
