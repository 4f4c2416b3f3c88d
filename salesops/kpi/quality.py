"""Data-quality report of a workspace: completeness, validity, likely duplicates, stale and inconsistent deals.

Everything is counted in SQL: one query per table gives the filled count of every column and the count of every
rule breach (CASE sums), one GROUP BY per duplicate key finds likely duplicates. The score starts at 100 and each
finding takes off its severity's weight times the share of the entity's rows it affects, so a single bad row
costs little and a column that is empty everywhere costs the full weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, NamedTuple

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Table, and_, case, func, not_, or_, select

from salesops.i18n import DEFAULT_LANGUAGE, N_, translate
from salesops.kpi.sqlfilters import rep_lookup
from salesops.store.schema import RECORD_TABLES, accounts, activities, deals, leads, reps
from salesops.store.sqlfn import in_workspace_scan

Severity = Literal["high", "medium", "low"]
WEIGHTS: dict[str, float] = {"high": 25.0, "medium": 10.0, "low": 4.0}
BOOKKEEPING = {"workspace_id", "id", "extra", "batch_id", "created_batch_id"}


@dataclass(frozen=True)
class Finding:
    """One problem in the data, how many rows have it and what to do about it."""

    severity: Severity
    entity: str
    column: str | None
    message: str  # an English template of the catalog ({placeholders} from ``values``)
    fix: str
    count: int
    base: int | None = None  # rows the share is taken over when not the whole entity (e.g. open deals)
    values: tuple[tuple[str, str | int], ...] = ()

    def describe(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The problem in words, in ``lang`` (entity names translated too)."""
        values = {k: translate(str(v), lang) if k == "entity" else v for k, v in self.values}
        return translate(self.message, lang, **values)

    def remedy(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """What to do about it, in ``lang``."""
        return translate(self.fix, lang)


@dataclass(frozen=True)
class QualityReport:
    """The 0-100 score, the findings that lower it (worst first) and completeness per entity and column."""

    score: int
    findings: list[Finding]
    columns: pd.DataFrame  # entity, column, filled, rows, completeness (0-1)


class _Rule(NamedTuple):
    severity: Severity
    column: str | None
    condition: ColumnElement[bool]
    message: str
    fix: str
    open_only: bool = False  # the rule is about open deals: its share is of open deals
    values: tuple[tuple[str, str | int], ...] = ()  # the message's placeholders


# Columns whose gaps break KPIs, with the severity of a gap and the fix. Deal amounts are judged per status instead
# (open, won, lost: see the rules), as a missing amount costs something different on each.
KEY_COLUMNS: dict[str, dict[str, tuple[Severity, str]]] = {
    "deals": {
        "account": (
            "low",
            N_(
                "Map the account column, or link the deals to accounts in the CRM; segment and ICP "
                "figures leave these deals out."
            ),
        ),
        "close_date": ("high", N_("Map the close date; closed deals without one are left out of every period.")),
        "created_date": ("medium", N_("Map the created date; cycle length and opportunities created need it.")),
        "owner": ("medium", N_("Map the owner column so deals count for a rep, team and region.")),
        "stage": ("low", N_("Map the stage column; the funnel needs it.")),
        "probability": ("low", N_("Map probability; the weighted pipeline falls back to the win rate without it.")),
    },
    "activities": {
        "occurred_at": ("high", N_("Map the activity date; undated activities count in no period.")),
        "owner": ("medium", N_("Map the activity owner so activities count for a rep.")),
        "duration_minutes": ("low", N_("Map the duration to measure selling hours.")),
    },
    "reps": {
        "team": ("low", N_("Add a team column to the reps export to filter and group by team.")),
        "quota": ("low", N_("Add quotas to the reps export to see attainment.")),
    },
    "leads": {
        "created_date": ("medium", N_("Map the lead created date; lead volume per period needs it.")),
        "source": ("low", N_("Map the lead source to compare channels.")),
    },
    "accounts": {"name": ("medium", N_("Map the account name; deals are linked to accounts by name."))},
}


def _email_invalid(column: ColumnElement[Any]) -> ColumnElement[bool]:
    return and_(column.is_not(None), not_(column.like("%_@_%.%")))


# How the completeness finding of a key column reads when "column is empty in n of m" would not say what it costs.
EMPTY_WORDS = N_("{column} is empty in {missing} of {rows} {entity}.")
MISSING_WORDS: dict[tuple[str, str], str] = {("deals", "account"): N_("{missing} of {rows} deals have no account.")}


def _amount_rules() -> list[_Rule]:
    """Missing and negative amounts, separately for open, won and lost deals."""
    d = deals.c
    return [
        _Rule("high", "amount", d.amount < 0, N_("Negative deal amounts."), N_("Correct the amounts in the CRM.")),
        _Rule(
            "high",
            "amount",
            and_(d.status == "won", or_(d.amount.is_(None), d.amount == 0)),
            N_("Won deals without an amount."),
            N_("Enter the amount of every won deal; revenue is understated."),
        ),
        _Rule(
            "medium",
            "amount",
            and_(d.status == "open", d.amount.is_(None)),
            N_("Open deals without an amount."),
            N_("Enter amounts on open deals; the pipeline, its coverage and the pipeline forecast count them as 0."),
            open_only=True,
        ),
        _Rule(
            "low",
            "amount",
            and_(d.status == "lost", d.amount.is_(None)),
            N_("Lost deals without an amount."),
            N_("Map or fill the amount; the value of lost deals is understated (win rate is not affected)."),
        ),
    ]


def _date_rules(as_of: date) -> list[_Rule]:
    """Close dates that contradict the as-of date or the deal: future closes, stale opens, missing or early dates."""
    d = deals.c
    return [
        _Rule(
            "medium",
            "close_date",
            and_(d.status != "open", d.close_date > as_of),
            N_("Closed deals dated after the as-of date ({day})."),
            N_(
                "Correct the close date in the CRM: a deal is not won or lost in the future. Until then these deals "
                "are left out of KPIs and forecast history."
            ),
            values=(("day", as_of.isoformat()),),
        ),
        _Rule(
            "medium",
            "close_date",
            and_(d.status == "open", d.close_date < as_of),
            N_("Open deals whose close date has passed (stale pipeline)."),
            N_("Ask owners to update the close date or close the deal; stale deals inflate the pipeline."),
            open_only=True,
        ),
        _Rule(
            "medium",
            "close_date",
            and_(d.status != "open", d.close_date.is_(None)),
            N_("Closed deals without a close date."),
            N_("Map or fill the close date; these deals count in no period."),
        ),
        _Rule(
            "medium",
            "close_date",
            and_(d.close_date.is_not(None), d.created_date.is_not(None), d.close_date < d.created_date),
            N_("Close date before created date."),
            N_("Fix the dates; these deals are left out of cycle length."),
        ),
    ]


def _rules(as_of: date) -> dict[str, list[_Rule]]:
    """Validity and consistency rules per entity, each a SQL condition on one row."""
    d = deals.c
    return {
        "deals": [
            *_amount_rules(),
            *_date_rules(as_of),
            _Rule(
                "medium",
                "probability",
                or_(d.probability < 0, d.probability > 100),
                N_("Probability outside 0-100."),
                N_("Export probability as a percentage between 0 and 100."),
            ),
            _Rule(
                "low",
                "probability",
                and_(d.status == "open", d.probability >= 100),
                N_("Open deals at 100 % probability."),
                N_("Close them as won, or lower the probability."),
            ),
            _Rule(
                "low",
                "probability",
                and_(d.status == "lost", d.probability > 0),
                N_("Lost deals with a probability above 0."),
                N_("Set probability to 0 when a deal is lost (a stage-probability setting in most CRMs)."),
            ),
        ],
        "activities": [
            _Rule(
                "low",
                "duration_minutes",
                activities.c.duration_minutes < 0,
                N_("Negative activity durations."),
                N_("Correct the durations; they reduce selling hours."),
            ),
        ],
        "leads": [
            _Rule(
                "low", "email", _email_invalid(leads.c.email), N_("Malformed lead emails."), N_("Correct the emails.")
            ),
        ],
        "reps": [
            _Rule("low", "email", _email_invalid(reps.c.email), N_("Malformed rep emails."), N_("Correct the emails.")),
            _Rule("medium", "quota", reps.c.quota < 0, N_("Negative quotas."), N_("Correct the quotas.")),
        ],
    }


def _norm(column: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.lower(func.trim(column))


# Likely duplicates (the CRM id is unique after upsert): same normalised value(s) on different records.
DUPLICATE_KEYS: dict[str, list[tuple[str, list[ColumnElement[Any]]]]] = {
    "accounts": [("name", [_norm(accounts.c.name)])],
    "leads": [("email", [_norm(leads.c.email)])],
    "reps": [("name", [_norm(reps.c.name)]), ("email", [_norm(reps.c.email)])],
    # Repeat business reuses deal names ("Acme - Renewal"): a likely duplicate also repeats amount and close date.
    "deals": [("name", [_norm(deals.c.name), _norm(deals.c.account), deals.c.amount, deals.c.close_date])],
}


def _columns_and_rules(
    conn: Connection, workspace_id: int, entity: str, table: Table, rules: list[_Rule]
) -> tuple[int, list[dict[str, Any]], list[tuple[_Rule, int]]]:
    """One query: row count, filled count per column, breach count per rule."""
    names = [c.name for c in table.columns if c.name not in BOOKKEEPING]
    query = select(
        func.count().label("rows"),
        *[func.count(table.c[name]) for name in names],
        *[func.coalesce(func.sum(case((rule.condition, 1), else_=0)), 0) for rule in rules],
    ).where(in_workspace_scan(table.c.workspace_id, workspace_id, conn.dialect.name))
    values = list(conn.execute(query).one())
    rows = int(values[0])
    filled = values[1 : 1 + len(names)]
    columns = [
        {"entity": entity, "column": name, "filled": int(n), "rows": rows, "completeness": n / rows if rows else None}
        for name, n in zip(names, filled, strict=True)
    ]
    breaches = [(rule, int(n)) for rule, n in zip(rules, values[1 + len(names) :], strict=True)]
    return rows, columns, breaches


def _duplicates(conn: Connection, workspace_id: int, table: Table, key: list[ColumnElement[Any]]) -> int:
    """Records beyond the first in every group sharing the normalised key (keys with a NULL part are skipped)."""
    groups = (
        select(func.count().label("n"))
        .where(
            in_workspace_scan(table.c.workspace_id, workspace_id, conn.dialect.name),
            *[part.is_not(None) for part in key],
        )
        .group_by(*key)
        .having(func.count() > 1)
        .subquery()
    )
    return int(conn.execute(select(func.coalesce(func.sum(groups.c.n - 1), 0))).scalar() or 0)


def _open_deals(conn: Connection, workspace_id: int) -> int:
    """Open deals of the workspace (the base of open-pipeline findings)."""
    return int(
        conn.execute(
            select(func.count()).where(deals.c.workspace_id == workspace_id, deals.c.status == "open")
        ).scalar()
        or 0
    )


def _orphan_owners(conn: Connection, workspace_id: int) -> int:
    """Deals whose owner matches no rep name or id (only meaningful when reps are loaded)."""
    known = rep_lookup(workspace_id).subquery("known_reps")
    query = select(func.count()).where(
        deals.c.workspace_id == workspace_id,
        deals.c.owner.is_not(None),
        deals.c.owner.not_in(select(known.c.key)),
    )
    return int(conn.execute(query).scalar() or 0)


def score(findings: list[Finding], rows: dict[str, int]) -> int:
    """100 minus, per finding, its severity weight × the share of the entity's rows affected (a whole weight when
    the entity has no rows to share over)."""
    penalty = 0.0
    for finding in findings:
        total = finding.base if finding.base is not None else rows.get(finding.entity, 0)
        share = min(1.0, finding.count / total) if total else 1.0
        penalty += WEIGHTS[finding.severity] * share
    return max(0, min(100, round(100 - penalty)))


def quality_report(conn: Connection, workspace_id: int, as_of: date) -> QualityReport:
    """Completeness, validity, duplicates, stale and inconsistent records of a workspace, and a 0-100 score.

    ``as_of`` (:mod:`salesops.asof`) decides which open deals are stale (close date before it) and which closed
    deals are dated in the future (after it).
    """
    rules = _rules(as_of)
    findings: list[Finding] = []
    columns: list[dict[str, Any]] = []
    rows: dict[str, int] = {}
    for entity, table in RECORD_TABLES.items():
        count, entity_columns, breaches = _columns_and_rules(conn, workspace_id, entity, table, rules.get(entity, []))
        rows[entity] = count
        columns += entity_columns
        if not count:
            continue
        for column in entity_columns:
            severity_fix = KEY_COLUMNS.get(entity, {}).get(column["column"])
            missing = count - column["filled"]
            if severity_fix and missing:
                severity, fix = severity_fix
                words = MISSING_WORDS.get((entity, column["column"]), EMPTY_WORDS)
                values = (("column", column["column"]), ("missing", missing), ("rows", count), ("entity", entity))
                findings.append(Finding(severity, entity, column["column"], words, fix, missing, None, values))
        open_deals = _open_deals(conn, workspace_id) if entity == "deals" else None
        findings += [
            Finding(r.severity, entity, r.column, r.message, r.fix, n, open_deals if r.open_only else None, r.values)
            for r, n in breaches
            if n
        ]
        for column_name, key in DUPLICATE_KEYS.get(entity, []):
            n = _duplicates(conn, workspace_id, table, key)
            if n:
                message = N_("{n} {entity} look like duplicates (same normalised {column}).")
                fix = N_("Merge the duplicates in the CRM, then re-export.")
                duplicate_values: tuple[tuple[str, str | int], ...] = (
                    ("n", n),
                    ("entity", entity),
                    ("column", column_name),
                )
                findings.append(Finding("medium", entity, column_name, message, fix, n, None, duplicate_values))
    if not rows["deals"]:
        findings.append(
            Finding(
                "high", "deals", None, N_("No deals loaded; output KPIs need deals."), N_("Upload a deals export."), 0
            )
        )
    elif rows["reps"]:
        orphans = _orphan_owners(conn, workspace_id)
        if orphans:
            message = N_("{n} deals have an owner that matches no rep's name or id.")
            fix = N_("Add those reps to the reps export, or use the same names in both exports.")
            findings.append(Finding("medium", "deals", "owner", message, fix, orphans, None, (("n", orphans),)))
    order = {"high": 0, "medium": 1, "low": 2}
    findings.sort(key=lambda f: (order[f.severity], -f.count, f.entity, f.column or ""))
    return QualityReport(score(findings, rows), findings, pd.DataFrame(columns))
