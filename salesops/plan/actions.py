"""Action items of a plan: generated from the recommendations, edited in a table, stored with the plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, insert, select

from salesops.plan.drafts import ensure_draft
from salesops.plan.recommend import AREAS, Recommendation
from salesops.store.schema import action_items, plans

ACTION_COLUMNS = ["area", "action", "owner", "due", "status", "needs_signoff"]
ACTION_STATUSES = ("open", "in_progress", "done")
# Weeks from the plan date to the due date, by area: fixing data first, people changes take a quarter.
DUE_WEEKS = {"technology": 4, "sales_process": 6, "people": 12, "communication": 2}


def generate_actions(recommendations: Sequence[Recommendation], today: date) -> pd.DataFrame:
    """One open action per recommendation, owned by its suggested owner, due by area (DUE_WEEKS)."""
    rows = [
        {
            "area": rec.area,
            "action": rec.text,
            "owner": rec.owner,
            "due": today + timedelta(weeks=DUE_WEEKS[rec.area]),
            "status": "open",
            "needs_signoff": rec.needs_signoff,
        }
        for rec in recommendations
    ]
    return pd.DataFrame.from_records(rows, columns=ACTION_COLUMNS)


def clean_actions(frame: pd.DataFrame) -> pd.DataFrame:
    """Edited rows made storable: blank actions dropped, unknown areas/statuses refused, dates as dates."""
    out = frame.reindex(columns=ACTION_COLUMNS).copy()
    out["action"] = out["action"].astype("object").fillna("").astype(str).str.strip()
    out = out[out["action"] != ""]
    out["area"] = out["area"].astype("object").fillna("technology").astype(str)
    out["status"] = out["status"].astype("object").fillna("open").astype(str)
    bad_area = sorted(set(out["area"]) - set(AREAS))
    bad_status = sorted(set(out["status"]) - set(ACTION_STATUSES))
    if bad_area or bad_status:
        raise ValueError(f"unknown area or status: {', '.join(bad_area + bad_status)}")
    out["owner"] = out["owner"].astype("object").where(out["owner"].notna(), None)
    due = pd.to_datetime(out["due"], errors="coerce")
    out["due"] = [None if pd.isna(v) else v.date() for v in due]
    out["needs_signoff"] = out["needs_signoff"].astype("object").fillna(False).astype(bool)
    return out.reset_index(drop=True)


def replace_actions(conn: Connection, workspace_id: int, plan_id: int, frame: pd.DataFrame) -> None:
    """Store ``frame`` (ACTION_COLUMNS) as the plan's action items, replacing the previous ones, in one transaction.

    Only a draft's actions change; saved and signed versions raise ``ReadOnlyPlanError``.
    """
    rows = clean_actions(frame)
    with conn.begin_nested() if conn.in_transaction() else conn.begin():
        ensure_draft(conn, workspace_id, plan_id)
        conn.execute(
            delete(action_items).where(action_items.c.workspace_id == workspace_id, action_items.c.plan_id == plan_id)
        )
        records: list[dict[str, Any]] = [
            {
                "workspace_id": workspace_id,
                "plan_id": plan_id,
                "area": r.area,
                "text": r.action,
                "owner": r.owner,
                "due": r.due,
                "status": r.status,
                "needs_signoff": bool(r.needs_signoff),
            }
            for r in rows.itertuples(index=False)
        ]
        if records:
            conn.execute(insert(action_items), records)


def load_actions(conn: Connection, workspace_id: int, plan_id: int) -> pd.DataFrame:
    """The plan's action items in the order they were stored: ACTION_COLUMNS."""
    query = (
        select(
            action_items.c.area,
            action_items.c.text,
            action_items.c.owner,
            action_items.c.due,
            action_items.c.status,
            action_items.c.needs_signoff,
        )
        .join(plans, plans.c.id == action_items.c.plan_id)
        .where(action_items.c.workspace_id == workspace_id, action_items.c.plan_id == plan_id)
        .order_by(action_items.c.id)
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=ACTION_COLUMNS)
    return frame.astype(
        {"area": "object", "action": "object", "owner": "object", "status": "object", "needs_signoff": bool}
    )
