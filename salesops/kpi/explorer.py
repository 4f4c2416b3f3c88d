"""Small queries and reshaping the KPI explorer needs beyond the KPI functions: what data exists, flat tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, exists, select

from salesops.ingest.fields import ACTIVITY_TYPES
from salesops.store.schema import activity_daily, deals, leads


@dataclass(frozen=True)
class Presence:
    """Whether a workspace holds any deals, activities and leads, to choose the right empty state."""

    deals: bool
    activities: bool
    leads: bool = False


def presence(conn: Connection, workspace_id: int) -> Presence:
    """Three EXISTS probes (one index seek each), cheap even on millions of rows, unlike a COUNT."""
    has_deals = conn.execute(select(exists().where(deals.c.workspace_id == workspace_id))).scalar()
    has_activities = conn.execute(select(exists().where(activity_daily.c.workspace_id == workspace_id))).scalar()
    has_leads = conn.execute(select(exists().where(leads.c.workspace_id == workspace_id))).scalar()
    return Presence(bool(has_deals), bool(has_activities), bool(has_leads))


def summary_table(rows: list[dict[str, Any]], by: str) -> pd.DataFrame:
    """:func:`salesops.kpi.summary_by` rows as one flat table for display and CSV: one column per activity type.

    Columns: the group, won revenue … velocity, opportunities created, the six activity types, selling hours.
    """
    figures = [
        "won_revenue",
        "deals_won",
        "deals_lost",
        "win_rate",
        "avg_deal_size",
        "median_cycle_days",
        "open_deals",
        "open_pipeline",
        "weighted_pipeline",
        "velocity",
        "opportunities_created",
    ]
    records = []
    for row in rows:
        by_type = row.get("activities_by_type") or {}
        records.append(
            {
                by: row[by],
                **{name: row[name] for name in figures},
                **{kind: by_type.get(kind) for kind in ACTIVITY_TYPES},
                "selling_hours": row.get("selling_hours"),
            }
        )
    return pd.DataFrame.from_records(records, columns=[by, *figures, *ACTIVITY_TYPES, "selling_hours"])
