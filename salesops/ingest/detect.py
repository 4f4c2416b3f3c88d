"""Recognise which CRM wrote an export, which entity it holds, and map its columns onto the canonical fields.

Users upload native exports (Salesforce reports and Data Loader files, HubSpot, Pipedrive, Zoho, snake_case
database dumps, hand-made spreadsheets) and expect them recognised without hand work; this module makes that first
guess, which the UI then lets them correct. It knows documented CRM labels and common words only: a mapping specific
to one sample dataset is a built-in preset (``builtin_presets``), never detection logic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath

from rapidfuzz import fuzz, process

from salesops.ingest.fields import ENTITIES, FIELDS
from salesops.ingest.synonyms import (
    ABBREVIATIONS,
    FORMAT_MARKERS,
    NEVER_MAP,
    NOISE_WORDS,
    OWN_PREFIXES,
    SYNONYMS,
)

SOURCE_FORMATS: tuple[str, ...] = (
    *("salesforce", "hubspot", "pipedrive", "zoho", "dynamics", "copper", "close", "freshsales", "monday", "odoo"),
    "generic",
)

FUZZY_THRESHOLD = 85.0
FUZZY_WEIGHT = 0.9  # a fuzzy match of score s has confidence s/100 * FUZZY_WEIGHT
PREFIX_WEIGHT = 0.95  # "Deal Owner" read as "Owner" once the entity's own word is dropped
OTHER_SOURCE_WEIGHT = 0.95  # a synonym of another CRM than the detected one
GENERIC_UNDER_VENDOR = 0.99  # a common word yields to the detected CRM's own meaning of the same label
MIN_FORMAT_SCORE = 3.0
MIN_ENTITY_SCORE = 2.5

_PIPEDRIVE_PREFIX = re.compile(r"^\s*(deal|organization|person|activity|lead|product|note|user)\s+-\s+(.+)$", re.I)
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_ZOHO_CAPS_ID = re.compile(r"^[A-Z]{3,}_?ID$")
_DATE_WORDS = frozenset({"date", "dt", "time", "day", "on", "at", "timestamp", "created", "closed", "when"})

# Fields that tell entities apart (weight 2), and those every entity has (weight 0.5).
_SIGNATURE: dict[str, frozenset[str]] = {
    "deals": frozenset(
        {
            "stage",
            "status",
            "is_won",
            "is_closed",
            "amount",
            "close_date",
            "probability",
            "forecast_category",
            "expected_revenue",
            "deal_type",
        }
    ),
    "activities": frozenset(
        {"type", "occurred_at", "duration_minutes", "duration_seconds", "subject", "deal_id", "lead_id", "outcome"}
    ),
    "leads": frozenset({"company", "source", "converted", "converted_date", "status"}),
    "accounts": frozenset({"annual_revenue", "employees", "industry", "tier"}),
    "reps": frozenset({"team", "role", "manager", "hire_date", "quota", "active"}),
}
_COMMON = frozenset({"id", "name", "owner", "created_date"})
# An entity is only a candidate when each of these groups has at least one mapped field.
_REQUIRED: dict[str, tuple[frozenset[str], ...]] = {
    "deals": (
        frozenset({"stage", "status", "is_won", "is_closed"}),
        frozenset({"amount", "close_date", "expected_revenue"}),
    ),
    "activities": (frozenset({"type", "occurred_at", "duration_minutes", "duration_seconds", "subject"}),),
    "leads": (frozenset({"company", "source", "converted", "converted_date", "status"}),),
    "accounts": (frozenset({"industry", "employees", "annual_revenue", "tier"}),),
    "reps": (frozenset({"name", "first_name", "last_name", "email"}),),
}
# File-name words (lower-case, at the start of a word) that hint at an entity, and at files that hold none.
_ENTITY_HINTS: dict[str, tuple[str, ...]] = {
    "deals": ("opp", "potential", "deal", "pipeline"),
    "activities": ("task", "call", "event", "interaction", "activit", "engagement", "meeting"),
    "leads": ("lead", "prospect", "person", "people", "mql"),
    "accounts": ("account", "compan", "organi"),
    "reps": ("user", "rep", "reps", "team", "employee", "salespeople", "agent"),
}
_EXACT_HINTS = frozenset({"rep", "reps"})
# Contacts are people at accounts, not leads: their ids can collide with lead ids, so they load only when the
# user says which entity they hold.
_NON_ENTITY_HINTS = ("campaign", "product", "dictionary", "pricebook", "history", "contact")


@dataclass(frozen=True)
class ColumnMatch:
    """How one source column maps: onto a canonical field, or ``None`` to keep it as a custom ("extra") column."""

    source: str
    field: str | None
    confidence: float


@dataclass(frozen=True)
class Detection:
    """The guessed source CRM, entity and column mapping of one uploaded file, with how sure the guess is."""

    source_format: str
    entity: str | None
    confidence: float
    columns: tuple[ColumnMatch, ...]

    def mapping(self) -> dict[str, str]:
        """{source header: canonical field} for the mapped columns only, as the import batch records it."""
        return {c.source: c.field for c in self.columns if c.field is not None}


def _clean(header: str) -> str:
    return header.replace("\ufeff", "").strip().rstrip("*").strip()


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _CAMEL_BOUNDARY.sub(" ", text).lower())


def _strip_own_prefix(key: str, entity: str) -> str:
    """Drop the entity's own leading words: 'dealowner' -> 'owner', 'taskid' -> 'id' for activities."""
    prefixes = OWN_PREFIXES[entity]
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix) :], True
                break
    return key


