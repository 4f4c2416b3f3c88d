"""Service, contractor, inventory and user-defined resources: their monthly capacity and the demand on them.

- Support staff: heads × hours per head × utilisation, shrinking with attrition; contractors already engaged add
  their contracted hours. Demand: step 2's service hours, scaled by how the what-ifs change the deals to serve.
- Inventory (optional, for goods): units available in month m = what is left from the month before (never below
  zero: unmet demand is lost, not back-ordered) + the monthly supply once its lead time has passed, with the
  opening stock net of safety stock. Demand: won deals × units per deal.
- A named constraint (vendor, machine, tool, budget, people of a kind): a flat monthly capacity in its own unit,
  of which each won deal uses ``per_deal``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesops.capacity.ramp import survival


@dataclass(frozen=True)
class ServiceSettings:
    """Support and onboarding staff, and contractors (``support_heads`` None: enough for the first month)."""

    support_heads: float | None = None
    hours_per_head: float = 140.0
    utilisation: float = 0.75
    support_monthly_cost: float = 6_000.0
    support_lead_months: int = 1
    support_ramp_months: int = 1
    contractor_hours: float = 0.0
    contractor_hours_per_head: float = 120.0
    contractor_monthly_cost: float = 9_000.0
    contractor_notice_months: int = 0


@dataclass(frozen=True)
class Inventory:
    """Stock of a product the company ships."""

    on_hand: float
    monthly_supply: float
    lead_months: int = 0
    safety_stock: float = 0.0
    units_per_deal: float = 1.0


@dataclass(frozen=True)
class Constraint:
    """A named resource with a monthly capacity, of which one won deal uses ``per_deal``."""

    name: str
    monthly_capacity: float
    per_deal: float
    unit: str = "units"


def support_heads_default(hours: np.ndarray, service: ServiceSettings) -> float:
    """Heads that just serve the first month's hours: the starting point when the data names no support staff."""
    per_head = service.hours_per_head * service.utilisation
    return float(np.ceil(hours[0] / per_head)) if len(hours) and per_head > 0 else 0.0


def service_capacity(horizon: int, heads: float, service: ServiceSettings, attrition_monthly: float) -> np.ndarray:
    """Service hours per month the current support staff and contractors give."""
    staff = heads * service.hours_per_head * service.utilisation * survival(np.arange(horizon), attrition_monthly)
    return staff + service.contractor_hours


def inventory_available(deals: np.ndarray, inventory: Inventory) -> tuple[np.ndarray, np.ndarray]:
    """Units demanded and units available per month (the module's stock rule)."""
    demand = np.asarray(deals, dtype=float) * inventory.units_per_deal
    available = np.zeros(len(demand))
    left = inventory.on_hand - inventory.safety_stock
    for m in range(len(demand)):
        arriving = inventory.monthly_supply if m >= inventory.lead_months else 0.0
        available[m] = max(left, 0.0) + arriving
        left = available[m] - demand[m]
    return demand, available


def constraint_lines(deals: np.ndarray, constraint: Constraint) -> tuple[np.ndarray, np.ndarray]:
    """Demand on a named constraint and its flat capacity, per month."""
    demand = np.asarray(deals, dtype=float) * constraint.per_deal
    return demand, np.full(len(demand), float(constraint.monthly_capacity))
