"""The as-of date (issue 7, point 5): history for KPIs and forecasts ends at its last complete month, closed deals
dated after it are left out and named by the data-quality report, and the CLI takes ``--as-of``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from salesops.asof import default_as_of, history_end
from salesops.cli import main
from salesops.filters import Filters
from salesops.kpi import summary
from salesops.store.schema import activity_daily
from salesops.store.workspaces import get_or_create
from tests.integration.test_kpi_store import add_deals

TODAY = date(2026, 11, 30)
DEALS = [
    {"id": "w1", "status": "won", "amount": 100.0, "created_date": date(2021, 1, 5), "close_date": date(2021, 3, 1)},
    {"id": "w2", "status": "won", "amount": 200.0, "created_date": date(2021, 2, 5), "close_date": date(2021, 11, 3)},
    {"id": "w3", "status": "won", "amount": 400.0, "created_date": date(2021, 6, 5), "close_date": date(2021, 12, 16)},
    # Lost deals "closed" years after the export was pulled, one of them after today.
    {"id": "l1", "status": "lost", "amount": 50.0, "created_date": date(2021, 3, 5), "close_date": date(2025, 6, 30)},
    {"id": "l2", "status": "lost", "amount": 9.0, "created_date": date(2018, 3, 5), "close_date": date(2030, 11, 28)},
    {"id": "o1", "status": "open", "amount": 70.0, "created_date": date(2021, 12, 20), "close_date": date(2022, 3, 1)},
]  # fmt: skip


@pytest.fixture
def old_export(engine: Engine) -> tuple[Engine, int]:
    with engine.begin() as conn:
        ws = get_or_create(conn, "old export")
        add_deals(conn, ws, [{"owner": "Ann", "stage": "s", **row} for row in DEALS])
    return engine, ws


def test_default_as_of_ignores_lost_close_dates_scheduled_activities_and_the_future(
    old_export: tuple[Engine, int],
) -> None:
    engine, ws = old_export
    with engine.begin() as conn:
        assert default_as_of(conn, ws, TODAY) == date(2021, 12, 20)  # the newest created date
        assert default_as_of(conn, ws, date(2021, 12, 1)) == date(2021, 11, 3)  # nothing after "today" counts
        call = {"owner": "Ann", "type": "call", "day": date(2022, 7, 11), "n": 1, "minutes": 5.0}
        conn.execute(insert(activity_daily), [{"workspace_id": ws, **call}])
        assert default_as_of(conn, ws, TODAY) == date(2021, 12, 20)  # a task due later is planned, not history
        only_activities = get_or_create(conn, "activities only")
        conn.execute(insert(activity_daily), [{"workspace_id": only_activities, **call}])
        assert default_as_of(conn, only_activities, TODAY) == date(2022, 7, 11)


def test_kpi_history_ends_at_the_as_of_dates_last_complete_month(old_export: tuple[Engine, int]) -> None:
    engine, ws = old_export
    with engine.connect() as conn:
        everything = summary(conn, ws)
        later = summary(conn, ws, Filters(as_of=date(2021, 12, 31)))
    # As of 2021-12-20 December is not complete: history ends 2021-11-30, and the lost deals "closed" in 2025 and
    # 2030 are not history at all (before, the period ran to 2030 and counted them).
    assert everything["period_end"] == "2021-11-30"
    assert (everything["deals_won"], everything["deals_lost"], everything["won_revenue"]) == (2, 0, 300.0)
    assert later["period_end"] == "2021-12-31"
    assert (later["deals_won"], later["deals_lost"]) == (3, 0)
    assert history_end(date(2021, 12, 31)) == date(2021, 12, 31)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_takes_as_of_for_kpis_quality_and_forecast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    export = tmp_path / "deals.csv"
    lines = ["Deal ID,Owner,Stage,Amount,Created Date,Close Date"]
    lines += [f"W{m},Ann,Closed Won,{100 * m},2023-{m:02d}-01,2023-{m:02d}-10" for m in range(1, 13)]
    lines += ["L1,Ann,Closed Lost,50,2023-06-01,2030-11-28"]
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["ingest", str(export), "--workspace", "CLI"]) == 0
    kpis = _cli(capsys, "kpis", "--workspace", "CLI")
    assert kpis["period_end"] == "2023-11-30"  # as of 2023-12-10 (newest win), December is not complete
    assert kpis["deals_won"] == 11
    assert kpis["deals_lost"] == 0
    assert _cli(capsys, "kpis", "--workspace", "CLI", "--as-of", "2023-06-30")["deals_won"] == 6
    quality = _cli(capsys, "quality", "--workspace", "CLI", "--as-of", "2023-12-31")
    future = [f for f in quality["findings"] if f["message"].startswith("Closed deals dated after the as-of date")]
    assert [f["count"] for f in future] == [1]
    forecast = _cli(capsys, "forecast", "--workspace", "CLI", "--as-of", "2023-09-30", "--horizon", "3")
    assert forecast["as_of"] == "2023-09-30"
    assert forecast["history_end"] == "2023-09-01"
    assert [row["period"] for row in forecast["forecast"]] == ["2023-10", "2023-11", "2023-12"]


def test_salesforce_org_export_forecast_is_not_zero_and_ends_at_the_as_of_month(
    datasets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Acceptance of issue 7: a lost deal closing on 2030-11-28 used to make every month to 2030 history and the
    forecast $0."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'sf.db'}")
    folder = datasets / "salesforce-org-export-crm-analytics"
    assert main(["ingest", *(str(p) for p in sorted(folder.glob("*.csv"))), "--workspace", "SF"]) == 0
    out = _cli(capsys, "forecast", "--workspace", "SF")
    as_of = date.fromisoformat(out["as_of"])
    assert as_of < date(2022, 1, 1)  # the export's own newest record, not a lost deal's 2025 or 2030 close date
    expected_end = history_end(as_of).replace(day=1).isoformat()
    assert out["history_end"] == expected_end
    assert out["forecast"][0]["period"] > expected_end[:7]
    assert sum(row["mean"] for row in out["forecast"]) > 0
