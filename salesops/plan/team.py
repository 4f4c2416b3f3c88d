"""The sales-ops team that fits the company's size, from its annual recurring (or trailing-12-month) revenue.

Thresholds (docs/architecture.md, "ARR"): under $1M ARR a technical ops rep runs the CRM, reporting and
commissions; from $1M to under $10M a sales-efficiency manager joins for onboarding and training; from $10M a
sales-ops director owns strategy, territories and compensation. A threshold belongs to the larger stage ($1M
exactly is the middle stage).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Connection, func, select

from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.store.schema import deals

THRESHOLDS: tuple[float, float] = (1_000_000.0, 10_000_000.0)


@dataclass(frozen=True)
class TeamStructure:
    """The stage that fits ``arr``, the roles it needs and how far the next threshold is (None at the top)."""

    arr: float
    basis: str  # how ARR was measured, in words
    stage: int  # 0: under $1M, 1: $1M-$10M, 2: $10M and up
    roles: tuple[str, ...]
    next_threshold: float | None
    distance_to_next: float | None


def stage_for(arr: float) -> int:
    """0, 1 or 2: how many thresholds ``arr`` has reached (a threshold itself counts as reached)."""
    return sum(1 for threshold in THRESHOLDS if arr >= threshold)


def roles_for(stage: int, lang: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """The sales-ops roles of a stage, each stage adding one to the one before."""
    every = (
        translate("Technical sales-ops rep: runs the CRM, reporting and commissions", lang),
        translate("Sales-efficiency manager: onboarding and training", lang),
        translate("Sales-ops director: strategy, territories and compensation", lang),
    )
    return every[: stage + 1]


def team_structure(arr: float, basis: str, lang: str = DEFAULT_LANGUAGE) -> TeamStructure:
    """The team that fits ``arr`` and the distance to the next threshold."""
    stage = stage_for(arr)
    upcoming = THRESHOLDS[stage] if stage < len(THRESHOLDS) else None
    distance = None if upcoming is None else upcoming - arr
    return TeamStructure(arr, basis, stage, roles_for(stage, lang), upcoming, distance)


def trailing_revenue(conn: Connection, workspace_id: int, as_of: date) -> float:
    """Won revenue of the twelve months up to and including ``as_of`` (by close date)."""
    start = (pd.Timestamp(as_of) - pd.DateOffset(years=1) + pd.Timedelta(days=1)).date()
    query = select(func.coalesce(func.sum(deals.c.amount), 0.0)).where(
        deals.c.workspace_id == workspace_id,
        deals.c.status == "won",
        deals.c.close_date >= start,
        deals.c.close_date <= as_of,
    )
    return float(conn.execute(query).scalar() or 0.0)


def workspace_team(conn: Connection, workspace_id: int, as_of: date, lang: str = DEFAULT_LANGUAGE) -> TeamStructure:
    """The team structure from trailing-twelve-month won revenue (deals carry no term or recurring flag here)."""
    arr = trailing_revenue(conn, workspace_id, as_of)
    basis = translate("won revenue of the 12 months to {day} (trailing twelve months)", lang, day=as_of.isoformat())
    return team_structure(arr, basis, lang)
