"""Built-in mapping presets: the column mapping of a known public sample dataset, picked by name, never detected.

Detection only knows vocabulary that holds for any export (documented CRM labels, common spreadsheet words);
headers that belong to one particular dataset live here, so a user can apply them like a saved preset and the
generic mapping is not tuned to one file.
"""

from __future__ import annotations

from dataclasses import dataclass

BUILTIN_PREFIX = "Built-in: "


@dataclass(frozen=True)
class BuiltinPreset:
    """A named mapping shipped with the app: the entity it holds and {source header: canonical field}."""

    name: str
    entity: str
    mapping: dict[str, str]


_PRESETS: tuple[BuiltinPreset, ...] = (
    BuiltinPreset(
        BUILTIN_PREFIX + "Maven CRM sales pipeline (deals)",
        "deals",
        {
            "opportunity_id": "id",
            "sales_agent": "owner",
            "product": "product",
            "account": "account",
            "deal_stage": "stage",
            "engage_date": "created_date",
            "close_date": "close_date",
            "close_value": "amount",
        },
    ),
    BuiltinPreset(
        BUILTIN_PREFIX + "Maven CRM sales teams (reps)",
        "reps",
        {"sales_person_id": "id", "sales_agent": "name", "manager": "manager", "regional_office": "region"},
    ),
    BuiltinPreset(
        BUILTIN_PREFIX + "Maven CRM accounts (accounts)",
        "accounts",
        {
            "account_id": "id",
            "account": "name",
            "sector": "industry",
            "employees": "employees",
            "revenue": "annual_revenue",
            "office_location": "country",
        },
    ),
)


def builtin_names() -> list[str]:
    """Names of the built-in presets, in the order they are offered."""
    return [p.name for p in _PRESETS]


def builtin_preset(name: str) -> tuple[str, dict[str, str]] | None:
    """(entity, mapping) of the built-in preset ``name``, or None when no built-in preset has that name."""
    for preset in _PRESETS:
        if preset.name == name:
            return preset.entity, dict(preset.mapping)
    return None
