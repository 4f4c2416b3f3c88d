"""Service demand: onboarding and support hours per month by customer tier, from the forecast of won deals.

Tiers are user-defined: a won deal is "enterprise" when its amount is at least the threshold or its product is in
the enterprise product list, otherwise "entry". Each won deal is one new customer. Per tier and month t:

    new_t       = won deals forecast_t x tier share
    active_t    = active_(t-1) x (1 - monthly churn) + new_t       (active_0 = existing customers)
    onboarding  = new_t x onboarding hours per new customer        (all in the month the deal is won)
    support     = active_t x support hours per active customer per month
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, case, func, literal, or_, select

from salesops.store.schema import deals

ENTRY = "entry"
ENTERPRISE = "enterprise"
TIERS = (ENTRY, ENTERPRISE)
DEFAULT_TIER_THRESHOLD = 50_000.0  # won-deal amount from which a customer is enterprise
DEFAULT_CHURN_MONTHLY = 0.01
FRAME_COLUMNS = (
    "period",
    "tier",
    "new_customers",
    "active_customers",
    "onboarding_hours",
    "support_hours",
    "total_hours",
)


@dataclass(frozen=True)
class ServiceHours:
    """Hours a customer of one tier takes: once when onboarded, and every month while active."""

    onboarding: float
    support_per_month: float


# Step 2's starting hours per customer, also what step 3 uses when no plan with service hours has been saved.
DEFAULT_SERVICE_HOURS: dict[str, ServiceHours] = {
    ENTRY: ServiceHours(onboarding=4.0, support_per_month=1.0),
    ENTERPRISE: ServiceHours(onboarding=40.0, support_per_month=8.0),
}


def service_demand(
    won_deals_forecast: pd.DataFrame,
    tier_share: dict[str, float],
    hours: dict[str, ServiceHours],
    existing_customers: dict[str, int],
    churn_monthly: float,
) -> pd.DataFrame:
    """FRAME_COLUMNS, one row per (month, tier) of ``tier_share``, by the module's formula.

    ``won_deals_forecast`` has ``period`` and ``deals`` (forecast won deals per month); a tier missing from
    ``hours`` takes no hours, one missing from ``existing_customers`` starts with none.
    """
    if not 0 <= churn_monthly <= 1:
        raise ValueError("Monthly churn must be between 0 and 1.")
    deals_per_month = won_deals_forecast["deals"].to_numpy(dtype=float).clip(min=0)
    rows = []
    for tier, share in tier_share.items():
        tier_hours = hours.get(tier, ServiceHours(0.0, 0.0))
        active = float(existing_customers.get(tier, 0))
        for period, won in zip(won_deals_forecast["period"], deals_per_month, strict=True):
            new = won * share
            active = active * (1 - churn_monthly) + new
            onboarding = new * tier_hours.onboarding
            support = active * tier_hours.support_per_month
            rows.append((period, tier, new, active, onboarding, support, onboarding + support))
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))


def _is_enterprise(threshold_amount: float | None, enterprise_products: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """SQL CASE: 1 for an enterprise-tier deal by amount or product, else 0."""
    conditions = []
    if threshold_amount is not None:
        conditions.append(deals.c.amount >= threshold_amount)
    if enterprise_products:
        conditions.append(deals.c.product.in_(enterprise_products))
    return case((or_(*conditions), 1), else_=0) if conditions else literal(0)


def tier_shares(
    conn: Connection,
    workspace_id: int,
    threshold_amount: float | None = None,
    enterprise_products: tuple[str, ...] = (),
) -> dict[str, float]:
    """Share of won deals in each tier ({"entry": .., "enterprise": ..}, summing to 1; all entry without wins)."""
    enterprise = _is_enterprise(threshold_amount, enterprise_products)
    total, in_enterprise = conn.execute(
        select(func.count(), func.sum(enterprise)).where(deals.c.workspace_id == workspace_id, deals.c.status == "won")
    ).one()
    share = int(in_enterprise or 0) / int(total) if total else 0.0
    return {ENTRY: 1.0 - share, ENTERPRISE: share}


def tier_customers(
    conn: Connection,
    workspace_id: int,
    threshold_amount: float | None = None,
    enterprise_products: tuple[str, ...] = (),
) -> dict[str, int]:
    """Customers per tier: accounts with a won deal, enterprise when any of their won deals is (an upper bound on
    today's customers: the store has no churn history)."""
    per_account = (
        select(deals.c.account, func.max(_is_enterprise(threshold_amount, enterprise_products)).label("ent"))
        .where(deals.c.workspace_id == workspace_id, deals.c.status == "won", deals.c.account.is_not(None))
        .group_by(deals.c.account)
        .subquery("customers")
    )
    total, in_enterprise = conn.execute(select(func.count(), func.sum(per_account.c.ent))).one()
    return {ENTRY: int(total or 0) - int(in_enterprise or 0), ENTERPRISE: int(in_enterprise or 0)}
