"""The order of a workspace's open deal stages: the CRM's own sequence, which "reached stage" and the funnel follow.

Stage names are free text, so their order is inferred from, in turn: the order the user saved; the order deals
moved through in their own history (a re-import that changed a deal's stage); the probability per stage when the
export's probabilities follow the stage; the typical probability of a known stage label (the vendors' default
pipelines and common stage words, kept as data in ``STAGE_VOCABULARY``); and, for a stage none of these knows, how
old its deals are relative to the known stages'.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select

from salesops.store.schema import deals, record_history, stage_orders

# Typical win probability (0-100) of a stage, by its label (exact, case/punctuation-insensitive) or a word it
# contains. Exact labels come from vendor default pipelines: Salesforce (Prospecting … Negotiation/Review), Zoho
# (Qualification … Negotiation/Review), HubSpot (appointmentscheduled … contractsent), Pipedrive (Lead In …
# Negotiations Started), Dynamics 365 (Qualify, Develop, Propose, Close), Odoo (New, Qualified, Proposition).
# Another language's labels are more rows here.
STAGE_VOCABULARY: dict[str, float] = {
    "prospecting": 10,
    "qualification": 10,
    "needs analysis": 20,
    "value proposition": 50,
    "id decision makers": 60,
    "identify decision makers": 60,
    "perception analysis": 70,
    "proposal/price quote": 75,
    "negotiation/review": 90,
    "appointmentscheduled": 20,
    "appointment scheduled": 20,
    "qualifiedtobuy": 40,
    "qualified to buy": 40,
    "presentationscheduled": 60,
    "presentation scheduled": 60,
    "decisionmakerboughtin": 80,
    "decision maker bought-in": 80,
    "contractsent": 90,
    "contract sent": 90,
    "lead in": 5,
    "contact made": 15,
    "needs defined": 30,
    "demo scheduled": 40,
    "proposal made": 70,
    "negotiations started": 85,
    "qualify": 10,
    "develop": 40,
    "propose": 70,
    "new": 5,
    "qualified": 20,
    "proposition": 70,
}
# Words a custom stage label may contain, checked when no exact label matches (the longest word found wins).
STAGE_WORDS: dict[str, float] = {
    "lead": 5,
    "prospect": 5,
    "contact": 15,
    "qualif": 10,
    "discovery": 20,
    "needs": 20,
    "analysis": 20,
    "meeting": 25,
    "demo": 40,
    "present": 45,
    "evaluat": 50,
    "value": 50,
    "decision": 60,
    "solution": 55,
    "offer": 65,
    "propos": 75,
    "quote": 75,
    "pricing": 75,
    "negotiat": 90,
    "contract": 90,
    "commit": 90,
    "verbal": 92,
    "legal": 92,
}
# The export's probabilities follow the stage when deals of one stage have nearly the same probability.
MAX_STAGE_SPREAD = 10.0


@dataclass(frozen=True)
class StageStats:
    """What is known of one open stage: its deals, their mean probability and its spread, their mean age."""

    stage: str
    deals: int
    mean_probability: float | None = None
    probability_spread: float | None = None
    mean_created_day: float | None = None


def _norm(label: str) -> str:
    """Lower-case letters (any script), digits and "/", other runs as one space: "Id. Decision Makers" -> "id decision
    makers"."""
    return re.sub(r"[^\w/]+|_", " ", label.lower()).strip()


def typical_probability(stage: str) -> float | None:
    """The typical probability of a stage label from the vocabulary, or None for a label it does not know."""
    key = _norm(stage)
    if key in _NORMALISED:
        return _NORMALISED[key]
    compact = key.replace(" ", "")
    found = [(len(w), p) for w, p in STAGE_WORDS.items() if w in compact]
    return max(found)[1] if found else None


_NORMALISED = {_norm(label): p for label, p in STAGE_VOCABULARY.items()}


def _probability_follows_stage(stats: Sequence[StageStats]) -> bool:
    spreads = [(s.probability_spread, s.deals) for s in stats if s.probability_spread is not None]
    means = {round(s.mean_probability, 1) for s in stats if s.mean_probability is not None}
    if not spreads or len(means) < 2:
        return False
    weighted = sum(sp * n for sp, n in spreads) / max(1, sum(n for _, n in spreads))
    return weighted <= MAX_STAGE_SPREAD


def _keys(stats: Sequence[StageStats]) -> dict[str, float | None]:
    """A 0-100 position per stage from the probabilities (when they follow the stage) or the vocabulary."""
    by_probability = _probability_follows_stage(stats)
    keys: dict[str, float | None] = {}
    for s in stats:
        known = s.mean_probability if by_probability else None
        keys[s.stage] = known if known is not None else typical_probability(s.stage)
    return keys


def _fill_by_age(stats: Sequence[StageStats], keys: dict[str, float | None]) -> dict[str, float]:
    """Stages no key knows take the mean key of their neighbours in age order (older deals are further along)."""
    by_age = sorted(stats, key=lambda s: -(s.mean_created_day or 0.0))
    filled: dict[str, float] = {}
    for i, s in enumerate(by_age):
        key = keys[s.stage]
        if key is None:
            before = [keys[o.stage] for o in by_age[:i] if keys[o.stage] is not None]
            after = [keys[o.stage] for o in by_age[i + 1 :] if keys[o.stage] is not None]
            near = [v for v in (before[-1:] + after[:1]) if v is not None]
            key = sum(near) / len(near) if near else float(i)
        filled[s.stage] = float(key)
    return filled


