"""Elasticity, promotion and launch maths of the step-3 what-ifs."""

from __future__ import annotations

import numpy as np
import pytest

from salesops.capacity.whatif import (
    Launch,
    PriceChange,
    Promotion,
    WhatIfs,
    apply_whatifs,
    price_volume,
    promotion_net,
)

PERIODS = [f"2026-{m:02d}" for m in range(1, 9)]
FLAT = np.full(8, 100.0)  # 100 a month at a deal size of 10: 10 deals a month


def test_price_change_moves_volume_by_constant_elasticity() -> None:
    assert price_volume(0.10, -1.5) == pytest.approx(1.1**-1.5)
    frame = apply_whatifs(PERIODS, FLAT, 10.0, WhatIfs(price=PriceChange(0.10, -1.5)))
    np.testing.assert_allclose(frame["deals"], 10 * 1.1**-1.5)
    np.testing.assert_allclose(frame["revenue"], 100 * 1.1**-0.5)  # deals x price: (1 + p)^(1 + e)
    np.testing.assert_allclose(frame["workload"], 100 * 1.1**-1.5)  # at today's prices


def test_unit_elasticity_keeps_revenue_flat_and_zero_change_changes_nothing() -> None:
    frame = apply_whatifs(PERIODS, FLAT, 10.0, WhatIfs(price=PriceChange(-0.2, -1.0)))
    np.testing.assert_allclose(frame["revenue"], 100.0)
    unchanged = apply_whatifs(PERIODS, FLAT, 10.0, WhatIfs())
    np.testing.assert_allclose(unchanged["revenue"], FLAT)
    np.testing.assert_allclose(unchanged["deals"], 10.0)


def test_price_cut_of_100_percent_is_refused() -> None:
    with pytest.raises(ValueError, match="-100"):
        price_volume(-1.0, -1.0)


def test_promotion_lifts_its_months_pulls_from_the_next_and_nets_after_the_discount() -> None:
    promo = Promotion(discount=0.2, start=2, months=2, lift=0.5, pull_forward=0.2)
    frame = apply_whatifs(PERIODS, FLAT, 10.0, WhatIfs(promotion=promo))
    # In months 2-3: 10 x 1.5 = 15 deals at 10 x 0.8 = 120 a month, 30 given away.
    # Months 4-5 lose 20 % of the 2 x 5 extra deals, spread over 2 months: 10 - 1 = 9 deals, 90 a month.
    np.testing.assert_allclose(frame["deals"], [10, 10, 15, 15, 9, 9, 10, 10])
    np.testing.assert_allclose(frame["revenue"], [100, 100, 120, 120, 90, 90, 100, 100])
    np.testing.assert_allclose(frame["discount_cost"], [0, 0, 30, 30, 0, 0, 0, 0])
    assert promotion_net(PERIODS, FLAT, 10.0, WhatIfs(promotion=promo)) == pytest.approx(20.0)


def test_a_deep_discount_with_little_lift_loses_money() -> None:
    promo = Promotion(discount=0.5, start=0, months=2, lift=0.1, pull_forward=0.5)
    assert promotion_net(PERIODS, FLAT, 10.0, WhatIfs(promotion=promo)) < 0


def test_launch_ramps_to_its_peak_and_cannibalises_existing_revenue() -> None:
    launch = Launch(peak_revenue=30.0, start=1, ramp_months=3, cannibalisation=0.5)
    frame = apply_whatifs(PERIODS, FLAT, 10.0, WhatIfs(launch=launch))
    np.testing.assert_allclose(frame["launch_revenue"], [0, 10, 20, 30, 30, 30, 30, 30])
    # Existing products lose half the launch's revenue: 100 - 0.5 L + L = 100 + 0.5 L.
    np.testing.assert_allclose(frame["revenue"], [100, 105, 110, 115, 115, 115, 115, 115])
    np.testing.assert_allclose(frame["deals"], frame["revenue"] / 10)
