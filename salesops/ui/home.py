"""Facts for the home page: workspace freshness and the suggested next step."""

from __future__ import annotations

from sqlalchemy import Engine

from salesops.store import workspaces as ws
from salesops.ui.common import t


def freshness(engine: Engine, workspace_id: int) -> ws.Workspace:
    """The workspace with its record counts and last import time."""
    with engine.connect() as conn:
        for space in ws.list_all(conn):
            if space.id == workspace_id:
                return space
    return ws.Workspace(
        workspace_id, "—", 0, dict.fromkeys(("reps", "accounts", "leads", "deals", "activities"), 0), None
    )


def next_step(info: ws.Workspace) -> tuple[str, str]:
    """(page, message) telling the user what to do next in this workspace."""
    if info.counts.get("deals", 0) == 0:
        return "pages/1_data_collection.py", t("Import a deals export to get started (activities and leads add more).")
    if info.counts.get("activities", 0) == 0:
        return "pages/1_data_collection.py", t(
            "Deals are in. Import an activities export to see input KPIs and how top performers spend their time."
        )
    return "pages/2_demand_planning.py", t("Data is in. Review the KPIs, then plan demand for the coming quarters.")
