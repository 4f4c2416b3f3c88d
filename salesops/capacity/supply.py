"""Step 3 in one call: demand after the what-ifs against every resource's capacity, the gap, and the hiring plan.

Pure and fast: the store is read once into a :class:`SupplyBase` (cached by the UI per data version and plan), so a
slider move re-runs only :func:`plan_supply` (vectorised capacity, two small integer programmes).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from salesops.capacity.funnel import FunnelRates, funnel_rates, reverse_funnel, with_top_performers
from salesops.capacity.gap import Binding, Resource, at_risk_share, binding_constraint, gap_table
from salesops.capacity.hiring import HiringPlan, Role, added_capacity, greedy_hires, optimise_hires
from salesops.capacity.ramp import RampShape, hire_curve, rep_capacity, survival
from salesops.capacity.resources import (
    Constraint,
    Inventory,
    ServiceSettings,
    constraint_lines,
    inventory_available,
    service_capacity,
    support_heads_default,
)
from salesops.capacity.roster import (
    DEFAULT_ATTRITION,
    DEFAULT_RAMP_MONTHS,
    Roster,
    attainment,
    load_roster,
)
from salesops.capacity.source import SupplyDemand
from salesops.capacity.whatif import WhatIfs, apply_whatifs, promotion_net
from salesops.i18n import N_

ROLE_LABELS = {"rep": N_("Sales rep"), "support": N_("Support / onboarding"), "contractor": N_("Contractor")}
# Units and resource labels are worded where they are shown (t(label)); marked here for the catalogs.
UNITS = (N_("currency"), N_("activities"), N_("hours"), N_("units"))
DEFAULT_LEAD_MONTHS = 2
DEFAULT_REP_COST = 12_000.0  # fully loaded monthly cost of a rep (salary, commission, tools)


@dataclass(frozen=True)
class PlannedHire:
    """A hire the user plans: ``count`` heads of ``role`` whose recruiting starts in plan month ``month``."""

    role: str
    month: int
    count: int = 1
    pinned: bool = True


@dataclass(frozen=True)
class SupplySettings:
    """Every editable supply assumption (percentages as fractions)."""

    scenario: str = "base"
    ramp_months: int = DEFAULT_RAMP_MONTHS
    ramp_shape: RampShape = "linear"
    attrition_monthly: float = DEFAULT_ATTRITION
    recruiting_lead_months: int = DEFAULT_LEAD_MONTHS
    rep_monthly_cost: float = DEFAULT_REP_COST
    new_rep_quota: float | None = None  # annual; None: the team's median quota
    top_performer_activity: bool = False  # plan activities at the top performers' activities per won deal
    service: ServiceSettings = field(default_factory=ServiceSettings)
    inventory: Inventory | None = None
    constraints: tuple[Constraint, ...] = ()
    whatifs: WhatIfs = field(default_factory=WhatIfs)
    planned: tuple[PlannedHire, ...] = ()
    headcount_cap: int | None = None
    budget_cap: float | None = None
    revenue_value: float | None = None  # None: close every gap it can; a margin: hire only where it pays
    assumed: tuple[str, ...] = ()  # inputs left at a stated default the data does not give (e.g. support_heads)


@dataclass(frozen=True)
class SupplyBase:
    """What the store says, read once: the team, the step-1 rates and the demand to deliver."""

    roster: Roster
    rates: FunnelRates
    demand: SupplyDemand


@dataclass(frozen=True)
class SupplyResult:
    """Gap with the planned hires, the optimiser's plan and the gap after it, with the figures step 4 reads."""

    periods: list[str]
    settings: SupplySettings
    whatif: pd.DataFrame  # salesops.capacity.whatif.WHATIF_COLUMNS
    funnel: pd.DataFrame  # salesops.capacity.funnel.FUNNEL_COLUMNS
    resources: list[Resource]  # capacity = current team + planned hires
    gap: pd.DataFrame
    binding: Binding | None
    plan: HiringPlan  # the optimiser's hires (pinned ones included)
    after: list[Resource]  # capacity = current team + the optimiser's hires
    gap_after: pd.DataFrame
    binding_after: Binding | None
    greedy_cost: float  # the month-by-month rule's hires: their cost and the revenue they leave uncovered
    greedy_uncovered: float
    promotion_net: float  # what the promotion adds after its discount and pull-forward
    revenue_at_risk: float  # with the planned hires
    revenue_protected: float  # by the optimiser's plan, against the current team alone
    revenue_uncovered: float  # after the optimiser's plan
    attainment_median: float
    defaults_used: tuple[str, ...]
    roles: tuple[Role, ...] = ()


def load_base(conn: Connection, workspace_id: int, demand: SupplyDemand, roster: Roster | None = None) -> SupplyBase:
    """Read the roster and the step-1 rates for ``demand``; raises ValueError without deal data."""
    roster = roster or load_roster(conn, workspace_id)
    if roster is None:
        raise ValueError("The workspace has no deals: import a deals export on page 1 first.")
    return SupplyBase(roster, funnel_rates(conn, workspace_id, roster.start), demand)


