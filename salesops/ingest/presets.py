"""Named column mappings a user saved in a workspace, reused for the next export from the same CRM report.

Every read and write names the workspace: a preset saved in one workspace is neither seen nor overwritten from
another (two teams may well keep different mappings under the same name).
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, delete, select

from salesops.i18n import translate
from salesops.ingest.builtin_presets import BUILTIN_PREFIX
from salesops.store.schema import mapping_presets
from salesops.store.workspaces import now


def save_preset(conn: Connection, workspace_id: int, name: str, entity: str, mapping: dict[str, str]) -> bool:
    """Create preset ``name`` in the workspace, or replace the workspace's own preset of that name.

    Returns True when it replaced one, so the caller can say so.
    """
    name = name.strip()
    if not name:
        raise ValueError(translate("A mapping preset needs a name."))
    if name.startswith(BUILTIN_PREFIX):
        raise ValueError(
            translate("Preset names starting with {prefix!r} are kept for built-in presets.", prefix=BUILTIN_PREFIX)
        )
    mine = (mapping_presets.c.workspace_id == workspace_id) & (mapping_presets.c.name == name)
    replaced = conn.execute(delete(mapping_presets).where(mine)).rowcount > 0
    conn.execute(
        mapping_presets.insert().values(
            workspace_id=workspace_id, name=name, entity=entity, mapping=json.dumps(mapping), created_at=now()
        )
    )
    return replaced


def get_preset(conn: Connection, workspace_id: int, name: str) -> tuple[str, dict[str, str]] | None:
    """(entity, mapping) of the workspace's preset ``name``, or None."""
    row = conn.execute(
        select(mapping_presets.c.entity, mapping_presets.c.mapping).where(
            mapping_presets.c.workspace_id == workspace_id, mapping_presets.c.name == name
        )
    ).first()
    return None if row is None else (str(row.entity), dict(json.loads(row.mapping)))


def list_presets(conn: Connection, workspace_id: int) -> list[str]:
    """Names of the presets saved in the workspace."""
    stmt = select(mapping_presets.c.name).where(mapping_presets.c.workspace_id == workspace_id)
    return list(conn.execute(stmt.order_by(mapping_presets.c.name)).scalars())
