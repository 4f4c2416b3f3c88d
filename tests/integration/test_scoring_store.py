"""Scoring against real stores: load with custom columns and activity counts, train, write every score back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, select

from salesops.ingest.pipeline import ingest_paths
from salesops.scoring import load_leads, score_cli_payload, score_workspace
from salesops.store import workspaces as ws
from salesops.store.schema import deals, leads
from salesops.store.workspaces import find
from tests.conftest import require


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _lead_files(tmp_path: Path, n: int = 160) -> list[Path]:
    """Leads whose conversion follows web visits; the first six also have logged activities."""
    rng = np.random.default_rng(5)
    visits = rng.poisson(4, n)
    converted = rng.random(n) < 1 / (1 + np.exp(-(visits - 4)))
    lead_rows = [
        [f"L{i:03d}", f"Co {i}", ["Referral", "Web", "Event"][i % 3], "Working", "Retail", 20 + i, "2024-01-05",
         str(bool(converted[i])).lower(), int(visits[i]), i % 4]
        for i in range(n)
    ]  # fmt: skip
    header = ["Lead ID", "Company", "Lead Source", "Lead Status", "Industry", "Employees", "Created Date",
              "Converted", "Web Visits", "Email Opens"]  # fmt: skip
    activity_rows = [
        [f"A{k}", ["Email", "Call"][k % 2], "Ann Lee", f"L{k % 6:03d}", "2024-01-06 10:00", 5] for k in range(9)
    ]
    return [
        _csv(tmp_path / "leads.csv", header, lead_rows),
        _csv(tmp_path / "activities.csv", ["Activity ID", "Type", "Owner", "Lead ID", "Date", "Duration (min)"],
             activity_rows),
    ]  # fmt: skip


def test_leads_are_trained_scored_and_stored_in_one_go(engine: Engine, tmp_path: Path) -> None:
    ingest_paths(engine, "acme", _lead_files(tmp_path))
    with engine.connect() as conn:
        workspace_id = find(conn, "acme")
        assert workspace_id is not None
        version = ws.data_version(conn, workspace_id)
        frame = load_leads(conn, workspace_id).set_index("id")
    assert frame.loc["L000", "Activities"] == 2  # A0 and A6
    assert frame.loc["L000", "Activities: email"] == 2
    assert frame.loc["L000", "Activities: call"] == 0
    assert frame.loc["L010", "Activities"] == 0
    assert frame.loc["L001", "Web Visits"] == str(frame.loc["L001", "Web Visits"])  # custom columns stay as text

    model, scored = score_workspace(engine, workspace_id)
    assert model.method in {"logistic", "rules"}
    assert {"Web Visits", "Email Opens", "Lead source", "Employees band"} <= set(model.features)
    assert len(scored) == 160
    assert scored["score"].between(0, 100).all()
    assert scored.set_index("id").loc["L007", "company"] == "Co 7"  # the download says whose score it is
    with engine.connect() as conn:
        stored = dict(conn.execute(select(leads.c.id, leads.c.score).where(leads.c.workspace_id == workspace_id)).all())
        assert ws.data_version(conn, workspace_id) == version + 1  # UI caches refresh
    assert stored == dict(zip(scored["id"], scored["score"], strict=True))
    busy, idle = scored.set_index("id").loc[frame["Web Visits"].astype(int).sort_values().index, "score"].iloc[[-1, 0]]
    assert busy > idle

    payload = score_cli_payload(model, scored)
    assert json.loads(json.dumps(payload))["leads"][0] == {"id": "L000", "score": stored["L000"]}
    assert payload["method"] == model.method
    assert payload["features"] == list(model.features)


def test_deals_use_account_fit_and_score_open_deals(engine: Engine, tmp_path: Path) -> None:
    accounts_csv = _csv(
        tmp_path / "accounts.csv",
        ["Account ID", "Account Name", "Industry", "Employees", "Country"],
        [["C1", "Acme", "Retail", 40, "US"], ["C2", "Beta Corp", "Tech", 3000, "DE"]],
    )
    deal_rows = [
        [f"D{i}", f"Deal {i}", ["Acme", "Beta Corp"][i % 2], "Ann Lee",
         ["Closed Won", "Closed Lost", "Proposal"][i % 3], 1000 * (i + 1), "2024-01-05", "2024-03-01"]
        for i in range(12)
    ]  # fmt: skip
    deals_csv = _csv(
        tmp_path / "deals.csv",
        ["Deal ID", "Deal Name", "Account", "Owner", "Stage", "Amount", "Created Date", "Close Date"],
        deal_rows,
    )
    ingest_paths(engine, "acme", [deals_csv, accounts_csv])
    with engine.connect() as conn:
        workspace_id = find(conn, "acme")
    assert workspace_id is not None
    model, scored = score_workspace(engine, workspace_id, "deals")
    assert model.method == "rules"  # 4 won, 4 lost: too little history
    assert model.target == "winning"
    assert {"Account industry", "Account size", "Amount"} <= set(model.features)
    assert scored["label"].isna().sum() == 4  # the open deals
    with engine.connect() as conn:
        stored = conn.execute(select(deals.c.score).where(deals.c.workspace_id == workspace_id)).scalars().all()
    assert len(stored) == 12
    assert all(0 <= s <= 100 for s in stored)
    assert "deals" in score_cli_payload(model, scored)


def test_x_education_leads_score_with_a_holdout_auc_near_0_9(sqlite_engine: Engine, datasets: Path) -> None:
    path = datasets / "x-education-lead-scoring" / "Leads.csv"
    require(path.is_file(), "X Education Leads.csv is not present")
    ingest_paths(sqlite_engine, "xed", [path])
    with sqlite_engine.connect() as conn:
        workspace_id = find(conn, "xed")
    assert workspace_id is not None
    model, _scored = score_workspace(sqlite_engine, workspace_id)
    print(f"X Education holdout AUC: {model.auc:.3f} ({model.n_train} train / {model.n_test} test)")
    assert model.method == "logistic"
    assert model.auc is not None
    assert 0.85 <= model.auc <= 0.97
    assert {"Lead Origin", "Lead source", "TotalVisits", "Total Time Spent on Website", "Last Activity"} <= set(
        model.features
    )
    assert "Tags" not in model.features  # sales' post-outcome notes ("Closed by Horizzon") are leakage
    assert (model.n_train, model.n_test) == (6930, 2310)
    calibration = model.calibration
    assert calibration["observed"].iloc[-1] > 0.9  # the top decile nearly all converted
    assert calibration["observed"].iloc[0] < 0.1
    with sqlite_engine.connect() as conn:
        stored = conn.execute(select(leads.c.score).where(leads.c.workspace_id == workspace_id)).scalars().all()
    assert len(stored) == 9240
    assert all(s is not None and 0 <= s <= 100 for s in stored)
