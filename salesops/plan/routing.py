"""Lead routing and territory balance: which rep should get which segment, and the routed list of high-score leads.

Per segment (the account's industry when accounts carry one, else the deal's region) reps are ranked by the lower
bound of the Wilson 95 % interval of their win rate there (at least ``MIN_CLOSED`` closed deals, so one lucky win
does not rank first). Open deals of each segment, largest segment first, go to the best-ranked rep with room left;
a rep's room is the open deals per rep today (rounded up) × ``CAPACITY_SLACK``, so routing improves fit without
piling work on one rep. Imbalance = coefficient of variation (standard deviation ÷ mean) of open deals per rep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from sqlalchemy import ColumnElement, Connection, func, select

from salesops.formatting import percent
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.ingest.fields import DEAL_STATUSES
from salesops.kpi import definitions as d
from salesops.segments.figures import wilson_interval
from salesops.segments.icp import UNKNOWN, account_lookup
from salesops.store.schema import accounts, deals, leads

RouteBy = Literal["industry", "region"]
MIN_CLOSED = 5
CAPACITY_SLACK = 1.0
QUALIFIED_SCORE = 60.0  # the same bar as step 2's qualified leads
ROUTE_COLUMNS = ["segment", "rep", "open_deals", "closed", "win_rate", "win_rate_low"]
LEAD_COLUMNS = ["lead_id", "name", "company", "segment", "score", "created_date", "routed_to", "reason"]


@dataclass(frozen=True)
class RoutingPlan:
    """Segment → rep assignment of open deals, with imbalance and expected win rate before and after."""

    dimension: RouteBy
    ranking: pd.DataFrame  # segment, rep, closed, won, win_rate, win_rate_low (best first within a segment)
    assignment: pd.DataFrame  # ROUTE_COLUMNS: open deals routed to each rep per segment
    load_today: pd.Series  # open deals per rep today (index rep)
    load_after: pd.Series  # open deals per rep after routing
    imbalance_today: float | None
    imbalance_after: float | None
    win_rate_today: float | None  # expected win rate of today's open deals with today's owners
    win_rate_after: float | None


def route_dimension(conn: Connection, workspace_id: int) -> RouteBy:
    """Industry when any account carries one (leads and accounts both have it), else region."""
    query = select(accounts.c.id).where(accounts.c.workspace_id == workspace_id, accounts.c.industry.is_not(None))
    return "industry" if conn.execute(query.limit(1)).first() is not None else "region"


def _segment_key(workspace_id: int, dimension: RouteBy) -> tuple[Any, ColumnElement[Any]]:
    """FROM clause and the segment expression of a deal."""
    lookup = account_lookup(workspace_id).subquery("account_lookup")
    source = deals.outerjoin(lookup, deals.c.account == lookup.c.key)
    key = lookup.c.industry if dimension == "industry" else func.coalesce(deals.c.region, lookup.c.region)
    return source, key


def _counts(conn: Connection, workspace_id: int, dimension: RouteBy) -> pd.DataFrame:
    """Deals per segment, rep and status (open, won, lost) in one GROUP BY."""
    source, key = _segment_key(workspace_id, dimension)
    query = (
        select(key.label("segment"), deals.c.owner, deals.c.status, func.count())
        .select_from(source)
        .where(deals.c.workspace_id == workspace_id, deals.c.owner.is_not(None))
        .group_by(key, deals.c.owner, deals.c.status)
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=["segment", "rep", "status", "n"])
    frame = frame.astype({"segment": "object", "rep": "object", "status": "object", "n": "int64"})
    return frame.fillna({"segment": UNKNOWN})


def _ranking(counts: pd.DataFrame) -> pd.DataFrame:
    """Reps per segment by Wilson lower bound of their win rate; reps under MIN_CLOSED closed deals rank last."""
    wide = counts.pivot_table(index=["segment", "rep"], columns="status", values="n", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(DEAL_STATUSES), fill_value=0).reset_index()
    wide["closed"] = wide["won"] + wide["lost"]
    wide["win_rate"] = [d.win_rate(int(w), int(lo)) for w, lo in zip(wide["won"], wide["lost"], strict=True)]
    lows = [wilson_interval(int(w), int(c)) for w, c in zip(wide["won"], wide["closed"], strict=True)]
    wide["win_rate_low"] = [
        low[0] if low and c >= MIN_CLOSED else 0.0 for low, c in zip(lows, wide["closed"], strict=True)
    ]
    wide = wide.sort_values(["segment", "win_rate_low", "closed", "rep"], ascending=[True, False, False, True])
    return wide.reset_index(drop=True)[["segment", "rep", "open", "closed", "won", "win_rate", "win_rate_low"]]


def imbalance(load: pd.Series) -> float | None:
    """Coefficient of variation of a load per rep (0 = perfectly even); None without load."""
    if load.empty or float(load.mean()) == 0:
        return None
    return float(load.std(ddof=0) / load.mean())


def _assign(ranking: pd.DataFrame, reps: list[str]) -> pd.DataFrame:
    """Route each segment's open deals to its best-ranked reps, each rep up to its room."""
    total = int(ranking["open"].sum())
    room = dict.fromkeys(reps, math.ceil(total / len(reps) * CAPACITY_SLACK)) if reps else {}
    volume = ranking.groupby("segment")["open"].sum().sort_values(ascending=False)
    rows: list[dict[str, Any]] = []
    for segment, open_deals in volume.items():
        left = int(open_deals)
        candidates = ranking[ranking["segment"] == segment]
        order = [*candidates["rep"], *[r for r in reps if r not in set(candidates["rep"])]]
        for rep in order:
            take = min(left, room.get(rep, 0))
            if take <= 0:
                continue
            room[rep] -= take
            left -= take
            match = candidates[candidates["rep"] == rep]
            rate = float(match["win_rate"].iloc[0]) if len(match) and pd.notna(match["win_rate"].iloc[0]) else None
            low = float(match["win_rate_low"].iloc[0]) if len(match) else 0.0
            closed = int(match["closed"].iloc[0]) if len(match) else 0
            rows.append(
                {
                    "segment": segment,
                    "rep": rep,
                    "open_deals": take,
                    "closed": closed,
                    "win_rate": rate,
                    "win_rate_low": low,
                }
            )
            if left == 0:
                break
    return pd.DataFrame.from_records(rows, columns=ROUTE_COLUMNS)


