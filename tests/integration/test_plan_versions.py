"""Plan versions on real stores: save frozen, sign (who, role, when, comment), read-only, new draft, compare,
restore from the JSON export, and plan vs actual with the error split into its causes."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from salesops.export.scenario import restore_scenario, scenario_json
from salesops.export.sheets import summary_table
from salesops.plan import latest_plan, save_draft
from salesops.plan.actions import load_actions, replace_actions
from salesops.plan.drafts import ReadOnlyPlanError, plan_version
from salesops.plan.report import build_report
from salesops.plan.review import review_plan
from salesops.plan.versions import compare_versions, new_draft_from, save_version, sign, signoffs, update_assumptions
from salesops.store.workspaces import get_or_create
from tests.plan_data import FORMULA, injection_workspace
from tests.plan_fixtures import PLAN_TOTAL, contract_plan, demand_assumptions


def test_saved_and_signed_versions_are_read_only_and_a_new_draft_copies_them(engine: Engine) -> None:
    with engine.begin() as conn:
        workspace = injection_workspace(conn)
        draft = latest_plan(conn, workspace)
        assert draft is not None
        assert not draft.read_only
        update_assumptions(conn, workspace, draft.id, {"stack": {"integrated": {"answer": "no"}}})
        save_version(conn, workspace, draft.id, "Board plan")
        frozen = plan_version(conn, workspace, draft.version)
        assert frozen is not None
        assert (frozen.status, frozen.name, frozen.read_only) == ("proposed", "Board plan", True)
        assert frozen.saved_at is not None
        with pytest.raises(ReadOnlyPlanError):
            replace_actions(conn, workspace, draft.id, load_actions(conn, workspace, draft.id))
        with pytest.raises(ReadOnlyPlanError):
            update_assumptions(conn, workspace, draft.id, {"stack": {}})
        with pytest.raises(ValueError, match="name and role"):
            sign(conn, workspace, draft.id, name="Ann", role=" ")
        sign(conn, workspace, draft.id, name="Ann Lee", role="CRO", comment="Go")
        sign(conn, workspace, draft.id, name="Raj", role="CFO")
        signed = plan_version(conn, workspace, draft.version)
        assert signed is not None
        assert (signed.status, signed.approved_by) == ("approved", "Ann Lee")
        who = signoffs(conn, workspace, draft.id)
        assert list(who["name"]) == ["Ann Lee", "Raj"]
        assert list(who["role"]) == ["CRO", "CFO"]
        assert list(who["comment"]) == ["Go", ""]
        assert who["signed_at"].notna().all()
        new_id = new_draft_from(conn, workspace, signed, "Next quarter")
        child = latest_plan(conn, workspace)
        assert child is not None
        assert (child.id, child.status, child.based_on) == (new_id, "draft", signed.version)
        assert child.assumptions["stack"] == {"integrated": {"answer": "no"}}
        pd.testing.assert_frame_equal(child.lines, signed.lines)
        pd.testing.assert_frame_equal(load_actions(conn, workspace, new_id), load_actions(conn, workspace, signed.id))


def test_compare_two_versions_shows_what_changed_and_by_how_much(engine: Engine) -> None:
    with engine.begin() as conn:
        workspace = injection_workspace(conn)
        first = latest_plan(conn, workspace)
        assert first is not None
        bigger = first.lines.assign(value=first.lines["value"] * 1.1)
        save_draft(conn, workspace, "Bigger", {**first.assumptions, "growth_pct": 10.0}, bigger)
        second = latest_plan(conn, workspace)
        assert second is not None
        diff = compare_versions(
            first, second, load_actions(conn, workspace, first.id), load_actions(conn, workspace, second.id)
        )
    demand = diff[(diff["section"] == "totals") & (diff["item"] == "demand · revenue")].iloc[0]
    assert demand["a"] == pytest.approx(PLAN_TOTAL)
    assert demand["change"] == pytest.approx(PLAN_TOTAL * 0.1)
    assert demand["change_pct"] == pytest.approx(0.1)
    growth = diff[(diff["section"] == "assumptions") & (diff["item"] == "growth_pct")].iloc[0]
    assert (growth["a"], growth["b"], growth["change"]) == (0.0, 10.0, 10.0)
    assert FORMULA in set(diff.loc[diff["section"] == "actions", "item"]), "the dropped action is listed"


def test_json_export_restores_the_scenario_as_a_new_draft(engine: Engine) -> None:
    with engine.begin() as conn:
        workspace = injection_workspace(conn)
        original = latest_plan(conn, workspace)
        assert original is not None
        data = scenario_json(build_report(conn, workspace))
        restore_scenario(conn, workspace, data)
        restored = latest_plan(conn, workspace)
        assert restored is not None
        assert restored.version == original.version + 1
        assert restored.assumptions == original.assumptions
        pd.testing.assert_frame_equal(restored.lines, original.lines)
        pd.testing.assert_frame_equal(
            load_actions(conn, workspace, restored.id), load_actions(conn, workspace, original.id)
        )
        with pytest.raises(ValueError, match="salesops-plan"):
            restore_scenario(conn, workspace, b'{"hello": 1}')


def test_plan_vs_actual_splits_each_month_error_into_its_causes(engine: Engine) -> None:
    with engine.begin() as conn:
        workspace = injection_workspace(conn)
        periods = ["2025-07", "2025-08", "2025-09"]
        lines = pd.DataFrame(
            {
                "kind": "demand",
                "metric": "revenue",
                "segment": "",
                "period": periods,
                "value": [40_000.0, 60_000.0, 20_000.0],
                "lower": None,
                "upper": None,
            }
        )
        save_draft(conn, workspace, "H2", {**demand_assumptions(), "history_end": "2025-06"}, lines)
        plan = latest_plan(conn, workspace)
        assert plan is not None
        review = review_plan(conn, workspace, plan)
    assert review is not None
    months = review.months.set_index("period")
    assert list(months.index) == periods
    effects = months[["volume_effect", "win_rate_effect", "size_effect"]].sum(axis=1)
    pd.testing.assert_series_equal(effects, months["error"], check_names=False)
    assert (months["error"] == months["actual"] - months["planned"]).all()
    assert set(months["cause"]) <= {"volume", "win_rate", "deal_size"}
    assert review.mape == pytest.approx(months["error_pct"].abs().mean())
    assert set(review.lessons) == {"win_rate_change_pct", "deal_size_change_pct", "lead_volume_change_pct"}


def test_a_plan_without_supply_says_what_is_missing(engine: Engine) -> None:
    with engine.begin() as conn:
        workspace = get_or_create(conn, "Demand only")
        assert build_report(conn, workspace).missing == (
            "No plan saved yet: forecast demand on page 2 and save it as a draft plan.",
        )
        save_draft(conn, workspace, *contract_plan(with_supply=False))
        report = build_report(conn, workspace)
    assert len(report.missing) == 1
    assert report.missing[0].startswith("No supply part in this plan (capacity, gap, hires): plan supply on page 3")
    assert report.summary["demand_total"] == PLAN_TOTAL
    assert report.summary["hires"] is None
    assert report.capacity.empty
    assert report.hires.empty
    summary = summary_table(report)
    assert summary.loc[summary["item"] == "Missing", "value"].tolist() == list(report.missing)
