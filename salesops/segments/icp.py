"""Ideal-customer-profile segmentation: win rate, deal size, cycle and revenue per segment of closed deals.

Deals closed in the period (close date) are grouped in SQL by a segment key: the account's industry or size band
(``deals.account`` matched on ``accounts.name``, or ``accounts.id`` when no account has that name), the region
(the deal's own, else the account's), product, lead source or segment. Per segment the database returns counts
and amounts per status and cycle day, so the median cycle (days from created to close of won deals) is exact
without loading deals. Win rates carry a Wilson 95 % interval; segments with fewer than 20 closed deals are
flagged "low" confidence and never named in the ideal profile.

Ranking rule of :func:`ideal_profile`: expected revenue per opportunity, conservatively = lower bound of the win
rate interval × average won deal size. The statements compare the segment's plain revenue per closed opportunity
(won revenue / closed deals = win rate × average deal size) with the whole filtered data's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Select, case, func, null, or_, select, union_all

from salesops.filters import Filters
from salesops.formatting import money_compact, percent
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.ingest.fields import CLOSED_STATUSES
from salesops.kpi import definitions as d
from salesops.kpi.sqlfilters import NO_FILTERS, deal_conditions, grouped
from salesops.segments.figures import wilson_interval
from salesops.store.schema import accounts, deals
from salesops.store.sqlfn import days_between, in_workspace_scan

Dimension = Literal["industry", "size_band", "region", "product", "source", "segment"]
DIMENSIONS: tuple[Dimension, ...] = ("industry", "size_band", "region", "product", "source", "segment")
SIZE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (1, 50, "1-50"),
    (51, 200, "51-200"),
    (201, 1000, "201-1000"),
    (1001, 5000, "1001-5000"),
    (5001, None, "5000+"),
)
UNKNOWN = "(unknown)"
LOW_CONFIDENCE_BELOW = 20  # closed deals
HIGH_CONFIDENCE_FROM = 50
PROFILE_SIZE = 3
PROFILE_CANDIDATES: tuple[tuple[Dimension, ...], ...] = (*((dim,) for dim in DIMENSIONS), ("industry", "size_band"))
SEGMENT_COLUMNS = [
    "label",
    "closed",
    "won",
    "lost",
    "win_rate",
    "win_rate_low",
    "win_rate_high",
    "avg_deal_size",
    "median_cycle_days",
    "revenue",
    "revenue_share",
    "revenue_per_opportunity",
    "expected_revenue_per_opportunity",
    "index_vs_overall",
    "confidence",
]


@dataclass(frozen=True)
class ICPResult:
    """The ranked segments, the few named as the ideal customer profile, and plain-words statements about them.

    ``segments``: every candidate segment (all single dimensions plus industry × size band) with the columns of
    :func:`icp` plus ``dimension`` and ``rank`` (None when not eligible). ``profile``: the top ranked rows.
    ``overall``: JSON-friendly figures of all closed deals. ``note``: what limited the answer, or "".
    """

    segments: pd.DataFrame
    profile: pd.DataFrame
    statements: tuple[str, ...]
    overall: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def account_lookup(workspace_id: int) -> Select[*tuple[Any, ...]]:
    """One row per account key (name, or id when no account has that name) with industry, employees, region."""
    columns = (accounts.c.industry, accounts.c.employees, accounts.c.region)
    in_workspace = accounts.c.workspace_id == workspace_id
    named = select(accounts.c.name).where(in_workspace, accounts.c.name.is_not(None))
    by_name = select(accounts.c.name.label("key"), *columns).where(in_workspace, accounts.c.name.is_not(None))
    by_id = select(accounts.c.id.label("key"), *columns).where(in_workspace, accounts.c.id.not_in(named))
    both = union_all(by_name, by_id).subquery("account_keys")
    return select(
        both.c.key.label("key"),
        func.max(both.c.industry).label("industry"),
        func.max(both.c.employees).label("employees"),
        func.max(both.c.region).label("region"),
    ).group_by(both.c.key)


def _size_band(employees: ColumnElement[Any]) -> ColumnElement[str]:
    whens = [
        ((employees >= low) if high is None else employees.between(low, high), label) for low, high, label in SIZE_BANDS
    ]
    return case(*whens, else_=None)


def _accounts_profiled(conn: Connection, workspace_id: int) -> bool:
    """Whether any account carries an industry, a head count or a region (else deals need no join to accounts)."""
    profiled = select(accounts.c.workspace_id).where(
        in_workspace_scan(accounts.c.workspace_id, workspace_id, conn.dialect.name),
        or_(accounts.c.industry.is_not(None), accounts.c.employees.is_not(None), accounts.c.region.is_not(None)),
    )
    return conn.execute(profiled.limit(1)).first() is not None


def _keys(conn: Connection, workspace_id: int, dims: Sequence[Dimension]) -> tuple[Any, list[ColumnElement[Any]]]:
    """FROM clause (deals, joined to accounts when a dimension needs them) and one labelled key per dimension.

    When no account has an industry, head count or region, every deal's would be unknown: no join, same keys.
    """
    needs_accounts = bool({"industry", "size_band", "region"} & set(dims)) and _accounts_profiled(conn, workspace_id)
    industry: ColumnElement[Any]
    employees: ColumnElement[Any]
    region: ColumnElement[Any]
    if needs_accounts:
        lookup = account_lookup(workspace_id).subquery("account_lookup")
        industry, employees, region = lookup.c.industry, lookup.c.employees, lookup.c.region
    else:
        industry, employees, region = null(), null(), null()
    expressions: dict[str, ColumnElement[Any]] = {
        "industry": industry,
        "size_band": _size_band(employees) if needs_accounts else null(),
        "region": func.coalesce(deals.c.region, region) if needs_accounts else deals.c.region,
        "product": deals.c.product,
        "source": deals.c.lead_source,
        "segment": deals.c.segment,
    }
    source = deals.outerjoin(lookup, deals.c.account == lookup.c.key) if needs_accounts else deals
    return source, [expressions[dim].label(dim) for dim in dims]


def _dims(dimension: Dimension | Sequence[Dimension]) -> tuple[Dimension, ...]:
    dims = (dimension,) if isinstance(dimension, str) else tuple(dimension)
    unknown = [dim for dim in dims if dim not in DIMENSIONS]
    if not dims or unknown:
        raise ValueError(f"Unknown ICP dimension {unknown or dims}; choose from {', '.join(DIMENSIONS)}.")
    return dims


def confidence(closed: int) -> str:
    """How far a segment can be read: "low" under 20 closed deals, "medium" under 50, else "high"."""
    if closed < LOW_CONFIDENCE_BELOW:
        return "low"
    return "medium" if closed < HIGH_CONFIDENCE_FROM else "high"


def icp(
    conn: Connection,
    workspace_id: int,
    filters: Filters = NO_FILTERS,
    dimension: Dimension | Sequence[Dimension] = "industry",
) -> pd.DataFrame:
    """Per segment of closed deals: win rate with Wilson 95 % interval, average won size, median cycle, revenue.

    ``dimension`` is one of :data:`DIMENSIONS` or a tuple of them (e.g. industry × size band). Columns: one per
    dimension, then ``label`` (the keys " · "-joined) and :data:`SEGMENT_COLUMNS`; ``median_cycle_days`` is the
    exact median over won deals with both dates. Missing keys show as "(unknown)". Largest revenue first.
    """
    dims = _dims(dimension)
    return _segment_table(_closed_counts(conn, workspace_id, filters, dims), dims)


def _closed_counts(conn: Connection, workspace_id: int, filters: Filters, dims: tuple[Dimension, ...]) -> pd.DataFrame:
    """Closed deals of the period as (keys of ``dims``, status, cycle days) → n, amount, in one GROUP BY."""
    source, keys = _keys(conn, workspace_id, dims)
    cycle = days_between(deals.c.created_date, deals.c.close_date, conn.dialect.name)
    rows = (
        select(*keys, deals.c.status, deals.c.amount, cycle.label("days"))
        .select_from(source)
        .where(
            # No index covers the keys: one table scan beats an index search plus a row lookup per deal.
            in_workspace_scan(deals.c.workspace_id, workspace_id, conn.dialect.name),
            *deal_conditions(workspace_id, filters, deals.c.close_date)[1:],
            deals.c.status.in_(CLOSED_STATUSES),
        )
    )
    query = grouped(
        rows,
        [*dims, "status", "days"],
        lambda c: [func.count().label("n"), func.coalesce(func.sum(c.amount), 0.0).label("amount")],
    )
    names = [*dims, "status", "days", "n", "amount"]
    found = conn.execute(query).all()
    return pd.DataFrame(dict(zip(names, zip(*found, strict=True), strict=True)) if found else {}, columns=names)


def _segment_table(raw: pd.DataFrame, dims: tuple[Dimension, ...]) -> pd.DataFrame:
    """Turn (keys, status, cycle day) → count, amount rows into the per-segment table of :func:`icp`."""
    if raw.empty:
        return pd.DataFrame(columns=[*dims, *SEGMENT_COLUMNS])
    raw = raw.astype(dict.fromkeys(dims, "object")).fillna(dict.fromkeys(dims, UNKNOWN))
    raw = raw.astype({"n": "int64", "amount": float})
    total_closed, total_revenue = int(raw["n"].sum()), float(raw.loc[raw["status"] == "won", "amount"].sum())
    overall_rpo = d.ratio(total_revenue, total_closed)
    records: list[dict[str, Any]] = []
    for key, part in raw.groupby(list(dims), sort=True):
        values = key if isinstance(key, tuple) else (key,)
        won_rows = part[part["status"] == "won"]
        won, closed = int(won_rows["n"].sum()), int(part["n"].sum())
        revenue = float(won_rows["amount"].sum())
        cycles = won_rows[won_rows["days"].notna()]
        interval = wilson_interval(won, closed)
        size = d.avg_deal_size(revenue, won)
        rpo = d.ratio(revenue, closed)
        records.append(
            {
                **dict(zip(dims, values, strict=True)),
                "label": " · ".join(str(v) for v in values),
                "closed": closed,
                "won": won,
                "lost": closed - won,
                "win_rate": d.win_rate(won, closed - won),
                "win_rate_low": interval[0] if interval else None,
                "win_rate_high": interval[1] if interval else None,
                "avg_deal_size": size,
                "median_cycle_days": d.median_from_counts(
                    (days, n) for days, n in zip(cycles["days"], cycles["n"], strict=True) if float(days) >= 0
                ),
                "revenue": revenue,
                "revenue_share": d.ratio(revenue, total_revenue),
                "revenue_per_opportunity": rpo,
                "expected_revenue_per_opportunity": None if size is None or not interval else interval[0] * size,
                "index_vs_overall": None if rpo is None or not overall_rpo else rpo / overall_rpo,
                "confidence": confidence(closed),
            }
        )
    frame = pd.DataFrame.from_records(records, columns=[*dims, *SEGMENT_COLUMNS])
    return frame.sort_values(["revenue", "closed", "label"], ascending=[False, False, True], ignore_index=True)


def _subject(values: dict[str, str], lang: str) -> str:
    """How a sentence names the deals of a segment, e.g. "Healthcare accounts of 201-1000 employees"."""
    if set(values) <= {"industry", "size_band"}:
        who = translate("{industry} accounts", lang, industry=values["industry"]) if "industry" in values else None
        if "size_band" not in values:
            return str(who)
        if who is None:
            return translate("Accounts of {band} employees", lang, band=values["size_band"])
        return translate("{who} of {band} employees", lang, who=who, band=values["size_band"])
    templates = {
        "region": "Deals in {value}",
        "product": "{value} deals",
        "source": "Deals from {value}",
        "segment": "{value}-segment deals",
    }
    (dim, value), *rest = values.items()
    if rest:
        return translate("Deals in {value}", lang, value=" · ".join(values.values()))
    return translate(templates[dim], lang, value=value)


def statement(row: pd.Series | dict[str, Any], dims: Sequence[str], lang: str = DEFAULT_LANGUAGE) -> str:
    """One segment in plain words: who, win rate with its interval, average size, revenue per opportunity vs all."""
    subject = _subject({dim: str(row[dim]) for dim in dims}, lang)
    return translate(
        "{subject} win {rate} (95 % CI {low}-{high}) at {size} average: {index:.1f}× the overall revenue per "
        "opportunity ({closed} closed deals)",
        lang,
        subject=subject,
        rate=percent(row["win_rate"]),
        low=f"{row['win_rate_low'] * 100:.0f}",
        high=percent(row["win_rate_high"]),
        size=money_compact(row["avg_deal_size"]),
        index=row["index_vs_overall"] or 0.0,
        closed=int(row["closed"]),
    )


def ideal_profile(
    conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS, *, lang: str = DEFAULT_LANGUAGE
) -> ICPResult:
    """Name the ideal customer profile: the top segments by conservative expected revenue per opportunity.

    Candidates are every single dimension plus industry × size band; only segments with 20+ closed deals, a win
    and no unknown key are ranked (rank 1 = best), and the profile keeps the top three of those whose revenue per
    opportunity beats the overall one. Empty or thin data gives empty frames and a note.
    """
    counts = _closed_counts(conn, workspace_id, filters, DIMENSIONS)  # one pass; each candidate sums it up
    frames = []
    for dims in PROFILE_CANDIDATES:
        part = counts.groupby([*dims, "status", "days"], dropna=False, sort=False)[["n", "amount"]].sum()
        frame = _segment_table(part.reset_index(), dims)
        frame.insert(0, "dimension", " × ".join(dims))
        frame["dims"] = [dims] * len(frame)
        frames.append(frame)
    columns = ["dimension", *SEGMENT_COLUMNS, *DIMENSIONS, "rank"]
    everything = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    everything = everything.reindex(columns=[*columns, "dims"])
    first = frames[0]  # every closed deal lands in exactly one industry segment, so totals come from it
    closed, won, revenue = (int(first["closed"].sum()), int(first["won"].sum()), float(first["revenue"].sum()))
    overall = {
        "closed": closed,
        "won": won,
        "win_rate": d.win_rate(won, closed - won),
        "avg_deal_size": d.avg_deal_size(revenue, won),
        "revenue": revenue,
        "revenue_per_opportunity": d.ratio(revenue, closed),
    }
    if everything.empty:
        empty = everything[columns]
        note = translate("No closed deals in the selection: nothing to segment yet.", lang)
        return ICPResult(empty, empty, (), overall, note)
    known = ~(everything[list(DIMENSIONS)].astype("object") == UNKNOWN).any(axis=1)
    eligible = known & (everything["confidence"] != "low") & (everything["won"] > 0)
    ranked = everything[eligible].sort_values(
        ["expected_revenue_per_opportunity", "closed"], ascending=[False, False], kind="stable"
    )
    everything["rank"] = pd.Series(range(1, len(ranked) + 1), index=ranked.index, dtype="Int64")
    everything = everything.sort_values(["rank", "revenue"], ascending=[True, False], na_position="last")
    profile = everything[everything["rank"].notna() & (everything["index_vs_overall"] > 1)].head(PROFILE_SIZE)
    statements = tuple(statement(row, row["dims"], lang) for _, row in profile.iterrows())
    note = ""
    if profile.empty:
        note = translate(
            "No segment with {n} or more closed deals beats the overall revenue per opportunity yet, so no ideal "
            "profile is named; read the segment table with its confidence flags instead.",
            lang,
            n=LOW_CONFIDENCE_BELOW,
        )
    return ICPResult(
        everything[columns].reset_index(drop=True), profile[columns].reset_index(drop=True), statements, overall, note
    )


def rep_focus(
    conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS, dimension: Dimension = "industry"
) -> pd.DataFrame:
    """Each rep's share of won revenue per segment against the team's share, so over- and under-focus shows.

    Columns: rep, segment, won_revenue, rep_share, team_share, focus_index (rep_share / team_share; above 1 the
    rep leans into the segment more than the team does). Reps by name, then their largest segment first.
    """
    dims = _dims(dimension)
    source, keys = _keys(conn, workspace_id, dims)
    rows = (
        select(deals.c.owner.label("rep"), *keys, deals.c.amount)
        .select_from(source)
        .where(*deal_conditions(workspace_id, filters, deals.c.close_date), deals.c.status == "won")
    )
    query = grouped(rows, ["rep", *dims], lambda c: [func.coalesce(func.sum(c.amount), 0.0).label("amount")])
    columns = ["rep", "segment", "won_revenue", "rep_share", "team_share", "focus_index"]
    frame = pd.DataFrame(conn.execute(query).all(), columns=["rep", "segment", "won_revenue"])
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.astype({"rep": "object", "segment": "object", "won_revenue": float})
    frame = frame.fillna({"rep": UNKNOWN, "segment": UNKNOWN})
    frame = frame.groupby(["rep", "segment"], as_index=False).agg(won_revenue=("won_revenue", "sum"))
    rep_total = frame.groupby("rep")["won_revenue"].transform("sum")
    segment_total = frame.groupby("segment")["won_revenue"].transform("sum")
    total = float(frame["won_revenue"].sum())
    frame["rep_share"] = (frame["won_revenue"] / rep_total).where(rep_total > 0)
    frame["team_share"] = segment_total / total if total else float("nan")
    frame["focus_index"] = (frame["rep_share"] / frame["team_share"]).where(frame["team_share"] > 0)
    frame = frame.sort_values(["rep", "won_revenue"], ascending=[True, False], ignore_index=True)
    return frame[columns]
