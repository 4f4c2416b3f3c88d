"""``python -m salesops capacity``: demand, capacity and gap per resource and month, the proposed hires with
hire-by dates and cost, and the binding constraint, on the latest draft plan (or ``--plan VERSION``)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy import Engine

from salesops.capacity.funnel import funnel_rates
from salesops.capacity.roster import load_roster
from salesops.capacity.source import SupplyDemand, baseline, from_plan
from salesops.capacity.supply import SupplyBase, SupplyResult, default_settings, hire_records, plan_supply
from salesops.cli import CliError
from salesops.plan import latest_plan, plan_version
from salesops.store import workspaces as ws


def _demand(engine: Engine, workspace_id: int, args: argparse.Namespace, avg_deal_size: float | None) -> SupplyDemand:
    with engine.connect() as conn:
        plan = plan_version(conn, workspace_id, args.plan) if args.plan else latest_plan(conn, workspace_id)
        if args.plan and plan is None:
            raise CliError(f"no plan version {args.plan} in this workspace")
        demand = from_plan(plan, avg_deal_size, args.horizon) if plan is not None else None
        if demand is None:
            demand = baseline(conn, workspace_id, args.horizon or 12, avg_deal_size)
    if demand is None:
        raise CliError("no won deals to plan supply for: import a deals export first")
    return demand


def payload(result: SupplyResult, demand: SupplyDemand) -> dict[str, Any]:
    """The JSON the command prints (gap = demand − capacity, after the proposed hires)."""
    binding = result.binding_after
    months = [
        {
            "period": period,
            "resources": {
                r.key: {
                    "demand": float(r.demand[i]),
                    "capacity": float(r.capacity[i]),
                    "gap": float(r.demand[i] - r.capacity[i]),
                }
                for r in result.after
            },
        }
        for i, period in enumerate(result.periods)
    ]
    return {
        "demand_source": {"plan_version": demand.plan_version, "scenario": result.settings.scenario},
        "note": demand.note,
        "defaults_used": list(result.defaults_used),
        "months": months,
        "hires": hire_records(result),
        "hiring_cost": result.plan.cost,
        "revenue_protected": result.revenue_protected,
        "revenue_uncovered": result.revenue_uncovered,
        "binding_constraint": None if binding is None else {"resource": binding.resource, "month": binding.period},
    }


def cmd_capacity(engine: Engine, args: argparse.Namespace) -> int:
    """Plan supply with the default assumptions and print the result."""
    with engine.connect() as conn:
        workspace_id = ws.find(conn, args.workspace)
        if workspace_id is None:
            raise CliError(f"no workspace named {args.workspace!r} (see `python -m salesops workspaces`)")
        roster = load_roster(conn, workspace_id)
        if roster is None:
            raise CliError(f"workspace {args.workspace!r} has no deals")
        rates = funnel_rates(conn, workspace_id, roster.start)
    demand = _demand(engine, workspace_id, args, rates.avg_deal_size)
    base = SupplyBase(roster, rates, demand)
    result = plan_supply(base, default_settings(base))
    data = payload(result, demand)
    if args.json:
        print(json.dumps(data, indent=2, default=str, ensure_ascii=False))
    else:
        print(data["note"])
        for hire in data["hires"]:
            print(f"hire {hire['count']} {hire['role']} by {hire['hire_by']} (productive {hire['productive_from']})")
        print(f"binding constraint: {data['binding_constraint']}")
    return 0


def register(sub: Any) -> None:
    """Add the ``capacity`` sub-command to the CLI's sub-parsers."""
    p = sub.add_parser("capacity", help="supply vs demand per month, the hires that close the gap, what binds")
    p.add_argument("--workspace", required=True)
    p.add_argument("--plan", type=int, help="plan version to read demand from (default: the latest)")
    p.add_argument("--horizon", type=int, help="months to plan (default: the plan's, or 12 without a plan)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_capacity)
