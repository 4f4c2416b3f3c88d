"""Step 3 against a real store (SQLite file, and PostgreSQL when it answers): the sample's team, rates and a saved
demand draft through the supply plan, saved back as the contract of CONTRACT_PLAN.md says; and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from salesops.capacity import SupplySettings, hire_records, load_base, plan_supply
from salesops.capacity.funnel import funnel_rates
from salesops.capacity.roster import load_roster
from salesops.capacity.save import save_supply
from salesops.capacity.source import from_plan
from salesops.cli import main
from salesops.ingest.pipeline import ingest_paths
from salesops.plan import latest_plan, plan_version, save_draft
from salesops.store import workspaces as ws

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
FILES = [SAMPLE / name for name in ("reps.csv", "deals.csv", "activities.csv")]


def _demand_draft(engine: Engine, workspace_id: int, start: pd.Period) -> int:
    """A step-2-like draft: 6 months of revenue demand with an interval, and service hours in two tiers."""
    periods = [str(start + k) for k in range(6)]
    demand = pd.DataFrame({"kind": "demand", "metric": "revenue", "segment": "", "period": periods})
    demand = demand.assign(value=1_000_000.0, lower=800_000.0, upper=1_200_000.0)
    hours = pd.DataFrame({"kind": "service_hours", "metric": "total_hours", "period": periods * 2})
    hours = hours.assign(segment=["entry"] * 6 + ["enterprise"] * 6, value=500.0, lower=None, upper=None)
    with engine.begin() as conn:
        save_draft(conn, workspace_id, "Demand", {"metric": "revenue", "horizon": 6}, pd.concat([demand, hours]))
        plan = latest_plan(conn, workspace_id)
    assert plan is not None
    return plan.version


def test_supply_plan_saved_into_a_new_draft_keeps_the_demand_and_adds_the_contract(engine: Engine) -> None:
    ingest_paths(engine, "Sample", FILES)
    with engine.connect() as conn:
        workspace_id = ws.find(conn, "Sample")
        assert workspace_id is not None
        roster = load_roster(conn, workspace_id)
        assert roster is not None
        assert roster.from_table
        assert len(roster.reps) == 22, "24 reps, 2 inactive"
        rates = funnel_rates(conn, workspace_id, roster.start)
    version = _demand_draft(engine, workspace_id, roster.start)
    with engine.connect() as conn:
        source = plan_version(conn, workspace_id, version)
        assert source is not None
        demand = from_plan(source, rates.avg_deal_size)
        assert demand is not None
        base = load_base(conn, workspace_id, demand, roster)
    np.testing.assert_allclose(base.demand.revenue["worst"], 800_000.0)
    np.testing.assert_allclose(base.demand.service_hours, 1_000.0)
    result = plan_supply(base, SupplySettings(scenario="worst"))
    with engine.begin() as conn:
        save_supply(conn, workspace_id, "Supply", source, base=base, result=result)
    with engine.connect() as conn:
        saved = latest_plan(conn, workspace_id)
    assert saved is not None
    assert saved.version == version + 1
    assert saved.status == "draft"
    assert saved.assumptions["horizon"] == 6, "the demand draft's assumptions are copied"
    supply = saved.assumptions["supply"]
    assert supply["demand_source"] == {"plan_version": version, "scenario": "worst", "note": demand.note}
    assert {"sales", "activities", "service"} <= {r["key"] for r in supply["resources"]}
    for key in (
        "ramp_months",
        "ramp_shape",
        "attrition_monthly",
        "recruiting_lead_months",
        "attainment_median",
        "defaults_used",
        "hires",
        "hiring_cost",
        "revenue_protected",
        "revenue_uncovered",
        "binding_constraint",
        "pricing",
    ):
        assert key in supply
    lines = saved.lines
    demand_lines = lines[lines["kind"] == "demand"]
    assert demand_lines["value"].sum() == pytest.approx(6_000_000.0)
    sales = lines[lines["metric"] == "sales"].pivot_table(index="period", columns="kind", values="value")
    after = next(r for r in result.after if r.key == "sales")
    np.testing.assert_allclose(sales["capacity"].to_numpy(), after.capacity)
    np.testing.assert_allclose(sales["supply_demand"].to_numpy(), after.demand)
    hires = lines[lines["kind"] == "hire"]
    assert hires["value"].sum() == sum(h["count"] for h in hire_records(result))
    assert supply["hiring_cost"] == pytest.approx(result.plan.cost)


def test_capacity_cli_prints_months_hires_and_the_binding_constraint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["ingest", *map(str, FILES), "--workspace", "Sample", "--json"]) == 0
    capsys.readouterr()
    assert main(["capacity", "--workspace", "Sample", "--horizon", "6", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["demand_source"]["plan_version"] is None, "no plan: the baseline forecast"
    assert "baseline forecast" in data["note"]
    assert len(data["months"]) == 6
    for month in data["months"]:
        for figures in month["resources"].values():
            assert figures["gap"] == pytest.approx(figures["demand"] - figures["capacity"])
    for hire in data["hires"]:
        assert hire["hire_by"] <= hire["starts"] <= hire["productive_from"]
        assert hire["total_cost"] >= 0
    assert data["hiring_cost"] == pytest.approx(sum(h["total_cost"] for h in data["hires"]))
    binding = data["binding_constraint"]
    assert binding is None or binding["resource"] in data["months"][0]["resources"]
    assert main(["capacity", "--workspace", "Sample", "--plan", "7", "--json"]) == 2
    assert "no plan version 7" in capsys.readouterr().err
    assert main(["capacity", "--workspace", "Nope", "--json"]) == 2
