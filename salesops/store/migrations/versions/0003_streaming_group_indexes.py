"""Covering indexes whose column order lets per-rep, per-stage and per-type GROUP BYs stream without a sort.

Replaces the narrow status index (it made the funnel read every deal row from the table) with a covering one, and
on SQLite rebuilds ``activity_daily`` WITHOUT ROWID, so its rows are stored in primary-key (owner, type, day) order.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _rebuild_activity_daily(*, with_rowid: bool) -> None:
    """Copy the SQLite rollup into a table with or without a rowid (PostgreSQL has no such option)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "activity_daily_rebuilt",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_activity_daily_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "owner", "type", "day", name="pk_activity_daily"),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(
        "INSERT INTO activity_daily_rebuilt (workspace_id, owner, type, day, n, minutes) "
        "SELECT workspace_id, owner, type, day, n, minutes FROM activity_daily"
    )
    op.drop_table("activity_daily")
    op.rename_table("activity_daily_rebuilt", "activity_daily")


def upgrade() -> None:
    _rebuild_activity_daily(with_rowid=False)
    op.drop_index("ix_deals_ws_status", table_name="deals")
    op.create_index(
        "ix_deals_ws_owner_cover",
        "deals",
        ["workspace_id", "owner", "close_date", "status", "amount", "created_date"],
    )
    op.create_index(
        "ix_deals_ws_status_cover",
        "deals",
        [
            *("workspace_id", "status", "stage", "created_date", "amount", "probability"),
            *("segment", "lead_source", "product", "region"),
        ],
    )
    op.create_index("ix_activity_daily_ws_type", "activity_daily", ["workspace_id", "type", "day", "n", "minutes"])


def downgrade() -> None:
    op.drop_index("ix_activity_daily_ws_type", table_name="activity_daily")
    _rebuild_activity_daily(with_rowid=True)
    op.drop_index("ix_deals_ws_status_cover", table_name="deals")
    op.drop_index("ix_deals_ws_owner_cover", table_name="deals")
    op.create_index("ix_deals_ws_status", "deals", ["workspace_id", "status"])
