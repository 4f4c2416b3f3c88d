"""Pricing, promotion and launch what-ifs: how they move the deals to deliver and the revenue they bring.

Per plan month m, starting from the demand's revenue R_m and deals D_m = R_m ÷ average deal size:

- Price change p with elasticity e (constant elasticity): deals × (1 + p)^e, price × (1 + p).
- Promotion: discount δ in months [s, s + n); deals in those months × (1 + lift); a share ``pull_forward`` of the
  extra deals is taken from the n months right after the promotion (buyers who would have bought then), spread
  evenly; promoted deals sell at price × (1 − δ). Its net = revenue with it − revenue without it.
- Launch from month s: new-product revenue L_m = peak × min((m − s + 1) ÷ ramp, 1); the existing products lose
  ``cannibalisation`` × L_m. Launch deals are sized like today's deals.

Sales workload is in bookings at today's prices (deals × average deal size), so a discount does not make reps
faster; revenue is what is booked after every price effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

WHATIF_COLUMNS = ("period", "base_revenue", "deals", "workload", "revenue", "discount_cost", "launch_revenue")


@dataclass(frozen=True)
class PriceChange:
    """A list-price change (fraction, 0.05 = +5 %) and the price elasticity of demand (typically negative)."""

    change: float = 0.0
    elasticity: float = -1.0


@dataclass(frozen=True)
class Promotion:
    """A discount over ``months`` plan months from ``start`` (index), with its lift and pull-forward."""

    discount: float = 0.0
    start: int = 0
    months: int = 0
    lift: float = 0.0
    pull_forward: float = 0.0


@dataclass(frozen=True)
class Launch:
    """A new product from plan month ``start``: peak monthly revenue after ``ramp_months``, cannibalisation share."""

    peak_revenue: float = 0.0
    start: int = 0
    ramp_months: int = 3
    cannibalisation: float = 0.0


@dataclass(frozen=True)
class WhatIfs:
    """The three what-ifs together (defaults change nothing)."""

    price: PriceChange = PriceChange()
    promotion: Promotion = Promotion()
    launch: Launch = Launch()


def price_volume(change: float, elasticity: float) -> float:
    """Deal-volume factor of a price change under constant elasticity: (1 + change)^elasticity."""
    if change <= -1:
        raise ValueError("A price change must stay above -100 %.")
    return float((1 + change) ** elasticity)


def promotion_volume(horizon: int, promo: Promotion) -> tuple[np.ndarray, np.ndarray]:
    """Deal-volume factors per month (lift inside, pull-forward taken after) and the in-promotion mask."""
    factor, inside = np.ones(horizon), np.zeros(horizon, dtype=bool)
    if promo.months <= 0 or (promo.lift == 0 and promo.discount == 0):
        return factor, inside
    inside[promo.start : promo.start + promo.months] = True
    factor[inside] += promo.lift
    after = np.arange(promo.start + promo.months, min(promo.start + 2 * promo.months, horizon))
    if len(after):
        factor[after] -= promo.lift * promo.pull_forward * inside.sum() / len(after)
    return np.maximum(factor, 0.0), inside


def launch_revenue(horizon: int, launch: Launch) -> np.ndarray:
    """New-product revenue per month: a linear ramp to ``peak_revenue`` over ``ramp_months`` from ``start``."""
    k = np.arange(horizon) - launch.start
    share = np.minimum((k + 1) / max(launch.ramp_months, 1), 1.0)
    return np.where(k >= 0, launch.peak_revenue * share, 0.0)


def apply_whatifs(periods: list[str], revenue: np.ndarray, avg_deal_size: float, whatifs: WhatIfs) -> pd.DataFrame:
    """WHATIF_COLUMNS per month: deals to deliver, sales workload at today's prices, revenue after every effect,
    what the promotion's discount gives away, and the launch's own revenue."""
    base = np.asarray(revenue, dtype=float)
    horizon = len(base)
    size = avg_deal_size if avg_deal_size > 0 else 1.0
    promo_factor, inside = promotion_volume(horizon, whatifs.promotion)
    new = launch_revenue(horizon, whatifs.launch)
    existing = np.maximum(base - whatifs.launch.cannibalisation * new, 0.0)
    deals = (existing / size) * price_volume(whatifs.price.change, whatifs.price.elasticity) * promo_factor
    deals = deals + new / size
    price = 1 + whatifs.price.change
    discount = np.where(inside, whatifs.promotion.discount, 0.0)
    existing_deals = deals - new / size
    list_revenue = existing_deals * size * price
    return pd.DataFrame(
        {
            "period": periods,
            "base_revenue": base,
            "deals": deals,
            "workload": deals * size,
            "revenue": list_revenue * (1 - discount) + new,
            "discount_cost": list_revenue * discount,
            "launch_revenue": new,
        }
    )


def promotion_net(periods: list[str], revenue: np.ndarray, avg_deal_size: float, whatifs: WhatIfs) -> float:
    """What the promotion adds to revenue after its discount and pull-forward (negative: it loses money)."""
    with_promo = apply_whatifs(periods, revenue, avg_deal_size, whatifs)["revenue"].sum()
    without = WhatIfs(whatifs.price, Promotion(), whatifs.launch)
    return float(with_promo - apply_whatifs(periods, revenue, avg_deal_size, without)["revenue"].sum())
