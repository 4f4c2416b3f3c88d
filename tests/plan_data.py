"""A small workspace whose CRM values try to be formulas and links, with a plan saved as steps 2 and 3 do."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, insert

from salesops.plan import save_draft
from salesops.plan.actions import replace_actions
from salesops.store.schema import accounts, deals, leads
from salesops.store.workspaces import get_or_create
from tests.plan_fixtures import contract_plan

FORMULA = '=HYPERLINK("http://x","y")'
LINK = "[a](http://x)"
BOOK = {"batch_id": 0, "created_batch_id": 0}


def _deal(n: int, owner: str, account: str, status: str, close: date) -> dict[str, Any]:
    closed = status != "open"
    return {
        "id": f"D{n}",
        "owner": owner,
        "account": account,
        "status": status,
        "is_closed": closed,
        "is_won": status == "won",
        "amount": 10_000.0,
        "created_date": close - timedelta(days=40),
        "close_date": close,
        **BOOK,
    }


def _deals() -> list[dict[str, Any]]:
    """Rep FORMULA wins LINK-industry deals best; Bob sells both industries; every month of 2025 closes deals."""
    rows, n = [], 0
    plan = [
        (FORMULA, FORMULA, "won", 7),
        (FORMULA, FORMULA, "lost", 3),
        ("Bob", FORMULA, "won", 3),
        ("Bob", FORMULA, "lost", 7),
        ("Bob", "Plain Co", "won", 5),
        ("Bob", "Plain Co", "lost", 5),
    ]
    for owner, account, status, count in plan:
        for i in range(count):
            n += 1
            rows.append(_deal(n, owner, account, status, date(2025, 1 + (n % 12), 10 + i % 10)))
    for owner, account, count in ((FORMULA, FORMULA, 2), ("Bob", FORMULA, 8), ("Bob", "Plain Co", 2)):
        for _ in range(count):
            n += 1
            rows.append(_deal(n, owner, account, "open", date(2026, 1, 28)))
    return rows


def injection_workspace(conn: Connection, name: str = "Inert") -> int:
    """The workspace, its plan (named with both values) and an action and a lead carrying them; returns its id."""
    workspace = get_or_create(conn, name)
    conn.execute(
        insert(accounts),
        [
            {"workspace_id": workspace, "id": "A1", "name": FORMULA, "industry": LINK, **BOOK},
            {"workspace_id": workspace, "id": "A2", "name": "Plain Co", "industry": "Retail", **BOOK},
        ],
    )
    conn.execute(insert(deals), [{**row, "workspace_id": workspace} for row in _deals()])
    conn.execute(
        insert(leads),
        [
            {
                "workspace_id": workspace,
                "id": "L1",
                "company": FORMULA,
                "name": LINK,
                "industry": LINK,
                "score": 90.0,
                "converted": False,
                **BOOK,
            }
        ],
    )
    plan_id = save_draft(conn, workspace, *contract_plan(f"{LINK} {FORMULA}"))
    actions = pd.DataFrame(
        [
            {
                "area": "sales_process",
                "action": FORMULA,
                "owner": LINK,
                "due": date(2026, 3, 1),
                "status": "open",
                "needs_signoff": True,
            }
        ]
    )
    replace_actions(conn, workspace, plan_id, actions)
    return workspace
