"""Covering deal indexes for period KPIs; drop the owner index SQLite misused for whole-workspace walks.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_deals_ws_owner", table_name="deals")
    op.drop_index("ix_deals_ws_close", table_name="deals")
    op.create_index(
        "ix_deals_ws_close_cover",
        "deals",
        ["workspace_id", "close_date", "status", "amount", "created_date", "owner"],
    )
    op.create_index(
        "ix_deals_ws_created",
        "deals",
        ["workspace_id", "created_date", "status", "stage", "amount", "probability"],
    )


def downgrade() -> None:
    op.drop_index("ix_deals_ws_created", table_name="deals")
    op.drop_index("ix_deals_ws_close_cover", table_name="deals")
    op.create_index("ix_deals_ws_close", "deals", ["workspace_id", "close_date"])
    op.create_index("ix_deals_ws_owner", "deals", ["workspace_id", "owner"])
