"""Schema upgrades run on start and keep the data already in the store."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Boolean, Date, DateTime, Engine, Float, Integer, MetaData, create_engine, inspect, select

from salesops.ingest.presets import get_preset
from salesops.store import get_engine
from salesops.store.migrate import MIGRATIONS_DIR, alembic_config
from salesops.store.migration_guard import ForeignKeyCheckError
from salesops.store.schema import activity_daily, deals, workspaces


def test_upgrade_from_first_schema_keeps_deals(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    command.upgrade(alembic_config(old), "0001")  # a store as the first release left it
    with old.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO workspaces (id, name, created_at, data_version) VALUES (1, 'Acme', '2025-01-01 00:00:00', 3)"
        )
        conn.exec_driver_sql(
            "INSERT INTO deals (workspace_id, id, status, is_closed, is_won, amount, close_date, batch_id,"
            " created_batch_id) VALUES (1, 'D1', 'won', 1, 1, 1200.0, '2025-02-01', 1, 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO activity_daily (workspace_id, owner, type, day, n, minutes)"
            " VALUES (1, 'Ann', 'call', '2025-02-01', 3, 45.0)"
        )
    old.dispose()

    upgraded = get_engine(url)  # what the app and the CLI do on start
    with upgraded.connect() as conn:
        assert conn.execute(select(workspaces.c.name, workspaces.c.data_version)).one() == ("Acme", 3)
        assert conn.execute(select(deals.c.id, deals.c.amount)).one() == ("D1", 1200.0)
        # 0003 rebuilds the activity rollup in key order: its rows survive.
        assert conn.execute(select(activity_daily.c.owner, activity_daily.c.n)).one() == ("Ann", 3)
        head = ScriptDirectory.from_config(alembic_config(upgraded)).get_current_head()
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head
    names = {ix["name"] for ix in inspect(upgraded).get_indexes("deals")}
    assert {"ix_deals_ws_close_cover", "ix_deals_ws_created", "ix_deals_ws_owner_cover"} <= names
    assert "ix_deals_ws_owner" not in names


def _populate_every_table(engine: Engine, rows: int = 2) -> dict[str, int]:
    """Put ``rows`` rows in every table of the store's current schema (row k refers to workspace k, batch k, plan k)."""
    reflected = MetaData()
    reflected.reflect(engine)
    counts = {}
    with engine.begin() as conn:
        for table in reflected.sorted_tables:
            if table.name == "alembic_version":
                continue
            for k in range(1, rows + 1):
                conn.execute(table.insert().values({c.name: _value(c.type, k) for c in table.columns}))
            counts[table.name] = rows
    return counts


def _value(column_type: object, k: int) -> object:
    if isinstance(column_type, Boolean):
        return True
    if isinstance(column_type, Integer):
        return k
    if isinstance(column_type, Float):
        return float(k)
    if isinstance(column_type, DateTime):
        return datetime(2025, 1, k)
    if isinstance(column_type, Date):
        return date(2025, 1, k)
    return f"v{k}"


def _counts(engine: Engine, names: list[str]) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: int(conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{name}"').scalar() or 0) for name in names}


def test_upgrade_of_a_populated_store_from_the_first_migration_keeps_every_row(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'populated.db'}"
    old = create_engine(url)
    command.upgrade(alembic_config(old), "0001")
    before = _populate_every_table(old)
    old.dispose()
    upgraded = get_engine(url)
    # 0007 gives every workspace its own copy of a preset saved when presets were global.
    expected = {**before, "mapping_presets": before["mapping_presets"] * before["workspaces"]}
    assert _counts(upgraded, list(before)) == expected
    with upgraded.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on for the app's connections


def _migrations_with(tmp_path: Path, engine: Engine, body: str) -> Config:
    """The project's migrations plus one more revision running ``body`` (a test-only future migration)."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    (folder / "versions" / "9999_future.py").write_text(
        f'"""A future migration."""\nimport sqlalchemy as sa\nfrom alembic import op\n\nrevision = "9999"\n'
        f'down_revision = "{head}"\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n{body}\n',
        encoding="utf-8",
    )
    cfg = alembic_config(engine)
    cfg.set_main_option("script_location", str(folder))
    return cfg


def test_a_batch_migration_of_workspaces_cannot_cascade_delete_the_records(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'store.db'}")
    before = _populate_every_table(engine)
    # Batch mode on SQLite copies workspaces, drops it and renames the copy: with foreign keys on, the drop would
    # cascade into every record table.
    body = (
        '    with op.batch_alter_table("workspaces", recreate="always") as batch:\n'
        '        batch.add_column(sa.Column("currency", sa.String(3)))'
    )
    command.upgrade(_migrations_with(tmp_path, engine, body), "heads")
    assert _counts(engine, list(before)) == before
    assert "currency" in {c["name"] for c in inspect(engine).get_columns("workspaces")}


def test_a_migration_that_leaves_dangling_foreign_keys_is_rolled_back(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'store.db'}")
    before = _populate_every_table(engine)
    with engine.connect() as conn:
        head = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    body = (
        '    op.add_column("reps", sa.Column("nickname", sa.String(50)))\n'
        '    op.execute("UPDATE deals SET workspace_id = 99")'
    )
    with pytest.raises(ForeignKeyCheckError, match="9999"):
        command.upgrade(_migrations_with(tmp_path, engine, body), "heads")
    assert _counts(engine, list(before)) == before
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head
        assert set(conn.execute(select(deals.c.workspace_id)).scalars()) == {1, 2}
    assert "nickname" not in {c["name"] for c in inspect(engine).get_columns("reps")}  # the DDL rolled back too


def test_presets_saved_when_they_were_global_go_to_every_workspace(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'presets.db'}"
    old = create_engine(url)
    command.upgrade(alembic_config(old), "0006")
    with old.begin() as conn:
        for k, name in ((1, "North"), (2, "South")):
            conn.exec_driver_sql(
                "INSERT INTO workspaces (id, name, created_at, data_version) VALUES (?, ?, '2025-01-01', 0)", (k, name)
            )
        conn.exec_driver_sql(
            "INSERT INTO mapping_presets (name, entity, mapping, created_at) "
            "VALUES ('Report', 'deals', '{\"Amt\": \"amount\"}', '2025-01-01')"
        )
    old.dispose()
    upgraded = get_engine(url)
    with upgraded.connect() as conn:
        assert get_preset(conn, 1, "Report") == ("deals", {"Amt": "amount"})
        assert get_preset(conn, 2, "Report") == ("deals", {"Amt": "amount"})
