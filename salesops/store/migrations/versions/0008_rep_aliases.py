"""Former names of reps, so a rename in the CRM does not split a rep's history (salesops.ingest.reps).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rep_aliases",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=255), nullable=False),
        sa.Column("rep_id", sa.String(length=255), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_rep_aliases_workspace_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("workspace_id", "alias", name=op.f("pk_rep_aliases")),
    )


def downgrade() -> None:
    op.drop_table("rep_aliases")
