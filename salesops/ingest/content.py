"""Propose a column for a needed canonical field that header matching left unmapped, from what its values look like.

A hand-kept spreadsheet names its columns in its own words ("Signed", "Deal worth"); when the header vocabulary
misses one, each unmapped column is scored by its values (dates that parse, amounts, a small set of stage-like
values, unique ids, repeating names) together with a broader vocabulary of words (``HINT_WORDS``, data: another
language's words are more entries). The best column per needed field is proposed with its confidence; proposals
at or above ``AUTO_CONFIDENCE`` are applied without a hand edit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from salesops.i18n import N_
from salesops.ingest.detect import Augment, ColumnMatch
from salesops.ingest.fields import CLOSED_STATUSES, FIELDS
from salesops.ingest.values import is_blank, normalize_stage, parse_amounts, parse_dates

AUTO_CONFIDENCE = 0.75
MIN_CONFIDENCE = 0.5
_SAMPLE_ROWS = 500
_SHAPE_ONLY = 0.55  # a column whose values fit but whose header says nothing is a suggestion, not a mapping
_WITH_HINT = 0.95
_WON_AND_LOST = 0.85  # values holding both won and lost outcomes are a stage column whatever its header says

# Needed fields per entity, first to last in the order they are assigned.
NEEDED: dict[str, tuple[str, ...]] = {
    "deals": ("stage", "close_date", "created_date", "amount", "owner", "id"),
    "activities": ("occurred_at", "owner", "id"),
    "leads": ("created_date", "source", "owner", "id"),
    "accounts": ("name",),
    "reps": ("name",),
}

# Words (lower-case, whole words of the header) that point to a field beyond the CRM vocabularies.
HINT_WORDS: dict[str, tuple[str, ...]] = {
    "stage": ("stage", "status", "phase", "step", "state", "pipeline", "outcome", "result", "progress"),
    "close_date": (
        *("close", "closed", "closing", "won", "signed", "signature", "booked", "booking", "decided", "decision"),
        *("end", "ended", "finish", "finished", "completed", "lost", "concluded", "expected", "due", "target"),
    ),
    "created_date": (
        *("created", "creation", "opened", "open", "start", "started", "entered", "first", "initiated"),
        *("received", "logged", "added", "registered", "kickoff", "begin", "began", "inquiry", "since"),
    ),
    "occurred_at": ("date", "when", "day", "time", "timestamp", "logged", "done", "held", "happened", "on"),
    "amount": (
        *("amount", "value", "worth", "revenue", "price", "total", "size", "sum", "booking", "bookings", "fee"),
        *("arr", "mrr", "acv", "tcv", "contract", "dollars", "usd", "eur", "money", "sales", "deal"),
    ),
    "owner": (
        *("owner", "rep", "agent", "seller", "salesperson", "salesman", "saleswoman", "manager", "assignee"),
        *("assigned", "responsible", "handled", "by", "user", "ae", "am", "exec", "executive", "consultant"),
    ),
    "id": ("id", "number", "no", "nr", "key", "ref", "reference", "code", "uid", "uuid"),
    "name": ("name", "title", "who", "person", "company", "customer", "client", "account"),
    "source": ("source", "channel", "origin", "medium", "campaign", "via", "referrer"),
}


# Header words naming another record: such a unique column is a reference, not the record's own id.
_OTHER_RECORDS = frozenset({"lead", "account", "contact", "campaign", "owner", "user", "product", "parent", "by"})
# Header words of bookkeeping dates, never a deal's created or close date nor an activity's date.
_NOT_THIS_DATE = frozenset({"modified", "updated", "modstamp", "last", "viewed", "referenced", "birth", "birthday"})
_DATED = frozenset({"created_date", "close_date", "occurred_at"})


@dataclass(frozen=True)
class Proposal:
    """A column proposed for a canonical field from its values, with the confidence of the guess and why."""

    field: str
    source: str
    confidence: float
    reasons: tuple[str, ...]  # English messages (translate each for display)


def _words(header: str) -> set[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(header))
    return set(re.findall(r"[^\W_]+", spaced.lower()))


def _hinted(field: str, header: str) -> bool:
    """A hint word is a whole word of the header; a word of a script written without spaces (Chinese, Japanese)
    only needs to occur in it."""
    hints = HINT_WORDS.get(field, ())
    return bool(_words(header) & set(hints)) or any(not w.isascii() and w in str(header) for w in hints)


@dataclass(frozen=True)
class _Profile:
    """What one column's values look like (over a sample of its non-blank cells)."""

    dates: float
    amounts: float
    plain_numbers: float
    distinct: int
    unique_share: float
    letters: float
    won_or_lost: int


