"""Index raw activities by deal (first touch per deal, activity counts for scoring) instead of by date.

Activity KPIs read the activity_daily rollup, so nothing filtered raw activities by date; the performers section
needs each deal's first activity, which without this index sorted every activity of the workspace.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_activities_ws_occurred", table_name="activities")
    op.create_index("ix_activities_ws_deal", "activities", ["workspace_id", "deal_id", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_activities_ws_deal", table_name="activities")
    op.create_index("ix_activities_ws_occurred", "activities", ["workspace_id", "occurred_at"])
