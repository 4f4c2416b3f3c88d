"""The reverse funnel of DESIGN.md on round numbers, and what happens when a rate is missing."""

from __future__ import annotations

import numpy as np

from salesops.capacity.funnel import FunnelRates, reverse_funnel, with_top_performers

RATES = FunnelRates(
    avg_deal_size=10_000.0,
    win_rate=0.25,
    lead_to_opportunity=0.5,
    activities_per_won_deal=20.0,
    activities_per_rep_month=100.0,
    top_activities_per_won_deal=30.0,
)


def test_revenue_becomes_deals_opportunities_leads_and_activities() -> None:
    frame = reverse_funnel(["2026-01", "2026-02"], np.array([100_000.0, 50_000.0]), RATES)
    # 100k / 10k = 10 deals; / 25 % = 40 opportunities; / 50 % = 80 leads; 10 x 20 = 200 activities.
    assert frame["deals"].tolist() == [10.0, 5.0]
    assert frame["opportunities"].tolist() == [40.0, 20.0]
    assert frame["leads"].tolist() == [80.0, 40.0]
    assert frame["activities"].tolist() == [200.0, 100.0]
    assert frame["period"].tolist() == ["2026-01", "2026-02"]


def test_a_missing_rate_leaves_its_column_empty_not_guessed() -> None:
    rates = FunnelRates(10_000.0, 0.25, None, None, None, None)
    frame = reverse_funnel(["2026-01"], np.array([100_000.0]), rates)
    assert frame["opportunities"].iloc[0] == 40.0
    assert np.isnan(frame["leads"].iloc[0])
    assert np.isnan(frame["activities"].iloc[0])


def test_without_a_deal_size_nothing_downstream_is_computed() -> None:
    frame = reverse_funnel(["2026-01"], np.array([100_000.0]), FunnelRates(None, 0.25, 0.5, 20.0, 100.0, None))
    assert frame[["deals", "opportunities", "leads", "activities"]].isna().all(axis=None)


def test_top_performers_pace_replaces_activities_per_won_deal() -> None:
    frame = reverse_funnel(["2026-01"], np.array([100_000.0]), with_top_performers(RATES))
    assert frame["activities"].iloc[0] == 300.0
