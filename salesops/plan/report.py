"""One plan, assembled: the figures page 4, the CLI and every download show, computed once from the same inputs.

A report reads a plan version (the latest when none is given) and the workspace's data: KPIs of the trailing
twelve months, the data-quality report, performers, routing, lead history, the team structure by ARR and the plan's
own demand, supply (step 3) and actions. ``missing`` lists in words what the plan lacks and which step adds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, select

from salesops import kpi
from salesops.asof import default_as_of
from salesops.demand.leads import lead_history, project_leads
from salesops.filters import Filters
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.kpi.quality import quality_report
from salesops.performers.compare import compare_performers
from salesops.plan.actions import ACTION_COLUMNS, generate_actions, load_actions
from salesops.plan.drafts import Plan, latest_plan, plan_version
from salesops.plan.recommend import PlanInputs, Recommendation, cadence, number_owners, recommend
from salesops.plan.review import PlanReview, review_plan
from salesops.plan.routing import QUALIFIED_SCORE, RoutingPlan, routed_leads, routing_plan
from salesops.plan.team import TeamStructure, workspace_team
from salesops.plan.versions import SIGNOFF_COLUMNS, signoffs
from salesops.store.schema import leads, reps, workspaces
from salesops.store.workspaces import now

HIRE_COLUMNS = ["role", "count", "hire_by", "productive_from", "monthly_cost", "total_cost"]
CAPACITY_COLUMNS = ["resource", "period", "capacity", "demand", "gap"]
DEMAND_COLUMNS = ["period", "value", "lower", "upper"]


@dataclass(frozen=True)
class PlanReport:
    """Everything a plan document holds. ``summary`` is JSON-ready; frames are raw numbers (formatting is the
    reader's job: the page formats, a workbook keeps number cells)."""

    workspace: str
    as_of: date
    plan: Plan | None
    summary: dict[str, Any]
    missing: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]
    team: TeamStructure
    routing: RoutingPlan
    routed: pd.DataFrame  # routed_leads() frame
    actions: pd.DataFrame  # ACTION_COLUMNS
    actions_stored: bool  # False: the actions are suggestions generated from the recommendations, not saved yet
    signoffs: pd.DataFrame
    demand: pd.DataFrame
    capacity: pd.DataFrame
    hires: pd.DataFrame
    kpis: dict[str, Any]
    review: PlanReview | None
    cadence: pd.DataFrame
    owners: pd.DataFrame
    stack: dict[str, Any] = field(default_factory=dict)


def as_of_day(conn: Connection, workspace_id: int, today: date) -> date:
    """DESIGN.md's as-of date (:func:`salesops.asof.default_as_of` judged on ``today``); ``today`` without data."""
    return default_as_of(conn, workspace_id, today) or today


def demand_frame(plan: Plan | None) -> pd.DataFrame:
    """The plan's total demand per month (segment ""), DEMAND_COLUMNS."""
    if plan is None:
        return pd.DataFrame(columns=DEMAND_COLUMNS)
    lines = plan.lines[(plan.lines["kind"] == "demand") & (plan.lines["segment"] == "")]
    return lines[DEMAND_COLUMNS].sort_values("period").reset_index(drop=True)


def capacity_frame(plan: Plan | None) -> pd.DataFrame:
    """Capacity and the demand on it per resource and month, with the gap (demand − capacity), from step 3."""
    if plan is None:
        return pd.DataFrame(columns=CAPACITY_COLUMNS)
    lines = plan.lines
    cap = lines[lines["kind"] == "capacity"].groupby(["metric", "period"])["value"].sum().rename("capacity")
    need = lines[lines["kind"] == "supply_demand"].groupby(["metric", "period"])["value"].sum().rename("demand")
    frame = pd.concat([cap, need], axis=1).reset_index().rename(columns={"metric": "resource"})
    if frame.empty:
        return pd.DataFrame(columns=CAPACITY_COLUMNS)
    frame["gap"] = frame["demand"] - frame["capacity"]
    return frame.reindex(columns=CAPACITY_COLUMNS).sort_values(["resource", "period"], ignore_index=True)


def hires_frame(supply: dict[str, Any] | None) -> pd.DataFrame:
    """Step 3's hires as a table, HIRE_COLUMNS."""
    rows = [{c: h.get(c) for c in HIRE_COLUMNS} for h in (supply or {}).get("hires", [])]
    return pd.DataFrame.from_records(rows, columns=HIRE_COLUMNS)