def _profile(values: pd.Series) -> _Profile | None:
    sample = values[~is_blank(values)].astype("string").head(_SAMPLE_ROWS)
    if sample.empty:
        return None
    distinct = int(sample.nunique())
    letters = float(sample.str.contains(r"[A-Za-z]", regex=True).fillna(False).mean())
    digits = bool(sample.str.contains(r"[0-9]", regex=True).fillna(False).any())
    dates = parse_dates(sample) if digits else pd.Series(pd.NaT, index=sample.index)
    amounts = parse_amounts(sample) if digits and letters < 0.5 else pd.Series(float("nan"), index=sample.index)
    plain = sample.str.fullmatch(r"-?[0-9]+(\.[0-9]+)?").fillna(False)
    stage_like = letters > 0.5 and distinct <= 40
    statuses = set(normalize_stage(sample).dropna().unique()) & set(CLOSED_STATUSES) if stage_like else set()
    return _Profile(
        dates=float(dates.notna().mean()),
        amounts=float(amounts.notna().mean()),
        plain_numbers=float(plain.mean()),
        distinct=distinct,
        unique_share=float(distinct / len(sample)),
        letters=letters,
        won_or_lost=len(statuses),
    )


class ValueProfiles:
    """The value profiles of one frame's columns, each computed once on first use (detection asks per entity)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._profiles: dict[str, _Profile | None] = {}

    def of(self, column: str) -> _Profile | None:
        """The profile of ``column`` (None when it is blank)."""
        if column not in self._profiles:
            self._profiles[column] = _profile(self.frame[column])
        return self._profiles[column]


def _shape(field: str, kind: str, p: _Profile, rows: int) -> tuple[float, str]:
    """How well a column's values fit a field (0..1), and the reason (an English message, translated on display)."""
    if kind in ("date", "datetime"):
        serials = p.plain_numbers > 0.5  # plain numbers only read as dates as Excel serial days
        return p.dates * (0.5 if serials else 1.0), N_("its values are dates")
    if kind == "amount":
        if p.dates > 0.5 or p.letters > 0.2 or p.distinct < 3:
            return 0.0, ""
        return p.amounts, N_("its values are amounts")
    if kind == "stage":
        if p.letters < 0.9 or not 2 <= p.distinct <= 40 or (p.unique_share > 0.5 and rows > 20):
            return 0.0, ""
        return (1.0 if p.won_or_lost == 2 else 0.8 if p.won_or_lost else 0.4), N_("it holds a few stage-like values")
    if kind == "id":
        return (1.0 if p.unique_share >= 0.999 and p.dates < 0.5 else 0.0), N_("every value is unique")
    if field == "name":
        return (0.8 if p.letters > 0.9 and p.unique_share > 0.8 else 0.0), N_("its values are unique names")
    if p.letters < 0.9 or p.dates > 0.2 or p.distinct < 2 or (p.unique_share > 0.5 and rows > 20):
        return 0.0, ""
    return 0.85, N_("its values are a few repeating names")


def _refers_elsewhere(field: str, header: str) -> bool:
    """A unique column naming another record is a reference, not the id; a modified date is no created date."""
    words = _words(header)
    if field == "id":
        compact = re.sub(r"[^a-z0-9]", "", header.lower())  # "LEADID", "AccountId"
        return bool(words & _OTHER_RECORDS) or any(compact.startswith(w) for w in _OTHER_RECORDS)
    return field in _DATED and bool(words & _NOT_THIS_DATE)


