"""Step 4 recommendations in the four areas of the process, each with its evidence: the figure, period and page.

Pure functions of :class:`PlanInputs` (gathered once from the store and the plan by ``salesops.plan.report``), so
every rule is testable without a database. Nothing is recommended without a figure behind it; where the data or
the plan lacks what a recommendation needs, the recommendation says what is missing and where to get it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from salesops.capacity.supply import ROLE_LABELS
from salesops.formatting import money_compact as money
from salesops.formatting import percent
from salesops.i18n import DEFAULT_LANGUAGE, N_, translate
from salesops.kpi.quality import Finding, QualityReport
from salesops.performers.compare import PerformerComparison, training_gaps
from salesops.plan.routing import QUALIFIED_SCORE, RoutingPlan
from salesops.plan.team import TeamStructure

AREAS = ("technology", "sales_process", "people", "communication")
AREA_LABELS = {
    "technology": N_("Technology"),
    "sales_process": N_("Sales process"),
    "people": N_("Hiring, onboarding, training and compensation"),
    "communication": N_("Communication"),
}
PAGE_DATA = N_("1 · Data collection")
PAGE_DEMAND = N_("2 · Demand planning")
PAGE_SUPPLY = N_("3 · Supply planning")
PAGE_PLAN = N_("4 · Alignment & plan")
STALE_MESSAGE = N_("Open deals whose close date has passed (stale pipeline).")
# key, question, what to do when the answer is "no"
STACK_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "blockers",
        N_("Do the current tools remove today's blockers (manual data entry, missing reports)?"),
        N_("List the three biggest blockers and pick the tool or automation that removes each."),
    ),
    (
        "fit",
        N_("Do the current tools fit the team's size and way of selling?"),
        N_("Review licences and features against the team you will have after the planned hires."),
    ),
    (
        "integrated",
        N_("Are the CRM, email/calendar, marketing and billing tools integrated?"),
        N_("Connect email/calendar sync and the marketing-to-CRM lead sync so activities and leads arrive untyped."),
    ),
    (
        "training",
        N_("Is training offered on every tool the team uses?"),
        N_("Add tool training to onboarding and a quarterly refresher."),
    ),
    (
        "next",
        N_("Which tool would take the business further (e.g. conversation intelligence, CPQ, forecasting)?"),
        N_("Evaluate {answer} against the plan's biggest gap."),
    ),
)
STACK_ANSWERS = ("", "yes", "no", "unsure")


@dataclass(frozen=True)
class Recommendation:
    """One thing to do, in one area, with the figure that motivates it and where that figure comes from."""

    area: str  # one of AREAS
    text: str
    evidence: str
    period: str
    page: str
    owner: str
    needs_signoff: bool = False


@dataclass(frozen=True)
class PlanInputs:
    """Everything the rules read: data-derived figures and the plan's own parts (``supply`` None before step 3)."""

    as_of: date
    quality: QualityReport
    routing: RoutingPlan
    performers: PerformerComparison
    team: TeamStructure
    routed_leads: int  # open leads at or above the qualified score
    scored_leads: int  # leads that carry a score at all
    active_reps: int
    metric: str | None  # revenue | deals, None without a demand plan
    demand_total: float | None
    demand_months: int
    first_period: str | None
    last_period: str | None
    supply: dict[str, Any] | None
    qualified_conversion: float  # lead → won deal probability of a qualified lead
    avg_deal_size: float
    stack: dict[str, Any] = field(default_factory=dict)


def _tool_for(finding: Finding, lang: str) -> str:
    """The tool or integration that closes a data-quality gap, from what the finding is about."""
    text = finding.message.lower()
    if "stale" in text:
        tool = N_("close-date reminders (a CRM workflow rule on open deals)")
    elif "duplicate" in text:
        tool = N_("a duplicate-matching rule or a dedupe tool in the CRM")
    elif "future" in text:
        tool = N_("date validation rules on the CRM form")
    elif finding.column == "owner":
        tool = N_("a user sync between the CRM and the reps list")
    elif finding.entity == "activities":
        tool = N_("email and calendar sync, so activities are logged automatically")
    else:
        tool = N_("required fields and validation rules on the CRM form")
    return translate(tool, lang)


