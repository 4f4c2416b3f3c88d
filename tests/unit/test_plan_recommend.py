"""Step 4 recommendation rules on hand-made inputs: evidence beside each, what is missing said, the maths checked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from salesops.kpi.quality import Finding, QualityReport
from salesops.performers.compare import METRIC_COLUMNS, PerformerComparison
from salesops.plan.recommend import (
    AREAS,
    STALE_MESSAGE,
    PlanInputs,
    qualified_leads_per_month,
    recommend,
    sales_heads,
)
from salesops.plan.routing import ROUTE_COLUMNS, RoutingPlan
from salesops.plan.team import team_structure
from tests.plan_fixtures import supply_part


def _inputs(**changes: object) -> PlanInputs:
    findings = [
        Finding("high", "deals", "amount", "amount is empty in 6 of 100 deals.", "Map the amount column.", 6),
        Finding("medium", "deals", "close_date", STALE_MESSAGE, "Ask owners to update the close date.", 25, 40),
    ]
    metrics = pd.DataFrame(
        [
            {
                "metric": "median_response_days",
                "label": "",
                "kind": "days",
                "activity_type": None,
                "top": 1.5,
                "middle": 2.0,
                "bottom": 4.0,
                "ratio": 0.375,
            },
            {
                "metric": "demos_per_won_deal",
                "label": "",
                "kind": "count",
                "activity_type": "demo",
                "top": 4.0,
                "middle": 3.0,
                "bottom": 2.0,
                "ratio": 2.0,
            },
        ],
        columns=METRIC_COLUMNS,
    )
    routing = RoutingPlan(
        "industry",
        pd.DataFrame(),
        pd.DataFrame(columns=ROUTE_COLUMNS),
        pd.Series(dtype="int64"),
        pd.Series(dtype="int64"),
        None,
        None,
        None,
        None,
    )
    base = PlanInputs(
        as_of=date(2026, 1, 31),
        quality=QualityReport(90, findings, pd.DataFrame()),
        routing=routing,
        performers=PerformerComparison(pd.DataFrame(), metrics, (), ""),
        team=team_structure(2_000_000.0, "ttm"),
        routed_leads=12,
        scored_leads=500,
        active_reps=8,
        metric="revenue",
        demand_total=1_200_000.0,
        demand_months=12,
        first_period="2026-02",
        last_period="2027-01",
        supply=supply_part(),
        qualified_conversion=0.1,
        avg_deal_size=5_000.0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_every_area_has_recommendations_with_evidence_and_source() -> None:
    recs = recommend(_inputs())
    assert {r.area for r in recs} == set(AREAS)
    assert all(r.evidence and r.page for r in recs)
    texts = [r.text for r in recs]
    assert any("Hire 2 × Account executive by 2026-02" in t for t in texts)
    assert any("re-date or close the 25 open deals" in t for t in texts)
    assert any("within 2 days" in t for t in texts), "top reps follow up in 1.5 days, rounded up"
    assert any("Train the bottom reps on demos" in t for t in texts)


def test_quota_follows_demand_heads_and_attainment() -> None:
    inputs = _inputs()
    assert sales_heads(inputs) == 8 + 2  # the two account executives match the sales resource's label
    quota = next(r for r in recommend(inputs) if r.text.startswith("Set quota"))
    assert "$150k" in quota.text  # 1.2M a year ÷ 10 reps ÷ 0.8 attainment
    assert quota.needs_signoff


def test_qualified_leads_per_month_from_demand_and_conversion() -> None:
    assert qualified_leads_per_month(_inputs()) == pytest.approx(100_000.0 / (0.1 * 5_000.0))
    deals = _inputs(metric="deals", demand_total=120.0)
    assert qualified_leads_per_month(deals) == pytest.approx(10 * 5_000.0 / (0.1 * 5_000.0))
    assert qualified_leads_per_month(_inputs(qualified_conversion=0.0)) is None


def test_without_supply_the_plan_says_what_is_missing() -> None:
    recs = recommend(_inputs(supply=None))
    people = [r for r in recs if r.area == "people"]
    assert people[0].text.startswith("Plan capacity and hiring on page 3")
    assert people[0].evidence == "This plan has no supply part yet (no hires, no capacity)"
    assert any(r.text.startswith("Set quotas once the plan holds") for r in people)


def test_stack_checklist_no_answers_become_technology_recommendations() -> None:
    stack = {"integrated": {"answer": "no"}, "fit": {"answer": "yes"}, "next": {"answer": "a CPQ tool"}}
    tech = [r for r in recommend(_inputs(stack=stack)) if r.area == "technology"]
    texts = [r.text for r in tech]
    assert any(t.startswith("Connect email/calendar sync") for t in texts)
    assert any(t == "Evaluate a CPQ tool against the plan's biggest gap." for t in texts)
    assert not any("licences" in t for t in texts), "a yes needs no action"
