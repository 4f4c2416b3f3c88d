"""The hiring plan: the cheapest set of hires (reps, support, contractors) that closes each gap where it can.

An integer programme over ``x[r, h]`` = hires of role ``r`` decided (recruiting starts) in plan month ``h``. One
such hire adds ``curve[r, k][m − h]`` of resource ``k`` in month ``m ≥ h`` (zero during the recruiting lead time,
then the role's ramp and attrition) and costs ``monthly cost × months on payroll inside the horizon``. Solved
lexicographically with ``scipy.optimize.milp`` (HiGHS):

1. protect as much revenue as possible: minimise the revenue at risk, Σ_m revenue_m × z_m with z_m ≥ shortfall ÷
   demand of every resource in month m (a deal needs every resource, so the scarcest one caps the month), plus a
   small weight on each resource's own shortfall share so every gap a hire can close is closed; gaps no hire can
   close (before anyone could join, a vendor limit, a headcount/budget cap) stay as shortfall;
2. at that coverage (no resource short in any month by more than step 1 left), minimise the cost of the hires.

Both run to HiGHS's relative MIP gaps ``COVER_GAP`` and ``COST_GAP`` (proving the last 0.01 % of a plan with hundreds
of hires takes seconds, not milliseconds); a run cut short by ``TIME_LIMIT`` says so in the plan's notes.

With a value per dollar of protected revenue (e.g. the gross margin), one programme instead minimises cost minus
the value it protects, so a hire is made only where it pays for itself (and not where another, harder-binding
resource would waste it).

Pinned hires are lower bounds on ``x``; caps are Σ x ≤ headcount cap and Σ cost × x ≤ budget (raised to what the
pinned hires already take, and the notes say so). :func:`greedy_hires` is the month-by-month rule a planner would
use by hand; the page shows how much the optimiser saves against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from scipy.linalg import toeplitz
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from salesops.capacity.gap import TOLERANCE, Resource
from salesops.i18n import N_

TIME_LIMIT = 10.0  # seconds per programme; a page-sized one solves in well under a second
COVER_GAP = 1e-4  # relative MIP gaps (HiGHS): revenue at risk within 0.01 % of the least possible,
COST_GAP = 1e-3  # and the plan's cost within 0.1 % of the cheapest at that coverage
Note = tuple[str, dict[str, Any]]  # a message (marked for translation) and the values of its placeholders
NO_PLAN: Note = (N_("The optimiser found no plan: pinned hires only."), {})
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
    the capacity they add per resource and month, their cost, and notes (message, values) for the reader to word."""

    hires: pd.DataFrame
    added: dict[str, np.ndarray]
    cost: float
    notes: tuple[Note, ...] = ()


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


def _plan(roles: list[Role], counts: np.ndarray, pinned: np.ndarray, horizon: int, notes: list[Note]) -> HiringPlan:
    rows = []
    for r, role in enumerate(roles):
        for h in np.flatnonzero(counts[r] > 0):
            n = int(np.rint(counts[r, h]))
            unit = role.hire_cost(int(h), horizon)
            rows.append((role.key, role.label, int(h), n, int(pinned[r, h]), role.monthly_cost, unit * n))
    hires = pd.DataFrame(rows, columns=list(HIRE_COLUMNS))
    cost = float(hires["total_cost"].sum()) if len(hires) else 0.0
    return HiringPlan(hires, added_capacity(roles, counts, horizon), cost, tuple(notes))


@dataclass(frozen=True)
class _Programme:
    """The integer programme's pieces: x (roles x months), then one shortfall s per (resource, month) with a need,
    then z per month = the largest shortfall share of that month (what caps its deliverable revenue)."""

    a: np.ndarray  # rows: needs; columns: x
    need: np.ndarray
    share: np.ndarray  # 1 / demand of each need row
    month: np.ndarray  # plan month of each need row


