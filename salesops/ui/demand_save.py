"""Step 2 save: the forecast, pipeline and service hours with every assumption, as a draft plan version."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from salesops.demand.consensus import Consensus, plan_demand, record
from salesops.plan import latest_plan, save_draft
from salesops.plan.drafts import LINE_COLUMNS
from salesops.ui.common import engine, plain, t, workspace_id
from salesops.ui.demand_view import DemandForecast

PIPELINE_METRICS = ("commit", "best_case", "pipeline_weighted")
SERVICE_METRICS = ("onboarding_hours", "support_hours", "total_hours")


def plan_lines(
    outcome: DemandForecast,
    pipeline: pd.DataFrame | None,
    service: pd.DataFrame | None,
    consensus: Consensus | None = None,
) -> pd.DataFrame:
    """Plan lines: the demand chosen on the page (the adjusted statistical total with its interval, or the pick or
    blend of the consensus) and each group's share of it, the three sources, the pipeline and service hours."""
    fc, ratio = plan_demand(outcome.adjusted, consensus)
    metric = outcome.settings.metric
    parts = [
        pd.DataFrame(
            {
                "kind": "demand",
                "metric": metric,
                "segment": "",
                "period": fc.index,
                "value": fc["mean"].to_numpy(),
                "lower": fc["lower"].to_numpy(),
                "upper": fc["upper"].to_numpy(),
            }
        )
    ]
    for group in outcome.breakdown.columns:
        parts.append(
            pd.DataFrame(
                {
                    "kind": "demand",
                    "metric": metric,
                    "segment": str(group),
                    "period": outcome.breakdown.index,
                    "value": (outcome.breakdown[group] * ratio.reindex(outcome.breakdown.index)).to_numpy(),
                    "lower": None,
                    "upper": None,
                }
            )
        )
    if consensus is not None:
        sources = consensus.frame.drop(columns="consensus").rename_axis("period").reset_index()
        long = sources.melt("period", var_name="metric", value_name="value")
        parts.append(long.assign(kind="demand_source", segment="", lower=None, upper=None))
    if pipeline is not None:
        long = pipeline.melt("period", value_vars=list(PIPELINE_METRICS), var_name="metric", value_name="value")
        parts.append(long.assign(kind="pipeline", segment="", lower=None, upper=None))
    if service is not None:
        long = service.melt(["period", "tier"], value_vars=list(SERVICE_METRICS), var_name="metric", value_name="value")
        parts.append(long.rename(columns={"tier": "segment"}).assign(kind="service_hours", lower=None, upper=None))
    return pd.concat(parts, ignore_index=True)[list(LINE_COLUMNS)]


def assumptions_record(
    outcome: DemandForecast, extra: dict[str, Any], consensus: Consensus | None = None
) -> dict[str, Any]:
    """Everything a reader of the plan needs to reproduce the numbers: settings, filters, model and its evidence."""
    s, result = outcome.settings, outcome.fit.total
    return {
        "metric": s.metric,
        "horizon": s.horizon,
        "level": s.level,
        "breakdown": s.by,
        "revenue_target": s.target,
        **asdict(s.assumptions),
        "filters": asdict(outcome.filters),
        "model": result.model,
        "method_note": result.method_note,
        "baseline": result.baseline,
        "reconciliation": outcome.fit.reconciliation if s.by else None,
        "history_end": outcome.history.index[-1].strftime("%Y-%m"),
        "consensus": record(consensus),
        **extra,
    }


def render(
    outcome: DemandForecast,
    pipeline: pd.DataFrame | None,
    service: pd.DataFrame | None,
    consensus: Consensus | None = None,
) -> None:
    """Name and save button; shows the version just saved (or the latest one)."""
    extra = {k: st.session_state.get(k) for k in ("demand_lead_threshold", "demand_tier_threshold", "demand_churn")}
    st.session_state.setdefault("demand_plan_name", t("Demand plan {day}", day=date.today().isoformat()))
    left, right = st.columns([3, 1])
    name = left.text_input(t("Plan name"), key="demand_plan_name")
    right.write("")
    saved = right.button(t("Save as draft plan"), key="demand_save_draft", type="primary")
    if saved:
        lines = plan_lines(outcome, pipeline, service, consensus)
        with engine().begin() as conn:
            save_draft(
                conn,
                workspace_id(),
                name.strip() or t("Demand plan"),
                assumptions_record(outcome, extra, consensus),
                lines,
            )
    with engine().connect() as conn:
        plan = latest_plan(conn, workspace_id())
    if plan is None:
        st.caption(t("No plan saved yet in this workspace."))
        return
    text = t(
        "plan version {version}: “{name}” ({status}, {when}, {n} lines)",
        version=plan.version,
        name=plain(plan.name),
        status=t(plan.status),
        when=f"{plan.created_at:%Y-%m-%d %H:%M}",
        n=len(plan.lines),
    )
    if saved:
        st.success(t("Saved as draft {plan}. Steps 3 and 4 build on it.", plan=text))
    else:
        st.caption(t("Latest saved {plan}.", plan=text))
