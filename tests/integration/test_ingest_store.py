"""The import pipeline against real stores: counts, idempotent re-import, updates, undo, rollups, atomicity."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from salesops.ingest import load as load_module
from salesops.ingest.batches import list_batches, rejected_frame
from salesops.ingest.load import UndoError, undo_batch
from salesops.ingest.pipeline import ingest_paths
from salesops.store.schema import accounts, activities, activity_daily, deals, reps
from salesops.store.workspaces import find

DEALS_CSV = """Deal ID,Deal Name,Account,Owner,Stage,Amount,Created Date,Close Date
D1,Alpha renewal,Acme,Ann Lee,Closed Won,"$1,000.00",2024-01-05,2024-02-01
D2,Beta new,Beta Corp,Bob Roy,Closed Lost,2500,2024-01-10,2024-03-01
D3,Gamma pilot,Acme,Ann Lee,Negotiation,4000,2024-02-01,2024-06-30
"""

ACTIVITIES_CSV = """Activity ID,Type,Owner,Deal ID,Date,Duration (min)
A1,Email,Ann Lee,D1,2024-01-06 10:00,5
A2,Call,Ann Lee,D1,2024-01-06 11:00,30
A3,Demo,Bob Roy,D2,2024-01-12 09:00,60
A4,Call,Bob Roy,D2,2024-01-13 09:00,15
"""


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def _count(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def _amounts(engine: Engine) -> dict[str, float]:
    with engine.connect() as conn:
        return dict(conn.execute(select(deals.c.id, deals.c.amount)).all())


def _rollup_matches_raw(engine: Engine) -> None:
    with engine.connect() as conn:
        raw = pd.DataFrame(conn.execute(select(activities.c.owner, activities.c.type)).all(), columns=["owner", "type"])
        roll = pd.DataFrame(
            conn.execute(select(activity_daily.c.owner, activity_daily.c.type, activity_daily.c.n)).all(),
            columns=["owner", "type", "n"],
        )
    expected = raw.groupby(["owner", "type"]).size().to_dict() if not raw.empty else {}
    got = roll.groupby(["owner", "type"])["n"].sum().to_dict() if not roll.empty else {}
    assert got == expected


def test_deals_import_loads_rows_and_creates_named_reps_and_accounts(engine: Engine, tmp_path: Path) -> None:
    [result] = ingest_paths(engine, "Acme Inc", [_write(tmp_path, "deals.csv", DEALS_CSV)])
    assert (result.entity, result.rows_read, result.rows_loaded, result.rows_rejected) == ("deals", 3, 3, 0)
    assert _amounts(engine) == {"D1": 1000.0, "D2": 2500.0, "D3": 4000.0}
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(deals.c.id, deals.c.status)).all())
        assert statuses == {"D1": "won", "D2": "lost", "D3": "open"}
        assert sorted(conn.execute(select(reps.c.name)).scalars()) == ["Ann Lee", "Bob Roy"]
        assert sorted(conn.execute(select(accounts.c.name)).scalars()) == ["Acme", "Beta Corp"]


def test_reimporting_the_same_file_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path, "deals.csv", DEALS_CSV)
    ingest_paths(engine, "W", [path])
    [again] = ingest_paths(engine, "W", [path])
    assert (again.rows_loaded, again.rows_updated, again.rows_unchanged) == (0, 0, 3)
    assert _count(engine, deals) == 3
    assert _count(engine, reps) == 2


def test_newer_export_updates_and_undo_restores(engine: Engine, tmp_path: Path) -> None:
    [first] = ingest_paths(engine, "W", [_write(tmp_path, "deals.csv", DEALS_CSV)])
    newer = DEALS_CSV.replace(
        "D3,Gamma pilot,Acme,Ann Lee,Negotiation,4000", "D3,Gamma pilot,Acme,Ann Lee,Closed Won,4500"
    )
    newer += "D4,Delta,Delta Ltd,Cara Diaz,Prospecting,700,2024-03-01,2024-09-30\n"
    [second] = ingest_paths(engine, "W", [_write(tmp_path, "deals_v2.csv", newer)])
    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (1, 1, 2)
    assert _amounts(engine)["D3"] == 4500.0

    with pytest.raises(UndoError), engine.begin() as conn:
        undo_batch(conn, find(conn, "W") or 0, first.batch_id)  # the newer batch must go first
    with engine.begin() as conn:
        undo_batch(conn, find(conn, "W") or 0, second.batch_id)
    assert _amounts(engine) == {"D1": 1000.0, "D2": 2500.0, "D3": 4000.0}
    with engine.connect() as conn:
        assert conn.execute(select(deals.c.status).where(deals.c.id == "D3")).scalar() == "open"
        assert "Cara Diaz" not in set(conn.execute(select(reps.c.name)).scalars())
    with pytest.raises(UndoError), engine.begin() as conn:
        undo_batch(conn, find(conn, "W") or 0, second.batch_id)  # already undone
    with engine.begin() as conn:
        undo_batch(conn, find(conn, "W") or 0, first.batch_id)
    assert _count(engine, deals) == 0
    assert _count(engine, reps) == 0
    with engine.connect() as conn:
        history = list_batches(conn, find(conn, "W") or 0)
    assert history["status"].tolist() == ["undone", "undone"]


def test_broken_rows_are_rejected_with_reasons_and_good_rows_load(engine: Engine, tmp_path: Path) -> None:
    broken = DEALS_CSV + (
        "D5,Bad date,Acme,Ann Lee,Closed Won,100,2024-01-01,not a date\n"
        "D6,Negative,Acme,Ann Lee,Closed Won,-50,2024-01-01,2024-01-09\n"
        ",No id,Acme,Ann Lee,Closed Won,10,2024-01-01,2024-01-09\n"
        "D7,Migrated,Acme,Ann Lee,Closed Won,10,2024-05-01,2024-01-09\n"
    )
    [result] = ingest_paths(engine, "W", [_write(tmp_path, "deals.csv", broken)])
    # A deal closing before its created date is a real CRM pattern (migrated records): loaded, with a note.
    assert (result.rows_loaded, result.rows_rejected) == (4, 3)
    assert any("close before their created date" in note for note in result.notes)
    with engine.connect() as conn:
        rejected = rejected_frame(conn, find(conn, "W") or 0, result.batch_id)
    reasons = dict(zip(rejected["row_number"], rejected["reason"], strict=True))
    assert "unparseable close date" in reasons[4]
    assert "negative amount" in reasons[5]
    assert "missing id" in reasons[6]
    assert rejected.loc[rejected["row_number"] == 4, "Deal Name"].item() == "Bad date"


def test_activity_rollups_follow_inserts_updates_and_undo(engine: Engine, tmp_path: Path) -> None:
    [first] = ingest_paths(engine, "W", [_write(tmp_path, "activities.csv", ACTIVITIES_CSV)])
    assert first.entity == "activities"
    _rollup_matches_raw(engine)
    changed = ACTIVITIES_CSV.replace("A4,Call,Bob Roy", "A4,Meeting,Bob Roy") + "A5,Proposal,Ann Lee,D1,2024-01-20,20\n"
    [second] = ingest_paths(engine, "W", [_write(tmp_path, "activities_v2.csv", changed)])
    assert (second.rows_loaded, second.rows_updated) == (1, 1)
    _rollup_matches_raw(engine)
    with engine.begin() as conn:
        undo_batch(conn, find(conn, "W") or 0, second.batch_id)
    _rollup_matches_raw(engine)
    with engine.connect() as conn:
        total_minutes = conn.execute(select(func.sum(activity_daily.c.minutes))).scalar()
    assert total_minutes == pytest.approx(110.0)


@pytest.mark.parametrize("rebuild_from", [20_000, 1], ids=["indexes-kept", "indexes-dropped-and-rebuilt"])
def test_failure_half_way_leaves_sqlite_file_byte_for_byte(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rebuild_from: int
) -> None:
    # With a threshold of 1 row the failing import has dropped the deal indexes when it fails: they must come back.
    monkeypatch.setattr(load_module, "_REINDEX_SMALL_STORE", rebuild_from)
    ingest_paths(sqlite_engine, "W", [_write(tmp_path, "deals.csv", DEALS_CSV)])
    with sqlite_engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        before_dump = list(conn.connection.dbapi_connection.iterdump())  # type: ignore[union-attr]
    db_file = Path(sqlite_engine.url.database or "")
    before_bytes = hashlib.sha256(db_file.read_bytes()).hexdigest()

    def explode(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("disk on fire")

    # Fails after the batch row, the history rows and the new deals were written in the transaction.
    monkeypatch.setattr(load_module, "_create_named", explode)
    newer = DEALS_CSV.replace("4000", "9999") + "D9,New,Zed,Zoe Ng,Prospecting,1,2024-01-01,2024-12-01\n"
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest_paths(sqlite_engine, "W", [_write(tmp_path, "deals_v2.csv", newer)])
    with sqlite_engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        after_dump = list(conn.connection.dbapi_connection.iterdump())  # type: ignore[union-attr]
    assert after_dump == before_dump
    assert hashlib.sha256(db_file.read_bytes()).hexdigest() == before_bytes


def _deal_index_names(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deals'")
        return {str(r[0]) for r in rows if not str(r[0]).startswith("sqlite_autoindex")}


def test_first_import_rebuilds_deal_indexes_and_later_small_ones_keep_them(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load_module, "_REINDEX_SMALL_STORE", 2)  # the 20,000-row rule, scaled to this small file
    decisions: list[bool] = []
    real = load_module._rebuild_pays

    def recorded(*args: Any) -> bool:
        decisions.append(real(*args))
        return decisions[-1]

    monkeypatch.setattr(load_module, "_rebuild_pays", recorded)
    ingest_paths(sqlite_engine, "W", [_write(tmp_path, "deals.csv", DEALS_CSV)])
    more = DEALS_CSV.splitlines()[0] + "\nD8,New,Zed,Zoe Ng,Prospecting,1,2024-01-01,2024-12-01\n"
    more += "D9,Newer,Zed,Zoe Ng,Prospecting,2,2024-01-02,2024-12-02\n"
    ingest_paths(sqlite_engine, "W", [_write(tmp_path, "more.csv", more)])
    assert decisions == [True, False]  # 3 rows into an empty table: rebuild; 2 rows into 3: maintain
    assert _deal_index_names(sqlite_engine) == {i.name for i in deals.indexes}
    assert sorted(_amounts(sqlite_engine)) == ["D1", "D2", "D3", "D8", "D9"]


FULL_DEALS_CSV = """Deal ID,Deal Name,Account,Owner,Stage,Amount,Created Date,Close Date,Lead Source,Next Step
D1,Alpha renewal,Acme,Ann Lee,Closed Won,1000,2024-01-05,2024-02-01,Web,Send invoice
D2,Beta new,Beta Corp,Bob Roy,Closed Lost,2500,2024-01-10,2024-03-01,Referral,None
D3,Gamma pilot,Acme,Ann Lee,Negotiation,4000,2024-02-01,2024-06-30,Event,Call CFO
"""


def _deal_rows(engine: Engine) -> dict[str, dict[str, object]]:
    """Every stored deal as a full row (bookkeeping included), by id."""
    with engine.connect() as conn:
        return {row["id"]: dict(row) for row in conn.execute(select(deals)).mappings()}


def _import_full_and_score(engine: Engine, tmp_path: Path) -> dict[str, dict[str, object]]:
    ingest_paths(engine, "W", [_write(tmp_path, "deals.csv", FULL_DEALS_CSV)])
    with engine.begin() as conn:  # a score the scoring step wrote: no export carries it
        conn.execute(deals.update().where(deals.c.id == "D1").values(score=87.5))
    return _deal_rows(engine)


def test_narrow_reimport_updates_only_its_fields_and_undo_restores_exact_rows(engine: Engine, tmp_path: Path) -> None:
    from salesops import kpi

    before = _import_full_and_score(engine, tmp_path)
    narrow = "Deal ID,Stage,Amount\nD1,Closed Won,1200\nD2,Closed Lost,2500\nD3,Negotiation,4100\n"
    [result] = ingest_paths(engine, "W", [_write(tmp_path, "deals_amounts.csv", narrow)])
    assert (result.rows_loaded, result.rows_updated, result.rows_unchanged) == (0, 2, 1)
    after = _deal_rows(engine)
    assert after["D1"]["amount"] == 1200.0
    assert after["D3"]["amount"] == 4100.0
    for deal_id in ("D1", "D3"):
        kept = {k: v for k, v in after[deal_id].items() if k not in ("amount", "batch_id")}
        assert kept == {k: v for k, v in before[deal_id].items() if k not in ("amount", "batch_id")}
    assert after["D1"]["score"] == 87.5
    assert after["D1"]["lead_source"] == "Web"
    assert after["D2"] == before["D2"]
    with engine.connect() as conn:
        workspace_id = find(conn, "W") or 0
        assert kpi.summary(conn, workspace_id)["won_revenue"] == 1200.0  # the won deal stays in revenue
    with engine.begin() as conn:
        undo_batch(conn, find(conn, "W") or 0, result.batch_id)
    assert _deal_rows(engine) == before


def test_change_only_in_an_unmapped_column_is_stored_and_undone(engine: Engine, tmp_path: Path) -> None:
    before = _import_full_and_score(engine, tmp_path)
    changed = FULL_DEALS_CSV.replace("Call CFO", "Call CEO")
    [result] = ingest_paths(engine, "W", [_write(tmp_path, "deals_v2.csv", changed)])
    assert (result.rows_updated, result.rows_unchanged) == (1, 2)
    after = _deal_rows(engine)
    assert json.loads(str(after["D3"]["extra"])) == {"Next Step": "Call CEO"}
    assert after["D1"] == before["D1"]
    with engine.begin() as conn:
        undo_batch(conn, find(conn, "W") or 0, result.batch_id)
    assert _deal_rows(engine) == before


def test_new_unmapped_column_merges_with_the_stored_ones_and_undo_restores(engine: Engine, tmp_path: Path) -> None:
    before = _import_full_and_score(engine, tmp_path)
    extra = "Deal ID,Stage,Competitor\nD1,Closed Won,Initech\nD2,Closed Lost,\nD3,Negotiation,Hooli\n"
    [result] = ingest_paths(engine, "W", [_write(tmp_path, "deals_competitor.csv", extra)], entity="deals")
    assert (result.rows_updated, result.rows_unchanged) == (2, 1)  # D2's competitor is blank: nothing new
    after = _deal_rows(engine)
    assert json.loads(str(after["D1"]["extra"])) == {"Next Step": "Send invoice", "Competitor": "Initech"}
    assert after["D1"]["owner"] == "Ann Lee"
    assert after["D1"]["amount"] == 1000.0
    assert after["D2"] == before["D2"]
    with engine.begin() as conn:
        undo_batch(conn, find(conn, "W") or 0, result.batch_id)
    assert _deal_rows(engine) == before
