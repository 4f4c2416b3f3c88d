"""Pipeline forecast rules on hand-made frames: win probability sources, close-month slippage, monthly totals."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal

from salesops.demand.pipeline import (
    SOURCE_CALIBRATED,
    SOURCE_CRM,
    SOURCE_OVERALL,
    SOURCE_SEGMENT,
    WinHistory,
    monthly_frame,
    slip_distribution,
    spread_by_month,
    stage_table,
    win_probabilities,
)

# Won deals by cycle length in months: 10 deals, median cycle 2 months.
CYCLES = pd.Series({0: 1.0, 1: 2.0, 2: 5.0, 3: 1.0, 5: 1.0})
START = pd.Period("2025-03", freq="M")


def open_deals(rows: list[tuple]) -> pd.DataFrame:
    columns = ["stage", "segment", "category", "probability", "close_month", "created_month", "n", "amount"]
    return pd.DataFrame(rows, columns=columns).astype({"probability": float, "n": float, "amount": float})


def test_win_probability_takes_calibration_then_crm_then_segment_then_overall() -> None:
    history = WinHistory(overall=0.3, by_segment={"SMB": 0.25}, by_bucket={5: 0.35}, won_cycles=CYCLES)
    deals = open_deals(
        [
            ("Proposal", "SMB", "Pipeline", 55, "2025-04", "2025-01", 1, 100),  # bucket 50-60 is calibrated
            ("Negotiation", "SMB", None, 75, "2025-04", "2025-01", 1, 100),  # no calibration for 70-80
            ("Qualification", "SMB", "Best Case", None, "2025-04", "2025-01", 1, 100),
            ("Qualification", "Enterprise", "Commit", None, "2025-04", "2025-01", 1, 100),
        ]
    )
    priced = win_probabilities(deals, history)
    assert priced["p"].tolist() == pytest.approx([0.35, 0.75, 0.25, 0.30])
    assert priced["source"].tolist() == [SOURCE_CALIBRATED, SOURCE_CRM, SOURCE_SEGMENT, SOURCE_OVERALL]
    # Commit: category Commit/Closed or p >= 70 %; best case adds Best Case deals and p >= 40 %.
    assert priced["commit"].tolist() == [False, True, False, True]
    assert priced["best_case"].tolist() == [False, True, True, True]


def test_probabilities_all_zero_mean_the_crm_does_not_use_them() -> None:
    history = WinHistory(overall=0.3, by_segment={"SMB": 0.25}, by_bucket={}, won_cycles=CYCLES)
    deals = open_deals([("A", "SMB", None, 0, "2025-04", None, 1, 10), ("B", None, None, None, None, None, 1, 10)])
    priced = win_probabilities(deals, history)
    assert priced["p"].tolist() == pytest.approx([0.25, 0.30])
    assert priced["source"].tolist() == [SOURCE_SEGMENT, SOURCE_OVERALL]


def test_stale_deal_closes_like_won_deals_still_open_at_its_age() -> None:
    # Age 1: won cycles >= 1 are {1: 2, 2: 5, 3: 1, 5: 1} (9 deals) -> 0, 1, 2, 4 months later.
    expected = pd.Series({0: 2 / 9, 1: 5 / 9, 2: 1 / 9, 4: 1 / 9})
    assert_series_equal(slip_distribution(CYCLES, 1), expected, check_index_type=False)
    # Age 3: only 2 won deals ran that long (< 5), so the overrun past the median (2) is used: {2: 5, 3: 1, 5: 1}.
    overrun = pd.Series({0: 5 / 7, 1: 1 / 7, 3: 1 / 7})
    assert_series_equal(slip_distribution(CYCLES, 3), overrun, check_index_type=False)
    assert_series_equal(slip_distribution(CYCLES, None), overrun, check_index_type=False)
    assert slip_distribution(pd.Series(dtype=float), 2).to_dict() == {0: 1.0}


def test_deals_spread_into_months_with_weighted_and_category_totals() -> None:
    priced = pd.DataFrame(
        {
            "close_month": ["2025-04", "2025-01"],  # the second is stale: expected before March
            "created_month": ["2025-01", "2025-02"],  # age 1 month in March
            "n": [2.0, 1.0],
            "amount": [1000.0, 900.0],
            "p": [0.5, 0.2],
            "commit": [True, False],
            "best_case": [True, True],
        }
    )
    spread = spread_by_month(priced, CYCLES, START)
    assert spread["period"].tolist() == [
        pd.Timestamp(m) for m in ("2025-03-01", "2025-04-01", "2025-05-01", "2025-07-01")
    ]
    frame = monthly_frame(spread, START, 3)
    expected = pd.DataFrame(
        {
            "period": pd.DatetimeIndex(["2025-03-01", "2025-04-01", "2025-05-01"]),
            "commit": [0.0, 1000.0, 0.0],
            "best_case": [200.0, 1500.0, 100.0],
            "pipeline_weighted": [40.0, 600.0, 20.0],
            "pipeline_unweighted": [200.0, 1500.0, 100.0],
            "deals": [2 / 9, 2 + 5 / 9, 1 / 9],
            "expected_wins": [0.2 * 2 / 9, 1 + 0.2 * 5 / 9, 0.2 / 9],
        }
    )
    assert_frame_equal(frame, expected, check_index_type=False, check_freq=False)


def test_stage_table_weights_probability_by_amount_lowest_first() -> None:
    priced = pd.DataFrame(
        {
            "stage": ["Proposal", "Proposal", "Prospecting"],
            "n": [1.0, 3.0, 2.0],
            "amount": [100.0, 300.0, 50.0],
            "p": [0.6, 0.4, 0.1],
            "source": [SOURCE_CRM, SOURCE_SEGMENT, SOURCE_CRM],
        }
    )
    table = stage_table(priced)
    assert table["stage"].tolist() == ["Prospecting", "Proposal"]
    assert table["open_deals"].tolist() == [2, 4]
    assert table["win_probability"].tolist() == pytest.approx([0.1, (60 + 120) / 400])
    assert table["weighted_amount"].tolist() == pytest.approx([5.0, 180.0])
    assert table["source"].tolist() == [SOURCE_CRM, SOURCE_SEGMENT]  # the source of most deals in the stage
