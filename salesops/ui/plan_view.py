"""Step 4 page: which version, the cached plan report, headline figures, recommendations, team and routing.

The report is cached per (workspace, data version, plan version, plan stamp, language): the stamp changes with
every edit of the plan, its actions or its sign-offs, so the page never shows a stale plan.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesops import formatting as fmt
from salesops.export.figures import figure, plan_charts
from salesops.export.safe import csv_bytes
from salesops.plan import list_plans
from salesops.plan.recommend import AREA_LABELS, AREAS
from salesops.plan.report import PlanReport, build_report
from salesops.plan.versions import plan_stamp
from salesops.plan.webhook import post_new_leads
from salesops.ui.charts import show
from salesops.ui.common import compact_money, data_version, engine, language, plain, t, workspace_id
from salesops.ui.plan_versions import PENDING_KEY
from salesops.ui.tables import show_table

VERSION_KEY = "plan_version"


@st.cache_data(max_entries=16, show_spinner=False)
def cached_report(workspace: int, version: int, plan: int | None, stamp: str, lang: str) -> PlanReport:
    """The plan report (``version`` is the data version; ``stamp`` the plan's edit token)."""
    del version, stamp  # cache keys only
    with engine().connect() as conn:
        return build_report(conn, workspace, version=plan, lang=lang)


def choose_version() -> int | None:
    """The version picker: the latest by default; None when the workspace has no plan."""
    with engine().connect() as conn:
        versions = list_plans(conn, workspace_id())
    if versions.empty:
        return None
    numbers = [int(v) for v in versions["version"]]
    labels = {int(r.version): f"v{r.version} · {r.name} ({t(r.status)})" for r in versions.itertuples(index=False)}
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is not None or st.session_state.get(VERSION_KEY) not in numbers:
        st.session_state[VERSION_KEY] = pending if pending in numbers else numbers[0]
    return int(st.selectbox(t("Plan version"), numbers, format_func=labels.__getitem__, key=VERSION_KEY))


def load_report(version: int | None) -> PlanReport:
    """The report of ``version`` from the cache (recomputed when the data or the plan changed)."""
    stamp = ""
    if version is not None:
        with engine().connect() as conn:
            versions = list_plans(conn, workspace_id())
            plan_id = int(versions.loc[versions["version"] == version, "id"].iloc[0])
            stamp = plan_stamp(conn, workspace_id(), plan_id)
    with st.spinner(t("Assembling the plan…")):
        return cached_report(workspace_id(), data_version(), version, stamp, language())


def render_summary(report: PlanReport) -> None:
    """What is missing, the plan's headline figures and its key charts."""
    for text in report.missing:
        st.warning(text)
    s = report.summary
    cols = st.columns(4)
    total = fmt.count(s["demand_total"]) if s["metric"] == "deals" else fmt.money(s["demand_total"])
    cols[0].metric(t("Plan total (demand)"), total, help=t("Sum of the plan's monthly total demand."))
    cols[1].metric(t("Hires planned"), fmt.count(s["hires"]) if s["hires"] is not None else fmt.MISSING)
    cols[2].metric(t("ARR (trailing twelve months)"), compact_money(s["arr"]))
    cols[3].metric(t("Data-quality score"), f"{s['quality_score']}/100")
    if s["first_period"]:
        st.caption(
            t(
                "Plan months {first} to {last}; data as of {day}.",
                first=s["first_period"],
                last=s["last_period"],
                day=report.as_of.isoformat(),
            )
        )
    for chart in plan_charts(report, language()):
        show(figure(chart), key=f"plan_chart_{chart.key}")


def render_recommendations(report: PlanReport) -> None:
    """Recommendations area by area, each with its evidence, period and source page."""
    for area in AREAS:
        recs = [r for r in report.recommendations if r.area == area]
        st.markdown(f"#### {t(AREA_LABELS[area])}")
        for r in recs:
            where = " · ".join(x for x in (r.period, r.page) if x)
            st.markdown(f"- {plain(r.text)}  \n  :gray[{plain(r.evidence)} ({plain(where)})]")


def render_team(report: PlanReport) -> None:
    """The sales-ops team that fits the ARR and the distance to the next threshold."""
    team = report.team
    st.markdown(t("**ARR {arr}** ({basis})", arr=fmt.money(team.arr), basis=plain(team.basis)))
    for role in team.roles:
        st.markdown(f"- {plain(role)}")
    if team.distance_to_next is not None and team.next_threshold is not None:
        st.progress(
            min(max(team.arr / team.next_threshold, 0.0), 1.0),
            text=t(
                "{gap} to the next threshold ({threshold})",
                gap=fmt.money(team.distance_to_next),
                threshold=fmt.money(team.next_threshold),
            ),
        )
    else:
        st.caption(t("Above the last threshold: the full sales-ops team applies."))


def render_routing(report: PlanReport) -> None:
    """Segment → rep routing, open-deal load before and after, and the routed lead list download."""
    routing = report.routing
    cols = st.columns(2)
    cols[0].metric(
        t("Open-deal imbalance (today → routed)"),
        fmt.number(routing.imbalance_after, 2),
        delta=None
        if routing.imbalance_today is None
        else fmt.number((routing.imbalance_after or 0) - routing.imbalance_today, 2),
        delta_color="inverse",
    )
    cols[1].metric(
        t("Expected win rate of open deals (routed)"),
        fmt.percent(routing.win_rate_after),
        delta=None
        if routing.win_rate_today is None or routing.win_rate_after is None
        else fmt.percent(routing.win_rate_after - routing.win_rate_today, signed=True),
    )
    load = pd.DataFrame(
        {
            "rep": routing.load_today.index,
            "today": routing.load_today.to_numpy(),
            "routed": routing.load_after.reindex(routing.load_today.index).to_numpy(),
        }
    )
    with st.expander(t("Routing by segment and load per rep")):
        show_table(routing.assignment, key="plan_routing_table")
        show_table(load, key="plan_load_table")
    st.markdown(t("**Routed high-score leads**: {n}", n=len(report.routed)))
    if report.routed.empty:
        st.caption(t("No open lead scores 60 or more yet: score leads on page 1 (Lead scoring)."))
    else:
        show_table(report.routed.head(200), key="plan_routed_table")
    st.download_button(
        t("Download the routed lead list (CSV)"),
        data=lambda: csv_bytes(report.routed),
        file_name="routed_leads.csv",
        mime="text/csv",
        on_click="ignore",
        key="plan_routed_csv",
    )


def render_webhook(report: PlanReport) -> None:
    """Post each new routed lead to a chat channel's incoming webhook (the URL is kept for this session only)."""
    url = st.text_input(
        t("Incoming-webhook URL (Slack, Teams, Mattermost, Google Chat)"),
        key="plan_webhook_url",
        type="password",
        help=t("Each lead is posted once; the URL is not stored."),
    )
    if st.button(t("Post new high-score leads"), key="plan_webhook_post", disabled=not url or report.routed.empty):
        try:
            with engine().begin() as conn:
                result = post_new_leads(conn, workspace_id(), report.routed, url, lang=language())
        except ValueError as exc:
            st.error(t(str(exc)))
            return
        if result.error:
            st.error(
                t(
                    "Posted {n} lead(s), then the webhook failed: {error}. Nothing was retried.",
                    n=result.posted,
                    error=result.error,
                )
            )
        else:
            st.success(t("Posted {n} new lead(s); {k} had been posted before.", n=result.posted, k=result.skipped))
