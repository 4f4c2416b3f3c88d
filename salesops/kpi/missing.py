"""What a missing field costs: records that figures leave out because a needed field is unmapped or empty.

One list of rules serves the import result (on the parsed records, before loading) and the KPI page and
``kpis --json`` (on the stored records), so a won deal without a close date is never silently dropped from revenue.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, func, select

from salesops.i18n import N_, translate
from salesops.store.schema import activities, deals, leads


@dataclass(frozen=True)
class Rule:
    """Records of ``entity`` (only won deals when ``won_only``) without ``field``, and what leaving them out costs."""

    entity: str
    field: str
    won_only: bool
    message: str


RULES: tuple[Rule, ...] = (
    Rule(
        "deals",
        "close_date",
        True,
        N_("{n} won deals have no close date and are left out of revenue; map a close-date column."),
    ),
    Rule(
        "deals",
        "amount",
        True,
        N_("{n} won deals have no amount and are left out of revenue and deal size; map an amount column."),
    ),
    Rule(
        "deals",
        "created_date",
        False,
        N_(
            "{n} deals have no created date and are left out of cycle length and opportunities created; "
            "map a created-date column."
        ),
    ),
    Rule(
        "deals",
        "owner",
        False,
        N_("{n} deals have no owner and are left out of per-rep figures; map an owner column."),
    ),
    Rule(
        "activities",
        "occurred_at",
        False,
        N_("{n} activities have no date and are left out of activity KPIs; map a date column."),
    ),
    Rule(
        "leads",
        "created_date",
        False,
        N_("{n} leads have no created date and are left out of leads per month; map a created-date column."),
    ),
)
_TABLES = {"deals": deals, "activities": activities, "leads": leads}


def _say(rule: Rule, n: int, lang: str) -> str:
    return translate(rule.message, lang, n=f"{n:,}")


def costs_in_records(records: pd.DataFrame, entity: str, lang: str = "en") -> list[str]:
    """What the records about to be loaded will miss in the figures (a field absent from them is unmapped)."""
    messages = []
    for rule in RULES:
        if rule.entity != entity:
            continue
        scope = records[records["status"] == "won"] if rule.won_only and "status" in records.columns else records
        missing = len(scope) if rule.field not in scope.columns else int(scope[rule.field].isna().sum())
        if missing:
            messages.append(_say(rule, missing, lang))
    return messages


def costs_in_store(conn: Connection, workspace_id: int, lang: str = "en") -> list[str]:
    """What the workspace's stored records miss in the figures, over all its records (whatever the period)."""
    messages = []
    for rule in RULES:
        table = _TABLES[rule.entity]
        conditions = [table.c.workspace_id == workspace_id, table.c[rule.field].is_(None)]
        if rule.won_only:
            conditions.append(table.c.status == "won")
        missing = int(conn.execute(select(func.count()).select_from(table).where(*conditions)).scalar_one())
        if missing:
            messages.append(_say(rule, missing, lang))
    return messages