def technology(inputs: PlanInputs, lang: str = DEFAULT_LANGUAGE) -> list[Recommendation]:
    """Data-quality gaps of step 1 and the tool that closes each; the stack checklist's "no" answers."""
    owner = translate("Technical sales-ops rep", lang)
    period = translate("as of {day}", lang, day=inputs.as_of.isoformat())
    recs = [
        Recommendation(
            "technology",
            translate("Close a data gap with {tool}: {fix}", lang, tool=_tool_for(f, lang), fix=f.remedy(lang)),
            translate(
                "{message} Affected: {n}. Data-quality score {score}/100.",
                lang,
                message=f.describe(lang),
                n=f.count,
                score=inputs.quality.score,
            ),
            period,
            translate(PAGE_DATA, lang) + " › " + translate("Data quality", lang),
            owner,
        )
        for f in inputs.quality.findings
        if f.severity in ("high", "medium")
    ][:4]
    for key, question, remedy in STACK_QUESTIONS:
        answer = str(inputs.stack.get(key, {}).get("answer", "")).strip()
        if (key == "next" and answer) or answer == "no":
            recs.append(
                Recommendation(
                    "technology",
                    translate(remedy, lang, answer=answer),
                    translate(
                        "Stack checklist: “{question}” answered “{answer}”",
                        lang,
                        question=translate(question, lang),
                        answer=answer,
                    ),
                    period,
                    translate(PAGE_PLAN, lang),
                    owner,
                )
            )
    return recs


def _routing(inputs: PlanInputs, lang: str) -> Recommendation | None:
    """Segment → rep routing with the imbalance and expected win rate before and after."""
    plan = inputs.routing
    if plan.assignment.empty or plan.imbalance_today is None or plan.win_rate_today is None:
        return None
    top = plan.assignment.sort_values("open_deals", ascending=False).drop_duplicates("segment").head(3)
    pairs = "; ".join(f"{s} → {r}" for s, r in zip(top["segment"], top["rep"], strict=True))
    evidence = translate(
        "Open-deal imbalance across reps {before} → {after} (coefficient of variation); expected win rate of open "
        "deals {rate_before} → {rate_after}",
        lang,
        before=f"{plan.imbalance_today:.2f}",
        after=f"{(plan.imbalance_after or 0.0):.2f}",
        rate_before=percent(plan.win_rate_today),
        rate_after=percent(plan.win_rate_after or 0.0),
    )
    return Recommendation(
        "sales_process",
        translate(
            "Route each {dimension} to the reps who win it, within an even load: {pairs}",
            lang,
            dimension=translate(plan.dimension, lang),
            pairs=pairs,
        ),
        evidence,
        translate("closed deals to {day}", lang, day=inputs.as_of.isoformat()),
        translate(PAGE_DATA, lang) + " › " + translate("Ideal customer profile", lang),
        translate("Sales-ops lead", lang),
        needs_signoff=True,
    )


def _follow_up(inputs: PlanInputs, lang: str) -> Recommendation | None:
    """Follow-up speed: days from deal creation to first activity, top reps against bottom reps."""
    metrics = inputs.performers.metrics
    row = metrics[metrics["metric"] == "median_response_days"] if not metrics.empty else metrics
    if row.empty or pd.isna(row["top"].iloc[0]) or pd.isna(row["bottom"].iloc[0]):
        return None
    top, bottom = float(row["top"].iloc[0]), float(row["bottom"].iloc[0])
    if bottom <= top:
        return None
    return Recommendation(
        "sales_process",
        translate("Follow up every new deal within {days:.0f} days, as the top reps do", lang, days=math.ceil(top)),
        translate(
            "Median days from deal creation to first activity: top reps {top:.1f}, bottom reps {bottom:.1f}",
            lang,
            top=top,
            bottom=bottom,
        ),
        translate("closed deals to {day}", lang, day=inputs.as_of.isoformat()),
        translate(PAGE_DATA, lang) + " › " + translate("Top vs bottom", lang),
        translate("Sales managers", lang),
    )


