"""``forecast`` on the embedded sample: 12 monthly periods after the last complete month, intervals, evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from salesops.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample's deals ingested once into a SQLite file, as a user would with DATABASE_URL."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", url)
        assert main(["ingest", str(SAMPLE / "deals.csv"), "--workspace", "Sample", "--json"]) == 0
    return url


def _forecast(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, *argv: str) -> dict:
    capsys.readouterr()
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["forecast", "--workspace", "Sample", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def _expected_periods() -> list[str]:
    """The 12 months after the sample's last complete month (its data end on or after the 25th)."""
    deals = pd.read_csv(SAMPLE / "deals.csv")
    closed = deals["Stage"].str.startswith("Closed")
    days = pd.concat(
        [
            pd.to_datetime(deals["Created Date"], errors="coerce"),
            pd.to_datetime(deals.loc[closed, "Close Date"], errors="coerce"),
        ]
    )
    last = days.max()
    month = last.to_period("M") if last.day >= 25 else last.to_period("M") - 1
    return [str(month + k) for k in range(1, 13)]


def test_forecast_has_twelve_months_with_intervals_and_evidence(
    sample_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _forecast(capsys, monkeypatch, sample_db)
    assert [row["period"] for row in out["forecast"]] == _expected_periods()
    assert all(row["lower"] <= row["mean"] <= row["upper"] for row in out["forecast"])
    assert all(row["mean"] > 0 for row in out["forecast"])
    assert out["model"]
    assert out["model"] in out["backtest"]
    assert out["baseline"]["mase"] > 0
    assert "Seasonal naive" in out["backtest"]
    assert out["level"] == 90
    assert isinstance(out["warnings"], list)


def test_forecast_by_segment_adds_up_to_the_total(
    sample_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _forecast(capsys, monkeypatch, sample_db, "--by", "segment", "--metric", "deals", "--horizon", "6")
    assert set(out["segments"]) == {"SMB", "Mid-Market", "Enterprise"}
    assert out["reconciliation"]
    for i, total in enumerate(out["forecast"]):
        parts = [rows[i] for rows in out["segments"].values()]
        assert all(row["period"] == total["period"] for row in parts)
        assert sum(row["mean"] for row in parts) == pytest.approx(total["mean"])
    assert len(out["forecast"]) == 6


def test_forecast_of_an_unknown_workspace_is_a_one_line_error(
    sample_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", sample_db)
    assert main(["forecast", "--workspace", "Nope", "--json"]) == 2
    assert capsys.readouterr().err.startswith("error: no workspace named 'Nope'")


def test_weekly_forecast_starts_after_the_last_complete_week(
    sample_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _forecast(capsys, monkeypatch, sample_db, "--freq", "week", "--horizon", "8")
    periods = pd.to_datetime([row["period"] for row in out["forecast"]])
    assert out["freq"] == "week"
    assert len(periods) == 8
    assert all(day.weekday() == 0 for day in periods)  # weeks from Monday
    assert (periods[1:] - periods[:-1]).days.tolist() == [7] * 7
    deals = pd.read_csv(SAMPLE / "deals.csv")
    closed = deals["Stage"].str.startswith("Closed")
    last = max(pd.to_datetime(deals["Created Date"], errors="coerce").max(),
               pd.to_datetime(deals.loc[closed, "Close Date"], errors="coerce").max())  # fmt: skip
    this_monday = last - pd.Timedelta(days=last.weekday())
    complete = last.weekday() == 6  # the data reach the Sunday of their last week
    assert periods[0] == (this_monday + pd.Timedelta(days=7) if complete else this_monday)
    assert all(row["lower"] <= row["mean"] <= row["upper"] for row in out["forecast"])
    assert "Seasonal naive" in out["backtest"]


def test_weekly_breakdown_is_refused_with_one_line(
    sample_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", sample_db)
    capsys.readouterr()
    assert main(["forecast", "--workspace", "Sample", "--freq", "week", "--by", "segment"]) == 2
    assert capsys.readouterr().err.strip() == "error: --by works with monthly forecasts only"


@pytest.fixture(scope="module")
def sample_with_leads(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample's deals and leads in a SQLite file: all three demand sources exist."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli_leads') / 'cli.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", url)
        paths = [str(SAMPLE / "deals.csv"), str(SAMPLE / "leads.csv")]
        assert main(["ingest", *paths, "--workspace", "Sample", "--json"]) == 0
    return url


def test_consensus_prints_the_three_forecasts_and_the_chosen_blend(
    sample_with_leads: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _forecast(capsys, monkeypatch, sample_with_leads, "--consensus", "50,25,25")
    consensus = out["consensus"]
    assert consensus["choice"] == "blend"
    assert consensus["weights"] == {"statistical": 50.0, "pipeline": 25.0, "leads": 25.0}
    months = consensus["months"]
    assert [row["period"] for row in months] == [row["period"] for row in out["forecast"]]
    for row, stat in zip(months, out["forecast"], strict=True):
        assert row["statistical"] == pytest.approx(stat["mean"])
        blended = 0.5 * row["statistical"] + 0.25 * row["pipeline"] + 0.25 * row["leads"]
        assert row["consensus"] == pytest.approx(blended)
    assert consensus["totals"]["consensus"] == pytest.approx(sum(row["consensus"] for row in months))
    assert len(consensus["explanations"]) == 2
    assert "only deals already open" in consensus["explanations"][0]
    assert "lead becomes a won deal" in consensus["explanations"][1]


def test_consensus_pick_and_refusals(
    sample_with_leads: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _forecast(capsys, monkeypatch, sample_with_leads, "--consensus", "pipeline")
    assert out["consensus"]["choice"] == "pipeline"
    assert all(row["consensus"] == row["pipeline"] for row in out["consensus"]["months"])
    for argv in (["--consensus", "1,2"], ["--consensus", "--freq", "week"], ["--consensus", "--metric", "deals"]):
        capsys.readouterr()
        assert main(["forecast", "--workspace", "Sample", *argv]) == 2
        assert capsys.readouterr().err.startswith("error: ")
