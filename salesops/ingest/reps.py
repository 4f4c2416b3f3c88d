"""One person, one rep: owner names in deals and activities, and users/reps exports, resolve to the same rep.

A deals export names its owners ("Clara Santa Cruz"); a users export keys the same people by CRM id (1002) with an
email. Whatever order the two arrive in, a person must be one rep: an incoming rep matches a stored one on CRM id,
then email, then normalised name (accents, case, punctuation and word order ignored), and reps the store created
from owner names merge into the rep of the users export. A rename in the CRM renames the owner on every stored
record (history kept for undo) and remembers the old name, so an older export naming the old owner still lands on
the same rep. Matching works on distinct values only: a million deals have a few hundred owners.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, select, update

from salesops.store.schema import RECORD_TABLES, rep_aliases, reps

# Record tables whose ``owner`` names a rep (reps themselves excepted).
OWNED_ENTITIES: tuple[str, ...] = ("accounts", "leads", "deals", "activities")


def name_keys(values: pd.Series) -> pd.Series:
    """A person's name as a match key: accents, case and punctuation dropped, words sorted (None when empty).

    "Santa Cruz, Clara", "clara santa cruz" and "Clara Santa-Cruz" share one key.
    """
    codes, distinct = pd.factorize(values.astype("string"), use_na_sentinel=True)
    text = pd.Series(distinct, dtype="string")
    folded = text.str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True).str.casefold()
    words = folded.str.replace(r"[\W_]+", " ", regex=True).str.split()
    keys = np.array(
        [" ".join(sorted(w)) or None if isinstance(w, list) else None for w in words] + [None], dtype=object
    )
    return pd.Series(keys[codes], index=values.index, dtype="object")


def _email_keys(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip().str.casefold()
    return text.where(text.str.contains("@", regex=False).fillna(False)).astype("object")


@dataclass(frozen=True)
class RepDirectory:
    """The workspace's reps: display name per rep id, and every key (id, email, name, former name) to its rep id."""

    names: dict[str, str | None]
    by_id: dict[str, str]
    by_email: dict[str, str]
    by_name: dict[str, str]

    def resolve(self, values: pd.Series) -> pd.Series:
        """The rep id each value (a CRM user id, an email or a name) names, or None; ids first, then email, name."""
        found = values.astype("string").map(self.by_id).astype("object")
        found = found.where(found.notna(), _email_keys(values).map(self.by_email))
        return found.where(found.notna(), name_keys(values).map(self.by_name))


def rep_directory(conn: Connection, workspace_id: int) -> RepDirectory:
    """Read the workspace's reps and former names into a :class:`RepDirectory`."""
    rows = pd.DataFrame(
        conn.execute(select(reps.c.id, reps.c.name, reps.c.email).where(reps.c.workspace_id == workspace_id)).all(),
        columns=["id", "name", "email"],
    )
    aliases = conn.execute(
        select(rep_aliases.c.alias, rep_aliases.c.rep_id).where(rep_aliases.c.workspace_id == workspace_id)
    ).all()
    by_name = {str(a.alias): str(a.rep_id) for a in aliases}
    # Reps from a users export (their own id) win a name over reps the store made from owner names (id = name).
    ordered = rows.assign(made=rows["id"] == rows["name"]).sort_values("made", ascending=False, kind="stable")
    for key, rep_id in zip(name_keys(ordered["name"]), ordered["id"], strict=True):
        if key is not None:
            by_name.setdefault(key, str(rep_id))
    emails = _email_keys(rows["email"])
    return RepDirectory(
        names={str(i): (None if pd.isna(n) else str(n)) for i, n in zip(rows["id"], rows["name"], strict=True)},
        by_id={str(i): str(i) for i in rows["id"]},
        by_email={str(e): str(i) for e, i in zip(emails, rows["id"], strict=True) if e is not None and not pd.isna(e)},
        by_name=by_name,
    )


def canonical_owners(conn: Connection, workspace_id: int, owners: pd.Series) -> pd.Series:
    """Owner values with every known rep written as that rep's current name (unknown owners kept as given)."""
    if owners.dropna().empty:
        return owners
    directory = rep_directory(conn, workspace_id)
    codes, distinct = pd.factorize(owners.astype("string"), use_na_sentinel=True)
    values = pd.Series(distinct, dtype="string")
    names = directory.resolve(values).map(directory.names)
    # Spellings of one unknown person ("Ann Lee", "LEE, Ann") become the spelling the file uses most.
    counts = pd.Series(np.bincount(codes[codes >= 0], minlength=len(values)), index=values.index)
    keys = name_keys(values)
    most_used = values[counts.groupby(keys).idxmax()].set_axis(counts.groupby(keys).idxmax().index)
    spelled = keys.map(most_used).astype("object")
    names = names.where(names.notna(), spelled)
    canonical = np.array([*values.where(names.isna(), names).astype(object).tolist(), None], dtype=object)
    return pd.Series(canonical[codes], index=owners.index, dtype="string")