def _variants(header: str, entity: str) -> list[tuple[str, float]]:
    """Normalised keys a header may match, each with the confidence factor of reading it that way."""
    text = _clean(header)
    factor = 1.0
    if text.endswith("__c"):  # a Salesforce custom field: Type__c reads as Type, a little less sure
        text, factor = text[:-3], PREFIX_WEIGHT
    variants = [(_key(text), factor)]
    pipedrive = _PIPEDRIVE_PREFIX.match(text)
    if pipedrive and pipedrive.group(1).lower() in OWN_PREFIXES[entity]:
        variants.append((_key(pipedrive.group(2)), factor))
    stripped = _strip_own_prefix(_key(text), entity)
    variants.append((stripped, factor * PREFIX_WEIGHT))
    expanded = "".join(ABBREVIATIONS.get(w, w) for w in _words(text) if w not in NOISE_WORDS)
    variants.append((expanded, factor * FUZZY_WEIGHT))
    variants.append((_strip_own_prefix(expanded, entity), factor * FUZZY_WEIGHT * PREFIX_WEIGHT))
    return [(k, f) for k, f in variants if k]


@cache
def _index(entity: str, source_format: str) -> dict[str, dict[str, float]]:
    """{normalised synonym: {field: confidence}} for one entity, favouring the detected CRM's own labels."""
    index: dict[str, dict[str, float]] = {}
    for source, table in SYNONYMS.items():
        weight = 1.0 if source == source_format else OTHER_SOURCE_WEIGHT
        if source == "generic" and source_format != "generic":
            weight = GENERIC_UNDER_VENDOR
        for field, synonyms in table.get(entity, {}).items():
            for synonym in synonyms:
                label, conf = (synonym, 1.0) if isinstance(synonym, str) else synonym
                by_field = index.setdefault(_key(label), {})
                by_field[field] = max(by_field.get(field, 0.0), conf * weight)
    return index


def _candidates(header: str, entity: str, source_format: str) -> dict[str, float]:
    """Every field this header could map onto, with a confidence: exact synonyms first, fuzzy only without one."""
    if _key(_clean(header)) in {_key(h) for h in NEVER_MAP[entity]}:
        return {}
    index = _index(entity, source_format)
    variants = _variants(header, entity)
    found: dict[str, float] = {}
    for key, factor in variants:
        for field, conf in index.get(key, {}).items():
            found[field] = max(found.get(field, 0.0), conf * factor)
    if found:
        return found
    dated = bool(_DATE_WORDS.intersection(_words(_clean(header))))
    for key, factor in variants:
        if len(key) < 4:
            continue
        for synonym, score, _ in process.extract(key, index.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD):
            if key.endswith("id") != synonym.endswith("id"):
                continue  # "Account ID" is not "Account": an id never stands in for a name, nor the reverse
            for field, conf in index[synonym].items():
                if FIELDS[entity][field] in ("date", "datetime") and not dated:
                    continue  # "Conversion Rate" is not "Conversion Date"
                found[field] = max(found.get(field, 0.0), score / 100 * FUZZY_WEIGHT * conf * factor)
    return found


def map_columns(headers: Sequence[str], entity: str, source_format: str = "generic") -> tuple[ColumnMatch, ...]:
    """Map each header onto a canonical field of ``entity``; each field and each column is used at most once.

    Conflicts go to the most confident match (an owner name beats an owner id), ties to the leftmost column.
    """
    if entity not in FIELDS:
        raise ValueError(f"unknown entity {entity!r}; expected one of {', '.join(ENTITIES)}")
    if source_format not in SOURCE_FORMATS:
        raise ValueError(f"unknown source format {source_format!r}; expected one of {', '.join(SOURCE_FORMATS)}")
    ranked = sorted(
        (
            (-conf, col, field)
            for col, header in enumerate(headers)
            for field, conf in _candidates(header, entity, source_format).items()
            if field in FIELDS[entity]
        ),
    )
    chosen: dict[int, tuple[str, float]] = {}
    taken: set[str] = set()
    for neg_conf, col, field in ranked:
        if col not in chosen and field not in taken:
            chosen[col] = (field, round(-neg_conf, 3))
            taken.add(field)
    return tuple(
        ColumnMatch(header, *chosen[col]) if col in chosen else ColumnMatch(header, None, 0.0)
        for col, header in enumerate(headers)
    )