def missing_parts(plan: Plan | None, lang: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """What the plan lacks, each with the step that adds it."""
    if plan is None:
        return (translate("No plan saved yet: forecast demand on page 2 and save it as a draft plan.", lang),)
    out = []
    if demand_frame(plan).empty:
        out.append(translate("No demand in this plan: save a forecast from page 2.", lang))
    if not isinstance(plan.assumptions.get("supply"), dict):
        out.append(
            translate(
                "No supply part in this plan (capacity, gap, hires): plan supply on page 3 and save it into the "
                "plan. Hiring, capacity and the compensation note stay empty until then.",
                lang,
            )
        )
    return tuple(out)


def _count(conn: Connection, query: Any) -> int:
    return int(conn.execute(query).scalar() or 0)


def _lead_rates(conn: Connection, workspace_id: int, as_of: date) -> tuple[float, float]:
    """Qualified-lead → won-deal probability and average deal size, as step 2's lead demand computes them."""
    history = lead_history(conn, workspace_id, threshold=QUALIFIED_SCORE, as_of=as_of)
    demand = project_leads(history, 1)
    return float(demand.qualified_conversion), float(demand.avg_deal_size)


def _inputs(conn: Connection, workspace_id: int, plan: Plan | None, as_of: date, lang: str) -> PlanInputs:
    """What the recommendation rules read, from the store and the plan."""
    demand = demand_frame(plan)
    supply = plan.assumptions.get("supply") if plan is not None else None
    routing = routing_plan(conn, workspace_id)
    scored = select(func.count()).where(leads.c.workspace_id == workspace_id, leads.c.score.is_not(None))
    active = select(func.count()).where(reps.c.workspace_id == workspace_id, func.coalesce(reps.c.active, True))
    conversion, size = _lead_rates(conn, workspace_id, as_of)
    periods = sorted(str(p) for p in demand["period"])
    return PlanInputs(
        as_of=as_of,
        quality=quality_report(conn, workspace_id, as_of),
        routing=routing,
        performers=compare_performers(conn, workspace_id, lang=lang),
        team=workspace_team(conn, workspace_id, as_of, lang),
        routed_leads=len(routed_leads(conn, workspace_id, routing, lang=lang)),
        scored_leads=_count(conn, scored),
        active_reps=_count(conn, active) or len(routing.load_today),
        metric=None if plan is None else str(plan.assumptions.get("metric", "revenue")),
        demand_total=float(demand["value"].sum()) if len(demand) else None,
        demand_months=len(periods),
        first_period=periods[0] if periods else None,
        last_period=periods[-1] if periods else None,
        supply=supply if isinstance(supply, dict) else None,
        qualified_conversion=conversion,
        avg_deal_size=size,
        stack=dict(plan.assumptions.get("stack") or {}) if plan is not None else {},
    )


def _summary(inputs: PlanInputs, plan: Plan | None, demand: pd.DataFrame, kpis: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of the plan, JSON-ready (the same numbers every export shows)."""
    supply = inputs.supply or {}
    return {
        "plan_version": None if plan is None else plan.version,
        "plan_name": None if plan is None else plan.name,
        "status": None if plan is None else plan.status,
        "metric": inputs.metric,
        "first_period": inputs.first_period,
        "last_period": inputs.last_period,
        "demand_total": inputs.demand_total,
        "demand_lower": float(demand["lower"].sum()) if len(demand) and demand["lower"].notna().all() else None,
        "demand_upper": float(demand["upper"].sum()) if len(demand) and demand["upper"].notna().all() else None,
        "hires": sum(int(h.get("count", 0)) for h in supply.get("hires", [])) if supply else None,
        "hiring_cost": supply.get("hiring_cost"),
        "revenue_protected": supply.get("revenue_protected"),
        "revenue_uncovered": supply.get("revenue_uncovered"),
        "arr": inputs.team.arr,
        "team_stage": inputs.team.stage,
        "quality_score": inputs.quality.score,
        "win_rate": kpis.get("win_rate"),
        "avg_deal_size": kpis.get("avg_deal_size"),
        "won_revenue_12m": kpis.get("won_revenue"),
    }


def build_report(
    conn: Connection,
    workspace_id: int,
    *,
    version: int | None = None,
    today: date | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> PlanReport:
    """The plan document of ``version`` (the latest when None); raises LookupError for an unknown version."""
    plan = latest_plan(conn, workspace_id) if version is None else plan_version(conn, workspace_id, version)
    if version is not None and plan is None:
        raise LookupError(f"no plan version {version} in this workspace")
    as_of = as_of_day(conn, workspace_id, today or now().date())
    inputs = _inputs(conn, workspace_id, plan, as_of, lang)
    start = (pd.Timestamp(as_of) - pd.DateOffset(years=1) + pd.Timedelta(days=1)).date()
    kpis = kpi.summary(conn, workspace_id, Filters(start=start, end=as_of))
    recs = tuple(recommend(inputs, lang))
    stored = load_actions(conn, workspace_id, plan.id) if plan is not None else pd.DataFrame(columns=ACTION_COLUMNS)
    demand = demand_frame(plan)
    name = conn.execute(select(func.max(workspaces.c.name)).where(workspaces.c.id == workspace_id)).scalar()
    return PlanReport(
        workspace=str(name or ""),
        as_of=as_of,
        plan=plan,
        summary=_summary(inputs, plan, demand, kpis),
        missing=missing_parts(plan, lang),
        recommendations=recs,
        team=inputs.team,
        routing=inputs.routing,
        routed=routed_leads(conn, workspace_id, inputs.routing, lang=lang),
        actions=stored if len(stored) else generate_actions(recs, as_of),
        actions_stored=bool(len(stored)),
        signoffs=signoffs(conn, workspace_id, plan.id) if plan else pd.DataFrame(columns=SIGNOFF_COLUMNS),
        demand=demand,
        capacity=capacity_frame(plan),
        hires=hires_frame(inputs.supply),
        kpis=kpis,
        review=review_plan(conn, workspace_id, plan, lang) if plan is not None else None,
        cadence=cadence(inputs.team, lang),
        owners=number_owners(lang),
        stack=inputs.stack,
    )
