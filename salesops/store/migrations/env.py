"""Alembic environment: the engine is handed over by salesops.store.migrate (online mode only)."""

from alembic import context

from salesops.store.schema import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
