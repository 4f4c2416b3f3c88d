"""A plan report as named tables with raw values: what the workbook, Markdown and PDF writers lay out.

Values stay numbers and dates (each writer formats them its own way); headers are the canonical column names,
which writers turn into words with ``formatting.column_label``.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.plan.recommend import AREA_LABELS
from salesops.plan.report import PlanReport

SUMMARY_COLUMNS = ["item", "value", "kind"]


def _flat(prefix: str, value: Any) -> list[tuple[str, Any]]:
    """Nested assumptions as dotted keys with scalar values (lists as JSON text)."""
    if isinstance(value, dict):
        return [
            pair for key, inner in sorted(value.items()) for pair in _flat(f"{prefix}.{key}" if prefix else key, inner)
        ]
    if isinstance(value, list):
        return [(prefix, json.dumps(value, default=str, ensure_ascii=False))]
    return [(prefix, value)]


def assumptions_table(report: PlanReport) -> pd.DataFrame:
    """The plan's assumptions, one row per (dotted) key."""
    pairs = _flat("", report.plan.assumptions if report.plan is not None else {})
    return pd.DataFrame(
        [
            (k, v if isinstance(v, int | float) and not isinstance(v, bool) else ("" if v is None else str(v)))
            for k, v in pairs
        ],
        columns=["assumption", "value"],
    )


def summary_table(report: PlanReport, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The headline figures: item (words), value (raw), kind (money/count/percent/text) for the writer's format."""
    s, plan = report.summary, report.plan
    total_kind = "count" if s.get("metric") == "deals" else "money"
    rows: list[tuple[str, Any, str]] = [
        (translate("Workspace", lang), report.workspace, "text"),
        (translate("Plan", lang), "" if plan is None else f"v{plan.version} · {plan.name}", "text"),
        (translate("Status", lang), "" if plan is None else translate(plan.status, lang), "text"),
        (translate("As of", lang), report.as_of, "date"),
        (translate("Period", lang), f"{s['first_period']} – {s['last_period']}" if s["first_period"] else "", "text"),
        (translate("Plan total (demand)", lang), s["demand_total"], total_kind),
        (translate("Plan total, low end", lang), s["demand_lower"], total_kind),
        (translate("Plan total, high end", lang), s["demand_upper"], total_kind),
        (translate("Hires planned", lang), s["hires"], "count"),
        (translate("Hiring cost", lang), s["hiring_cost"], "money"),
        (translate("Revenue not covered by capacity", lang), s["revenue_uncovered"], "money"),
        (translate("ARR (trailing twelve months)", lang), s["arr"], "money"),
        (translate("Win rate (12 months)", lang), s["win_rate"], "percent"),
        (translate("Average deal size (12 months)", lang), s["avg_deal_size"], "money"),
        (translate("Data-quality score", lang), s["quality_score"], "count"),
    ]
    rows += [(translate("Missing", lang), text, "text") for text in report.missing]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def kpi_table(report: PlanReport, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The trailing-twelve-month KPIs that are single numbers."""
    keys = (
        "won_revenue",
        "deals_won",
        "deals_lost",
        "win_rate",
        "avg_deal_size",
        "median_cycle_days",
        "open_deals",
        "open_pipeline",
        "weighted_pipeline",
        "opportunities_created",
    )
    return pd.DataFrame([(k, report.kpis.get(k)) for k in keys], columns=["kpi", "value"])


def recommendations_table(report: PlanReport, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Every recommendation with its evidence."""
    rows = [
        (translate(AREA_LABELS[r.area], lang), r.text, r.evidence, r.period, r.page, r.owner, r.needs_signoff)
        for r in report.recommendations
    ]
    return pd.DataFrame(
        rows, columns=["area", "recommendation", "evidence", "period", "page", "owner", "needs_signoff"]
    )


def gap_and_hiring(report: PlanReport) -> pd.DataFrame:
    """The months where demand exceeds capacity (gap > 0), then the hires that close them."""
    gaps = report.capacity[report.capacity["gap"] > 0] if len(report.capacity) else report.capacity
    hires = report.hires.assign(resource="", period=report.hires["hire_by"]) if len(report.hires) else report.hires
    frame = pd.concat([gaps.assign(row="gap"), hires.assign(row="hire")], ignore_index=True) if len(hires) else gaps
    return frame.reset_index(drop=True)


def review_table(report: PlanReport) -> pd.DataFrame:
    """Plan vs actual per month with the error's cause (empty before any planned month is complete)."""
    return report.review.months if report.review is not None else pd.DataFrame()


def plan_sheets(report: PlanReport, lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, pd.DataFrame]]:
    """(title, table) in reading order: the workbook's sheets and the report's sections."""
    actions = report.actions.copy()
    actions["area"] = [translate(AREA_LABELS.get(a, a), lang) for a in actions["area"]]
    return [
        (translate("Summary", lang), summary_table(report, lang)),
        (translate("Assumptions", lang), assumptions_table(report)),
        (translate("KPIs", lang), kpi_table(report, lang)),
        (translate("Recommendations", lang), recommendations_table(report, lang)),
        (translate("Demand", lang), report.demand),
        (translate("Capacity", lang), report.capacity),
        (translate("Gap and hiring", lang), gap_and_hiring(report)),
        (translate("Actions", lang), actions),
        (translate("Sign-off", lang), report.signoffs),
        (translate("Plan vs actual", lang), review_table(report)),
    ]