def default_settings(base: SupplyBase) -> SupplySettings:
    """The starting assumptions: learned from the data where it shows them, stated defaults otherwise."""
    return SupplySettings(
        ramp_months=base.roster.learned_ramp_months or DEFAULT_RAMP_MONTHS,
        attrition_monthly=round(base.roster.learned_attrition, 4)
        if base.roster.learned_attrition is not None
        else DEFAULT_ATTRITION,
    )


def _roles(base: SupplyBase, s: SupplySettings, horizon: int, median: float, rates: FunnelRates) -> list[Role]:
    quota = s.new_rep_quota if s.new_rep_quota is not None else float(base.roster.reps["quota"].median())
    quota = 0.0 if np.isnan(quota) else quota
    lead = s.recruiting_lead_months
    common = {"attrition_monthly": s.attrition_monthly}
    rep = {
        "sales": quota
        / 12
        * median
        * hire_curve(horizon, lead, ramp_months=s.ramp_months, shape=s.ramp_shape, **common)
    }
    if rates.activities_per_rep_month:
        heads = hire_curve(horizon, lead, ramp_months=0, shape="linear", **common)
        rep["activities"] = rates.activities_per_rep_month * heads
    sv = s.service
    support = (
        sv.hours_per_head
        * sv.utilisation
        * hire_curve(horizon, sv.support_lead_months, ramp_months=sv.support_ramp_months, shape="linear", **common)
    )
    contractor = sv.contractor_hours_per_head * hire_curve(
        horizon, sv.contractor_notice_months, ramp_months=0, shape="linear", attrition_monthly=0.0
    )
    return [
        Role("rep", ROLE_LABELS["rep"], s.rep_monthly_cost, lead, rep),
        Role("support", ROLE_LABELS["support"], sv.support_monthly_cost, sv.support_lead_months, {"service": support}),
        Role(
            "contractor",
            ROLE_LABELS["contractor"],
            sv.contractor_monthly_cost,
            sv.contractor_notice_months,
            {"service": contractor},
        ),
    ]