def _programme(resources: list[Resource], roles: list[Role], horizon: int) -> _Programme | None:
    blocks, needs, shares, months = [], [], [], []
    for res in resources:
        demand = np.asarray(res.demand, float)
        need = demand - np.asarray(res.capacity, float)
        rows = np.flatnonzero(need > TOLERANCE * np.maximum(demand, 1.0))
        if not len(rows):
            continue
        matrix = np.hstack([_toeplitz(role.curves.get(res.key, np.zeros(horizon)), horizon) for role in roles])
        blocks.append(matrix[rows])
        needs.append(need[rows])
        shares.append(1.0 / np.maximum(demand[rows], 1e-9))
        months.append(rows)
    if not blocks:
        return None
    return _Programme(np.vstack(blocks), np.concatenate(needs), np.concatenate(shares), np.concatenate(months))


def optimise_hires(
    resources: list[Resource],
    roles: list[Role],
    revenue: np.ndarray,
    pinned: np.ndarray | None = None,
    *,
    headcount_cap: int | None = None,
    budget_cap: float | None = None,
    revenue_value: float | None = None,
) -> HiringPlan:
    """The cheapest hires that protect every bit of ``revenue`` they can (module docstring); ``pinned`` is roles x
    months. With ``revenue_value`` (e.g. a gross margin of 0.6), one programme instead minimises cost minus the
    value of the revenue protected, so a hire is made only where it pays for itself."""
    horizon = len(revenue)
    pinned = np.zeros((len(roles), horizon)) if pinned is None else np.asarray(pinned, dtype=float)
    costs = np.array([[role.hire_cost(h, horizon) for h in range(horizon)] for role in roles]).reshape(-1)
    notes, headcount_cap, budget_cap = _caps(pinned, costs, headcount_cap, budget_cap)
    prog = _programme(resources, roles, horizon) if roles else None
    if prog is None:
        return _plan(roles, pinned, pinned, horizon, notes)
    n_x, n_s = prog.a.shape[1], len(prog.need)
    n = n_x + n_s + horizon
    cover = LinearConstraint(np.hstack([prog.a, np.eye(n_s), np.zeros((n_s, horizon))]), prog.need, np.inf)
    largest = np.hstack([np.zeros((n_s, n_x)), np.diag(prog.share), -np.eye(horizon)[prog.month]])
    constraints = [
        cover,
        LinearConstraint(largest, -np.inf, 0.0),
        *_cap_constraints(costs, n, headcount_cap, budget_cap),
    ]
    upper = _upper_bounds(prog.a, prog.need, pinned.reshape(-1), headcount_cap)
    bounds = Bounds(
        np.concatenate([pinned.reshape(-1), np.zeros(n - n_x)]),
        np.concatenate([upper, np.full(n_s, np.inf), np.ones(horizon)]),
    )
    integrality = np.concatenate([np.ones(n_x), np.zeros(n - n_x)])
    scale = max(float(np.abs(revenue).max()), 1.0)
    # Revenue at risk, plus a small weight on every resource's own shortfall so no gap is left open for free.
    risk = np.concatenate([np.zeros(n_x), prog.share * 1e-3, np.asarray(revenue, float) / scale])
    cost = np.concatenate([costs, np.zeros(n - n_x)]) / scale
    solve = partial(_solve, integrality=integrality, bounds=bounds)
    if revenue_value is not None:
        result = solve(cost + revenue_value * risk, constraints, gap=COST_GAP)
    else:
        first = solve(risk, constraints, gap=COVER_GAP)
        if first.x is None:
            return _plan(roles, pinned, pinned, horizon, [*notes, NO_PLAN])
        # Keep every shortfall at most what the first programme left, so coverage cannot get worse.
        shortfall = first.x[n_x : n_x + n_s] * (1 + 1e-9) + 1e-6
        kept = Bounds(bounds.lb, np.concatenate([bounds.ub[:n_x], shortfall, bounds.ub[n_x + n_s :]]))
        result = _solve(cost, constraints, integrality=integrality, bounds=kept, gap=COST_GAP)
        result = result if result.x is not None else first
    if result.x is None:
        return _plan(roles, pinned, pinned, horizon, [*notes, NO_PLAN])
    if result.status == 1:
        notes.append((N_("The optimiser stopped at its {s} s limit: a cheaper plan may exist."), {"s": TIME_LIMIT}))
    return _plan(roles, np.round(result.x[:n_x]).reshape(len(roles), horizon), pinned, horizon, notes)


