"""The plan's scenario as JSON: assumptions, lines and actions, which can be uploaded again to restore it.

Restoring writes a new draft version (never overwrites one) with the file's assumptions, lines and action items,
all in one transaction; a file that is not such an export is refused with the reason.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from salesops.plan.actions import ACTION_COLUMNS, replace_actions
from salesops.plan.drafts import LINE_COLUMNS, save_draft
from salesops.plan.report import PlanReport
from salesops.store.workspaces import now

FORMAT = "salesops-plan"
FORMAT_VERSION = 1
MAX_BYTES = 50 * 1024 * 1024


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Frame rows as JSON-ready dicts (dates as ISO text, NaN as null)."""
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
    return records


def scenario_payload(report: PlanReport) -> dict[str, Any]:
    """Everything needed to restore the plan, plus its headline figures (the same ones every export shows)."""
    plan = report.plan
    due = pd.Series([None if pd.isna(d) else str(d)[:10] for d in report.actions["due"]], dtype=object)
    actions = report.actions.assign(due=due.set_axis(report.actions.index))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "workspace": report.workspace,
        "exported_at": now().isoformat(timespec="seconds"),
        "as_of": report.as_of.isoformat(),
        "plan_version": None if plan is None else plan.version,
        "plan_name": None if plan is None else plan.name,
        "status": None if plan is None else plan.status,
        "summary": report.summary,
        "missing": list(report.missing),
        "assumptions": {} if plan is None else plan.assumptions,
        "lines": [] if plan is None else _records(plan.lines),
        "actions": _records(actions),
        "signoffs": _records(report.signoffs.astype({"signed_at": "string"})),
    }


def scenario_json(report: PlanReport) -> bytes:
    """The scenario as UTF-8 JSON text."""
    return json.dumps(scenario_payload(report), indent=2, ensure_ascii=False, default=str).encode("utf-8")


def read_scenario(data: bytes) -> dict[str, Any]:
    """Parse and check an uploaded scenario file; ValueError with the reason when it is not one."""
    if len(data) > MAX_BYTES:
        raise ValueError("The file is larger than a plan scenario can be.")
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"Not a JSON file: {exc}") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError("Not a plan scenario exported by Sales Ops Planner (no 'format': 'salesops-plan').")
    if not isinstance(payload.get("assumptions"), dict) or not isinstance(payload.get("lines"), list):
        raise ValueError("The scenario has no assumptions or no lines.")
    lines = pd.DataFrame(payload["lines"]).reindex(columns=list(LINE_COLUMNS))
    if len(lines) and pd.to_numeric(lines["value"], errors="coerce").isna().any():
        raise ValueError("Every plan line needs a numeric value.")
    return payload


def restore_scenario(conn: Connection, workspace_id: int, data: bytes, name: str | None = None) -> int:
    """A new draft from an uploaded scenario file (assumptions, lines, actions); returns its plan id."""
    payload = read_scenario(data)
    lines = pd.DataFrame(payload["lines"]).reindex(columns=list(LINE_COLUMNS))
    lines["value"] = pd.to_numeric(lines["value"])
    lines["lower"] = pd.to_numeric(lines["lower"])
    lines["upper"] = pd.to_numeric(lines["upper"])
    title = name or f"{payload.get('plan_name') or 'Plan'} (restored)"
    actions = pd.DataFrame(payload.get("actions") or [], columns=ACTION_COLUMNS)
    with conn.begin_nested() if conn.in_transaction() else conn.begin():
        plan_id = save_draft(conn, workspace_id, title, payload["assumptions"], lines)
        replace_actions(conn, workspace_id, plan_id, actions)
    return plan_id
