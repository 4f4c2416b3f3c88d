"""Mapping benchmark: how many needed fields the importer maps right, with no hand edit, on export variants.

Each variant is a small CSV built from one documented export header set (Salesforce, HubSpot, Pipedrive, Zoho,
Dynamics 365, Copper, Close, Freshsales, monday.com, Odoo, and two hand-kept spreadsheets) with spreadsheet
habits applied: renamed, reordered, abbreviated, other case and punctuation, localised number and date formats,
extra and missing columns, another delimiter. The file goes through ``salesops.ingest.pipeline.prepare`` exactly
as an upload does; a needed field counts as right when its column is mapped onto it (a wrong entity gets none).

The held-out part is drawn once from a fixed seed before any tuning; only its share is printed, never its misses,
so it cannot be tuned against (``--show-held-out-misses`` exists only for after the figures are recorded).

    .venv/bin/python benchmarks/mapping.py [--verbose]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from salesops.ingest.pipeline import prepare

SPLIT_SEED = 20261130  # fixed before the first run; never changed while tuning
HELD_OUT_SHARE = 0.3
ROWS = 60

NEEDED: dict[str, frozenset[str]] = {
    "deals": frozenset({"id", "owner", "stage", "status", "amount", "close_date", "created_date"}),
    "activities": frozenset({"id", "type", "occurred_at", "owner"}),
    "leads": frozenset({"id", "created_date", "source", "status", "owner"}),
}

Column = tuple[str, str | None]  # (header as the vendor writes it, canonical field it holds or None)


@dataclass(frozen=True)
class Base:
    """One documented export: its entity, columns, and how its stage/status values are spelt."""

    name: str
    entity: str
    columns: tuple[Column, ...]
    stages: tuple[str, ...] = ("Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
    statuses: tuple[str, ...] = ("Open", "Won", "Lost")


BASES: tuple[Base, ...] = (
    Base(
        "salesforce report",
        "deals",
        (
            ("Opportunity Owner", "owner"),
            ("Account Name", "account"),
            ("Opportunity Name", "name"),
            ("Stage", "stage"),
            ("Forecast Category", "forecast_category"),
            ("Amount", "amount"),
            ("Probability (%)", "probability"),
            ("Fiscal Period", None),
            ("Close Date", "close_date"),
            ("Created Date", "created_date"),
            ("Lead Source", "lead_source"),
            ("Type", "deal_type"),
            ("Opportunity ID", "id"),
        ),
        ("Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote", "Closed Won", "Closed Lost"),
    ),
    Base(
        "salesforce data loader",
        "deals",
        (
            ("Id", "id"),
            ("AccountId", "account"),
            ("Name", "name"),
            ("StageName", "stage"),
            ("Amount", "amount"),
            ("Probability", "probability"),
            ("CloseDate", "close_date"),
            ("Type", "deal_type"),
            ("LeadSource", "lead_source"),
            ("IsClosed", "is_closed"),
            ("IsWon", "is_won"),
            ("OwnerId", "owner"),
            ("CreatedDate", "created_date"),
            ("SystemModstamp", None),
        ),
    ),
    Base(
        "hubspot deals",
        "deals",
        (
            ("Record ID", "id"),
            ("Deal Name", "name"),
            ("Deal Stage", "stage"),
            ("Pipeline", None),
            ("Amount", "amount"),
            ("Close Date", "close_date"),
            ("Create Date", "created_date"),
            ("Deal owner", "owner"),
            ("Deal Type", "deal_type"),
            ("Associated Company", "account"),
        ),
        ("appointmentscheduled", "qualifiedtobuy", "contractsent", "closedwon", "closedlost"),
    ),
    Base(
        "pipedrive deals",
        "deals",
        (
            ("Deal - ID", "id"),
            ("Deal - Title", "name"),
            ("Deal - Value", "amount"),
            ("Deal - Currency", "currency"),
            ("Deal - Owner", "owner"),
            ("Deal - Stage", "stage"),
            ("Deal - Status", "status"),
            ("Deal - Expected close date", "close_date"),
            ("Deal - Deal created", "created_date"),
            ("Deal - Organization", "account"),
        ),
        ("Lead In", "Contact Made", "Demo Scheduled", "Proposal Made", "Negotiations Started"),
        ("open", "won", "lost"),
    ),
    Base(
        "zoho deals",
        "deals",
        (
            ("Record Id", "id"),
            ("Deal Owner", "owner"),
            ("Deal Name", "name"),
            ("Account Name", "account"),
            ("Type", "deal_type"),
            ("Lead Source", "lead_source"),
            ("Amount", "amount"),
            ("Closing Date", "close_date"),
            ("Stage", "stage"),
            ("Probability (%)", "probability"),
            ("Created Time", "created_date"),
        ),
        ("Qualification", "Needs Analysis", "Negotiation/Review", "Closed Won", "Closed Lost"),
    ),
    Base(
        "dynamics 365 opportunities",
        "deals",
        (
            ("(Do Not Modify) Opportunity", "id"),
            ("Topic", "name"),
            ("Potential Customer", "account"),
            ("Est. Revenue", "amount"),
            ("Est. Close Date", "close_date"),
            ("Probability", "probability"),
            ("Owner", "owner"),
            ("Status", "status"),
            ("Pipeline Phase", "stage"),
            ("Created On", "created_date"),
        ),
        ("1-Qualify", "2-Develop", "3-Propose", "4-Close"),
    ),
    Base(
        "copper opportunities",
        "deals",
        (
            ("Name", "name"),
            ("Company", "account"),
            ("Value", "amount"),
            ("Pipeline", None),
            ("Stage", "stage"),
            ("Status", "status"),
            ("Close Date", "close_date"),
            ("Owner", "owner"),
            ("Win Probability", "probability"),
            ("Date Created", "created_date"),
            ("Source", "lead_source"),
        ),
        ("Qualified", "Follow-up", "Presentation", "Contract Sent", "Negotiation"),
        ("Open", "Won", "Lost", "Abandoned"),
    ),
    Base(
        "close opportunities",
        "deals",
        (
            ("id", "id"),
            ("lead_name", "account"),
            ("status_label", "stage"),
            ("status_type", "status"),
            ("value", "amount"),
            ("confidence", "probability"),
            ("user_name", "owner"),
            ("date_created", "created_date"),
            ("date_won", "close_date"),
        ),
        ("Active", "Demo Completed", "Proposal Sent", "Won", "Lost"),
        ("active", "won", "lost"),
    ),
    Base(
        "freshsales deals",
        "deals",
        (
            ("Name", "name"),
            ("Deal value", "amount"),
            ("Deal stage", "stage"),
            ("Expected close date", "close_date"),
            ("Owner", "owner"),
            ("Sales account", "account"),
            ("Created at", "created_date"),
            ("Probability (%)", "probability"),
            ("Deal pipeline", None),
            ("Source", "lead_source"),
        ),
        ("New", "Demo Scheduled", "Negotiation", "Won", "Lost"),
    ),
    Base(
        "monday.com deals board",
        "deals",
        (
            ("Name", "name"),
            ("Owner", "owner"),
            ("Deal Stage", "stage"),
            ("Deal Value", "amount"),
            ("Expected Close Date", "close_date"),
            ("Close Probability", "probability"),
            ("Contacts", None),
            ("Creation Log", "created_date"),
        ),
        ("New", "Discovery", "Proposal", "Negotiation", "Won", "Lost"),
    ),
    Base(
        "odoo pipeline",
        "deals",
        (
            ("ID", "id"),
            ("Opportunity", "name"),
            ("Customer", "account"),
            ("Salesperson", "owner"),
            ("Sales Team", None),
            ("Stage", "stage"),
            ("Expected Revenue", "amount"),
            ("Probability", "probability"),
            ("Expected Closing", "close_date"),
            ("Created on", "created_date"),
        ),
        ("New", "Qualified", "Proposition", "Won"),
    ),
    Base(
        "hand-kept spreadsheet A",
        "deals",
        (
            ("Deal", "name"),
            ("Client", "account"),
            ("Rep", "owner"),
            ("Phase", "stage"),
            ("Worth", "amount"),
            ("Kick-off", "created_date"),
            ("Signed", "close_date"),
        ),
    ),
    Base(
        "hand-kept spreadsheet B",
        "deals",
        (
            ("Ref", "id"),
            ("Customer", "account"),
            ("Account Manager", "owner"),
            ("Where are we", "stage"),
            ("Deal size", "amount"),
            ("First call", "created_date"),
            ("Decision", "close_date"),
            ("Comments", None),
        ),
    ),
    Base(
        "salesforce tasks",
        "activities",
        (
            ("Id", "id"),
            ("Subject", "subject"),
            ("ActivityDate", "occurred_at"),
            ("OwnerId", "owner"),
            ("WhatId", "deal_id"),
            ("TaskSubtype", "type"),
            ("Status", "outcome"),
        ),
    ),
    Base(
        "hubspot activities",
        "activities",
        (
            ("Activity ID", "id"),
            ("Activity type", "type"),
            ("Activity date", "occurred_at"),
            ("Activity assigned to", "owner"),
            ("Associated Deal", "deal_id"),
            ("Subject", "subject"),
        ),
    ),
    Base(
        "pipedrive activities",
        "activities",
        (
            ("Activity - ID", "id"),
            ("Activity - Type", "type"),
            ("Activity - Subject", "subject"),
            ("Activity - Due date", "occurred_at"),
            ("Activity - Assigned to user", "owner"),
            ("Activity - Deal", "deal_id"),
        ),
    ),
    Base(
        "salesforce leads",
        "leads",
        (
            ("Id", "id"),
            ("FirstName", "first_name"),
            ("LastName", "last_name"),
            ("Company", "company"),
            ("LeadSource", "source"),
            ("Status", "status"),
            ("CreatedDate", "created_date"),
            ("OwnerId", "owner"),
        ),
    ),
    Base(
        "hubspot contacts",
        "leads",
        (
            ("Record ID", "id"),
            ("First Name", "first_name"),
            ("Last Name", "last_name"),
            ("Email", "email"),
            ("Original Source", "source"),
            ("Lead Status", "status"),
            ("Create Date", "created_date"),
            ("Contact owner", "owner"),
        ),
    ),
)

# Words people write in their own spreadsheets for a field (the "renamed" habit draws from these).
RENAMES: dict[str, tuple[str, ...]] = {
    "owner": ("Sales Rep", "Account Executive", "Salesperson", "Rep Name", "Assigned To"),
    "amount": ("Deal Value", "Deal Size", "Value", "Total Value", "Contract Value"),
    "close_date": ("Closed On", "Expected Close", "Close", "Date Closed", "Won Date"),
    "created_date": ("Created On", "Date Created", "Opened", "Creation Date", "Created"),
    "stage": ("Pipeline Stage", "Sales Stage", "Deal Stage", "Stage Name"),
    "id": ("Deal Number", "Opp ID", "Deal ID", "Record ID"),
    "occurred_at": ("Date", "Activity Date", "Done At", "Date Time"),
    "type": ("Activity", "Kind", "Activity Type"),
    "source": ("Channel", "Lead Source", "Origin"),
}
# The same habit for another entity's fields, where the words differ (an activity's number is not a deal number).
RENAMES_BY_ENTITY: dict[str, dict[str, tuple[str, ...]]] = {
    "activities": {"id": ("Activity Number", "Task ID", "Activity Ref")},
    "leads": {"id": ("Lead Number", "Lead ID", "Prospect ID"), "created_date": ("Created On", "Date Created")},
}
ABBREVIATIONS = {
    "opportunity": "Opp",
    "amount": "Amt",
    "account": "Acct",
    "date": "Dt",
    "number": "No",
    "probability": "Prob",
    "expected": "Exp",
    "revenue": "Rev",
    "customer": "Cust",
    "value": "Val",
}
EXTRA_COLUMNS = ("Notes", "Next Step", "Last Modified", "Priority", "Region", "Tags", "Description")


def _snake(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.lower()).strip("_")


def _camel(header: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", header))


def _abbreviate(header: str) -> str:
    return re.sub(r"[A-Za-z]+", lambda m: ABBREVIATIONS.get(m.group(0).lower(), m.group(0)), header)


def _decorate(header: str) -> str:
    return f"{header} (USD)" if re.search(r"amount|value|revenue|worth|size", header, re.I) else f" {header}*"


HEADER_HABITS: dict[str, Callable[[str], str]] = {
    "as exported": lambda h: h,
    "snake_case": _snake,
    "UPPER CASE": str.upper,
    "lower case": str.lower,
    "CamelCase": _camel,
    "abbreviated": _abbreviate,
    "units and required marks": _decorate,
}


@dataclass(frozen=True)
class Habits:
    """The spreadsheet habits of one variant."""

    header: str
    renamed: bool
    reordered: bool
    extra: bool
    missing: bool
    locale: str  # "us", "de", "fr", "iso"
    delimiter: str


@dataclass(frozen=True)
class Variant:
    """One export file and the truth: {header: canonical field} for its needed fields."""

    name: str
    base: Base
    habits: Habits
    csv: bytes
    truth: dict[str, str]


def _money(value: float, locale: str) -> str:
    if locale == "de":
        return f"{value:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")
    if locale == "fr":
        return f"{value:,.2f} €".replace(",", "\u202f").replace(".", ",")
    if locale == "iso":
        return f"{value:.2f}"
    return f"${value:,.2f}"


def _day(value: date, locale: str) -> str:
    return {
        "de": value.strftime("%d.%m.%Y"),
        "fr": value.strftime("%d/%m/%Y"),
        "iso": value.isoformat(),
    }.get(locale, value.strftime("%m/%d/%Y"))


def _cell(field: str | None, base: Base, i: int, rng: random.Random, dates: tuple[date, date], *, locale: str) -> str:
    """A realistic value of ``field`` for row ``i``."""
    created, closed = dates
    stage = base.stages[i % len(base.stages)]
    values: dict[str | None, Callable[[], str]] = {
        "id": lambda: f"{base.name[:2].upper()}{100000 + i}",
        "name": lambda: f"{rng.choice(['Renewal', 'Expansion', 'New logo', 'Pilot'])} {i}",
        "account": lambda: rng.choice(["Acme GmbH", "Globex", "Initech", "Umbrella", "Hooli", "Stark Ltd"]),
        "company": lambda: rng.choice(["Acme GmbH", "Globex", "Initech", "Umbrella", "Hooli", "Stark Ltd"]),
        "owner": lambda: rng.choice(["Ann Lee", "Bo Chan", "Carla Diaz", "Dev Patel"]),
        "stage": lambda: stage,
        "status": lambda: base.statuses[i % len(base.statuses)],
        "amount": lambda: _money(rng.randrange(500, 90000) + 0.5, locale),
        "probability": lambda: str(rng.choice([10, 20, 40, 60, 80, 90])),
        "close_date": lambda: _day(closed, locale),
        "created_date": lambda: _day(created, locale),
        "occurred_at": lambda: _day(created, locale),
        "type": lambda: rng.choice(["Call", "Email", "Meeting", "Demo"]),
        "source": lambda: rng.choice(["Web", "Referral", "Event", "Partner"]),
        "lead_source": lambda: rng.choice(["Web", "Referral", "Event", "Partner"]),
        "is_closed": lambda: "true" if "Closed" in stage else "false",
        "is_won": lambda: "true" if stage == "Closed Won" else "false",
        "first_name": lambda: rng.choice(["Ann", "Bo", "Carla", "Dev"]),
        "last_name": lambda: rng.choice(["Lee", "Chan", "Diaz", "Patel"]),
        "email": lambda: f"person{i}@example.com",
    }
    return values.get(field, lambda: rng.choice(["", "x", "see notes", "High", "EMEA", "TBD"]))()


def _columns(base: Base, habits: Habits, rng: random.Random) -> list[tuple[str, str | None]]:
    """The variant's (header, field) list after renaming, dropping, adding and reordering."""
    columns = list(base.columns)
    if habits.missing:  # drop one optional column and one needed date, as partial exports do
        optional = [c for c in columns if c[1] not in NEEDED[base.entity]]
        if optional:
            columns.remove(rng.choice(optional))
        if ("created_date" in {f for _, f in columns}) and base.entity == "deals":
            columns = [c for c in columns if c[1] != "created_date"]
    if habits.renamed:
        words = {**RENAMES, **RENAMES_BY_ENTITY.get(base.entity, {})}
        renamable = [i for i, (_, f) in enumerate(columns) if f in words]
        for i in rng.sample(renamable, k=min(2, len(renamable))):
            columns[i] = (rng.choice(words[str(columns[i][1])]), columns[i][1])
    columns = [(HEADER_HABITS[habits.header](h), f) for h, f in columns]
    if habits.extra:
        columns += [(h, None) for h in rng.sample(EXTRA_COLUMNS, k=2) if h not in {c[0] for c in columns}]
    if habits.reordered:
        rng.shuffle(columns)
    return columns