def _solve(
    c: np.ndarray, constraints: list[LinearConstraint], *, integrality: np.ndarray, bounds: Bounds, gap: float
) -> OptimizeResult:
    """One HiGHS run with a time limit and the relative MIP gap ``gap``."""
    return milp(
        c,
        integrality=integrality,
        bounds=bounds,
        constraints=constraints,
        options={"time_limit": TIME_LIMIT, "mip_rel_gap": gap},
    )


def _caps(
    pinned: np.ndarray, costs: np.ndarray, headcount_cap: int | None, budget_cap: float | None
) -> tuple[list[Note], int | None, float | None]:
    """Caps raised to what the pinned hires already need, with the sentence that says so."""
    notes: list[Note] = []
    if headcount_cap is not None and pinned.sum() > headcount_cap:
        message = N_("The pinned hires ({n}) exceed the headcount cap ({cap}); cap raised.")
        notes.append((message, {"n": int(pinned.sum()), "cap": headcount_cap}))
        headcount_cap = int(pinned.sum())
    pinned_cost = float(costs @ pinned.reshape(-1))
    if budget_cap is not None and pinned_cost > budget_cap:
        message = N_("The pinned hires cost {cost}, above the budget cap {cap}; cap raised.")
        notes.append((message, {"cost": f"{pinned_cost:,.0f}", "cap": f"{budget_cap:,.0f}"}))
        budget_cap = pinned_cost
    return notes, headcount_cap, budget_cap


def _cap_constraints(
    costs: np.ndarray, n: int, headcount_cap: int | None, budget_cap: float | None
) -> list[LinearConstraint]:
    """Σ hires ≤ headcount cap and Σ cost ≤ budget over the ``n`` variables (hires first)."""
    caps: list[LinearConstraint] = []
    rest = np.zeros(n - len(costs))
    if headcount_cap is not None:
        caps.append(LinearConstraint(np.concatenate([np.ones(len(costs)), rest])[None, :], 0, headcount_cap))
    if budget_cap is not None:
        caps.append(LinearConstraint(np.concatenate([costs, rest])[None, :], 0, budget_cap))
    return caps


def _upper_bounds(a_x: np.ndarray, need: np.ndarray, pinned: np.ndarray, headcount_cap: int | None) -> np.ndarray:
    """Enough hires of each (role, month) to close, alone, every need it adds to; pinned where it adds nothing."""
    ratio = np.divide(need[:, None], a_x, out=np.zeros_like(a_x), where=a_x > 1e-12)
    enough = np.ceil(ratio.max(axis=0)) if len(need) else np.zeros(a_x.shape[1])
    if headcount_cap is not None:
        enough = np.minimum(enough, headcount_cap)
    return np.asarray(np.maximum(enough, pinned), dtype=float)


def greedy_hires(resources: list[Resource], roles: list[Role], *, headcount_cap: int | None = None) -> HiringPlan:
    """Month by month, while a resource is short, hire the role that is cheapest per share of the month's shortfall
    it covers, decided as late as its lead time allows (the rule of thumb the optimiser is measured against)."""
    horizon = len(resources[0].demand) if resources else 0
    counts = np.zeros((len(roles), horizon))
    short = {r.key: np.asarray(r.demand, float) - np.asarray(r.capacity, float) for r in resources}
    demand = {r.key: np.maximum(np.asarray(r.demand, float), 1e-9) for r in resources}
    tolerance = {k: TOLERANCE * np.maximum(v, 1.0) for k, v in demand.items()}
    for m in range(horizon):
        while headcount_cap is None or counts.sum() < headcount_cap:
            now = {k: float(v[m]) for k, v in short.items()}
            if all(now[k] <= tolerance[k][m] for k in now):
                break
            choice = _cheapest(roles, m, horizon, now, {k: float(v[m]) for k, v in demand.items()})
            if choice is None:
                break
            r, h = choice
            counts[r, h] += 1
            for key, curve in roles[r].curves.items():
                if key in short:
                    short[key][h:] -= np.asarray(curve, float)[: horizon - h]
    return _plan(roles, counts, np.zeros_like(counts), horizon, [])


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
