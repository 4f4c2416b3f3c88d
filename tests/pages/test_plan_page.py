"""AppTest of page 4 (alignment & plan) on a workspace of the sample data with a plan saved as steps 2 and 3 do."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from salesops import formatting as fmt
from salesops.cli import main
from salesops.demo import SAMPLE_DIR, SAMPLE_FILES
from salesops.export.scenario import scenario_json
from salesops.ingest.pipeline import ingest_paths
from salesops.plan import Plan, latest_plan, save_draft
from salesops.plan.actions import load_actions
from salesops.plan.report import PlanReport, build_report
from salesops.store import get_engine
from salesops.store import workspaces as ws
from tests.plan_fixtures import PLAN_TOTAL, contract_plan

PAGE = "pages/4_alignment.py"
WORKSPACE = "Plan page"


@pytest.fixture(scope="module")
def plan_workspace(demo_store: str) -> Iterator[int]:
    """The sample data in a workspace of its own, with a draft holding demand (step 2) and supply (step 3)."""
    engine = get_engine(demo_store)
    with engine.connect() as conn:
        found = ws.find(conn, WORKSPACE)
    if found is None:
        ingest_paths(engine, WORKSPACE, [SAMPLE_DIR / name for name in SAMPLE_FILES])
    with engine.begin() as conn:
        workspace = ws.find(conn, WORKSPACE)
        assert workspace is not None
        save_draft(conn, workspace, *contract_plan())
    yield workspace
    engine.dispose()


def _open(app: AppTest, workspace: int) -> AppTest:
    app.session_state["app_workspace_id"] = workspace
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def test_page_shows_plan_total_recommendations_and_team(
    app: AppTest, plan_workspace: int, demo_store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _open(app, plan_workspace)
    metrics = {m.label: m.value for m in app.metric}
    engine = get_engine(demo_store)
    args = ["plan", "--workspace", WORKSPACE, "--out", str(tmp_path / "plan.json"), "--json"]
    assert main(args, engine_factory=lambda: engine) == 0
    engine.dispose()
    cli = json.loads(capsys.readouterr().out)
    assert metrics["Plan total (demand)"] == fmt.money(cli["demand_total"]) == fmt.money(PLAN_TOTAL)
    assert metrics["ARR (trailing twelve months)"] == fmt.money_compact(cli["arr"])
    text = "\n".join(m.value for m in app.markdown)
    for heading in ("Technology", "Sales process", "Hiring, onboarding, training and compensation", "Communication"):
        assert f"#### {heading}" in text


def _latest(demo_store: str, workspace: int) -> Plan:
    engine = get_engine(demo_store)
    with engine.connect() as conn:
        plan = latest_plan(conn, workspace)
    engine.dispose()
    assert plan is not None
    return plan


def _actions(demo_store: str, workspace: int, plan: Plan) -> pd.DataFrame:
    engine = get_engine(demo_store)
    with engine.connect() as conn:
        frame = load_actions(conn, workspace, plan.id)
    engine.dispose()
    return frame


def test_generate_edit_save_sign_read_only_compare_and_restore(
    app: AppTest, plan_workspace: int, demo_store: str
) -> None:
    _open(app, plan_workspace)
    draft = _latest(demo_store, plan_workspace)
    app.button(key="plan_generate").click().run()
    assert not app.exception
    generated = _actions(demo_store, plan_workspace, draft)
    assert len(generated) >= 8, "one action per recommendation, stored with the plan"

    app.session_state[f"plan_actions_{draft.version}"] = {
        "edited_rows": {0: {"owner": "Dana Fox", "status": "in_progress"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.button(key="plan_actions_save").click().run()
    assert not app.exception
    edited = _actions(demo_store, plan_workspace, draft)
    assert (edited["owner"].iloc[0], edited["status"].iloc[0]) == ("Dana Fox", "in_progress")
    assert edited["action"].tolist() == generated["action"].tolist()

    app.text_input(key=f"plan_version_name_{draft.version}").input("Board plan").run()
    app.button(key="plan_save_version").click().run()
    assert not app.exception
    assert _latest(demo_store, plan_workspace).status == "proposed"
    assert app.button(key="plan_actions_save").disabled, "a saved version is read-only"

    app.text_input(key="plan_sign_name").input("Ann Lee").run()
    app.text_input(key="plan_sign_role").input("CRO").run()
    app.text_area(key="plan_sign_comment").input("Approved for Q1").run()
    app.button(key="plan_sign").click().run()
    assert not app.exception
    signed = _latest(demo_store, plan_workspace)
    assert (signed.status, signed.approved_by) == ("approved", "Ann Lee")
    assert any("signed and read-only" in info.value for info in app.info)
    assert app.button(key="plan_actions_save").disabled
    assert app.button(key="plan_generate").disabled
    assert app.button(key="plan_stack_save").disabled

    app.button(key="plan_new_draft").click().run()
    assert not app.exception
    child = _latest(demo_store, plan_workspace)
    assert (child.version, child.status, child.based_on) == (signed.version + 1, "draft", signed.version)
    assert not app.button(key="plan_actions_save").disabled
    compare = next(d.value for d in app.dataframe if "section" in d.value.columns)
    totals = compare[compare["section"] == "totals"].set_index("item")
    assert totals.loc["demand · revenue", "change"] == 0, "the new draft starts with the signed version's demand"
    assert app.selectbox(key="plan_compare_a").value == signed.version
    assert app.selectbox(key="plan_compare_b").value == child.version

    payload = json.loads(scenario_json(build_report_for(demo_store, plan_workspace, signed.version)))
    payload["assumptions"]["growth_pct"] = 12.0
    app.get("file_uploader")[0].upload("plan.json", json.dumps(payload).encode(), "application/json").run()  # type: ignore[attr-defined]
    app.button(key="plan_restore").click().run()
    assert not app.exception
    restored = _latest(demo_store, plan_workspace)
    assert restored.version == child.version + 1
    assert restored.assumptions["growth_pct"] == 12.0
    assert app.session_state["demand_saved"]["demand_growth"] == 12, "page 2 starts from the restored scenario"
    assert len(_actions(demo_store, plan_workspace, restored)) == len(generated)


def build_report_for(demo_store: str, workspace: int, version: int) -> PlanReport:
    engine = get_engine(demo_store)
    with engine.connect() as conn:
        report = build_report(conn, workspace, version=version)
    engine.dispose()
    return report
