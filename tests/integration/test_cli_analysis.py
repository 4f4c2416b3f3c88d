"""The CLI's analysis commands on real files: data quality, lead/deal scoring, and the input KPIs in `kpis --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from salesops.cli import main
from salesops.store import get_engine
from salesops.store.schema import leads
from tests.conftest import SAMPLE, require

ACTIVITY_KEYS = {"email", "call", "meeting", "demo", "proposal", "task"}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point DATABASE_URL at a fresh SQLite file, as a user would."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip().startswith(("[", "{")) else out), err


@pytest.fixture
def small(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, pd.DataFrame]:
    """Workspace "Small": the first rows of the sample export, with a won deal lacking its amount and an open,
    past-due deal."""
    frames = {
        "reps": pd.read_csv(SAMPLE / "reps.csv", dtype=str),
        "deals": pd.read_csv(SAMPLE / "deals.csv", dtype=str).head(300),
        "leads": pd.read_csv(SAMPLE / "leads.csv", dtype=str).head(1200),
        "activities": pd.read_csv(SAMPLE / "activities.csv", dtype=str).head(2000),
    }
    deals = frames["deals"]
    deals.loc[deals.index[deals["Stage"] == "Closed Won"][0], "Amount"] = None
    deals.loc[1, ["Stage", "Close Date", "Probability (%)", "Forecast Category"]] = [
        "Proposal",
        "2025-06-30",
        "50",
        "Pipeline",
    ]
    paths = []
    for name, frame in frames.items():
        path = tmp_path / f"{name}.csv"
        frame.to_csv(path, index=False)
        paths.append(str(path))
    code, results, _ = _run(capsys, "ingest", *paths, "--workspace", "Small", "--json")
    assert code == 0
    assert all(r["rows_rejected"] == 0 for r in results)  # type: ignore[union-attr]
    return frames


def _finding(report: dict, message: str) -> dict | None:
    return next((f for f in report["findings"] if f["message"] == message), None)


def test_quality_reports_the_planted_problems(small: dict[str, pd.DataFrame], capsys: pytest.CaptureFixture) -> None:
    code, report, _ = _run(capsys, "quality", "--workspace", "Small", "--today", "2025-07-01", "--json")
    assert code == 0
    assert isinstance(report, dict)
    assert 0 <= report["score"] < 100
    assert all(set(f) == {"severity", "entity", "column", "message", "fix", "count"} for f in report["findings"])
    deals = small["deals"]
    unpriced = _finding(report, "Won deals without an amount.")
    assert unpriced is not None
    assert (unpriced["severity"], unpriced["entity"], unpriced["column"]) == ("high", "deals", "amount")
    assert unpriced["count"] == int(((deals["Stage"] == "Closed Won") & deals["Amount"].isna()).sum()) == 1
    assert unpriced["fix"] == "Enter the amount of every won deal; revenue is understated."
    still_open = ~deals["Stage"].str.startswith("Closed")
    past_due = int((still_open & (pd.to_datetime(deals["Close Date"]) < "2025-07-01")).sum())
    assert past_due >= 1
    stale = _finding(report, "Open deals whose close date has passed (stale pipeline).")
    assert stale is not None
    assert stale["count"] == past_due

    code, earlier, _ = _run(capsys, "quality", "--workspace", "Small", "--today", "2020-01-01", "--json")
    assert code == 0
    assert _finding(earlier, "Open deals whose close date has passed (stale pipeline).") is None  # type: ignore[arg-type]

    code, text, _ = _run(capsys, "quality", "--workspace", "Small", "--today", "2025-07-01")
    assert code == 0
    assert str(text).startswith(f"score: {report['score']}/100")


def test_score_stores_a_score_for_every_lead(small: dict[str, pd.DataFrame], db: str, capsys) -> None:
    code, payload, _ = _run(capsys, "score", "--workspace", "Small", "--json")
    assert code == 0
    assert isinstance(payload, dict)
    assert payload["method"] in ("logistic", "rules")
    assert payload["auc"] is not None
    assert 0.5 < payload["auc"] <= 1
    assert {"Web Visits", "Email Opens"} <= set(payload["features"])
    scored = {row["id"]: row["score"] for row in payload["leads"]}
    assert set(scored) == set(small["leads"]["Lead ID"])
    assert all(0 <= s <= 100 for s in scored.values())
    engine = get_engine(db)
    with engine.connect() as conn:
        stored = dict(conn.execute(select(leads.c.id, leads.c.score)).all())
    engine.dispose()
    assert stored == pytest.approx(scored)

    code, deals_payload, _ = _run(capsys, "score", "--workspace", "Small", "--entity", "deals", "--json")
    assert code == 0
    assert len(deals_payload["deals"]) == len(small["deals"])  # type: ignore[index]


def test_score_without_leads_is_a_clear_error(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _run(capsys, "ingest", str(SAMPLE / "reps.csv"), "--workspace", "RepsOnly")
    assert code == 0
    code, _, err = _run(capsys, "score", "--workspace", "RepsOnly", "--json")
    assert code == 2
    assert err.strip() == "error: workspace 'RepsOnly' has no leads to score"
    code, _, err = _run(capsys, "quality", "--workspace", "Nope", "--json")
    assert code == 2
    assert "no workspace named 'Nope'" in err


def test_kpis_json_carries_opportunities_and_all_six_activity_types(
    small: dict[str, pd.DataFrame], capsys: pytest.CaptureFixture[str]
) -> None:
    deals, activities = small["deals"], small["activities"]
    created = pd.to_datetime(deals["Created Date"])
    day = pd.to_datetime(activities["Date"]).dt.normalize()
    kinds = activities["Type"].str.lower()
    # no dates chosen: created deals and activities count over all time
    for window in ((), ("--start", "2023-09-01", "--end", "2023-10-31")):
        code, kpis, _ = _run(capsys, "kpis", "--workspace", "Small", *window, "--json")
        assert code == 0
        assert isinstance(kpis, dict)
        inside = (
            created.between(pd.Timestamp(window[1]), pd.Timestamp(window[3]))
            if window
            else pd.Series(True, index=deals.index)
        )
        assert kpis["opportunities_created"] == int(inside.sum())
        assert set(kpis["activities_by_type"]) == ACTIVITY_KEYS
        logged = day.between(pd.Timestamp(window[1]), pd.Timestamp(window[3])) if window else day.notna()
        counts = kinds[logged].value_counts()
        assert kpis["activities_by_type"] == {kind: int(counts.get(kind, 0)) for kind in ACTIVITY_KEYS}
    assert 0 < kpis["opportunities_created"] < len(deals)
    assert 0 < sum(kpis["activities_by_type"].values()) < len(activities)


def test_x_education_score_reports_a_holdout_auc_above_0_8(
    db: str, datasets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = datasets / "x-education-lead-scoring" / "Leads.csv"
    require(path.is_file(), "X Education Leads.csv is not present")
    assert _run(capsys, "ingest", str(path), "--workspace", "XEd", "--json")[0] == 0
    code, payload, _ = _run(capsys, "score", "--workspace", "XEd", "--json")
    assert code == 0
    assert isinstance(payload, dict)
    assert payload["method"] == "logistic"
    assert payload["auc"] > 0.8
    assert "Tags" not in payload["features"]
    prospects = pd.read_csv(path, usecols=["Prospect ID"])["Prospect ID"]
    assert len(payload["leads"]) == len(prospects) == 9240
    assert {row["id"] for row in payload["leads"]} == set(prospects)
