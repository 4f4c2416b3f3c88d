"""The CLI on real exports: ingest, KPIs checked against an independent pandas computation, history and undo."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from salesops.cli import main


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point DATABASE_URL at a fresh SQLite file, as a user would."""
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip().startswith(("[", "{")) else out), err


def _maven_expected(pipeline: pd.DataFrame, start: str | None = None, end: str | None = None) -> dict[str, float]:
    """The definitions of docs/architecture.md, computed independently with pandas on the raw Maven file."""
    df = pipeline.copy()
    df["close"] = pd.to_datetime(df["close_date"])
    df["engage"] = pd.to_datetime(df["engage_date"])
    closed = df[df["deal_stage"].isin(["Won", "Lost"])]
    if start:
        closed = closed[closed["close"] >= pd.Timestamp(start)]
    if end:
        closed = closed[closed["close"] <= pd.Timestamp(end)]
    won = closed[closed["deal_stage"] == "Won"]
    cycle = (won["close"] - won["engage"]).dt.days
    open_deals = df[~df["deal_stage"].isin(["Won", "Lost"])]
    return {
        "won_revenue": float(won["close_value"].sum()),
        "deals_won": len(won),
        "deals_lost": int((closed["deal_stage"] == "Lost").sum()),
        "win_rate": len(won) / len(closed),
        "avg_deal_size": float(won["close_value"].sum()) / len(won),
        "median_cycle_days": float(cycle[cycle >= 0].median()),
        "open_pipeline": float(open_deals["close_value"].fillna(0).sum()),
    }


def test_maven_ingest_and_kpis_match_pandas(db: Path, datasets: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = datasets / "maven-crm-sales-opportunities"
    files = [str(folder / n) for n in ("sales_teams.csv", "accounts.csv")]
    code, results, _ = _run(capsys, "ingest", *files, "--workspace", "Maven", "--json")
    assert code == 0
    # The dataset's own headers (close_value, engage_date) are no CRM vocabulary: its built-in preset maps them.
    preset = "Built-in: Maven CRM sales pipeline (deals)"
    pipeline_file = str(folder / "sales_pipeline.csv")
    code, more, _ = _run(capsys, "ingest", pipeline_file, "--workspace", "Maven", "--mapping", preset, "--json")
    assert code == 0
    results = [*results, *more]  # type: ignore[misc]
    by_file = {r["file_name"]: r for r in results}  # type: ignore[union-attr]
    assert by_file["sales_pipeline.csv"]["entity"] == "deals"
    assert by_file["sales_pipeline.csv"]["source_format"] == "generic"
    assert by_file["sales_pipeline.csv"]["rows_loaded"] == 8800
    assert all(r["rows_rejected"] == 0 for r in results)  # type: ignore[union-attr]

    pipeline = pd.read_csv(folder / "sales_pipeline.csv")
    for start, end in ((None, None), ("2017-04-01", "2017-06-30")):
        window = ["--start", start, "--end", end] if start and end else []
        code, kpis, _ = _run(capsys, "kpis", "--workspace", "Maven", *window, "--json")
        assert code == 0
        for key, value in _maven_expected(pipeline, start, end).items():
            assert kpis[key] == pytest.approx(value), key  # type: ignore[index]


def test_reimport_is_idempotent_and_undo_restores(db: Path, datasets: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(datasets / "zoho-crm-sample-export" / "Potentials.csv")
    _run(capsys, "ingest", path, "--workspace", "Z", "--json")
    code, [again], _ = _run(capsys, "ingest", path, "--workspace", "Z", "--json")  # type: ignore[misc]
    assert code == 0
    assert (again["rows_loaded"], again["rows_updated"]) == (0, 0)
    assert again["rows_unchanged"] == again["rows_read"] - again["rows_rejected"]
    code, spaces, _ = _run(capsys, "workspaces", "--json")
    assert [(w["name"], w["deals"]) for w in spaces] == [("Z", again["rows_unchanged"])]  # type: ignore[union-attr]
    code, batches, _ = _run(capsys, "batches", "--workspace", "Z", "--json")
    assert [b["status"] for b in batches] == ["loaded", "loaded"]  # type: ignore[union-attr]
    for batch in batches:  # newest first
        assert _run(capsys, "undo", str(batch["id"]), "--workspace", "Z")[0] == 0  # type: ignore[index]
    code, spaces, _ = _run(capsys, "workspaces", "--json")
    assert spaces[0]["deals"] == 0  # type: ignore[index]
    code, _, err = _run(capsys, "undo", str(batches[0]["id"]), "--workspace", "Z")  # type: ignore[index]
    assert code == 2
    assert "already undone" in err


def test_unreadable_file_exits_2_with_one_line(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "export.csv"
    junk.write_bytes(b"\x00\x01\x02PK\x03\x04 not a csv at all \xff\xfe" * 50)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for path in (junk, empty, tmp_path / "missing.csv"):
        code, _, err = _run(capsys, "ingest", str(path), "--workspace", "W")
        assert code == 2
        assert err.startswith("error: ")
        assert len(err.strip().splitlines()) == 1
        assert "Traceback" not in err


def test_kpis_for_unknown_workspace_is_a_clear_error(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "kpis", "--workspace", "Nope", "--json")
    assert code == 2
    assert "no workspace named 'Nope'" in err


def test_kpis_json_says_what_an_unmapped_close_date_costs(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deals = tmp_path / "deals.csv"
    deals.write_text("Deal ID,Stage,Amount,Owner\n1,Closed Won,100,Ann\n2,Closed Won,50,Ann\n3,Open,10,Bo\n")
    code, [result], _ = _run(capsys, "ingest", str(deals), "--workspace", "Gaps", "--json")  # type: ignore[misc]
    assert code == 0
    message = "2 won deals have no close date and are left out of revenue; map a close-date column."
    assert message in result["notes"]
    code, kpis, _ = _run(capsys, "kpis", "--workspace", "Gaps", "--json")
    assert code == 0
    assert message in kpis["missing_data"]  # type: ignore[index]
    assert not any("owner" in m for m in kpis["missing_data"])  # type: ignore[index]
