"""Turn a read table plus a column mapping into canonical records, rejecting each bad row with its reason.

Validation works column-wise on the whole file (vectorised), so a million rows validate in about a second. A row is
either loaded or rejected, never silently changed: a reason names the column and the value that failed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesops.i18n import translate
from salesops.ingest.fields import FIELDS
from salesops.ingest.values import (
    amount_currencies,
    is_blank,
    normalize_activity_type,
    normalize_stage,
    parse_amounts,
    parse_bools,
    parse_dates,
    parse_numbers,
)

# Fields that are inputs only: folded into stored columns below, never stored under their own name.
_INPUT_ONLY = {"first_name", "last_name", "duration_seconds", "is_won", "is_closed"}
_LABELS = {
    "created_date": "created date",
    "close_date": "close date",
    "converted_date": "converted date",
    "hire_date": "hire date",
    "occurred_at": "date",
    "annual_revenue": "annual revenue",
    "expected_revenue": "expected revenue",
    "duration_minutes": "duration",
    "duration_seconds": "duration",
}


@dataclass(frozen=True)
class Validated:
    """Canonical records ready to load, the rejected rows with reasons, and notes for the user."""

    records: pd.DataFrame  # canonical columns + "extra" (JSON text or None); index = file row number
    rejected: pd.DataFrame  # columns row_number, raw (dict of the row as read), reason
    notes: tuple[str, ...] = field(default_factory=tuple)
    derived_ids: bool = False


class _Rejections:
    """Collects the first reason per row (later checks do not overwrite an earlier reason)."""

    def __init__(self, index: pd.Index) -> None:
        self.reason = pd.Series(pd.NA, index=index, dtype="string")

    def add(self, mask: pd.Series, reasons: pd.Series | str) -> None:
        mask = mask.fillna(False).astype(bool) & self.reason.isna()
        if not mask.any():
            return
        values = reasons[mask] if isinstance(reasons, pd.Series) else reasons
        self.reason[mask] = values

    @property
    def mask(self) -> pd.Series:
        return self.reason.notna()


def _label(field_name: str) -> str:
    return _LABELS.get(field_name, field_name.replace("_", " "))


def _column(frame: pd.DataFrame, mapping: dict[str, str], field_name: str) -> pd.Series | None:
    for source, target in mapping.items():
        if target == field_name and source in frame.columns:
            return frame[source]
    return None


def _quoted(values: pd.Series) -> pd.Series:
    return "'" + values.astype("string").str.slice(0, 60) + "'"


# What exports write for "no value" in a date or number column; text columns keep these literally.
_NULL_WORDS = ("NA", "N/A", "#N/A", "NULL", "NONE", "NAN", "-", "--", "NOT SET")


def _parse(kind: str, raw: pd.Series, name: str, rejects: _Rejections) -> pd.Series:
    """Parse one column by its kind; non-blank values that fail to parse reject their row."""
    blank = is_blank(raw)
    if kind not in ("id", "text", "stage", "activity_type"):
        # "NaN" is a missing date, but in a number column it is rejected like "inf" or "1e309": not a number.
        words = _NULL_WORDS if kind in ("date", "datetime") else tuple(w for w in _NULL_WORDS if w != "NAN")
        blank = blank | raw.astype("string").str.upper().isin(words).fillna(False)
        raw = raw.mask(blank)
    if kind in ("date", "datetime"):
        parsed = parse_dates(raw)
        rejects.add(~blank & parsed.isna(), translate("unparseable {what}", what=_label(name)) + " " + _quoted(raw))
        return parsed.dt.normalize() if kind == "date" else parsed
    if kind == "amount":
        parsed = parse_amounts(raw)
        rejects.add(~blank & parsed.isna(), translate("unparseable {what}", what=_label(name)) + " " + _quoted(raw))
        rejects.add(parsed < 0, translate("negative {what}", what=_label(name)) + " " + _quoted(raw))
        return parsed
    if kind in ("number", "int"):
        parsed = parse_numbers(raw)
        rejects.add(~blank & parsed.isna(), translate("unparseable {what}", what=_label(name)) + " " + _quoted(raw))
        if kind == "int":
            return parsed.round().astype("Int64")
        return parsed
    if kind == "bool":
        return parse_bools(raw)
    return raw.astype("string").mask(blank)  # the reader already trimmed every cell


def _stable_ids(frame: pd.DataFrame, key_columns: list[str]) -> pd.Series:
    """Ids for exports without an id column: a hash of the identifying fields plus the occurrence number.

    The same file re-imported yields the same ids (so re-import is idempotent); an edited record gets a new id,
    which is why the user is told updates cannot be matched without an id.
    """
    keys = frame[key_columns].astype("string").fillna("").agg("\x1f".join, axis=1)
    occurrence = keys.groupby(keys).cumcount().astype(str)
    joined = (keys + "\x1e" + occurrence).tolist()
    return pd.Series(
        ["h" + hashlib.sha1(k.encode("utf-8")).hexdigest()[:15] for k in joined], index=frame.index, dtype="string"
    )


def _extra_json(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The export's unmapped columns as one JSON object per row (None when there are none)."""
    if not columns:
        return pd.Series(None, index=frame.index, dtype="object")
    lines = frame[columns].to_json(orient="records", lines=True, force_ascii=False).splitlines()
    return pd.Series(lines, index=frame.index, dtype="object")