def _expected_rate(frame: pd.DataFrame, weight: str) -> float | None:
    """Win rate of routed deals weighted by deal count (reps without a rate in the segment are left out)."""
    known = frame[frame["win_rate"].notna() & (frame[weight] > 0)]
    total = float(known[weight].sum())
    return float((known["win_rate"] * known[weight]).sum() / total) if total else None


def routing_plan(conn: Connection, workspace_id: int) -> RoutingPlan:
    """Segment win rates by rep, today's open-deal load and the balanced routing that raises the win rate."""
    dimension = route_dimension(conn, workspace_id)
    ranking = _ranking(_counts(conn, workspace_id, dimension))
    closers = ranking.groupby("rep")["closed"].sum()
    reps = sorted(closers[closers > 0].index)
    today = ranking[ranking["rep"].isin(reps)].groupby("rep")["open"].sum().reindex(reps, fill_value=0)
    assignment = _assign(ranking[ranking["rep"].isin(reps)], reps)
    after = assignment.groupby("rep")["open_deals"].sum().reindex(reps, fill_value=0)
    return RoutingPlan(
        dimension,
        ranking.drop(columns="open"),
        assignment,
        today.astype("int64"),
        after.astype("int64"),
        imbalance(today),
        imbalance(after),
        _expected_rate(ranking[ranking["rep"].isin(reps)], "open"),
        _expected_rate(assignment, "open_deals"),
    )


def best_rep(plan: RoutingPlan, segment: str, lang: str = DEFAULT_LANGUAGE) -> tuple[str, str] | None:
    """The rep the routing sends a new lead of ``segment`` to, and why; None when no rep has closed deals there."""
    rows = plan.ranking[(plan.ranking["segment"] == segment) & (plan.ranking["closed"] >= MIN_CLOSED)]
    if rows.empty:
        return None
    top = rows.iloc[0]
    reason = translate(
        "win rate {rate} in {segment} over {n} closed deals",
        lang,
        rate=percent(float(top["win_rate"])),
        segment=segment,
        n=int(top["closed"]),
    )
    return str(top["rep"]), reason


def routed_leads(
    conn: Connection,
    workspace_id: int,
    plan: RoutingPlan,
    threshold: float = QUALIFIED_SCORE,
    lang: str = DEFAULT_LANGUAGE,
) -> pd.DataFrame:
    """Open (not converted) leads scoring at or above ``threshold``, each with the rep routing sends it to.

    Highest score first. Empty when no lead carries a score yet (scores come from page 1's lead scoring).
    """
    segment = leads.c.industry if plan.dimension == "industry" else leads.c.region
    query = (
        select(leads.c.id, leads.c.name, leads.c.company, segment, leads.c.score, leads.c.created_date)
        .where(
            leads.c.workspace_id == workspace_id,
            leads.c.score >= threshold,
            func.coalesce(leads.c.converted, False).is_(False),
        )
        .order_by(leads.c.score.desc(), leads.c.id)
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=LEAD_COLUMNS[:6]).astype({"score": float})
    frame["segment"] = frame["segment"].astype("object").fillna(UNKNOWN)
    nobody = ("", translate("no rep has {n}+ closed deals in this segment", lang, n=MIN_CLOSED))
    routes = {str(s): best_rep(plan, str(s), lang) or nobody for s in frame["segment"].unique()}
    frame["routed_to"] = [routes[str(s)][0] for s in frame["segment"]]
    frame["reason"] = [routes[str(s)][1] for s in frame["segment"]]
    return frame[LEAD_COLUMNS]
