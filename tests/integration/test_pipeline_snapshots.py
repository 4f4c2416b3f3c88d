"""Every deals import stores the weighted open pipeline per coming month; forecast vs actual compares a later
import's bookings with it, never an export's own Expected Revenue (issue 7, point 6)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from salesops.accuracy import forecast_vs_actual
from salesops.ingest.load import BatchResult, undo_batch
from salesops.ingest.pipeline import ingest_paths
from salesops.store.schema import pipeline_snapshots
from salesops.store.workspaces import find

HEADER = "Deal ID,Owner,Stage,Amount,Probability,Created Date,Close Date\n"


def _export(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_a_later_import_is_compared_with_the_pipeline_an_earlier_one_stored(engine: Engine, tmp_path: Path) -> None:
    before = _export(
        tmp_path / "january.csv",
        [
            "D0,Ann,Closed Won,500,100,2025-01-02,2025-01-28",
            "D1,Ann,Proposal,1000,50,2025-01-05,2025-02-20",
            "D2,Ann,Negotiation,3000,80,2025-01-06,2025-03-10",
        ],
    )
    first = ingest_paths(engine, "Acme", [before])[0]
    with engine.connect() as conn:
        ws = find(conn, "Acme")
        assert ws is not None
        stored = conn.execute(select(func.count()).select_from(pipeline_snapshots)).scalar()
        waiting = forecast_vs_actual(conn, ws)
    assert stored == 2  # February and March, as of 2025-01-28
    assert waiting.monthly.empty
    assert "1 import(s), the latest as of 2025-01-28" in waiting.note
    after = _export(
        tmp_path / "april.csv",
        [
            "D0,Ann,Closed Won,500,100,2025-01-02,2025-01-28",
            "D1,Ann,Closed Won,1000,100,2025-01-05,2025-02-20",
            "D2,Ann,Closed Lost,3000,0,2025-01-06,2025-03-10",
            "D3,Ann,Closed Won,700,100,2025-03-01,2025-03-27",
        ],
    )
    second = ingest_paths(engine, "Acme", [after])[0]
    with engine.connect() as conn:
        result = forecast_vs_actual(conn, ws).monthly.set_index("month")
    assert result.loc["2025-02", ["forecast", "actual"]].tolist() == [500.0, 1000.0]
    assert result.loc["2025-03", ["forecast", "actual"]].tolist() == [2400.0, 700.0]
    assert set(result["snapshot"]) == {"2025-01-28"}
    assert isinstance(first, BatchResult)
    assert isinstance(second, BatchResult)
    with engine.begin() as conn:
        undo_batch(conn, ws, second.batch_id)
        undo_batch(conn, ws, first.batch_id)
    with engine.connect() as conn:
        assert forecast_vs_actual(conn, ws).monthly.empty  # undone imports leave no snapshot behind