def _team_lines(base: SupplyBase, s: SupplySettings, horizon: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Current reps' expected bookings and heads per month, and the median attainment."""
    reps = base.roster.reps
    att, median, _ = attainment(base.roster, s.ramp_months, s.ramp_shape)
    start = -reps["tenure0"].to_numpy(dtype=float)
    quota = reps["quota"].to_numpy(dtype=float) / 12
    bookings = rep_capacity(
        quota, att, start, horizon, ramp_months=s.ramp_months, shape=s.ramp_shape, attrition_monthly=s.attrition_monthly
    )
    months = np.arange(horizon)[None, :]
    heads = np.where(months >= start[:, None], survival(months - np.maximum(start, 0)[:, None], s.attrition_monthly), 0)
    return bookings.sum(axis=0), heads.sum(axis=0), median


def _resources(base: SupplyBase, s: SupplySettings, whatif: pd.DataFrame, rates: FunnelRates) -> list[Resource]:
    """Every resource with demand after the what-ifs and the current team's capacity."""
    horizon = len(whatif)
    bookings, heads, _ = _team_lines(base, s, horizon)
    deals = whatif["deals"].to_numpy(dtype=float)
    out = [
        Resource("sales", N_("Sales capacity (bookings)"), "currency", "sales", whatif["workload"].to_numpy(), bookings)
    ]
    if rates.activities_per_won_deal and rates.activities_per_rep_month:
        demand = deals * rates.activities_per_won_deal
        out.append(
            Resource(
                "activities",
                N_("Selling activities"),
                "activities",
                "sales",
                demand,
                heads * rates.activities_per_rep_month,
            )
        )
    hours = base.demand.service_hours
    if hours is not None:
        size = rates.avg_deal_size or 1.0
        base_deals = whatif["base_revenue"].to_numpy(dtype=float) / size
        scale = np.divide(deals, base_deals, out=np.ones(horizon), where=base_deals > 0)
        heads_now = s.service.support_heads
        heads_now = support_heads_default(hours, s.service) if heads_now is None else heads_now
        capacity = service_capacity(horizon, heads_now, s.service, s.attrition_monthly)
        out.append(Resource("service", N_("Service hours"), "hours", "service", hours[:horizon] * scale, capacity))
    if s.inventory is not None:
        out.append(
            Resource("inventory", N_("Inventory"), "units", "inventory", *inventory_available(deals, s.inventory))
        )
    for c in s.constraints:
        key = f"constraint:{c.name}"
        out.append(Resource(key, c.name, c.unit, "constraint", *constraint_lines(deals, c)))
    return out


def _with(resources: list[Resource], added: dict[str, np.ndarray]) -> list[Resource]:
    return [replace(r, capacity=r.capacity + added[r.key]) if r.key in added else r for r in resources]


def _hire_matrix(planned: tuple[PlannedHire, ...], roles: list[Role], horizon: int, pinned_only: bool) -> np.ndarray:
    keys = [r.key for r in roles]
    counts = np.zeros((len(roles), horizon))
    for hire in planned:
        if hire.role in keys and 0 <= hire.month < horizon and (hire.pinned or not pinned_only):
            counts[keys.index(hire.role), hire.month] += max(hire.count, 0)
    return counts


def plan_supply(base: SupplyBase, settings: SupplySettings) -> SupplyResult:
    """Demand after the what-ifs vs capacity, the gap with the planned hires, and the optimiser's hiring plan."""
    demand = base.demand
    revenue = demand.revenue[settings.scenario]
    rates = with_top_performers(base.rates) if settings.top_performer_activity else base.rates
    size = rates.avg_deal_size or 0.0
    whatif = apply_whatifs(demand.periods, revenue, size, settings.whatifs)
    horizon = len(whatif)
    median = _team_lines(base, settings, 1)[2]
    roles = _roles(base, settings, horizon, median, rates)
    current = _resources(base, settings, whatif, rates)
    planned = _with(current, added_capacity(roles, _hire_matrix(settings.planned, roles, horizon, False), horizon))
    pinned = _hire_matrix(settings.planned, roles, horizon, True)
    booked = whatif["revenue"].to_numpy(dtype=float)
    plan = optimise_hires(
        current,
        roles,
        booked,
        pinned,
        headcount_cap=settings.headcount_cap,
        budget_cap=settings.budget_cap,
        revenue_value=settings.revenue_value,
    )
    after = _with(current, plan.added)
    risk_now = float((booked * at_risk_share(current)).sum())
    risk_after = float((booked * at_risk_share(after)).sum())
    greedy = greedy_hires(current, roles, headcount_cap=settings.headcount_cap)
    return SupplyResult(
        periods=demand.periods,
        settings=settings,
        whatif=whatif,
        funnel=reverse_funnel(demand.periods, whatif["workload"].to_numpy(), rates),
        resources=planned,
        gap=gap_table(demand.periods, planned, booked),
        binding=binding_constraint(demand.periods, planned),
        plan=plan,
        after=after,
        gap_after=gap_table(demand.periods, after, booked),
        binding_after=binding_constraint(demand.periods, after),
        greedy_cost=greedy.cost,
        greedy_uncovered=float((booked * at_risk_share(_with(current, greedy.added))).sum()),
        promotion_net=promotion_net(demand.periods, revenue, size, settings.whatifs),
        revenue_at_risk=float((booked * at_risk_share(planned)).sum()),
        revenue_protected=risk_now - risk_after,
        revenue_uncovered=risk_after,
        attainment_median=median,
        defaults_used=defaults_used(base, settings),
        roles=tuple(roles),
    )


def defaults_used(base: SupplyBase, settings: SupplySettings) -> tuple[str, ...]:
    """Inputs that come from defaults rather than the data (the page lists them next to the figures)."""
    used = [*base.roster.defaults_used, *settings.assumed]
    if base.demand.service_hours is not None and settings.service.support_heads is None:
        used.append("support_heads")
    if base.demand.plan_version is None:
        used.append("demand")
    if not attainment(base.roster, settings.ramp_months, settings.ramp_shape)[2]:
        used.append("attainment")
    if base.rates.activities_per_won_deal is None:
        used.append("activities")
    return tuple(dict.fromkeys(used))


def by_scenario(base: SupplyBase, settings: SupplySettings) -> dict[str, SupplyResult]:
    """The same assumptions under step 2's worst, base and best demand."""
    return {name: plan_supply(base, replace(settings, scenario=name)) for name in base.demand.revenue}


def month_label(periods: list[str], index: int) -> str:
    """``YYYY-MM`` of plan month ``index`` (before or after the horizon too)."""
    return str(pd.Period(periods[0], freq="M") + index)


def hire_records(result: SupplyResult) -> list[dict[str, Any]]:
    """The plan's hires as the contract's records: role, count, hire_by, starts, productive_from, costs, pinned."""
    s, periods = result.settings, result.periods
    ramps = {"rep": s.ramp_months, "support": s.service.support_ramp_months, "contractor": 0}
    leads = {role.key: role.lead_months for role in result.roles}
    records: list[dict[str, Any]] = []
    for row in result.plan.hires.to_dict("records"):
        role, month, total, heads = str(row["role"]), int(row["month"]), int(row["count"]), int(row["pinned"])
        unit_cost = float(row["total_cost"]) / total if total else 0.0
        for pinned, count in ((True, min(heads, total)), (False, total - min(heads, total))):
            if count <= 0:
                continue
            joins = month + leads.get(role, 0)
            records.append(
                {
                    "role": role,
                    "label": row["label"],
                    "count": count,
                    "hire_by": month_label(periods, month),
                    "starts": month_label(periods, joins),
                    "productive_from": month_label(periods, joins + max(ramps.get(role, 0) - 1, 0)),
                    "monthly_cost": float(row["monthly_cost"]),
                    "total_cost": unit_cost * count,
                    "pinned": pinned,
                }
            )
    return records
