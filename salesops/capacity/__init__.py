"""Step 3 supply planning: ramped capacity, the reverse funnel, service and inventory, constraints, the gap, the
hiring plan and pricing what-ifs (pure functions; the store is read once per data version)."""

from salesops.capacity.supply import (
    PlannedHire,
    SupplyBase,
    SupplyResult,
    SupplySettings,
    by_scenario,
    default_settings,
    hire_records,
    load_base,
    plan_supply,
)

__all__ = [
    "PlannedHire",
    "SupplyBase",
    "SupplyResult",
    "SupplySettings",
    "by_scenario",
    "default_settings",
    "hire_records",
    "load_base",
    "plan_supply",
]