def sales_process(inputs: PlanInputs, lang: str = DEFAULT_LANGUAGE) -> list[Recommendation]:
    """Routing and territory balance, follow-up speed, stale pipeline and the high-score lead hand-off."""
    recs = [r for r in (_routing(inputs, lang), _follow_up(inputs, lang)) if r is not None]
    stale = next((f for f in inputs.quality.findings if f.message == STALE_MESSAGE), None)
    if stale is not None:
        recs.append(
            Recommendation(
                "sales_process",
                translate(
                    "Review the pipeline weekly: re-date or close the {n} open deals past their close date",
                    lang,
                    n=stale.count,
                ),
                translate(
                    "{n} of {open} open deals are past their close date",
                    lang,
                    n=stale.count,
                    open=stale.base or stale.count,
                ),
                translate("as of {day}", lang, day=inputs.as_of.isoformat()),
                translate(PAGE_DATA, lang) + " › " + translate("Data quality", lang),
                translate("Sales managers", lang),
            )
        )
    if inputs.scored_leads:
        text = translate(
            "Hand every open lead scoring {score:.0f}+ to its routed rep within one working day",
            lang,
            score=QUALIFIED_SCORE,
        )
        evidence = translate(
            "{n} open leads score {score:.0f} or more", lang, n=inputs.routed_leads, score=QUALIFIED_SCORE
        )
    else:
        text = translate("Score leads so high-score leads can be routed to reps", lang)
        evidence = translate("No lead carries a score yet: run Lead scoring on page 1", lang)
    recs.append(
        Recommendation(
            "sales_process",
            text,
            evidence,
            translate("as of {day}", lang, day=inputs.as_of.isoformat()),
            translate(PAGE_DATA, lang) + " › " + translate("Lead scoring", lang),
            translate("Sales-ops lead", lang),
        )
    )
    return recs


def _hires(supply: dict[str, Any], lang: str) -> list[Recommendation]:
    """One recommendation per planned hire of step 3."""
    recs = []
    for hire in supply.get("hires", []):
        recs.append(
            Recommendation(
                "people",
                translate(
                    "Hire {count} × {role} by {hire_by} (productive from {productive_from})",
                    lang,
                    count=int(hire.get("count", 0)),
                    role=translate(ROLE_LABELS.get(str(hire.get("role", "")), str(hire.get("role", ""))), lang),
                    hire_by=hire.get("hire_by", ""),
                    productive_from=hire.get("productive_from", ""),
                ),
                translate(
                    "Cost {cost} in the plan; step 3 hiring cost {total}, revenue protected {protected}",
                    lang,
                    cost=money(float(hire.get("total_cost", 0.0))),
                    total=money(float(supply.get("hiring_cost", 0.0))),
                    protected=money(float(supply.get("revenue_protected", 0.0))),
                ),
                str(hire.get("hire_by", "")),
                translate(PAGE_SUPPLY, lang),
                translate("Sales leader and HR", lang),
                needs_signoff=True,
            )
        )
    return recs


SALES_ROLES = ("rep",)  # step 3's role key of a quota-carrying hire


def sales_heads(inputs: PlanInputs) -> int:
    """Active reps plus planned hires of a sales role (step 3's "rep", or a role named like a sales resource)."""
    supply = inputs.supply or {}
    sales = set(SALES_ROLES) | {
        str(key).lower()
        for r in supply.get("resources", [])
        if r.get("kind") == "sales"
        for key in (r.get("key"), r.get("label"))
        if key
    }
    hires = supply.get("hires", [])
    return inputs.active_reps + sum(int(h.get("count", 0)) for h in hires if str(h.get("role", "")).lower() in sales)


