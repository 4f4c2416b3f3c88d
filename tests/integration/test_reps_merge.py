"""One person, one rep: owner names and users/reps exports merge in either order, and renames keep history."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from salesops import kpi
from salesops.cli import main
from salesops.filters import Filters
from salesops.ingest.load import undo_batch
from salesops.ingest.pipeline import ingest_paths
from salesops.store.schema import activities, activity_daily, deals, reps
from salesops.store.workspaces import find

DEALS = """Deal ID,Deal Name,Owner,Stage,Amount,Created Date,Close Date
D1,Alpha,Ann Lee,Closed Won,1000,2024-01-05,2024-02-01
D2,Beta,"LEE, Ann",Closed Won,500,2024-01-10,2024-03-01
D3,Gamma,Bob Roy,Closed Lost,2500,2024-01-10,2024-03-01
"""
USERS = """User ID,Full Name,Email,Team
U1,Ann Lee,ann@acme.example,East
U2,Robert Roy,bob@acme.example,West
"""
ACTIVITIES = """Activity ID,Type,Owner,Deal ID,Date
A1,Call,Ann Lee,D1,2024-01-06 10:00
A2,Email,Ann Lee,D1,2024-01-07 10:00
"""


# The whole period of the files: by default a period stops at the as-of date's last complete month, which would
# leave out the March deals (the data end on 1 March).
WHOLE_PERIOD = Filters(start=date(2023, 1, 1), end=date(2024, 3, 31))


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def _reps(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(reps.c.id, reps.c.name)).all())


def _owners(engine: Engine, table=deals) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return dict(conn.execute(select(table.c.id, table.c.owner)).all())


@pytest.mark.parametrize("users_first", [True, False])
def test_owner_names_and_a_users_export_give_one_rep_per_person(
    engine: Engine, tmp_path: Path, users_first: bool
) -> None:
    files = [_write(tmp_path, "users.csv", USERS), _write(tmp_path, "deals.csv", DEALS)]
    for path in files if users_first else files[::-1]:
        ingest_paths(engine, "W", [path], entity="reps" if path.name == "users.csv" else None)
    # Ann is one rep (name and "LEE, Ann" match on the normalised name); Bob Roy has no users-export match by name
    # or email, so he stays a rep of his own next to Robert Roy (no guessing).
    assert _reps(engine) == {"U1": "Ann Lee", "U2": "Robert Roy", "Bob Roy": "Bob Roy"}
    assert _owners(engine) == {"D1": "Ann Lee", "D2": "Ann Lee", "D3": "Bob Roy"}
    with engine.connect() as conn:
        by_rep = {
            row["rep"]: row["won_revenue"] for row in kpi.summary_by(conn, find(conn, "W") or 0, "rep", WHOLE_PERIOD)
        }
    assert by_rep["Ann Lee"] == 1500.0


def test_undoing_the_users_export_restores_the_reps_made_from_owner_names(engine: Engine, tmp_path: Path) -> None:
    ingest_paths(engine, "W", [_write(tmp_path, "deals.csv", DEALS)])
    before = _reps(engine)
    [users] = ingest_paths(engine, "W", [_write(tmp_path, "users.csv", USERS)], entity="reps")
    assert any("merged" in note for note in users.notes)
    assert _reps(engine) == {"U1": "Ann Lee", "U2": "Robert Roy", "Bob Roy": "Bob Roy"}
    with engine.begin() as conn:
        undo_batch(conn, find(conn, "W") or 0, users.batch_id)
    assert _reps(engine) == before


def test_a_rename_in_the_crm_keeps_the_reps_history_and_undo_reverts_it(engine: Engine, tmp_path: Path) -> None:
    ingest_paths(engine, "W", [_write(tmp_path, "users.csv", USERS)], entity="reps")
    ingest_paths(engine, "W", [_write(tmp_path, "deals.csv", DEALS), _write(tmp_path, "acts.csv", ACTIVITIES)])
    renamed = USERS.replace("U1,Ann Lee,", "U1,Ann Smith,")
    [rename] = ingest_paths(engine, "W", [_write(tmp_path, "users_v2.csv", renamed)], entity="reps")
    assert _owners(engine) == {"D1": "Ann Smith", "D2": "Ann Smith", "D3": "Bob Roy"}
    assert set(_owners(engine, activities).values()) == {"Ann Smith"}
    with engine.connect() as conn:
        assert set(conn.execute(select(activity_daily.c.owner)).scalars()) == {"Ann Smith"}
    # An older export still naming her Ann Lee lands on the same rep.
    older = "Deal ID,Deal Name,Owner,Stage,Amount,Close Date\nD9,Old one,Ann Lee,Closed Won,100,2023-12-01\n"
    [old_batch] = ingest_paths(engine, "W", [_write(tmp_path, "old.csv", older)])
    assert _owners(engine)["D9"] == "Ann Smith"
    assert "Ann Lee" not in _reps(engine).values()
    with engine.connect() as conn:
        rows = kpi.summary_by(conn, find(conn, "W") or 0, "rep", WHOLE_PERIOD)
    assert {r["rep"]: r["won_revenue"] for r in rows}["Ann Smith"] == 1600.0
    assert "Ann Lee" not in {r["rep"] for r in rows}
    with engine.begin() as conn:
        workspace_id = find(conn, "W") or 0
        undo_batch(conn, workspace_id, old_batch.batch_id)
        undo_batch(conn, workspace_id, rename.batch_id)
    assert _owners(engine) == {"D1": "Ann Lee", "D2": "Ann Lee", "D3": "Bob Roy"}
    assert _reps(engine)["U1"] == "Ann Lee"
    with engine.connect() as conn:
        assert set(conn.execute(select(activity_daily.c.owner)).scalars()) == {"Ann Lee"}


@pytest.mark.parametrize("users_first", [True, False])
def test_zoho_sample_export_gives_eleven_reps_through_the_cli(
    datasets: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    users_first: bool,
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'zoho.db'}")
    folder = datasets / "zoho-crm-sample-export"
    files = [str(folder / "Users.csv"), str(folder / "Potentials.csv")]
    for path in files if users_first else files[::-1]:  # one command per file: the order is the user's
        assert main(["ingest", path, "--workspace", "Zoho"]) == 0
    capsys.readouterr()
    assert main(["workspaces", "--json"]) == 0
    [space] = json.loads(capsys.readouterr().out)
    assert space["reps"] == 11
    assert main(["kpis", "--workspace", "Zoho", "--by", "rep", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 11