def _apply_history(order: list[str], transitions: Mapping[tuple[str, str], int]) -> list[str]:
    """Swap neighbours that deals, in their own history, moved through the other way round more often than not."""
    order = list(order)
    for _ in range(len(order)):
        swapped = False
        for i in range(len(order) - 1):
            a, b = order[i], order[i + 1]
            if transitions.get((b, a), 0) > transitions.get((a, b), 0):
                order[i], order[i + 1] = b, a
                swapped = True
        if not swapped:
            break
    return order


def infer_order(stats: Sequence[StageStats], transitions: Mapping[tuple[str, str], int] | None = None) -> list[str]:
    """Open stages from first to last, from their history, probabilities, known labels and deal ages."""
    if not stats:
        return []
    keys = _fill_by_age(stats, _keys(stats))
    order = sorted(keys, key=lambda stage: (keys[stage], stage))
    return _apply_history(order, transitions or {})


def merge_saved(inferred: Sequence[str], saved: Sequence[str]) -> list[str]:
    """The saved order for the stages it names; a stage it does not name goes after its inferred predecessor."""
    present = set(inferred)
    result = [s for s in saved if s in present]
    for i, stage in enumerate(inferred):
        if stage in result:
            continue
        before = [s for s in inferred[:i] if s in result]
        result.insert(result.index(before[-1]) + 1 if before else 0, stage)
    return result


def stats_from_values(stages: Iterable[object], probabilities: Iterable[object] | None = None) -> list[StageStats]:
    """StageStats of a file's stage column (and probability column), before anything is stored."""
    values: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    probs = list(probabilities) if probabilities is not None else None
    for i, stage in enumerate(stages):
        if stage is None or (isinstance(stage, float) and math.isnan(stage)) or not str(stage).strip():
            continue
        counts[str(stage)] += 1
        p = _number(probs[i]) if probs is not None else None
        if p is not None:
            values[str(stage)].append(p)
    return [_stats(stage, n, values.get(stage, [])) for stage, n in counts.items()]


def _number(value: object) -> float | None:
    try:
        number = float(str(value).strip().rstrip("%"))
    except ValueError:
        return None
    return None if math.isnan(number) else number


def _stats(stage: str, n: int, probabilities: list[float]) -> StageStats:
    if not probabilities:
        return StageStats(stage, n)
    mean = sum(probabilities) / len(probabilities)
    spread = math.sqrt(sum((p - mean) ** 2 for p in probabilities) / len(probabilities))
    return StageStats(stage, n, mean, spread)


def saved_order(conn: Connection, workspace_id: int) -> list[str]:
    """The stage order the user saved for this workspace (empty when none)."""
    query = (
        select(stage_orders.c.stage)
        .where(stage_orders.c.workspace_id == workspace_id)
        .order_by(stage_orders.c.position, stage_orders.c.stage)
    )
    return list(conn.execute(query).scalars())


def save_order(conn: Connection, workspace_id: int, stages: Sequence[str]) -> None:
    """Store the user's order of stages for this workspace, replacing the previous one."""
    conn.execute(delete(stage_orders).where(stage_orders.c.workspace_id == workspace_id))
    rows = [{"workspace_id": workspace_id, "stage": s, "position": i} for i, s in enumerate(dict.fromkeys(stages))]
    if rows:
        conn.execute(stage_orders.insert(), rows)


def history_transitions(conn: Connection, workspace_id: int) -> dict[tuple[str, str], int]:
    """How many deals moved from one stage to another between imports (from the undo history)."""
    query = (
        select(record_history.c.record_id, record_history.c.previous, deals.c.stage)
        .join(
            deals,
            (deals.c.workspace_id == record_history.c.workspace_id) & (deals.c.id == record_history.c.record_id),
        )
        .where(record_history.c.workspace_id == workspace_id, record_history.c.entity == "deals")
        .order_by(record_history.c.record_id, record_history.c.batch_id)
    )
    paths: dict[str, list[str]] = defaultdict(list)
    current: dict[str, str] = {}
    for record_id, previous, stage in conn.execute(query):
        before = json.loads(previous).get("stage")
        if before:
            paths[record_id].append(str(before))
        if stage:
            current[record_id] = str(stage)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for record_id, path in paths.items():
        steps = [*path, current.get(record_id, "")]
        for a, b in itertools.pairwise(steps):
            if a and b and a != b:
                counts[(a, b)] += 1
    return dict(counts)


def workspace_stats(conn: Connection, workspace_id: int) -> list[StageStats]:
    """StageStats of every open stage stored in the workspace."""
    p = deals.c.probability
    query = (
        select(deals.c.stage, func.count(), func.avg(p), func.avg(p * p))
        .where(deals.c.workspace_id == workspace_id, deals.c.status == "open", deals.c.stage.is_not(None))
        .group_by(deals.c.stage)
    )
    stats = []
    for stage, n, mean, mean_sq in conn.execute(query):
        spread = math.sqrt(max(0.0, float(mean_sq) - float(mean) ** 2)) if mean is not None else None
        stats.append(StageStats(str(stage), int(n), None if mean is None else float(mean), spread))
    return stats


def stage_order(conn: Connection, workspace_id: int, stats: Sequence[StageStats] | None = None) -> list[str]:
    """The workspace's open stages in order: the saved order, else inferred (``stats`` default: all open deals)."""
    stats = workspace_stats(conn, workspace_id) if stats is None else stats
    inferred = infer_order(stats, history_transitions(conn, workspace_id))
    return merge_saved(inferred, saved_order(conn, workspace_id))
