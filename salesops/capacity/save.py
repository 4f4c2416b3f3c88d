"""Save supply into the draft plan (CONTRACT_PLAN.md): a new draft version with the chosen draft's assumptions
and lines, plus ``assumptions["supply"]`` and lines of kind capacity, supply_demand and hire.

Capacity and the hires saved are the optimiser's plan (pinned hires included), so step 4 reads one consistent plan:
gap = supply_demand − capacity for every resource and month.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from salesops.capacity.supply import SupplyBase, SupplyResult, hire_records
from salesops.plan.drafts import LINE_COLUMNS, Plan, save_draft


def supply_assumptions(base: SupplyBase, result: SupplyResult) -> dict[str, Any]:
    """The ``supply`` record of the contract."""
    s = result.settings
    binding = result.binding_after
    hires = hire_records(result)
    return {
        "demand_source": {"plan_version": base.demand.plan_version, "scenario": s.scenario, "note": base.demand.note},
        "ramp_months": s.ramp_months,
        "ramp_shape": s.ramp_shape,
        "attrition_monthly": s.attrition_monthly,
        "recruiting_lead_months": s.recruiting_lead_months,
        "attainment_median": result.attainment_median,
        "defaults_used": list(result.defaults_used),
        "resources": [{"key": r.key, "label": r.label, "unit": r.unit, "kind": r.kind} for r in result.after],
        "hires": [{k: v for k, v in h.items() if k != "label"} for h in hires],
        "hiring_cost": result.plan.cost,
        "revenue_protected": result.revenue_protected,
        "revenue_uncovered": result.revenue_uncovered,
        "binding_constraint": None if binding is None else {"resource": binding.resource, "month": binding.period},
        "pricing": asdict(s.whatifs),
        "service": asdict(s.service),
        "inventory": None if s.inventory is None else asdict(s.inventory),
        "constraints": [asdict(c) for c in s.constraints],
        "caps": {"headcount": s.headcount_cap, "budget": s.budget_cap},
    }


def supply_lines(result: SupplyResult) -> pd.DataFrame:
    """Capacity (after the hiring plan) and demand per resource and month, and hires per role and hire-by month."""
    parts = []
    for r in result.after:
        for kind, values in (("capacity", r.capacity), ("supply_demand", r.demand)):
            parts.append(pd.DataFrame({"kind": kind, "metric": r.key, "period": result.periods, "value": values}))
    hires = pd.DataFrame(hire_records(result), columns=["role", "hire_by", "count"])
    if len(hires):
        per_month = hires.groupby(["role", "hire_by"])["count"].sum()
        parts.append(
            pd.DataFrame(
                {
                    "kind": "hire",
                    "metric": per_month.index.get_level_values("role"),
                    "period": per_month.index.get_level_values("hire_by"),
                    "value": per_month.to_numpy(dtype=float),
                }
            )
        )
    lines = pd.concat(parts, ignore_index=True).assign(segment="", lower=None, upper=None)
    return lines.astype({"value": float})[list(LINE_COLUMNS)]


def baseline_lines(base: SupplyBase) -> pd.DataFrame:
    """Demand lines for a plan started on page 3 without a step-2 draft: the baseline revenue and service hours."""
    d = base.demand
    lines = pd.DataFrame(
        {"kind": "demand", "metric": "revenue", "segment": "", "period": d.periods, "value": d.revenue["base"]}
    ).assign(lower=d.revenue["worst"], upper=d.revenue["best"])
    if d.service_hours is not None:
        hours = pd.DataFrame({"kind": "service_hours", "metric": "total_hours", "segment": "", "period": d.periods})
        lines = pd.concat([lines, hours.assign(value=d.service_hours, lower=None, upper=None)], ignore_index=True)
    return lines[list(LINE_COLUMNS)]


def save_supply(
    conn: Connection, workspace_id: int, name: str, source: Plan | None, *, base: SupplyBase, result: SupplyResult
) -> int:
    """Write the new draft version; returns its plan id. Without a source draft the baseline demand is saved too."""
    if source is not None:
        assumptions = dict(source.assumptions)
        kept = source.lines[~source.lines["kind"].isin(["capacity", "supply_demand", "hire"])]
    else:
        assumptions = {"metric": "revenue", "horizon": len(result.periods), "demand_note": base.demand.note}
        kept = baseline_lines(base)
    assumptions["supply"] = supply_assumptions(base, result)
    lines = pd.concat([kept, supply_lines(result)], ignore_index=True)
    return save_draft(conn, workspace_id, name, assumptions, lines)
