"""Service hours by tier with churn, hand-computed."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from salesops.demand.service import ServiceHours, service_demand


def test_hours_by_tier_with_churn() -> None:
    periods = pd.DatetimeIndex(["2025-01-01", "2025-02-01"])
    won = pd.DataFrame({"period": periods, "deals": [10.0, 20.0]})
    frame = service_demand(
        won,
        tier_share={"entry": 0.8, "enterprise": 0.2},
        hours={"entry": ServiceHours(5, 1), "enterprise": ServiceHours(40, 10)},
        existing_customers={"entry": 100, "enterprise": 10},
        churn_monthly=0.1,
    )
    # entry: Jan 100 x 0.9 + 8 = 98 active, Feb 98 x 0.9 + 16 = 104.2; enterprise: 9 + 2 = 11, 9.9 + 4 = 13.9.
    expected = pd.DataFrame(
        {
            "period": [periods[0], periods[1], periods[0], periods[1]],
            "tier": ["entry", "entry", "enterprise", "enterprise"],
            "new_customers": [8.0, 16.0, 2.0, 4.0],
            "active_customers": [98.0, 104.2, 11.0, 13.9],
            "onboarding_hours": [40.0, 80.0, 80.0, 160.0],
            "support_hours": [98.0, 104.2, 110.0, 139.0],
            "total_hours": [138.0, 184.2, 190.0, 299.0],
        }
    )
    assert_frame_equal(frame, expected, check_dtype=False)


def test_missing_tier_settings_mean_no_hours_and_no_customers() -> None:
    won = pd.DataFrame({"period": pd.DatetimeIndex(["2025-01-01"]), "deals": [4.0]})
    frame = service_demand(won, {"entry": 1.0}, hours={}, existing_customers={}, churn_monthly=0.0)
    assert frame[["new_customers", "active_customers", "total_hours"]].iloc[0].tolist() == [4.0, 4.0, 0.0]


def test_churn_outside_zero_to_one_is_refused() -> None:
    won = pd.DataFrame({"period": pd.DatetimeIndex(["2025-01-01"]), "deals": [1.0]})
    with pytest.raises(ValueError, match="churn"):
        service_demand(won, {"entry": 1.0}, {}, {}, churn_monthly=1.5)
