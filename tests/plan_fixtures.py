"""A plan as steps 2 and 3 save it (CONTRACT: demand lines, then supply assumptions and capacity/hire lines)."""

from __future__ import annotations

from typing import Any

import pandas as pd

PERIODS = [f"2026-{m:02d}" for m in range(1, 7)]
DEMAND = [1_000_000.0 + 10_000.0 * i for i in range(6)]  # total 6,150,000
PLAN_TOTAL = sum(DEMAND)


def supply_part() -> dict[str, Any]:
    """assumptions["supply"] as step 3 writes it."""
    return {
        "demand_source": {"plan_version": 1, "scenario": "base", "note": ""},
        "ramp_months": 3,
        "ramp_shape": "linear",
        "attrition_monthly": 0.01,
        "recruiting_lead_months": 2,
        "attainment_median": 0.8,
        "defaults_used": ["ramp_months"],
        "resources": [{"key": "ae", "label": "Account executive", "unit": "currency", "kind": "sales"}],
        "hires": [
            {
                "role": "Account executive",
                "count": 2,
                "hire_by": "2026-02",
                "productive_from": "2026-05",
                "monthly_cost": 9000.0,
                "total_cost": 90000.0,
                "pinned": False,
            }
        ],
        "hiring_cost": 90000.0,
        "revenue_protected": 300000.0,
        "revenue_uncovered": 20000.0,
        "binding_constraint": {"resource": "ae", "month": "2026-03"},
        "pricing": {},
    }


def demand_lines() -> pd.DataFrame:
    """Step 2's total demand lines with their interval."""
    return pd.DataFrame(
        {
            "kind": "demand",
            "metric": "revenue",
            "segment": "",
            "period": PERIODS,
            "value": DEMAND,
            "lower": [v * 0.8 for v in DEMAND],
            "upper": [v * 1.2 for v in DEMAND],
        }
    )


def supply_lines() -> pd.DataFrame:
    """Step 3's capacity, demand on the resource and hire lines."""
    blank = {"segment": "", "lower": None, "upper": None}
    return pd.concat(
        [
            pd.DataFrame({"kind": "capacity", "metric": "ae", "period": PERIODS, "value": 950_000.0, **blank}),
            pd.DataFrame({"kind": "supply_demand", "metric": "ae", "period": PERIODS, "value": DEMAND, **blank}),
            pd.DataFrame({"kind": "hire", "metric": "Account executive", "period": ["2026-02"], "value": 2.0, **blank}),
        ],
        ignore_index=True,
    )


def demand_assumptions() -> dict[str, Any]:
    """What step 2 records (the keys page 4 reads)."""
    return {
        "metric": "revenue",
        "horizon": 6,
        "level": 90,
        "history_end": "2025-12",
        "growth_pct": 0.0,
        "win_rate_change_pct": 0.0,
        "deal_size_change_pct": 0.0,
        "lead_volume_change_pct": 0.0,
        "scenario": "base",
        "seasonality": True,
    }


def contract_plan(name: str = "Q1-Q2 plan", *, with_supply: bool = True) -> tuple[str, dict[str, Any], pd.DataFrame]:
    """(name, assumptions, lines) for save_draft: step 2's draft, plus step 3's save when ``with_supply``."""
    assumptions = demand_assumptions()
    lines = demand_lines()
    if with_supply:
        assumptions["supply"] = supply_part()
        lines = pd.concat([lines, supply_lines()], ignore_index=True)
    return name, assumptions, lines