@cache
def _marker_keys(source_format: str) -> dict[str, float]:
    """A CRM's marker headers by normalised key, so "Sales Team", "sales_team" and "SALES TEAM" all count."""
    return {_key(h): w for h, w in FORMAT_MARKERS[source_format].items()}


def detect_source_format(headers: Sequence[str]) -> str:
    """Which CRM wrote these headers, from the labels distinctive of each; "generic" when none stands out."""
    cleaned = [_clean(h) for h in headers]
    keys = [_key(h) for h in cleaned]
    scores = {fmt: sum(_marker_keys(fmt).get(k, 0.0) for k in keys) for fmt in FORMAT_MARKERS}
    scores["dynamics"] += sum(2.0 for h in cleaned if h.lower().startswith("(do not modify)"))
    scores["pipedrive"] = 2.0 * sum(1 for h in cleaned if _PIPEDRIVE_PREFIX.match(h))
    scores["zoho"] += sum(2.0 for h in cleaned if _ZOHO_CAPS_ID.match(h))
    scores["zoho"] += sum(1.0 for h in cleaned if h.endswith(" Owner Id"))
    scores["salesforce"] += sum(2.0 for h in cleaned if h.endswith("__c"))
    best = max(scores, key=lambda fmt: scores[fmt])
    return best if scores[best] >= MIN_FORMAT_SCORE else "generic"


def _name_words(file_name: str) -> list[str]:
    stem = PurePath(file_name.replace("\\", "/")).stem if file_name else ""
    return _words(stem)


def _holds_no_entity(words: list[str]) -> bool:
    return any(w.startswith(h) for w in words for h in _NON_ENTITY_HINTS)


def entity_hint(file_name: str) -> str | None:
    """The entity a file name suggests (Opportunity.csv -> deals, sales_teams.csv -> reps), or None."""
    words = _name_words(file_name)
    if _holds_no_entity(words):
        return None
    for entity, hints in _ENTITY_HINTS.items():
        for word in words:
            if any(word == h if h in _EXACT_HINTS else word.startswith(h) for h in hints):
                return entity
    return None


def default_activity_type(file_name: str) -> str | None:
    """The activity type a per-kind export implies (Calls.csv -> call, Events -> meeting, Tasks -> task), or None."""
    kinds = (
        ("call", "call"),
        ("event", "meeting"),
        ("meeting", "meeting"),
        ("task", "task"),
        ("email", "email"),
        ("demo", "demo"),
        ("proposal", "proposal"),
    )
    for word in _name_words(file_name):
        for prefix, kind in kinds:
            if word.startswith(prefix):
                return kind
    return None


def _entity_score(entity: str, columns: tuple[ColumnMatch, ...]) -> float:
    mapped = {c.field: c.confidence for c in columns if c.field is not None}
    if not all(group & mapped.keys() for group in _REQUIRED[entity]):
        return 0.0
    signature = _SIGNATURE[entity]
    return sum(conf * (2.0 if f in signature else 0.5 if f in _COMMON else 1.0) for f, conf in mapped.items())


Augment = Callable[[str, tuple[ColumnMatch, ...]], tuple[ColumnMatch, ...]]


def _by_headers(entity: str, columns: tuple[ColumnMatch, ...]) -> tuple[ColumnMatch, ...]:
    return columns


def detect(
    headers: Sequence[str], *, file_name: str = "", entity: str | None = None, augment: Augment = _by_headers
) -> Detection:
    """Guess the source CRM and entity of a file from its headers (and name), and map its columns.

    ``entity`` overrides the guess. ``augment`` may add matches per entity before entities are compared (the
    pipeline maps columns from their values there). Confidence is the chosen entity's share of the plausible
    entities' scores (1.0 when overridden or unrivalled); a file that matches no entity well gets entity None.
    """
    source_format = detect_source_format(headers)
    if entity is not None:
        return Detection(source_format, entity, 1.0, augment(entity, map_columns(headers, entity, source_format)))
    non_entity = _holds_no_entity(_name_words(file_name))
    hint = entity_hint(file_name)
    mapped = {e: augment(e, map_columns(headers, e, source_format)) for e in ENTITIES}
    scores = {e: _entity_score(e, cols) for e, cols in mapped.items()}
    if hint is not None and scores[hint] > 0:
        scores[hint] = scores[hint] * 1.5 + 2.0
    best = max(scores, key=lambda e: scores[e])
    if non_entity or scores[best] < MIN_ENTITY_SCORE:
        return Detection(source_format, None, 0.0, tuple(ColumnMatch(h, None, 0.0) for h in headers))
    confidence = scores[best] / sum(s for s in scores.values() if s > 0)
    return Detection(source_format, best, round(confidence, 3), mapped[best])
