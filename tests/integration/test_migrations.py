"""Schema upgrades run on start and keep the data already in the store."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select

from salesops.store import get_engine
from salesops.store.migrate import alembic_config
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
