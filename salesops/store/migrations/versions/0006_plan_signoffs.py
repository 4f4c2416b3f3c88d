"""Step 4: plan sign-offs (who, role, when, comment), when a draft was frozen and what it started from, and
which leads were already posted to the chat webhook.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("saved_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("based_on", sa.Integer(), nullable=True))
    op.create_table(
        "plan_signoffs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=255), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_signoffs_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_plan_signoffs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_signoffs")),
    )
    op.create_index("ix_plan_signoffs_plan", "plan_signoffs", ["plan_id"])
    op.create_table(
        "lead_posts",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.String(length=255), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_lead_posts_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("workspace_id", "lead_id", name=op.f("pk_lead_posts")),
    )
    op.create_index("ix_action_items_plan", "action_items", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_action_items_plan", table_name="action_items")
    op.drop_table("lead_posts")
    op.drop_index("ix_plan_signoffs_plan", table_name="plan_signoffs")
    op.drop_table("plan_signoffs")
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("based_on")
        batch.drop_column("saved_at")