@dataclass(frozen=True)
class RepMerge:
    """Stored reps made from owner names that an incoming users/reps export takes over, and the renames to apply."""

    absorbed: pd.DataFrame  # full stored rows of the reps to remove (history keeps them for undo)
    renames: dict[str, str]  # owner name as stored on records -> the rep's name from now on
    aliases: dict[str, str]  # former name key -> rep id


def plan_rep_merge(conn: Connection, workspace_id: int, records: pd.DataFrame, stored: pd.DataFrame) -> RepMerge:
    """Match incoming reps to stored ones (CRM id, then email, then name) and decide merges and renames.

    ``stored`` holds every stored rep row of the workspace. Every stored rep made from an owner name (id = name)
    that an incoming rep matches by email or name is absorbed into it; a rep whose name changes is renamed on its
    records. A reps file is small (one row per person), so matching walks its rows.
    """
    directory = rep_directory(conn, workspace_id)
    incoming = records.reset_index(drop=True)
    new_names = incoming["name"] if "name" in incoming else pd.Series(None, index=incoming.index, dtype="object")
    made = stored[stored["id"] == stored["name"]]
    made_by_key: dict[str, list[str]] = {}
    for key, rep_id in zip(name_keys(made["name"]), made["id"], strict=True):
        if key is not None:
            made_by_key.setdefault(key, []).append(str(rep_id))
    emails = _email_keys(incoming["email"]) if "email" in incoming else pd.Series(None, index=incoming.index)
    stored_by_id = stored.set_index("id", drop=False)
    absorbed: list[str] = []
    renames: dict[str, str] = {}
    aliases: dict[str, str] = {}
    made_ids = set(made["id"])
    texts = [v if isinstance(v, str) else None for v in new_names.astype("string").tolist()]
    for rep_id, key, email, new_name in zip(incoming["id"], name_keys(new_names), emails, texts, strict=True):
        by_email = directory.by_email.get(email) if isinstance(email, str) else None
        candidates = [by_email] if by_email in made_ids else []
        for old_id in dict.fromkeys([*candidates, *made_by_key.get(str(key), [])]):
            if old_id is None or old_id == rep_id or old_id in absorbed:
                continue
            absorbed.append(old_id)
            _note_rename(directory.names.get(old_id), new_name, str(rep_id), renames, aliases)
        _note_rename(directory.names.get(str(rep_id)), new_name, str(rep_id), renames, aliases)
    return RepMerge(stored_by_id.loc[absorbed].reset_index(drop=True), renames, aliases)


def _note_rename(
    old: str | None, new: str | None, rep_id: str, renames: dict[str, str], aliases: dict[str, str]
) -> None:
    """Record that records owned by ``old`` now belong to the rep named ``new`` (and remember ``old``)."""
    if old is None or new is None or new == old:
        return
    renames[old] = new
    old_key, new_key = name_keys(pd.Series([old, new])).tolist()
    if old_key is not None and old_key != new_key:
        aliases[old_key] = rep_id


def fill_from_absorbed(records: pd.DataFrame, merge: RepMerge, mapping_fields: set[str]) -> pd.DataFrame:
    """Incoming reps that absorb a stored rep keep the stored values of the fields the file does not carry."""
    if merge.absorbed.empty:
        return records
    directory_keys = name_keys(merge.absorbed["name"])
    by_key = dict(zip(directory_keys, merge.absorbed.index, strict=True))
    rows = name_keys(records["name"]).map(by_key) if "name" in records else None
    if rows is None or rows.isna().all():
        return records
    out = records.copy()
    for column in merge.absorbed.columns:
        if column in ("id", "name", "batch_id", "created_batch_id", "workspace_id") or column in mapping_fields:
            continue
        stored_values = rows.map(merge.absorbed[column])
        out[column] = out[column].where(out[column].notna(), stored_values) if column in out else stored_values
    return out


def save_aliases(conn: Connection, workspace_id: int, batch_id: int, aliases: dict[str, str]) -> None:
    """Remember former names (as name keys) of reps, so older exports naming them resolve to the same rep."""
    for alias, rep_id in aliases.items():
        conn.execute(
            delete(rep_aliases).where(rep_aliases.c.workspace_id == workspace_id, rep_aliases.c.alias == alias)
        )
        conn.execute(
            rep_aliases.insert().values(workspace_id=workspace_id, alias=alias, rep_id=rep_id, batch_id=batch_id)
        )


def owned_rows(conn: Connection, workspace_id: int, entity: str, owners: list[str]) -> pd.DataFrame:
    """Every stored row of ``entity`` whose owner is one of ``owners`` (full rows, for history)."""
    table = RECORD_TABLES[entity]
    columns = [c for c in table.columns if c.name != "workspace_id"]
    stmt = select(*columns).where(table.c.workspace_id == workspace_id, table.c.owner.in_(owners))
    return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=[c.name for c in columns])


def rename_owners(conn: Connection, workspace_id: int, batch_id: int, entity: str, renames: dict[str, str]) -> None:
    """Rewrite the owner of the entity's records from each former name to the rep's current one."""
    table = RECORD_TABLES[entity]
    for old, new in renames.items():
        conn.execute(
            update(table)
            .where(table.c.workspace_id == workspace_id, table.c.owner == old)
            .values(owner=new, batch_id=batch_id)
        )