def _csv(columns: list[tuple[str, str | None]], base: Base, habits: Habits, rng: random.Random) -> bytes:
    def quote(text: str) -> str:
        return f'"{text}"' if any(ch in text for ch in (habits.delimiter, '"', "\n")) else text

    lines = [habits.delimiter.join(quote(h) for h, _ in columns)]
    for i in range(ROWS):
        created = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 600))
        closed = created + timedelta(days=rng.randrange(5, 150))
        cells = [_cell(f, base, i, rng, (created, closed), locale=habits.locale) for _, f in columns]
        lines.append(habits.delimiter.join(quote(c) for c in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def variants(seed: int = SPLIT_SEED) -> list[Variant]:
    """Three variants per base: as exported with reordering, and two random mixes of habits (fixed seed)."""
    rng = random.Random(seed)
    built = []
    for base in BASES:
        mixes = [Habits("as exported", False, True, False, False, "us", ",")]
        for _ in range(2):
            mixes.append(
                Habits(
                    header=rng.choice(list(HEADER_HABITS)),
                    renamed=rng.random() < 0.5,
                    reordered=rng.random() < 0.5,
                    extra=rng.random() < 0.6,
                    missing=rng.random() < 0.3,
                    locale=rng.choice(["us", "de", "fr", "iso"]),
                    delimiter=rng.choice([",", ",", ";", "\t"]),
                )
            )
        for k, habits in enumerate(mixes):
            columns = _columns(base, habits, rng)
            truth = {h: str(f) for h, f in columns if f in NEEDED[base.entity]}
            built.append(Variant(f"{base.name} #{k}", base, habits, _csv(columns, base, habits, rng), truth))
    return built


def split(all_variants: list[Variant], seed: int = SPLIT_SEED) -> tuple[list[Variant], list[Variant]]:
    """(tuning, held out): a fixed share of the variants, drawn once from a fixed seed."""
    names = sorted(v.name for v in all_variants)
    held = set(random.Random(seed + 1).sample(names, k=round(len(names) * HELD_OUT_SHARE)))
    return [v for v in all_variants if v.name not in held], [v for v in all_variants if v.name in held]


def score(variant: Variant) -> tuple[int, list[str]]:
    """How many of the variant's needed fields are mapped right with no hand edit, and what went wrong."""
    [prepared] = prepare(variant.csv, "export.csv")
    if prepared.entity != variant.base.entity:
        return 0, [f"entity {prepared.entity} instead of {variant.base.entity}"]
    mapping = {source.strip(): field for source, field in prepared.mapping.items()}  # the reader trims headers
    misses = [
        f"{header!r} -> {mapping.get(header.strip())} (want {field})"
        for header, field in variant.truth.items()
        if mapping.get(header.strip()) != field
    ]
    return len(variant.truth) - len(misses), misses


def share_right(part: list[Variant], show_misses: bool = False) -> tuple[int, int]:
    """(needed fields mapped right, needed fields) over the variants, printing each variant's misses if asked."""
    right = total = 0
    for variant in part:
        ok, misses = score(variant)
        right, total = right + ok, total + len(variant.truth)
        if show_misses and misses:
            print(f"  {variant.name} [{variant.habits}]: {'; '.join(misses)}")
    return right, total


def _report(label: str, part: list[Variant], show_misses: bool) -> None:
    right, total = share_right(part, show_misses)
    print(f"{label}: {len(part)} variants, {right}/{total} needed fields mapped right = {right / total:.1%}")


def main() -> None:
    """Build the variants, split them, print the share of needed fields mapped right in each part."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list the misses of the tuning part")
    parser.add_argument("--show-held-out-misses", action="store_true", help="only once the figures are recorded")
    args = parser.parse_args()
    tuning, held_out = split(variants())
    _report("tuning", tuning, args.verbose)
    _report("held out", held_out, args.show_held_out_misses)


if __name__ == "__main__":
    main()
