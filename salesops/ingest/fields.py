"""The canonical fields an export's columns can be mapped onto, per entity, with the kind of value each holds.

Detection maps source headers onto these names; validation parses each field by its kind. Some fields are inputs
only and are folded into stored columns by validation: ``first_name``/``last_name`` into ``name``,
``duration_seconds`` into ``duration_minutes``, ``status``/``is_won``/``is_closed`` into the deal status.
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["id", "text", "date", "datetime", "amount", "number", "int", "bool", "stage", "activity_type"]

FIELDS: dict[str, dict[str, Kind]] = {
    "deals": {
        "id": "id",
        "name": "text",
        "account": "text",
        "owner": "text",
        "stage": "stage",
        "status": "stage",  # Pipedrive-style open/won/lost column
        "is_closed": "bool",
        "is_won": "bool",
        "amount": "amount",
        "currency": "text",
        "created_date": "date",
        "close_date": "date",
        "probability": "number",
        "lead_source": "text",
        "product": "text",
        "segment": "text",
        "region": "text",
        "deal_type": "text",
        "forecast_category": "text",
        "expected_revenue": "amount",
    },
    "activities": {
        "id": "id",
        "type": "activity_type",
        "subject": "text",
        "owner": "text",
        "deal_id": "text",
        "lead_id": "text",
        "account": "text",
        "occurred_at": "datetime",
        "duration_minutes": "number",
        "duration_seconds": "number",
        "outcome": "text",
    },
    "leads": {
        "id": "id",
        "name": "text",
        "first_name": "text",
        "last_name": "text",
        "company": "text",
        "email": "text",
        "source": "text",
        "status": "text",
        "industry": "text",
        "employees": "int",
        "region": "text",
        "country": "text",
        "created_date": "date",
        "converted": "bool",
        "converted_date": "date",
        "owner": "text",
    },
    "accounts": {
        "id": "id",
        "name": "text",
        "industry": "text",
        "employees": "int",
        "annual_revenue": "amount",
        "region": "text",
        "country": "text",
        "tier": "text",
        "owner": "text",
    },
    "reps": {
        "id": "id",
        "name": "text",
        "first_name": "text",
        "last_name": "text",
        "email": "text",
        "team": "text",
        "region": "text",
        "role": "text",
        "manager": "text",
        "hire_date": "date",
        "quota": "amount",
        "active": "bool",
    },
}

ENTITIES: tuple[str, ...] = tuple(FIELDS)
ACTIVITY_TYPES: tuple[str, ...] = ("email", "call", "meeting", "demo", "proposal", "task")
DEAL_STATUSES: tuple[str, ...] = ("open", "won", "lost")
CLOSED_STATUSES: tuple[str, ...] = ("won", "lost")

# Stored columns that validation computes from other input fields: a batch carries such a column (and so may
# change it on a re-import) only when its mapping names one of these fields.
_DEAL_STATUS_INPUTS = ("stage", "status", "is_won", "is_closed")
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "name": ("first_name", "last_name"),
    "duration_minutes": ("duration_seconds",),
    "status": _DEAL_STATUS_INPUTS,
    "is_closed": _DEAL_STATUS_INPUTS,
    "is_won": _DEAL_STATUS_INPUTS,
}
