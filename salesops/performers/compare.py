"""Top vs bottom performers: how the best reps spend their time and sell, against the weakest.

Reps who closed deals in the period are ranked by won revenue or by quota attainment (won revenue / annual quota
prorated to the period, as :func:`salesops.kpi.leaderboard` computes it). The top and bottom quarter (``n // 4``
reps each) are compared; with fewer than four reps the top and bottom half (``n // 2``). Group figures are pooled
over the group's reps (e.g. the group's demos / the group's won deals), not averages of per-rep ratios, so a rep
with one won deal does not dominate. Activities come from the ``activity_daily`` rollup; response speed (days
from a deal's creation to its first activity) only when activities carry ``deal_id``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Connection, Select, exists, func, select

from salesops.filters import Filters
from salesops.formatting import money_compact, percent
from salesops.i18n import DEFAULT_LANGUAGE, N_, translate
from salesops.ingest.fields import ACTIVITY_TYPES
from salesops.kpi import definitions as d
from salesops.kpi.inputs import activity_totals
from salesops.kpi.outputs import leaderboard, resolve_period
from salesops.kpi.sqlfilters import NO_FILTERS, deal_conditions, grouped
from salesops.store.schema import activities, deals
from salesops.store.sqlfn import day_of, days_between

Basis = Literal["attainment", "revenue"]
Kind = Literal["count", "share", "rate", "money", "days"]
NOTABLE_ABOVE = 1.2  # findings only for top/bottom ratios >= 1.2 or <= 1/1.2 (0.83)
GROUP_COLUMNS = [
    "rep",
    "team",
    "region",
    "group",
    "basis_value",
    "won_revenue",
    "deals_won",
    "deals_lost",
    "win_rate",
    "avg_deal_size",
    "quota",
    "quota_attainment",
    *ACTIVITY_TYPES,
    "activities",
]
METRIC_COLUMNS = ["metric", "label", "kind", "activity_type", "top", "middle", "bottom", "ratio"]
_TEMPLATES: dict[Kind, tuple[str, str]] = {
    "count": (N_("{group} logs {r}× more {label} ({a} vs {b})"), N_("{group} logs {r}× fewer {label} ({a} vs {b})")),
    "share": (
        N_("{group} puts {r}× more of its activity into {label} ({a} vs {b})"),
        N_("{group} puts {r}× less of its activity into {label} ({a} vs {b})"),
    ),
    "rate": (N_("{group} has a {r}× higher {label} ({a} vs {b})"), N_("{group} has a {r}× lower {label} ({a} vs {b})")),
    "money": (
        N_("{group} has a {r}× larger {label} ({a} vs {b})"),
        N_("{group} has a {r}× smaller {label} ({a} vs {b})"),
    ),
    "days": (
        N_("{group} has a {r}× longer {label} ({a} vs {b} days)"),
        N_("{group} has a {r}× shorter {label} ({a} vs {b} days)"),
    ),
}


@dataclass(frozen=True)
class PerformerComparison:
    """Reps with their group, the group metrics side by side, and the differences worth saying out loud.

    ``groups``: one row per rep (:data:`GROUP_COLUMNS`; ``group`` is top, middle, bottom or unranked).
    ``metrics``: one row per metric (:data:`METRIC_COLUMNS`; ``ratio`` = top / bottom, inf when only the bottom
    is zero). ``findings``: plain words for ratios >= 1.2× or <= 0.83×, biggest difference first. ``split`` is
    "quartile" or "half".
    """

    groups: pd.DataFrame
    metrics: pd.DataFrame
    findings: tuple[str, ...]
    note: str
    basis: Basis = "revenue"
    split: str = "quartile"


@dataclass(frozen=True)
class _Metric:
    key: str
    label: str
    kind: Kind
    activity_type: str | None = None


# Per activity type: the words of its per-won-deal, per-rep and share metrics (literal, so the catalog has them).
_KIND_LABELS: dict[str, tuple[str, str, str]] = {
    "email": (N_("emails per won deal"), N_("emails per rep"), N_("emails")),
    "call": (N_("calls per won deal"), N_("calls per rep"), N_("calls")),
    "meeting": (N_("meetings per won deal"), N_("meetings per rep"), N_("meetings")),
    "demo": (N_("demos per won deal"), N_("demos per rep"), N_("demos")),
    "proposal": (N_("proposals per won deal"), N_("proposals per rep"), N_("proposals")),
    "task": (N_("tasks per won deal"), N_("tasks per rep"), N_("tasks")),
}


def _metrics_catalogue() -> list[_Metric]:
    catalogue = [
        _Metric("win_rate", N_("win rate"), "rate"),
        _Metric("avg_deal_size", N_("average deal size"), "money"),
        _Metric("median_cycle_days", N_("median sales cycle"), "days"),
        _Metric("median_response_days", N_("time from deal creation to first activity"), "days"),
        _Metric("activities_per_won_deal", N_("activities per won deal"), "count"),
        _Metric("activities_per_rep", N_("activities per rep"), "count"),
    ]
    for kind in ACTIVITY_TYPES:
        per_won_deal, per_rep, share = _KIND_LABELS[kind]
        catalogue += [
            _Metric(f"{kind}s_per_won_deal", per_won_deal, "count", kind),
            _Metric(f"{kind}s_per_rep", per_rep, "count", kind),
            _Metric(f"share_{kind}", share, "share", kind),
        ]
    return catalogue


def _distribution(
    conn: Connection, query_rows: Select[*tuple[Any, ...]], owners: Iterable[str]
) -> dict[str, list[tuple[float, int]]]:
    """(rep, days) → count rows from SQL, per rep of ``owners``, as (days, count) pairs for a pooled median."""
    wanted = set(owners)
    result: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for rep, days, n in conn.execute(grouped(query_rows, ["rep", "days"], lambda c: [func.count().label("n")])):
        if rep in wanted and days is not None:
            result[rep].append((max(float(days), 0.0), int(n)))
    return result


def _cycles(conn: Connection, workspace_id: int, filters: Filters, owners: Iterable[str]) -> dict[str, Any]:
    """Per rep, the cycle days of won deals closed in the period."""
    cycle = days_between(deals.c.created_date, deals.c.close_date, conn.dialect.name)
    rows = select(deals.c.owner.label("rep"), cycle.label("days")).where(
        *deal_conditions(workspace_id, filters, deals.c.close_date),
        deals.c.status == "won",
        deals.c.created_date.is_not(None),
        deals.c.created_date <= deals.c.close_date,
    )
    return _distribution(conn, rows, owners)


def _responses(conn: Connection, workspace_id: int, filters: Filters, owners: Iterable[str]) -> dict[str, Any] | None:
    """Per rep, whole days from creation to first activity of deals created in the period; None without deal links."""
    linked = exists().where(activities.c.workspace_id == workspace_id, activities.c.deal_id.is_not(None))
    if not conn.execute(select(linked)).scalar():
        return None
    dialect = conn.dialect.name
    first = (
        select(activities.c.deal_id, func.min(activities.c.occurred_at).label("first_at"))
        # ix_activities_ws_deal covers (deal, time): the GROUP BY streams in index order, no sort of all activities.
        .where(activities.c.workspace_id == workspace_id, activities.c.deal_id.is_not(None))
        .group_by(activities.c.deal_id)
        .subquery("first_activity")
    )
    days = days_between(deals.c.created_date, day_of(first.c.first_at, dialect), dialect)
    rows = (
        select(deals.c.owner.label("rep"), days.label("days"))
        .select_from(deals.join(first, deals.c.id == first.c.deal_id))
        .where(*deal_conditions(workspace_id, filters, deals.c.created_date), deals.c.created_date.is_not(None))
    )
    return _distribution(conn, rows, owners)


def _split(ranked: pd.DataFrame) -> tuple[list[str], str]:
    """Group labels for reps sorted worst first, and the split used ("quartile" or "half")."""
    n = len(ranked)
    split = "quartile" if n >= 4 else "half"
    k = n // 4 if n >= 4 else n // 2
    labels = ["bottom"] * k + ["middle"] * (n - 2 * k) + ["top"] * k
    return labels, split


def _group_figures(
    reps: pd.DataFrame, cycles: dict[str, Any], responses: dict[str, Any] | None, has_activity: bool
) -> dict[str, float | None]:
    """Pooled figures of one group of reps, keyed like :func:`_metrics_catalogue`."""
    won, lost = int(reps["deals_won"].sum()), int(reps["deals_lost"].sum())
    revenue = float(reps["won_revenue"].sum())
    figures: dict[str, float | None] = {
        "win_rate": d.win_rate(won, lost),
        "avg_deal_size": d.avg_deal_size(revenue, won),
        "median_cycle_days": d.median_from_counts(pair for rep in reps["rep"] for pair in cycles.get(rep, [])),
        "median_response_days": None
        if responses is None
        else d.median_from_counts(pair for rep in reps["rep"] for pair in responses.get(rep, [])),
    }
    total = int(reps["activities"].sum())
    for kind in (*ACTIVITY_TYPES, None):
        count = total if kind is None else int(reps[kind].sum())
        prefix = "activities" if kind is None else f"{kind}s"
        figures[f"{prefix}_per_won_deal"] = d.ratio(count, won) if has_activity else None
        figures[f"{prefix}_per_rep"] = d.ratio(count, len(reps)) if has_activity else None
        if kind is not None:
            figures[f"share_{kind}"] = d.ratio(count, total) if has_activity else None
    return figures


def _format(value: float, kind: Kind) -> str:
    if kind in ("share", "rate"):
        return percent(value)
    if kind == "money":
        return money_compact(value)
    return f"{value:.1f}"


def _finding(metric: pd.Series, split: str, lang: str) -> str | None:
    """The sentence for one metric row, or None when the difference is below 1.2× either way."""
    top, bottom, ratio = metric["top"], metric["bottom"], metric["ratio"]
    if ratio is None or pd.isna(ratio) or (1 / NOTABLE_ABOVE < ratio < NOTABLE_ABOVE):
        return None
    group = translate("Top quartile", lang) if split == "quartile" else translate("Top half", lang)
    kind: Kind = metric["kind"]
    a, b, label = _format(top, kind), _format(bottom, kind), translate(metric["label"], lang)
    if math.isinf(ratio):
        return translate("{group} logs {a} {label}, the bottom group none", lang, group=group, a=a, label=label)
    more, less = _TEMPLATES[kind]
    template = more if ratio > 1 else less
    r = f"{(ratio if ratio > 1 else 1 / ratio):.1f}"
    return translate(template, lang, group=group, r=r, label=label, a=a, b=b)


def _ratio(top: float | None, bottom: float | None) -> float | None:
    if top is None or bottom is None:
        return None
    if bottom == 0:
        return math.inf if top > 0 else None
    return top / bottom


def _roster(conn: Connection, workspace_id: int, filters: Filters) -> pd.DataFrame:
    """Per rep who closed deals in the period: the leaderboard figures plus activity counts by type."""
    board = leaderboard(conn, workspace_id, filters)
    board = board[board["rep"].notna()].reset_index(drop=True)
    totals = activity_totals(conn, workspace_id, filters, "rep")
    empty = dict.fromkeys(ACTIVITY_TYPES, 0)
    counts = pd.DataFrame([totals.get(rep, (empty, 0.0))[0] for rep in board["rep"]], columns=list(ACTIVITY_TYPES))
    board = pd.concat([board, counts.astype("int64")], axis=1)
    board["activities"] = board[list(ACTIVITY_TYPES)].sum(axis=1).astype("int64")
    return board


def compare_performers(
    conn: Connection,
    workspace_id: int,
    filters: Filters = NO_FILTERS,
    basis: Basis = "revenue",
    *,
    lang: str = DEFAULT_LANGUAGE,
) -> PerformerComparison:
    """Split reps into top and bottom quartiles (halves under four reps) by revenue or attainment and compare them.

    Never raises on thin data: with fewer than two ranked reps the frames are empty and the note says why.
    """
    start, end = resolve_period(conn, workspace_id, filters)
    filters = replace(filters, start=start, end=end)
    roster = _roster(conn, workspace_id, filters)
    notes: list[str] = []
    if basis == "attainment" and roster["quota_attainment"].notna().sum() < 2:
        notes.append(
            translate("Fewer than two reps have a quota in the reps table, so reps are ranked by revenue.", lang)
        )
        basis = "revenue"
    column = "quota_attainment" if basis == "attainment" else "won_revenue"
    roster["basis_value"] = roster[column]
    ranked = roster[roster["basis_value"].notna()].sort_values(["basis_value", "rep"])
    labels, split = _split(ranked)
    roster["group"] = "unranked"
    roster.loc[ranked.index, "group"] = labels
    groups = roster.reindex(columns=GROUP_COLUMNS).sort_values(
        ["basis_value", "rep"], ascending=[False, True], na_position="last", ignore_index=True
    )
    unranked = int((roster["group"] == "unranked").sum())
    if unranked:
        notes.append(translate("{n} rep(s) without a quota are not ranked.", lang, n=unranked))
    if len(ranked) < 2:
        notes.insert(
            0, translate("Comparing performers needs at least two reps with closed deals in the period.", lang)
        )
        return PerformerComparison(groups, pd.DataFrame(columns=METRIC_COLUMNS), (), " ".join(notes), basis, split)
    k = labels.count("top")
    if split == "half":
        notes.insert(
            0, translate("Only {n} reps: the top and bottom half ({k} each) are compared.", lang, n=len(ranked), k=k)
        )
    else:
        notes.insert(
            0, translate("{n} reps: the top and bottom quartile ({k} each) are compared.", lang, n=len(ranked), k=k)
        )
    has_activity = bool(roster["activities"].sum())
    if not has_activity:
        notes.append(translate("No activities logged in the period: activity comparisons are skipped.", lang))
    owners = ranked["rep"].tolist()
    cycles = _cycles(conn, workspace_id, filters, owners)
    responses = _responses(conn, workspace_id, filters, owners)
    if responses is None:
        notes.append(translate("Response speed is skipped: no activity is linked to a deal (deal_id).", lang))
    figures = {
        label: _group_figures(roster[roster["group"] == label], cycles, responses, has_activity)
        for label in ("top", "middle", "bottom")
    }
    rows = [
        {
            "metric": m.key,
            "label": m.label,
            "kind": m.kind,
            "activity_type": m.activity_type,
            "top": figures["top"][m.key],
            "middle": figures["middle"][m.key],
            "bottom": figures["bottom"][m.key],
            "ratio": _ratio(figures["top"][m.key], figures["bottom"][m.key]),
        }
        for m in _metrics_catalogue()
    ]
    metrics = pd.DataFrame.from_records(rows, columns=METRIC_COLUMNS)
    strength = metrics["ratio"].map(lambda r: abs(math.log(r)) if r is not None and r > 0 else 0.0)
    findings = [
        _finding(row, split, lang) for _, row in metrics.loc[strength.sort_values(ascending=False).index].iterrows()
    ]
    return PerformerComparison(groups, metrics, tuple(f for f in findings if f), " ".join(notes), basis, split)


def training_gaps(comparison: PerformerComparison) -> list[str]:
    """Activity types (e.g. "demo") where the bottom group does at most 0.83× the top's, largest gap first.

    A type counts when bottom falls short on any of per won deal, per rep or share of activity; step 4 turns
    these into training recommendations, the findings give the figures.
    """
    metrics = comparison.metrics
    typed = metrics[metrics["activity_type"].notna() & metrics["ratio"].notna()]
    gaps: dict[str, float] = {}
    for kind, ratio in zip(typed["activity_type"], typed["ratio"], strict=True):
        if ratio >= NOTABLE_ABOVE:
            gaps[kind] = max(gaps.get(kind, 0.0), float(ratio))
    return sorted(gaps, key=lambda kind: (-gaps[kind], ACTIVITY_TYPES.index(kind)))
