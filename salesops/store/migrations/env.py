"""Alembic environment: the engine is handed over by salesops.store.migrate (online mode only).

Each migration runs in its own transaction; on SQLite with foreign keys off and checked before it commits
(salesops.store.migration_guard explains why).
"""

from collections.abc import Collection, Mapping
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo

from salesops.store.migration_guard import check_foreign_keys, migration_connection
from salesops.store.schema import metadata


def _after_each(
    ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
) -> None:
    """Runs inside the migration's transaction, so a violation rolls the migration back."""
    assert ctx.connection is not None
    check_foreign_keys(ctx.connection, str(step.up_revision_id))


engine = context.config.attributes["engine"]
with migration_connection(engine) as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        transaction_per_migration=True,
        transactional_ddl=True,
        on_version_apply=_after_each,
    )
    with context.begin_transaction():
        context.run_migrations()