def _candidates(profiles: ValueProfiles, columns: list[str], entity: str, needed: list[str]) -> list[Proposal]:
    kinds = FIELDS[entity]
    found: list[Proposal] = []
    for column in columns:
        profile = profiles.of(column)
        if profile is None:
            continue
        for field in needed:
            if _refers_elsewhere(field, str(column)):
                continue
            shape, reason = _shape(field, kinds[field], profile, len(profiles.frame))
            if shape <= 0:
                continue
            hint = _hinted(field, str(column))
            unhinted = _WON_AND_LOST if field == "stage" and profile.won_or_lost == 2 else _SHAPE_ONLY
            confidence = round(shape * (_WITH_HINT if hint else unhinted), 3)
            reasons = (reason, _HEADER) if hint else (reason,)
            found.append(Proposal(field, str(column), confidence, reasons))
    return found


def _order_dates(frame: pd.DataFrame, chosen: dict[str, Proposal]) -> dict[str, Proposal]:
    """Created and close dates proposed together: per row the created date is the earlier one. Two unhinted columns
    are put in that order; a pair consistently in that order is a start and an end, so both become confident."""
    created, close = chosen.get("created_date"), chosen.get("close_date")
    if created is None or close is None:
        return chosen
    first = parse_dates(frame[created.source].astype("string"))
    second = parse_dates(frame[close.source].astype("string"))
    both = first.notna() & second.notna()
    if not both.any():
        return chosen
    before = float((first[both] <= second[both]).mean())
    unhinted = _HEADER not in created.reasons and _HEADER not in close.reasons
    if before < 0.5 and unhinted:
        created, close = replace(close, field="created_date"), replace(created, field="close_date")
        before = 1 - before
    if before >= 0.9:  # one column is consistently the earlier: the pair is a start and an end
        created = replace(created, confidence=max(created.confidence, 0.8), reasons=(*created.reasons, _BEFORE))
        close = replace(close, confidence=max(close.confidence, 0.8), reasons=(*close.reasons, _AFTER))
    return {**chosen, "created_date": created, "close_date": close}


_HEADER = N_("its header says so")
_BEFORE = N_("its dates come before the other date column's")
_AFTER = N_("its dates come after the other date column's")


def propose(
    frame: pd.DataFrame, entity: str, mapping: Mapping[str, str], profiles: ValueProfiles | None = None
) -> list[Proposal]:
    """For each needed field of ``entity`` that ``mapping`` leaves unmapped, the best unmapped column, if any."""
    needed = [f for f in NEEDED.get(entity, ()) if f not in mapping.values()]
    if entity == "deals" and {"status", "is_won"} & set(mapping.values()):
        needed = [f for f in needed if f != "stage"]
    free = [str(c) for c in frame.columns if c not in mapping]
    if not needed or not free:
        return []
    profiles = profiles if profiles is not None else ValueProfiles(frame)
    found = _candidates(profiles, free, entity, needed)
    candidates = sorted(found, key=lambda p: (-p.confidence, NEEDED[entity].index(p.field)))
    chosen: dict[str, Proposal] = {}
    used: set[str] = set()
    for proposal in candidates:
        if proposal.field in chosen or proposal.source in used or proposal.confidence < MIN_CONFIDENCE:
            continue
        chosen[proposal.field] = proposal
        used.add(proposal.source)
    chosen = _order_dates(frame, chosen)
    return [chosen[f] for f in NEEDED[entity] if f in chosen]


def by_values(frame: pd.DataFrame, profiles: ValueProfiles | None = None) -> Augment:
    """A detection step that adds, per entity, the confident proposals from ``frame``'s values to the header matches."""
    shared = profiles if profiles is not None else ValueProfiles(frame)

    def augment(entity: str, columns: tuple[ColumnMatch, ...]) -> tuple[ColumnMatch, ...]:
        mapping = {c.source: c.field for c in columns if c.field is not None}
        found = {p.source: p for p in propose(frame, entity, mapping, shared) if p.confidence >= AUTO_CONFIDENCE}
        return tuple(
            ColumnMatch(c.source, found[c.source].field, found[c.source].confidence) if c.source in found else c
            for c in columns
        )

    return augment
