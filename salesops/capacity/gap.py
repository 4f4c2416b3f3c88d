"""Gap = demand − capacity per resource and month (positive = shortfall), and what it puts at risk.

Definitions: docs/architecture.md "Gap".

The revenue at risk of a month is the month's revenue × the largest share of demand any resource cannot serve
(a deal needs every resource: the scarcest one caps the month). The binding constraint is the resource with the
largest shortfall share in the first month any resource falls short; the plan is feasible where every resource
holds (shortfall within ``TOLERANCE`` of demand).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TOLERANCE = 1e-6
GAP_COLUMNS = (
    "resource",
    "label",
    "unit",
    "period",
    "demand",
    "capacity",
    "gap",
    "shortfall",
    "surplus",
    "utilisation",
    "cumulative_gap",
    "revenue_at_risk",
)


@dataclass(frozen=True)
class Resource:
    """One thing supply is made of: its demand and capacity per plan month, in its own unit."""

    key: str
    label: str
    unit: str  # currency | activities | hours | units | a constraint's own unit
    kind: str  # sales | service | contractor | inventory | constraint
    demand: np.ndarray
    capacity: np.ndarray


@dataclass(frozen=True)
class Binding:
    """The resource that binds first and the month it does."""

    resource: str
    label: str
    period: str
    share_short: float  # share of that month's demand it cannot serve


def shortfall_share(demand: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Share of demand that capacity cannot serve each month (0 where there is no demand)."""
    short = np.maximum(np.asarray(demand, float) - np.asarray(capacity, float), 0.0)
    return np.asarray(np.divide(short, demand, out=np.zeros_like(short), where=np.asarray(demand) > 0), dtype=float)


def at_risk_share(resources: list[Resource]) -> np.ndarray:
    """Per month, the largest shortfall share over the resources (what caps the month's deliverable revenue)."""
    if not resources:
        return np.zeros(0)
    return np.asarray(np.max(np.vstack([shortfall_share(r.demand, r.capacity) for r in resources]), axis=0))


def gap_table(periods: list[str], resources: list[Resource], revenue: np.ndarray) -> pd.DataFrame:
    """GAP_COLUMNS, one row per resource and month; ``revenue_at_risk`` is this resource's own shortfall share ×
    the month's revenue (the month's overall figure is the largest of them)."""
    if not resources:
        return pd.DataFrame(columns=list(GAP_COLUMNS))
    n = len(periods)
    demand = np.vstack([np.asarray(r.demand, float) for r in resources])
    capacity = np.vstack([np.asarray(r.capacity, float) for r in resources])
    gap = demand - capacity
    utilisation = np.divide(demand, capacity, out=np.full(gap.shape, np.nan), where=capacity > 0)
    shares = np.vstack([shortfall_share(r.demand, r.capacity) for r in resources])
    return pd.DataFrame(
        {
            "resource": np.repeat([r.key for r in resources], n),
            "label": np.repeat([r.label for r in resources], n),
            "unit": np.repeat([r.unit for r in resources], n),
            "period": np.tile(np.asarray(periods, dtype=object), len(resources)),
            "demand": demand.ravel(),
            "capacity": capacity.ravel(),
            "gap": gap.ravel(),
            "shortfall": np.maximum(gap, 0.0).ravel(),
            "surplus": np.maximum(-gap, 0.0).ravel(),
            "utilisation": utilisation.ravel(),
            "cumulative_gap": np.cumsum(gap, axis=1).ravel(),
            "revenue_at_risk": (shares * np.asarray(revenue, float)[None, :]).ravel(),
        }
    )


def binding_constraint(periods: list[str], resources: list[Resource]) -> Binding | None:
    """The first month any resource falls short and the resource short by the largest share; None when all hold."""
    if not resources:
        return None
    shares = np.vstack([shortfall_share(r.demand, r.capacity) for r in resources])
    months = np.flatnonzero(shares.max(axis=0) > TOLERANCE)
    if not len(months):
        return None
    month = int(months[0])
    which = int(np.argmax(shares[:, month]))
    return Binding(resources[which].key, resources[which].label, periods[month], float(shares[which, month]))


def feasible_months(resources: list[Resource]) -> np.ndarray:
    """True for the months where every resource holds."""
    return at_risk_share(resources) <= TOLERANCE
