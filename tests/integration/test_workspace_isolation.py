"""Workspace isolation in the package, not only in the UI: presets, undo and rejected rows each name a workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from salesops.cli import main
from salesops.ingest.batches import ForeignBatchError, rejected_frame
from salesops.ingest.load import UndoError, undo_batch
from salesops.ingest.pipeline import ingest_paths
from salesops.ingest.presets import get_preset, list_presets, save_preset
from salesops.store import workspaces as ws
from salesops.store.schema import deals

DEALS = "Deal ID,Deal Name,Owner,Stage,Amount,Close Date\nD1,Alpha,Ann Lee,Closed Won,100,2024-02-01\n"
BROKEN = DEALS + "D2,Beta,Bob Roy,Closed Won,-5,2024-02-01\n"


def _ids(engine: Engine, *names: str) -> list[int]:
    with engine.begin() as conn:
        return [ws.get_or_create(conn, name) for name in names]


def test_presets_are_per_workspace_and_say_when_they_replace(engine: Engine) -> None:
    north, south = _ids(engine, "North", "South")
    with engine.begin() as conn:
        assert save_preset(conn, north, "CRM report", "deals", {"Amt": "amount"}) is False
        assert save_preset(conn, south, "CRM report", "deals", {"Value": "amount"}) is False  # no silent overwrite
        assert save_preset(conn, north, "CRM report", "deals", {"Amount $": "amount"}) is True  # replaced, said so
    with engine.connect() as conn:
        assert get_preset(conn, north, "CRM report") == ("deals", {"Amount $": "amount"})
        assert get_preset(conn, south, "CRM report") == ("deals", {"Value": "amount"})
        assert list_presets(conn, south) == ["CRM report"]
        assert get_preset(conn, _ids(engine, "West")[0], "CRM report") is None
    with pytest.raises(ValueError, match="built-in"), engine.begin() as conn:
        save_preset(conn, north, "Built-in: Maven CRM sales pipeline (deals)", "deals", {})


def test_undo_and_rejected_rows_refuse_another_workspaces_batch(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(BROKEN, encoding="utf-8")
    [theirs] = ingest_paths(engine, "South", [path])
    north, south = _ids(engine, "North", "South")
    with pytest.raises(UndoError, match="belongs to workspace South"), engine.begin() as conn:
        undo_batch(conn, north, theirs.batch_id)
    with pytest.raises(ForeignBatchError, match="belongs to workspace South"), engine.connect() as conn:
        rejected_frame(conn, north, theirs.batch_id)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(deals).where(deals.c.workspace_id == south)).scalar() == 1
        assert rejected_frame(conn, south, theirs.batch_id)["reason"].str.contains("negative amount").all()


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return path


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_undo_refuses_another_workspaces_batch_and_names_it(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(DEALS, encoding="utf-8")
    _cli(capsys, "ingest", str(path), "--workspace", "South", "--json")
    _cli(capsys, "ingest", str(path), "--workspace", "North", "--json")
    code, out, _ = _cli(capsys, "batches", "--workspace", "South", "--json")
    [south_batch] = json.loads(out)
    code, _, err = _cli(capsys, "undo", str(south_batch["id"]), "--workspace", "North")
    assert code == 2
    assert "belongs to workspace South" in err
    code, out, _ = _cli(capsys, "workspaces", "--json")
    assert {w["name"]: w["deals"] for w in json.loads(out)} == {"North": 1, "South": 1}
    assert _cli(capsys, "undo", str(south_batch["id"]), "--workspace", "South")[0] == 0


def test_cli_mapping_preset_is_looked_up_in_the_target_workspace(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from salesops.store import get_engine

    engine = get_engine()
    [north] = _ids(engine, "North")
    with engine.begin() as conn:
        save_preset(conn, north, "Amounts", "deals", {"Deal ID": "id", "Stage": "stage", "Amount": "amount"})
    engine.dispose()
    path = tmp_path / "deals.csv"
    path.write_text(DEALS, encoding="utf-8")
    code, _, err = _cli(capsys, "ingest", str(path), "--workspace", "South", "--mapping", "Amounts")
    assert code == 2
    assert "no mapping preset named 'Amounts' in workspace 'South'" in err
    assert _cli(capsys, "ingest", str(path), "--workspace", "North", "--mapping", "Amounts")[0] == 0