def _compensation(inputs: PlanInputs, lang: str) -> Recommendation:
    """Quota per rep consistent with the plan's demand and step 3's attainment; what is missing otherwise."""
    page = translate(PAGE_SUPPLY, lang)
    owner = translate("Sales leader and finance", lang)
    attainment = (inputs.supply or {}).get("attainment_median")
    heads = sales_heads(inputs)
    if inputs.metric != "revenue" or not inputs.demand_total or not attainment or not heads:
        missing = translate("a revenue demand plan (step 2), step 3's attainment and at least one rep", lang)
        return Recommendation(
            "people",
            translate("Set quotas once the plan holds {missing}", lang, missing=missing),
            translate("Not in this plan yet", lang),
            "",
            page,
            owner,
        )
    annual = inputs.demand_total * 12 / max(inputs.demand_months, 1)
    quota = annual / heads / float(attainment)
    return Recommendation(
        "people",
        translate(
            "Set quota near {quota} a rep a year, with accelerators above 100 % of quota", lang, quota=money(quota)
        ),
        translate(
            "{annual} planned a year ÷ {heads} reps (today's plus planned hires) ÷ {att} median attainment",
            lang,
            annual=money(annual),
            heads=heads,
            att=percent(float(attainment)),
        ),
        f"{inputs.first_period} – {inputs.last_period}",
        page,
        owner,
        needs_signoff=True,
    )


def people(inputs: PlanInputs, lang: str = DEFAULT_LANGUAGE) -> list[Recommendation]:
    """The hires of step 3 with dates, training topics from the top-vs-bottom gaps, a compensation note."""
    if inputs.supply is None:
        recs = [
            Recommendation(
                "people",
                translate("Plan capacity and hiring on page 3, then save it into the plan", lang),
                translate("This plan has no supply part yet (no hires, no capacity)", lang),
                "",
                translate(PAGE_SUPPLY, lang),
                translate("Sales-ops lead", lang),
            )
        ]
    else:
        recs = _hires(inputs.supply, lang)
    frame = inputs.performers.metrics
    metrics = frame.set_index("metric").to_dict("index") if not frame.empty else {}
    for kind in training_gaps(inputs.performers)[:3]:
        key = f"{kind}s_per_won_deal"
        row = metrics.get(key)
        if row is None or pd.isna(row["bottom"]):
            continue
        top, bottom = float(row["top"]), float(row["bottom"])
        recs.append(
            Recommendation(
                "people",
                translate(
                    "Train the bottom reps on {kind}s: coach how top reps use them", lang, kind=translate(kind, lang)
                ),
                translate(
                    "{kind}s per won deal: top reps {top:.1f}, bottom reps {bottom:.1f}",
                    lang,
                    kind=translate(kind, lang),
                    top=top,
                    bottom=bottom,
                ),
                translate("closed deals to {day}", lang, day=inputs.as_of.isoformat()),
                translate(PAGE_DATA, lang) + " › " + translate("Top vs bottom", lang),
                translate("Sales-efficiency manager", lang) if inputs.team.stage else translate("Sales managers", lang),
            )
        )
    recs.append(_compensation(inputs, lang))
    return recs


def qualified_leads_per_month(inputs: PlanInputs) -> float | None:
    """Qualified leads marketing must deliver a month for the plan's demand; None when the plan or rates lack it."""
    if not inputs.demand_total or inputs.qualified_conversion <= 0 or inputs.avg_deal_size <= 0:
        return None
    monthly = inputs.demand_total / max(inputs.demand_months, 1)
    revenue = monthly if inputs.metric == "revenue" else monthly * inputs.avg_deal_size
    return revenue / (inputs.qualified_conversion * inputs.avg_deal_size)