def _deal_status(values: dict[str, pd.Series], index: pd.Index) -> pd.Series:
    """open/won/lost from the CRM's won/closed flags when given, else its status column, else its stage."""
    status = pd.Series(pd.NA, index=index, dtype="string")
    if "is_won" in values:
        won = values["is_won"]
        closed = values.get("is_closed", pd.Series(pd.NA, index=index, dtype="boolean"))
        from_flags = np.where(won.fillna(False), "won", np.where(closed.fillna(False), "lost", "open"))
        known = won.notna() | closed.notna()
        # "is won = false" alone does not mean open when a stage says otherwise: flags decide only when closed is
        # known or the deal is won.
        decisive = known & (won.fillna(False) | closed.notna())
        status = status.mask(decisive, pd.Series(from_flags, index=index, dtype="string"))
    for name in ("status", "stage"):
        if name in values:
            status = status.fillna(normalize_stage(values[name]))
    return status


def _currencies(values: dict[str, pd.Series], raw_amount: pd.Series, notes: list[str]) -> None:
    """Give each amount its currency (the currency column, else the symbol it is written with); note a mix."""
    written = amount_currencies(raw_amount)
    given = values.get("currency")
    currency = written if given is None else given.astype("string").str.strip().str.upper().fillna(written)
    if currency.notna().any():
        values["currency"] = currency
    counts = currency[values["amount"].notna()].value_counts() if "amount" in values else currency.value_counts()
    if len(counts) > 1:
        listed = ", ".join(f"{code} {n:,}" for code, n in counts.sort_index().items())
        notes.append(
            translate(
                "Amounts are in {n} currencies ({listed}): each record keeps its currency, and amounts in different "
                "currencies are never added together.",
                n=len(counts),
                listed=listed,
            )
        )
        bare_dollar = raw_amount.astype("string").str.contains(r"(?<![A-Z])\$", regex=True).fillna(False)
        if given is None and bare_dollar.any():
            notes.append(translate("Amounts written with a bare $ were read as US dollars (USD)."))


