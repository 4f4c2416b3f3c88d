"""Facts for the home page: workspace freshness and the suggested next step."""

from __future__ import annotations

import streamlit as st

from salesops.ingest.fields import ENTITIES
from salesops.store import workspaces as ws
from salesops.ui.common import data_version, t
from salesops.ui.common import engine as shared_engine


@st.cache_data(max_entries=16, show_spinner=False)
def _freshness(workspace_id: int, version: int) -> ws.Workspace:
    with shared_engine().connect() as conn:
        found = ws.describe(conn, workspace_id)
    empty = dict.fromkeys(ENTITIES, 0)
    return found or ws.Workspace(workspace_id, "—", 0, empty, None)


def freshness(workspace_id: int) -> ws.Workspace:
    """The workspace with its record counts and last import time (counted once per data version)."""
    return _freshness(workspace_id, data_version())


def next_step(info: ws.Workspace) -> tuple[str, str]:
    """(page, message) telling the user what to do next in this workspace."""
    if info.counts.get("deals", 0) == 0:
        return "pages/1_data_collection.py", t("Import a deals export to get started (activities and leads add more).")
    if info.counts.get("activities", 0) == 0:
        return "pages/1_data_collection.py", t(
            "Deals are in. Import an activities export to see input KPIs and how top performers spend their time."
        )
    return "pages/2_demand_planning.py", t("Data is in. Review the KPIs, then plan demand for the coming quarters.")
