"""Covering indexes whose column order lets per-rep, per-stage and per-type GROUP BYs stream without a sort.

Replaces the narrow status index (it made the funnel read every deal row from the table) with a covering one.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_deals_ws_status", table_name="deals")
    op.create_index(
        "ix_deals_ws_owner_cover",
        "deals",
        ["workspace_id", "owner", "close_date", "status", "amount", "created_date"],
    )
    op.create_index(
        "ix_deals_ws_status_cover",
        "deals",
        ["workspace_id", "status", "stage", "created_date", "amount", "probability"],
    )
    op.create_index("ix_activity_daily_ws_type", "activity_daily", ["workspace_id", "type", "day", "n", "minutes"])


def downgrade() -> None:
    op.drop_index("ix_activity_daily_ws_type", table_name="activity_daily")
    op.drop_index("ix_deals_ws_status_cover", table_name="deals")
    op.drop_index("ix_deals_ws_owner_cover", table_name="deals")
    op.create_index("ix_deals_ws_status", "deals", ["workspace_id", "status"])
