"""Scoring against the store: load leads/deals with their custom columns, train, score, write scores back.

Which outcome is known (the training label):
- Leads: converted (flag, or a status reading converted/won/customer) → True. Otherwise False when the status
  reads closed/disqualified/lost/junk (``CLOSED_LEAD_STATUS``), or when the flag says not converted and the lead
  was created more than ``OPEN_DAYS`` days before the newest lead of the workspace (the export's own "today", so an
  old export behaves the same tomorrow) or has no created date at all (the flag is then all the history there is
  and is taken as final). Otherwise the lead is open.
- Deals: closed won → True, closed lost → False, open deals → unknown.
Every lead/deal is scored (open or not); step 2 reads the scores of open ones as demand.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Connection, Engine, Table, bindparam, func, select, update

from salesops.scoring.model import ScoringModel, score, train
from salesops.store import workspaces as ws
from salesops.store.schema import accounts, activities, deals, leads

OPEN_DAYS = 90
CLOSED_LEAD_STATUS = re.compile(r"closed|disqualif|unqualif|not qualified|lost|junk|dead|spam|recycl", re.I)
CONVERTED_LEAD_STATUS = re.compile(r"^\s*(?:converted|won|customer)\b", re.I)
EMPLOYEE_BANDS = (0, 10, 50, 200, 1000, 5000, float("inf"))
EMPLOYEE_LABELS = ("1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+")

# Canonical columns used as fit features, with the names users see in explanations.
_LEAD_FIT = {"source": "Lead source", "industry": "Industry", "region": "Region", "country": "Country"}
_DEAL_FIT = {
    "lead_source": "Lead source",
    "product": "Product",
    "segment": "Segment",
    "region": "Region",
    "deal_type": "Deal type",
    "amount": "Amount",
}
_ACCOUNT_FIT = {"industry": "Account industry", "country": "Account country", "tier": "Account tier"}
# Columns that describe the record or its outcome, never used as features.
BOOKKEEPING = (
    "id",
    "name",
    "company",
    "label",
    "converted",
    "converted_date",
    "status",
    "created_date",
    "is_closed",
    "is_won",
)


def load_leads(conn: Connection, workspace_id: int) -> pd.DataFrame:
    """Leads of a workspace: id, outcome columns, fit columns, ``extra`` expanded, activity counts."""
    cols = [leads.c.id, leads.c.name, leads.c.company, leads.c.status, leads.c.created_date, leads.c.converted]
    cols += [leads.c.employees]
    cols += [leads.c[name] for name in _LEAD_FIT]
    rows = conn.execute(
        select(*cols, leads.c.extra).where(leads.c.workspace_id == workspace_id).order_by(leads.c.id)
    ).all()
    frame = pd.DataFrame(rows, columns=[c.name for c in cols] + ["extra"]).rename(columns=_LEAD_FIT)
    frame["Employees band"] = employees_band(frame.pop("employees"))
    frame = _expand_extra(frame)
    return _with_activity_counts(conn, workspace_id, frame, activities.c.lead_id)


def load_deals(conn: Connection, workspace_id: int) -> pd.DataFrame:
    """Deals of a workspace: id, outcome columns, fit columns (with the account's), ``extra``, activity counts."""
    cols = [deals.c.id, deals.c.name, deals.c.is_closed, deals.c.is_won, deals.c.created_date, deals.c.account]
    cols += [deals.c[name] for name in _DEAL_FIT]
    rows = conn.execute(
        select(*cols, deals.c.extra).where(deals.c.workspace_id == workspace_id).order_by(deals.c.id)
    ).all()
    frame = pd.DataFrame(rows, columns=[c.name for c in cols] + ["extra"]).rename(columns=_DEAL_FIT)
    frame = _with_account_fit(conn, workspace_id, frame)
    frame = _expand_extra(frame)
    return _with_activity_counts(conn, workspace_id, frame, activities.c.deal_id)


def lead_labels(frame: pd.DataFrame, open_days: int = OPEN_DAYS) -> pd.Series:
    """Known outcome per lead (True/False, NA while still open) by the rule in the module docstring."""
    converted = frame["converted"].astype("boolean")
    status = frame["status"].astype("string").fillna("")
    created = pd.to_datetime(frame["created_date"], errors="coerce")
    newest = created.max()
    aged = created.isna() | (created < newest - pd.Timedelta(days=open_days)) if pd.notna(newest) else created.isna()
    won = converted.fillna(False).to_numpy(dtype=bool) | status.str.contains(CONVERTED_LEAD_STATUS).to_numpy(bool)
    closed = status.str.contains(CLOSED_LEAD_STATUS).to_numpy(dtype=bool)
    not_converted = converted.eq(False).fillna(False).to_numpy(dtype=bool)
    label = pd.Series(pd.NA, index=frame.index, dtype="boolean", name="label")
    label[closed | (not_converted & aged.to_numpy(dtype=bool))] = False
    label[won] = True
    return label


def deal_labels(frame: pd.DataFrame) -> pd.Series:
    """Won (True) / lost (False) among closed deals; NA for open ones."""
    label = frame["is_won"].astype("boolean").where(frame["is_closed"].astype(bool))
    return label.astype("boolean").rename("label")


def feature_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The loaded frame minus id and outcome columns: what the feature builder may use."""
    return frame.drop(columns=[c for c in BOOKKEEPING if c in frame.columns] + ["account"], errors="ignore")


def score_workspace(
    engine: Engine,
    workspace_id: int,
    entity: Literal["leads", "deals"] = "leads",
    *,
    seed: int = 0,
    adjustments: dict[str, float] | None = None,
) -> tuple[ScoringModel, pd.DataFrame]:
    """Train on the workspace's history, score every lead/deal, store the scores.

    Returns the model and a frame of id, name, company (the deal's account for deals), score and known outcome.
    """
    with engine.connect() as conn:
        frame = load_leads(conn, workspace_id) if entity == "leads" else load_deals(conn, workspace_id)
    label = lead_labels(frame) if entity == "leads" else deal_labels(frame)
    features = feature_frame(frame)
    model = train(features, label, seed=seed, target="converting" if entity == "leads" else "winning")
    scored = pd.DataFrame(
        {
            "id": frame["id"],
            "name": frame["name"],
            "company": frame["company"] if entity == "leads" else frame["account"],
            "score": score(model, features, adjustments),
            "label": label,
        }
    )
    with engine.begin() as conn:
        write_scores(conn, workspace_id, entity, scored)
    return model, scored


def write_scores(conn: Connection, workspace_id: int, entity: Literal["leads", "deals"], scored: pd.DataFrame) -> int:
    """Store ``scored`` (id, score) into leads.score / deals.score with one executemany; bumps the data version."""
    table: Table = leads if entity == "leads" else deals
    stmt = (
        update(table)
        .where(table.c.workspace_id == bindparam("b_ws"), table.c.id == bindparam("b_id"))
        .values(score=bindparam("b_score"))
    )
    params = [
        {"b_ws": workspace_id, "b_id": str(rid), "b_score": float(value)}
        for rid, value in zip(scored["id"], scored["score"], strict=True)
    ]
    if params:
        conn.execute(stmt, params)
        ws.bump_version(conn, workspace_id)
    return len(params)


def score_cli_payload(model: ScoringModel, scored: pd.DataFrame) -> dict[str, Any]:
    """JSON-ready summary for the CLI: method, AUC, features, explanation and every id with its score."""
    key = "leads" if model.target == "converting" else "deals"
    return {
        "method": model.method,
        "auc": None if model.auc is None else round(model.auc, 4),
        "n_train": model.n_train,
        "n_test": model.n_test,
        "features": list(model.features),
        "explanation": list(model.explanation),
        key: [{"id": str(i), "score": float(s)} for i, s in zip(scored["id"], scored["score"], strict=True)],
    }


def employees_band(employees: pd.Series) -> pd.Series:
    """Employee counts as size bands (1-10, 11-50, 51-200, 201-1000, 1001-5000, 5000+); NA stays NA."""
    values = pd.to_numeric(employees, errors="coerce")
    bands = pd.cut(values, bins=list(EMPLOYEE_BANDS), labels=list(EMPLOYEE_LABELS), right=True)
    return bands.astype(object).where(values.notna(), None)


def _expand_extra(frame: pd.DataFrame) -> pd.DataFrame:
    """Replace the ``extra`` JSON column by one column per custom field (canonical names win on a clash)."""
    parsed = [json.loads(text) if text else {} for text in frame.pop("extra")]
    extra = pd.DataFrame.from_records(parsed, index=frame.index) if parsed else pd.DataFrame(index=frame.index)
    extra = extra.drop(columns=[c for c in extra.columns if c in frame.columns])
    return pd.concat([frame, extra], axis=1)


def _with_account_fit(conn: Connection, workspace_id: int, frame: pd.DataFrame) -> pd.DataFrame:
    """Add the deal's account industry, size band, country and tier (matched on account id, then name)."""
    rows = conn.execute(
        select(accounts.c.id, accounts.c.name, accounts.c.employees, *[accounts.c[c] for c in _ACCOUNT_FIT]).where(
            accounts.c.workspace_id == workspace_id
        )
    ).all()
    if not rows:
        return frame
    table = pd.DataFrame(rows, columns=["id", "name", "employees", *_ACCOUNT_FIT]).rename(columns=_ACCOUNT_FIT)
    table["Account size"] = employees_band(table.pop("employees"))
    for col in [*_ACCOUNT_FIT.values(), "Account size"]:
        by_id = dict(zip(table["id"], table[col], strict=True))
        by_name = dict(zip(table["name"], table[col], strict=True))
        frame[col] = pd.Series(
            [by_id.get(a, by_name.get(a)) for a in frame["account"]], index=frame.index, dtype=object
        )
    return frame


def _with_activity_counts(conn: Connection, workspace_id: int, frame: pd.DataFrame, link: Any) -> pd.DataFrame:
    """Add "Activities" (all types) and "Activities: <type>" counts per record when any activity links to one."""
    rows = conn.execute(
        select(link, activities.c.type, func.count())
        .where(activities.c.workspace_id == workspace_id, link.is_not(None))
        .group_by(link, activities.c.type)
    ).all()
    if not rows:
        return frame
    counts = pd.DataFrame(rows, columns=["id", "type", "n"]).pivot_table(
        index="id", columns="type", values="n", aggfunc="sum", fill_value=0
    )
    ids = frame["id"].astype(str)
    frame["Activities"] = ids.map(counts.sum(axis=1)).fillna(0).astype(float)
    for kind in sorted(counts.columns):
        frame[f"Activities: {kind}"] = ids.map(counts[kind]).fillna(0).astype(float)
    return frame