def cadence(team: TeamStructure, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The monthly planning cadence: step, week of the month, owner, what it produces."""
    ops = translate("Sales-ops director", lang) if team.stage == 2 else translate("Sales-ops lead", lang)
    rows = [
        (
            N_("Data refresh"),
            1,
            translate("Technical sales-ops rep", lang),
            N_("CRM exports imported, quality checked"),
        ),
        (N_("Demand review"), 2, translate("Sales leader and marketing", lang), N_("forecast and lead targets agreed")),
        (N_("Supply review"), 2, translate("Sales leader and HR", lang), N_("capacity, hiring and constraints agreed")),
        (N_("Pre-meeting"), 3, ops, N_("one plan version with the open decisions")),
        (N_("Executive meeting"), 4, translate("CEO / CRO", lang), N_("decisions signed off, actions owned")),
    ]
    return pd.DataFrame(
        [(translate(s, lang), w, o, translate(x, lang)) for s, w, o, x in rows],
        columns=["step", "week", "owner", "output"],
    )


def number_owners(lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Who owns which number of the plan."""
    rows = [
        (N_("Bookings forecast"), N_("Sales leader")),
        (N_("Qualified leads per month"), N_("Marketing lead")),
        (N_("Capacity and hiring plan"), N_("Sales leader and HR")),
        (N_("Data quality"), N_("Technical sales-ops rep")),
        (N_("Plan vs actual"), N_("Sales-ops lead")),
    ]
    return pd.DataFrame([(translate(n, lang), translate(o, lang)) for n, o in rows], columns=["number", "owner"])


def communication(inputs: PlanInputs, lang: str = DEFAULT_LANGUAGE) -> list[Recommendation]:
    """The sales-marketing agreement, the monthly cadence and who owns which number."""
    leads = qualified_leads_per_month(inputs)
    period = f"{inputs.first_period} – {inputs.last_period}" if inputs.first_period else ""
    if leads is None:
        agreement = Recommendation(
            "communication",
            translate("Agree qualified leads per month with marketing once a demand plan is saved (page 2)", lang),
            translate("No demand plan or no lead-to-won history to size it", lang),
            period,
            translate(PAGE_DEMAND, lang),
            translate("Marketing lead", lang),
        )
    else:
        agreement = Recommendation(
            "communication",
            translate(
                "Sign a sales-marketing agreement: {n:.0f} qualified leads a month, worked within a day",
                lang,
                n=math.ceil(leads),
            ),
            translate(
                "Planned demand a month ÷ ({conv} lead-to-won × {size} average deal)",
                lang,
                conv=percent(inputs.qualified_conversion),
                size=money(inputs.avg_deal_size),
            ),
            period,
            translate(PAGE_DEMAND, lang),
            translate("Marketing lead and sales leader", lang),
            needs_signoff=True,
        )
    steps = cadence(inputs.team, lang)
    return [
        agreement,
        Recommendation(
            "communication",
            translate("Run the monthly planning cadence: {steps}", lang, steps=", ".join(steps["step"])),
            translate("{n} meetings a month, each with an owner", lang, n=len(steps)),
            translate("monthly", lang),
            translate(PAGE_PLAN, lang),
            translate("Sales-ops lead", lang),
        ),
        Recommendation(
            "communication",
            translate(
                "Name one owner per number: {pairs}",
                lang,
                pairs="; ".join(f"{n}: {o}" for n, o in number_owners(lang).itertuples(index=False)),
            ),
            translate("Every number in this plan has exactly one owner", lang),
            "",
            translate(PAGE_PLAN, lang),
            translate("Sales-ops lead", lang),
        ),
    ]


def recommend(inputs: PlanInputs, lang: str = DEFAULT_LANGUAGE) -> list[Recommendation]:
    """Every recommendation, area by area in AREAS order."""
    return [
        *technology(inputs, lang),
        *sales_process(inputs, lang),
        *people(inputs, lang),
        *communication(inputs, lang),
    ]
