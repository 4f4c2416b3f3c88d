"""Named column mappings a user saved, reused for the next export from the same CRM report."""

from __future__ import annotations

import json

from sqlalchemy import Connection, delete, select

from salesops.store.schema import mapping_presets
from salesops.store.workspaces import now


def save_preset(conn: Connection, name: str, entity: str, mapping: dict[str, str]) -> None:
    """Create or replace the preset ``name``."""
    name = name.strip()
    if not name:
        raise ValueError("A mapping preset needs a name.")
    conn.execute(delete(mapping_presets).where(mapping_presets.c.name == name))
    conn.execute(
        mapping_presets.insert().values(name=name, entity=entity, mapping=json.dumps(mapping), created_at=now())
    )


def get_preset(conn: Connection, name: str) -> tuple[str, dict[str, str]] | None:
    """(entity, mapping) of preset ``name``, or None."""
    row = conn.execute(
        select(mapping_presets.c.entity, mapping_presets.c.mapping).where(mapping_presets.c.name == name)
    ).first()
    return None if row is None else (row.entity, json.loads(row.mapping))


def list_presets(conn: Connection) -> list[str]:
    """Names of all saved presets."""
    return list(conn.execute(select(mapping_presets.c.name).order_by(mapping_presets.c.name)).scalars())