def validate(
    frame: pd.DataFrame,
    entity: str,
    mapping: dict[str, str],
    *,
    default_activity_type: str | None = None,
) -> Validated:
    """Parse and check every mapped column of ``frame`` for ``entity``; return loadable records and rejections."""
    if entity not in FIELDS:
        raise ValueError(f"Unknown entity {entity!r}")
    kinds = FIELDS[entity]
    mapping = {src: dst for src, dst in mapping.items() if dst in kinds and src in frame.columns}
    rejects = _Rejections(frame.index)
    notes: list[str] = []
    values: dict[str, pd.Series] = {}
    for name, kind in kinds.items():
        raw = _column(frame, mapping, name)
        if raw is None:
            continue
        values[name] = _parse(kind, raw, name, rejects) if kind not in ("stage", "activity_type") else raw

    # Names: "First Last" when only the parts are mapped.
    if "name" in kinds and "name" not in values and ("first_name" in values or "last_name" in values):
        first = values.get("first_name", pd.Series(pd.NA, index=frame.index, dtype="string")).fillna("")
        last = values.get("last_name", pd.Series(pd.NA, index=frame.index, dtype="string")).fillna("")
        full = (first + " " + last).str.strip()
        values["name"] = full.mask(full == "")

    # Ids: the CRM id when mapped; else the name for reps/accounts (they are referred to by name); else a hash.
    derived = False
    if "id" in values:
        rejects.add(values["id"].isna(), translate("missing id"))
    elif entity in ("reps", "accounts") and "name" in values:
        values["id"] = values["name"]
        rejects.add(values["id"].isna(), translate("missing name (used as the id)"))
    else:
        key_fields = [
            f for f in ("name", "account", "company", "owner", "created_date", "occurred_at") if f in mapping.values()
        ]
        key_columns = [src for src, dst in mapping.items() if dst in key_fields] or list(frame.columns)
        values["id"] = _stable_ids(frame, key_columns)
        derived = True
        notes.append(
            translate(
                "This file has no id column: ids were derived from {fields}. Re-importing the same file is safe, "
                "but an edited record will be added as a new one instead of updating the old one.",
                fields=", ".join(key_columns[:5]),
            )
        )

    if "currency" in kinds and (raw_amount := _column(frame, mapping, "amount")) is not None:
        _currencies(values, raw_amount, notes)

    if entity == "deals":
        status = _deal_status(values, frame.index)
        if "stage" not in values and "status" not in values and "is_won" not in values:
            raise ValueError(translate("A deals file needs a stage, status or won column mapped."))
        rejects.add(status.isna(), translate("missing stage"))
        values["status"] = status
        if "stage" in values:
            values["stage"] = values["stage"].astype("string").str.strip()
        if "close_date" in values and "created_date" in values:
            # Real CRMs hold such deals (records migrated in after they closed carry the migration day as their
            # created date), so they load with a note; cycle-length KPIs leave them out.
            backwards = int((values["close_date"] < values["created_date"]).sum())
            if backwards:
                notes.append(
                    translate(
                        "{n} deals close before their created date (often records migrated into the CRM later): "
                        "loaded, but left out of cycle-length figures.",
                        n=backwards,
                    )
                )
        if "probability" in values:
            prob = values["probability"]
            if prob.notna().any() and prob.dropna().between(0, 1).all() and (prob.dropna() < 1).any():
                prob = prob * 100  # a 0..1 fraction column
            rejects.add((prob < 0) | (prob > 100), translate("probability outside 0-100"))
            values["probability"] = prob
    if entity == "activities":
        if "type" in values:
            values["type"] = normalize_activity_type(values["type"])
        else:
            values["type"] = pd.Series(default_activity_type or "task", index=frame.index, dtype="string")
        if "duration_minutes" not in values and "duration_seconds" in values:
            values["duration_minutes"] = values["duration_seconds"] / 60.0
        for name in ("deal_id", "lead_id"):
            if name in values:  # "0" is Zoho's "no link"
                values[name] = values[name].mask(values[name].isin(["0", ""]))

    # Duplicate ids within the file: the last occurrence wins, earlier ones are rejected with the reason.
    ids = values["id"]
    valid_ids = ids.where(~rejects.mask)
    dup = valid_ids.notna() & valid_ids.duplicated(keep="last")
    if dup.any():
        last_row = pd.Series(frame.index, index=frame.index).groupby(valid_ids).transform("last")
        rejects.add(dup, translate("duplicate id; row") + " " + last_row.astype(str) + " " + translate("supersedes it"))

    stored = [c for c in kinds if c not in _INPUT_ONLY]
    if entity == "deals":
        stored = [c for c in stored if c != "status"] + ["status"]
    records = pd.DataFrame({c: values[c] for c in stored if c in values}, index=frame.index)
    if entity == "deals":
        records["is_closed"] = records["status"] != "open"
        records["is_won"] = records["status"] == "won"
    extra_columns = [c for c in frame.columns if c not in mapping]
    records["extra"] = _extra_json(frame, extra_columns)
    keep = ~rejects.mask
    rejected = pd.DataFrame(
        {
            "row_number": frame.index[rejects.mask],
            "raw": frame[rejects.mask].to_dict(orient="records"),
            "reason": rejects.reason[rejects.mask].tolist(),
        }
    )
    return Validated(records[keep], rejected, tuple(notes), derived)
