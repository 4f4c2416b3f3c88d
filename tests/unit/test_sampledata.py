"""The bundled sample data holds the structure the demo claims, and the benchmark generator writes what it's asked."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from salesops.sampledata import BROKEN_DEAL_ROWS, FORECAST_CATEGORY, STAGE_PROBABILITY, generate

ROOT = Path(__file__).resolve().parents[2]
EXPORT_DATE = pd.Timestamp("2026-10-31")
CLOSED = ("Closed Won", "Closed Lost")


def _load(relative: str) -> ModuleType:
    """Import a script from the checkout by path (benchmarks/ and scripts/ are not packages)."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    return generate()


@pytest.fixture(scope="module")
def deals(sample: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The good deal rows with parsed dates (the broken rows at the end excluded)."""
    frame = sample["deals"].iloc[:-BROKEN_DEAL_ROWS].copy()
    frame["created"] = pd.to_datetime(frame["Created Date"], format="%Y-%m-%d")
    frame["close"] = pd.to_datetime(frame["Close Date"], format="%Y-%m-%d")
    return frame


@pytest.fixture(scope="module")
def won(deals: pd.DataFrame) -> pd.DataFrame:
    return deals[deals["Stage"] == "Closed Won"]


@pytest.fixture(scope="module")
def ranked_reps(sample: dict[str, pd.DataFrame], won: pd.DataFrame) -> pd.DataFrame:
    """Ramped, active reps with last-year bookings and attainment, weakest first."""
    reps = sample["reps"].set_index("Name")
    ramped = reps[reps["Active"] & (pd.to_datetime(reps["Hire Date"]) <= EXPORT_DATE - pd.DateOffset(months=18))]
    revenue = won[won["close"] > EXPORT_DATE - pd.DateOffset(years=1)].groupby("Owner")["Amount"].sum()
    out = pd.DataFrame({"revenue": revenue.reindex(ramped.index).fillna(0).astype(float)})
    out["attainment"] = out["revenue"] / ramped["Annual Quota"]
    return out


def _quartile_ratio(values: pd.Series) -> float:
    ordered = values.sort_values()
    k = len(ordered) // 4
    return float(ordered.iloc[-k:].mean() / ordered.iloc[:k].mean())


def test_same_seed_gives_equal_frames_and_another_seed_differs(sample: dict[str, pd.DataFrame]) -> None:
    again = generate(7)
    assert list(again) == ["deals", "activities", "leads", "accounts", "reps"]
    for name, frame in sample.items():
        pd.testing.assert_frame_equal(frame, again[name])
    assert not generate(8)["deals"]["Amount"].equals(sample["deals"]["Amount"])


def test_committed_csvs_are_what_the_generator_writes(tmp_path: Path) -> None:
    written = _load("scripts/make_sample_data.py").write_sample(tmp_path)
    for entity, path in written.items():
        assert path.read_bytes() == (ROOT / "data" / "sample" / f"{entity}.csv").read_bytes(), entity


def test_sizes_are_in_the_documented_ranges(sample: dict[str, pd.DataFrame]) -> None:
    assert 6_000 <= len(sample["deals"]) <= 9_000
    assert 60_000 <= len(sample["activities"]) <= 90_000
    assert len(sample["leads"]) == 10_000
    assert 1_450 <= len(sample["accounts"]) <= 1_550
    reps = sample["reps"]
    assert len(reps) == 24
    assert set(reps["Team"]) == {"SMB East", "SMB West", "Mid-Market", "Enterprise"}
    assert (~reps["Active"]).sum() == 2
    ramping = pd.to_datetime(reps["Hire Date"]) > EXPORT_DATE - pd.DateOffset(months=6)
    assert ramping.sum() == 3
    assert sum(path.stat().st_size for path in (ROOT / "data" / "sample").glob("*.csv")) < 15e6


def test_history_covers_36_months_of_bookings(won: pd.DataFrame, deals: pd.DataFrame) -> None:
    months = won["close"].dt.to_period("M")
    assert months.min() == pd.Period("2023-11")
    assert months.max() == pd.Period("2026-10")
    assert months.nunique() == 36
    closed = deals[deals["Stage"].isin(CLOSED)]
    assert closed["close"].max() <= EXPORT_DATE


def test_q4_beats_q3_and_summer_dips(won: pd.DataFrame) -> None:
    by_quarter = won.groupby(won["close"].dt.to_period("Q"))["Amount"].sum()
    for year in (2024, 2025):
        assert by_quarter[pd.Period(f"{year}Q4")] > by_quarter[pd.Period(f"{year}Q3")]
    by_month = won.groupby(won["close"].dt.to_period("M"))["Amount"].sum().astype(float)
    seasonal = (by_month / by_month.rolling(12, center=True, min_periods=6).mean()).groupby(by_month.index.month).mean()
    assert seasonal[[7, 8]].mean() < 0.8
    assert seasonal[[10, 11, 12]].mean() > 1.0


def test_won_deals_bunch_at_quarter_end(won: pd.DataFrame) -> None:
    last_week = (won["close"] + pd.offsets.MonthEnd(0) - won["close"]).dt.days < 7
    quarter_end_month = won["close"].dt.month.isin([3, 6, 9, 12])
    # Per month, the last week of a quarter-end month closes clearly more than the last week of other months.
    assert (last_week & quarter_end_month).sum() / 12 > 1.3 * (last_week & ~quarter_end_month).sum() / 24


def test_bookings_grow_15_to_25_percent_a_year_give_or_take(won: pd.DataFrame) -> None:
    by_month = won.groupby(won["close"].dt.to_period("M"))["Amount"].sum().astype(float)
    years = [by_month.iloc[i * 12 : (i + 1) * 12].sum() for i in range(3)]
    growth = [years[1] / years[0], years[2] / years[1]]
    assert all(1.1 <= g <= 1.35 for g in growth), growth
    assert 1.15 <= float(np.sqrt(years[2] / years[0])) <= 1.25


def test_segments_differ_in_size_cycle_and_win_rate(deals: pd.DataFrame, won: pd.DataFrame) -> None:
    size = won.groupby("Segment")["Amount"].mean()
    cycle = (won["close"] - won["created"]).dt.days.groupby(won["Segment"]).median()
    assert 4_000 <= size["SMB"] <= 6_000
    assert 20_000 <= size["Mid-Market"] <= 30_000
    assert 100_000 <= size["Enterprise"] <= 140_000
    assert 15 <= cycle["SMB"] <= 25
    assert 38 <= cycle["Mid-Market"] <= 52
    assert 75 <= cycle["Enterprise"] <= 105
    closed = deals[deals["Stage"].isin(CLOSED)]
    win = (closed["Stage"] == "Closed Won").groupby(closed["Segment"]).mean()
    assert win["SMB"] > win["Mid-Market"]
    assert win["SMB"] > win["Enterprise"]
    by_source = (closed["Stage"] == "Closed Won").groupby(closed["Lead Source"]).mean()
    assert by_source["Referral"] > by_source["Web"] > by_source["Outbound"]


def test_top_quartile_reps_book_at_least_twice_the_bottom(ranked_reps: pd.DataFrame) -> None:
    assert len(ranked_reps) >= 16
    assert _quartile_ratio(ranked_reps["revenue"]) >= 2
    # Not only a segment effect: against their own team's quota, top reps still reach 2-4x the bottom.
    assert 2 <= _quartile_ratio(ranked_reps["attainment"]) <= 4


def test_top_reps_run_more_demos_and_meetings_per_deal(
    sample: dict[str, pd.DataFrame], deals: pd.DataFrame, ranked_reps: pd.DataFrame
) -> None:
    acts = sample["activities"]
    on_deals = acts[acts["Deal ID"].notna() & (acts["Deal ID"] != "")]
    touches = on_deals[on_deals["Type"].isin(["Demo", "Meeting"])].groupby("Owner").size()
    per_deal = touches / deals.groupby("Owner").size()
    ordered = ranked_reps["attainment"].sort_values()
    k = len(ordered) // 4
    assert per_deal.reindex(ordered.index[-k:]).mean() > 1.5 * per_deal.reindex(ordered.index[:k]).mean()


def test_open_pipeline_runs_to_april_2027_with_a_few_stale_deals(deals: pd.DataFrame) -> None:
    open_deals = deals[~deals["Stage"].isin(CLOSED)]
    future = open_deals[open_deals["close"] > EXPORT_DATE]
    assert len(future) >= 200
    months = set(future["close"].dt.to_period("M").astype(str))
    assert months == {"2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04"}
    stale = open_deals[open_deals["close"] <= EXPORT_DATE]
    assert 10 <= len(stale) <= 50


def test_probability_and_forecast_category_follow_the_stage(deals: pd.DataFrame) -> None:
    assert (deals["Probability (%)"] == deals["Stage"].map(STAGE_PROBABILITY)).all()
    assert (deals["Forecast Category"] == deals["Stage"].map(FORECAST_CATEGORY)).all()


def test_activities_fall_within_their_deals_life(sample: dict[str, pd.DataFrame], deals: pd.DataFrame) -> None:
    acts = sample["activities"]
    assert set(acts["Type"]) == {"Email", "Call", "Meeting", "Demo", "Proposal", "Task"}
    on_deals = acts.merge(deals[["Deal ID", "created", "close"]], on="Deal ID", how="inner")
    day = pd.to_datetime(on_deals["Date"], format="%Y-%m-%d %H:%M").dt.normalize()
    assert len(on_deals) > 0.75 * len(acts)
    assert (day >= on_deals["created"]).all()
    assert (day <= on_deals["close"].clip(upper=EXPORT_DATE)).all()
    minutes = acts.groupby("Type")["Duration (min)"].median()
    assert minutes["Email"] < minutes["Call"] < minutes["Meeting"] <= minutes["Demo"]


def test_exactly_three_broken_deal_rows_at_the_end(sample: dict[str, pd.DataFrame]) -> None:
    frame = sample["deals"]
    created = pd.to_datetime(frame["Created Date"], format="%Y-%m-%d", errors="coerce")
    close = pd.to_datetime(frame["Close Date"], format="%Y-%m-%d", errors="coerce")
    broken = created.isna() | close.isna() | (close < created) | (frame["Amount"] < 0).fillna(False)
    assert broken.sum() == BROKEN_DEAL_ROWS == 3
    assert broken.iloc[-3:].all()
    assert frame["Deal ID"].is_unique
    assert frame["Deal ID"].notna().all()


def test_quality_issues_a_report_should_find(sample: dict[str, pd.DataFrame], deals: pd.DataFrame) -> None:
    missing_amount = deals[deals["Amount"].isna()]
    assert len(missing_amount) == 6
    assert not missing_amount["Stage"].isin(CLOSED).any()
    assert (sample["leads"]["Email"].fillna("") == "").sum() == 12
    names = sample["accounts"]["Account Name"]
    key = names.str.lower().str.replace(r"[,.]", "", regex=True).str.removesuffix(" inc")
    assert names.is_unique
    assert key.duplicated().sum() == 3


def test_lead_conversion_is_predictable_but_not_trivially(sample: dict[str, pd.DataFrame]) -> None:
    leads = sample["leads"]
    x = pd.get_dummies(leads[["Lead Source", "Industry"]], drop_first=True, dtype=float)
    x["log_employees"] = np.log10(leads["Employees"])
    x["web_visits"] = np.log1p(leads["Web Visits"])
    x["email_opens"] = np.log1p(leads["Email Opens"])
    x = sm.add_constant(x)
    y = leads["Converted"].astype(int).to_numpy()
    train = np.random.default_rng(0).random(len(y)) < 0.7
    model = sm.Logit(y[train], x[train]).fit(disp=0)
    score = pd.Series(np.asarray(model.predict(x[~train]))).rank().to_numpy()
    positives, total = y[~train].sum(), (~train).sum()
    auc = (score[y[~train] == 1].sum() - positives * (positives + 1) / 2) / (positives * (total - positives))
    assert 0.7 <= auc <= 0.8
    assert set(leads.loc[~leads["Converted"], "Status"]) >= {"New", "Working", "Nurturing"}


def test_datagen_writes_the_requested_rows(tmp_path: Path) -> None:
    datagen = _load("benchmarks/datagen.py")
    deals = pd.read_csv(datagen.write_deals_csv(tmp_path / "deals.csv", 1_000))
    assert len(deals) == 1_000
    assert len(deals.columns) == 13
    assert deals["Deal ID"].is_unique
    assert (pd.to_datetime(deals["Close Date"]) >= pd.to_datetime(deals["Created Date"])).all()
    acts = pd.read_csv(datagen.write_activities_csv(tmp_path / "acts.csv", 2_500, n_reps=7))
    assert len(acts) == 2_500
    assert acts["Owner"].nunique() == 7
    assert list(acts.columns) == list(datagen.BENCH_ACTIVITY_COLUMNS)
