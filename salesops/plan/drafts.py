"""Saved plan versions: step 2 saves the demand it forecast as a draft; steps 3 and 4 read and extend it.

Versions number 1, 2, 3 … per workspace and are never reused; a draft is written (header and lines) atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, insert, select

from salesops.i18n import N_
from salesops.store.schema import plan_lines, plans
from salesops.store.workspaces import now

LINE_COLUMNS = ("kind", "metric", "segment", "period", "value", "lower", "upper")
PLAN_COLUMNS = ("id", "version", "name", "status", "created_at", "approved_by", "approved_at", "lines")
STATUSES = (N_("draft"), N_("proposed"), N_("approved"), N_("archived"))  # N_: pages show them translated


@dataclass(frozen=True)
class Plan:
    """One saved plan version with its assumptions and lines (LINE_COLUMNS, period as ``YYYY-MM``)."""

    id: int
    version: int
    name: str
    status: str
    assumptions: dict[str, Any]
    created_at: datetime
    lines: pd.DataFrame
    saved_at: datetime | None = None  # when the draft was saved as a named version (frozen from then on)
    based_on: int | None = None  # the version this one was started from
    approved_by: str | None = None
    approved_at: datetime | None = None

    @property
    def read_only(self) -> bool:
        """Saved and signed versions are frozen; only a draft can change."""
        return self.status != "draft"


class ReadOnlyPlanError(ValueError):
    """Raised when something tries to change a saved or signed version."""


def plan_status(conn: Connection, workspace_id: int, plan_id: int) -> str:
    """The status of plan ``plan_id``; LookupError when the workspace has no such plan."""
    row = conn.execute(select(plans.c.status).where(plans.c.workspace_id == workspace_id, plans.c.id == plan_id))
    status = row.scalar()
    if status is None:
        raise LookupError(f"no plan {plan_id} in this workspace")
    return str(status)


def ensure_draft(conn: Connection, workspace_id: int, plan_id: int) -> None:
    """Raise :class:`ReadOnlyPlanError` unless the plan is a draft."""
    if plan_status(conn, workspace_id, plan_id) != "draft":
        raise ReadOnlyPlanError("This version is saved or signed and cannot change; start a new draft from it.")


def save_draft(
    conn: Connection,
    workspace_id: int,
    name: str,
    assumptions: dict[str, Any],
    lines: pd.DataFrame,
    *,
    based_on: int | None = None,
) -> int:
    """Store a new draft version (the next number in the workspace) with its lines; returns the plan id.

    ``based_on`` is the version the draft was started from (step 4's "new draft from a signed version").

    ``lines`` has LINE_COLUMNS; ``period`` may be ``YYYY-MM`` text or a date, ``segment`` empty/None for the total,
    ``lower``/``upper`` None where there is no interval. Runs in one transaction (a savepoint inside the caller's).
    """
    missing = [c for c in LINE_COLUMNS if c not in lines.columns]
    if missing:
        raise ValueError(f"plan lines need the columns {', '.join(missing)}")
    if lines["value"].isna().any():
        raise ValueError("every plan line needs a value")
    with conn.begin_nested() if conn.in_transaction() else conn.begin():
        latest = conn.execute(select(func.max(plans.c.version)).where(plans.c.workspace_id == workspace_id))
        version = int(latest.scalar() or 0) + 1
        plan_id = conn.execute(
            insert(plans)
            .values(
                workspace_id=workspace_id,
                version=version,
                name=name,
                status="draft",
                assumptions=json.dumps(assumptions, default=str, sort_keys=True),
                created_at=now(),
                based_on=based_on,
            )
            .returning(plans.c.id)
        ).scalar_one()
        rows = [{"workspace_id": workspace_id, "plan_id": plan_id, **line} for line in _line_records(lines)]
        if rows:
            conn.execute(insert(plan_lines), rows)
    return int(plan_id)


def latest_plan(conn: Connection, workspace_id: int, status: str | None = None) -> Plan | None:
    """The highest version of the workspace (with ``status`` when given), or None when there is none."""
    query = select(plans).where(plans.c.workspace_id == workspace_id)
    if status is not None:
        query = query.where(plans.c.status == status)
    row = conn.execute(query.order_by(plans.c.version.desc()).limit(1)).first()
    return None if row is None else _with_lines(conn, row)


def plan_version(conn: Connection, workspace_id: int, version: int) -> Plan | None:
    """Version ``version`` of the workspace's plans, or None when there is no such version."""
    query = select(plans).where(plans.c.workspace_id == workspace_id, plans.c.version == version)
    row = conn.execute(query).first()
    return None if row is None else _with_lines(conn, row)


def _with_lines(conn: Connection, row: Any) -> Plan:
    """A plans row with its lines read."""
    cols = [plan_lines.c[c] for c in LINE_COLUMNS]
    data = conn.execute(select(*cols).where(plan_lines.c.plan_id == row.id).order_by(plan_lines.c.id)).all()
    lines = pd.DataFrame(data, columns=list(LINE_COLUMNS)).astype({"value": float, "lower": float, "upper": float})
    return Plan(
        row.id,
        row.version,
        row.name,
        row.status,
        json.loads(row.assumptions),
        row.created_at,
        lines,
        row.saved_at,
        row.based_on,
        row.approved_by,
        row.approved_at,
    )


def list_plans(conn: Connection, workspace_id: int) -> pd.DataFrame:
    """Every version of the workspace, newest first: PLAN_COLUMNS (``lines`` = number of plan lines)."""
    n_lines = (
        select(plan_lines.c.plan_id, func.count().label("lines"))
        .where(plan_lines.c.workspace_id == workspace_id)
        .group_by(plan_lines.c.plan_id)
        .subquery("line_counts")
    )
    query = (
        select(*[plans.c[c] for c in PLAN_COLUMNS[:-1]], func.coalesce(n_lines.c.lines, 0))
        .select_from(plans.outerjoin(n_lines, n_lines.c.plan_id == plans.c.id))
        .where(plans.c.workspace_id == workspace_id)
        .order_by(plans.c.version.desc())
    )
    return pd.DataFrame(conn.execute(query).all(), columns=list(PLAN_COLUMNS))


def _line_records(lines: pd.DataFrame) -> list[dict[str, Any]]:
    """Plan lines as insert rows: ``YYYY-MM`` periods, "" for the total segment, None for missing bounds."""
    period = lines["period"]
    if not pd.api.types.is_string_dtype(period) and not pd.api.types.is_object_dtype(period):
        period = pd.to_datetime(period).dt.strftime("%Y-%m")
    else:
        period = period.astype(str).str.slice(0, 7)
    records = []
    for kind, metric, segment, month, value, lower, upper in zip(
        lines["kind"],
        lines["metric"],
        lines["segment"],
        period,
        lines["value"],
        lines["lower"],
        lines["upper"],
        strict=True,
    ):
        records.append(
            {
                "kind": str(kind),
                "metric": str(metric),
                "segment": "" if segment is None or pd.isna(segment) else str(segment),
                "period": month,
                "value": float(value),
                "lower": None if pd.isna(lower) else float(lower),
                "upper": None if pd.isna(upper) else float(upper),
            }
        )
    return records
