"""Mapping presets belong to a workspace: a name is unique within one, so workspaces never overwrite each other's.

A preset saved before this release was visible in every workspace, so each workspace gets its own copy of it.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mapping_presets") as batch:
        batch.add_column(sa.Column("workspace_id", sa.Integer(), nullable=True))
        batch.drop_constraint("uq_mapping_presets_name", type_="unique")
    op.execute(
        "INSERT INTO mapping_presets (workspace_id, name, entity, mapping, created_at) "
        "SELECT w.id, p.name, p.entity, p.mapping, p.created_at FROM mapping_presets p CROSS JOIN workspaces w "
        "WHERE p.workspace_id IS NULL"
    )
    op.execute("DELETE FROM mapping_presets WHERE workspace_id IS NULL")
    with op.batch_alter_table("mapping_presets") as batch:
        batch.alter_column("workspace_id", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint("uq_mapping_presets_ws_name", ["workspace_id", "name"])
        batch.create_foreign_key(
            "fk_mapping_presets_workspace_id_workspaces", "workspaces", ["workspace_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    # One global preset per name again: the earliest saved copy wins.
    op.execute(
        "DELETE FROM mapping_presets WHERE id NOT IN (SELECT MIN(id) FROM mapping_presets GROUP BY name)"
    )
    with op.batch_alter_table("mapping_presets") as batch:
        batch.drop_constraint("fk_mapping_presets_workspace_id_workspaces", type_="foreignkey")
        batch.drop_constraint("uq_mapping_presets_ws_name", type_="unique")
        batch.drop_column("workspace_id")
        batch.create_unique_constraint("uq_mapping_presets_name", ["name"])
