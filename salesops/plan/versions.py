"""Plan versions in step 4: save a draft as a named, frozen version, sign it, start a new draft from it, compare two.

Life of a version: ``draft`` (editable: actions, stack checklist) → ``proposed`` (saved under a name and date,
frozen) → ``approved`` (signed by someone with a role, when, and a comment; still frozen, more people may sign).
A new draft copies a version's assumptions, lines and action items and records which version it came from.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd
from sqlalchemy import Connection, insert, select, update

from salesops.plan.actions import load_actions, replace_actions
from salesops.plan.drafts import Plan, ensure_draft, plan_status, save_draft
from salesops.store.schema import plan_signoffs, plans
from salesops.store.workspaces import now

SIGNOFF_COLUMNS = ["name", "role", "signed_at", "comment"]


def update_assumptions(conn: Connection, workspace_id: int, plan_id: int, patch: dict[str, Any]) -> None:
    """Merge ``patch`` into a draft's assumptions (e.g. the stack checklist); read-only versions refuse."""
    with conn.begin_nested() if conn.in_transaction() else conn.begin():
        ensure_draft(conn, workspace_id, plan_id)
        where = (plans.c.workspace_id == workspace_id, plans.c.id == plan_id)
        current = json.loads(conn.execute(select(plans.c.assumptions).where(*where)).scalar_one())
        merged = json.dumps({**current, **patch}, default=str, sort_keys=True)
        conn.execute(update(plans).where(*where).values(assumptions=merged))


def save_version(conn: Connection, workspace_id: int, plan_id: int, name: str) -> None:
    """Freeze a draft as the named version it is, dated now."""
    if not name.strip():
        raise ValueError("A saved version needs a name.")
    with conn.begin_nested() if conn.in_transaction() else conn.begin():
        ensure_draft(conn, workspace_id, plan_id)
        conn.execute(
            update(plans)
            .where(plans.c.workspace_id == workspace_id, plans.c.id == plan_id)
            .values(name=name.strip(), status="proposed", saved_at=now())
        )


def sign(conn: Connection, workspace_id: int, plan_id: int, *, name: str, role: str, comment: str = "") -> None:
    """Record a sign-off (who, role, now, comment); the version becomes approved and read-only."""
    if not name.strip() or not role.strip():
        raise ValueError("A sign-off needs the signer's name and role.")
    with conn.begin_nested() if conn.in_transaction() else conn.begin():
        status = plan_status(conn, workspace_id, plan_id)
        when = now()
        values: dict[str, Any] = {"status": "approved", "approved_by": name.strip(), "approved_at": when}
        if status == "draft":
            values["saved_at"] = when
        if status != "approved":
            conn.execute(
                update(plans).where(plans.c.workspace_id == workspace_id, plans.c.id == plan_id).values(**values)
            )
        conn.execute(
            insert(plan_signoffs).values(
                workspace_id=workspace_id,
                plan_id=plan_id,
                name=name.strip(),
                role=role.strip(),
                signed_at=when,
                comment=comment.strip(),
            )
        )


def signoffs(conn: Connection, workspace_id: int, plan_id: int) -> pd.DataFrame:
    """The sign-offs of a version, oldest first: SIGNOFF_COLUMNS."""
    query = (
        select(*[plan_signoffs.c[c] for c in SIGNOFF_COLUMNS])
        .where(plan_signoffs.c.workspace_id == workspace_id, plan_signoffs.c.plan_id == plan_id)
        .order_by(plan_signoffs.c.id)
    )
    return pd.DataFrame(conn.execute(query).all(), columns=SIGNOFF_COLUMNS)


def new_draft_from(
    conn: Connection, workspace_id: int, source: Plan, name: str, patch: dict[str, Any] | None = None
) -> int:
    """A new draft copying ``source``'s assumptions (with ``patch`` merged), lines and action items."""
    with conn.begin_nested() if conn.in_transaction() else conn.begin():
        assumptions = {**source.assumptions, **(patch or {})}
        plan_id = save_draft(conn, workspace_id, name, assumptions, source.lines, based_on=source.version)
        replace_actions(conn, workspace_id, plan_id, load_actions(conn, workspace_id, source.id))
    return plan_id


COMPARE_COLUMNS = ["section", "item", "a", "b", "change", "change_pct"]


def _flatten(prefix: str, value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flatten(f"{prefix}.{key}" if prefix else str(key), inner))
        return out
    return {prefix: json.dumps(value, sort_keys=True, default=str) if isinstance(value, list) else value}


def _numeric(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _row(section: str, item: str, a: Any, b: Any) -> dict[str, Any]:
    x, y = _numeric(a), _numeric(b)
    change = None if x is None or y is None else y - x
    pct = None if change is None or not x else change / abs(x)
    return {"section": section, "item": item, "a": a, "b": b, "change": change, "change_pct": pct}


def compare_versions(a: Plan, b: Plan, actions_a: pd.DataFrame, actions_b: pd.DataFrame) -> pd.DataFrame:
    """What changed from version ``a`` to ``b``: assumptions that differ, line totals per kind and metric (and the
    change, absolute and relative), and the action items added or dropped. COMPARE_COLUMNS."""
    rows = []
    flat_a, flat_b = _flatten("", a.assumptions), _flatten("", b.assumptions)
    for key in sorted(set(flat_a) | set(flat_b)):
        if flat_a.get(key) != flat_b.get(key):
            rows.append(_row("assumptions", key, flat_a.get(key), flat_b.get(key)))
    totals_a = a.lines.groupby(["kind", "metric"])["value"].sum() if len(a.lines) else pd.Series(dtype=float)
    totals_b = b.lines.groupby(["kind", "metric"])["value"].sum() if len(b.lines) else pd.Series(dtype=float)
    for key in sorted(set(totals_a.index) | set(totals_b.index)):
        total_a, total_b = totals_a.get(key), totals_b.get(key)
        rows.append(_row("totals", " · ".join(key), total_a, total_b))
    texts_a, texts_b = set(actions_a["action"]), set(actions_b["action"])
    rows += [_row("actions", text, None, "added") for text in sorted(texts_b - texts_a)]
    rows += [_row("actions", text, "dropped", None) for text in sorted(texts_a - texts_b)]
    rows.append(_row("actions", "count", len(actions_a), len(actions_b)))
    return pd.DataFrame.from_records(rows, columns=COMPARE_COLUMNS)


def plan_stamp(conn: Connection, workspace_id: int, plan_id: int) -> str:
    """A token that changes whenever the plan, its actions or its sign-offs change (a cache key for the page)."""
    row = conn.execute(
        select(plans.c.status, plans.c.name, plans.c.assumptions, plans.c.saved_at, plans.c.approved_at).where(
            plans.c.workspace_id == workspace_id, plans.c.id == plan_id
        )
    ).first()
    actions = load_actions(conn, workspace_id, plan_id)
    signed = len(signoffs(conn, workspace_id, plan_id))
    token = repr((tuple(row or ()), actions.to_json(date_format="iso"), signed))
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
