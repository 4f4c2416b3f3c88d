"""AppTest of the KPI explorer (page 1, first tab) on the Demo workspace and on deals-only / activities-only ones."""

from __future__ import annotations

import itertools
import json
import os
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from salesops.asof import default_as_of, default_period
from salesops.formatting import money_compact
from salesops.ingest.pipeline import ingest_paths
from salesops.store import get_engine
from salesops.store import workspaces as ws
from tests.conftest import SAMPLE

PAGE = "pages/1_data_collection.py"
NO_ACTIVITIES = "Import an activities export to see input KPIs"


def _page(app: AppTest, workspace: int | None = None) -> AppTest:
    if workspace is not None:
        app.session_state["app_workspace_id"] = workspace
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def _metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _infos(app: AppTest) -> str:
    return "\n".join(i.value for i in app.info)


def _captions(app: AppTest) -> str:
    return "\n".join(c.value for c in app.caption)


def _titles(app: AppTest) -> str:
    """The titles drawn inside the page's plotly charts (titles are in the chart, not repeated in a caption)."""
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    return "\n".join(str(spec["layout"].get("title", {}).get("text", "")) for spec in specs)


def _default_period() -> tuple[date, date]:
    """The sidebar's default period on Demo: the last 12 complete months up to its as-of date."""
    engine = get_engine(os.environ["DATABASE_URL"])
    with engine.connect() as conn:
        as_of = default_as_of(conn, ws.find(conn, "Demo") or 0)
    engine.dispose()
    assert as_of is not None
    return default_period(as_of)


def _won_deals(owner: str | None = None, period: tuple[date, date] | None = None) -> pd.DataFrame:
    """Won deals of the sample export as the import keeps them (it rejects a negative amount and a bad close date),
    closed in ``period`` (default: the sidebar's default period)."""
    start, end = period or _default_period()
    deals = pd.read_csv(SAMPLE / "deals.csv")
    closed = pd.to_datetime(deals["Close Date"], errors="coerce")
    valid = (deals["Amount"] >= 0) & closed.notna()
    in_period = (closed >= pd.Timestamp(start)) & (closed <= pd.Timestamp(end))
    won = deals[valid & in_period & (deals["Stage"] == "Closed Won")]
    return won if owner is None else won[won["Owner"] == owner]


def _closing_reps() -> int:
    """Reps with a deal won or lost in the default period (the leaderboard's rows)."""
    start, end = _default_period()
    deals = pd.read_csv(SAMPLE / "deals.csv")
    closed = pd.to_datetime(deals["Close Date"], errors="coerce")
    in_period = (closed >= pd.Timestamp(start)) & (closed <= pd.Timestamp(end))
    return int(deals.loc[in_period & deals["Stage"].str.startswith("Closed"), "Owner"].nunique())


def _workspace(name: str, files: list[str]) -> int:
    engine = get_engine(os.environ["DATABASE_URL"])
    ingest_paths(engine, name, [SAMPLE / f for f in files])
    with engine.connect() as conn:
        found = ws.find(conn, name)
    engine.dispose()
    assert found is not None
    return found


def test_tiles_show_demo_figures_with_change_and_growth(app: AppTest) -> None:
    metrics = _metrics(_page(app))
    won = _won_deals()
    assert metrics["Won revenue"] == money_compact(won["Amount"].sum())  # the last 12 complete months
    assert metrics["Deals won"] == f"{len(won):,}"
    assert metrics["Win rate"].endswith(" %")
    for label in ("Average deal size", "Median cycle (days)", "Open pipeline", "Weighted pipeline", "Velocity"):
        assert metrics[label] not in ("", "n/a"), label
    growth = {label.split(":")[0]: (label, value) for label, value in metrics.items() if label.startswith("Growth")}
    assert set(growth) == {"Growth MoM", "Growth QoQ", "Growth YoY"}
    for name in ("Growth MoM", "Growth QoQ"):
        assert growth[name][1].endswith((" %", "small base")), name
    start, end = _default_period()
    assert f"Close dates {start.day} {start:%b %Y} to {end.day} {end:%b %Y}." in _captions(app)
    assert metrics["Pipeline coverage"] == "—"  # no target yet
    for label in ("Emails", "Calls", "Meetings", "Demos", "Proposals", "Tasks", "Selling hours"):
        assert int(metrics[label].replace(",", "")) > 0, label
    titles = _titles(app)
    assert f"Won revenue by rep: {_closing_reps()} reps" in titles
    assert "Bookings per month" in titles
    assert "Stage funnel" in titles
    assert "Prospecting → Qualification" in _captions(app)
    assert NO_ACTIVITIES not in _infos(app)


def test_one_rep_in_sidebar_changes_won_revenue_and_leaderboard(app: AppTest) -> None:
    _page(app)
    before = _metrics(app)["Won revenue"]
    ws_id = app.session_state["app_workspace_id"]
    app.multiselect(key=f"filters_reps_{ws_id}").set_value(["Priya Raman"]).run()
    assert not app.exception
    hers = _won_deals("Priya Raman")
    after = _metrics(app)["Won revenue"]
    assert after != before
    assert after == money_compact(hers["Amount"].sum())
    assert f"Won revenue by rep: 1 rep, {after} in total" in _titles(app)
    assert "Activities per rep: 1 rep" in _titles(app)


def test_period_without_deals_explains_and_does_not_fail(app: AppTest) -> None:
    _page(app)
    ws_id = app.session_state["app_workspace_id"]
    # Open deals close up to April 2027, so the sidebar allows Q1 2027; nothing was won, lost or created then.
    app.date_input(key=f"filters_period_{ws_id}").set_value((date(2027, 1, 1), date(2027, 3, 31))).run()
    assert not app.exception
    infos = _infos(app)
    assert "No deals closed or created in the selected period" in infos
    assert "No activities in the selected period" in infos
    assert "Won revenue" not in _metrics(app)


def test_target_gives_pipeline_coverage(app: AppTest) -> None:
    _page(app)
    app.text_input(key="kpi_target_text").input("40M").run()
    assert app.text_input(key="kpi_target_text").value == "$40,000,000"  # shown back as money
    assert not app.exception
    coverage = _metrics(app)["Pipeline coverage"]
    assert coverage.endswith("×")
    # weighted pipeline / (target - won revenue of the last 12 months), with the tiles' own rounding
    assert 0.1 < float(coverage.rstrip("×")) < 2.0
    app.text_input(key="kpi_target_text").input("1,000").run()
    assert _metrics(app)["Pipeline coverage"] == "Target met"


def test_deals_only_workspace_shows_outputs_and_asks_for_activities(app: AppTest) -> None:
    _page(app, _workspace("KPI deals only", ["deals.csv"]))
    metrics = _metrics(app)
    assert metrics["Won revenue"].startswith("$")
    assert NO_ACTIVITIES in _infos(app)
    assert "Emails" not in metrics


def test_activities_only_workspace_shows_inputs_and_asks_for_deals(app: AppTest) -> None:
    _page(app, _workspace("KPI activities only", ["activities.csv"]))
    metrics = _metrics(app)
    assert "No deals in this workspace yet" in _infos(app)
    assert "Won revenue" not in metrics
    assert int(metrics["Emails"].replace(",", "")) > 1000
    assert metrics["Opportunities created"] == "0"
    assert "Activity mix per month" in _titles(app)


def test_quarter_tiles_compare_with_the_quarter_before(app: AppTest) -> None:
    _page(app)
    metrics = {m.label: m for m in app.metric}
    start, end = _default_period()
    year = _won_deals(period=(start, end))["Amount"].sum()
    year_before = _won_deals(period=(start.replace(year=start.year - 1), start - timedelta(days=1)))["Amount"].sum()
    assert metrics["Won revenue"].delta == f"{(year / year_before - 1) * 100:+.0f} %"  # vs the 12 months before
    ws_id = app.session_state["app_workspace_id"]
    app.date_input(key=f"filters_period_{ws_id}").set_value((date(2026, 4, 1), date(2026, 6, 30))).run()
    assert not app.exception
    won = _won_deals(period=(date(2000, 1, 1), date(2100, 1, 1)))
    closed = pd.to_datetime(won["Close Date"])
    now = won.loc[(closed >= "2026-04-01") & (closed <= "2026-06-30"), "Amount"].sum()
    before = won.loc[(closed >= "2026-01-01") & (closed <= "2026-03-31"), "Amount"].sum()
    tile = {m.label: m for m in app.metric}["Won revenue"]
    assert tile.value == money_compact(now)
    assert tile.delta == f"{(now / before - 1) * 100:+.0f} %"
    assert "Close dates 1 Apr 2026 to 30 Jun 2026. Changes compare with 1 Jan 2026 to 31 Mar 2026." in _captions(app)


def test_kpis_by_team_on_demand(app: AppTest) -> None:
    _page(app)
    app.selectbox(key="kpi_by").set_value("team").run()
    assert not app.exception
    table = next(d.value for d in app.dataframe if "team" in d.value.columns)
    won = _won_deals()
    assert table["won_revenue"].sum() == pytest.approx(won["Amount"].sum())
    assert {"email", "selling_hours", "win_rate"} <= set(table.columns)


def test_leads_only_workspace_shows_lead_kpis(app: AppTest) -> None:
    """Issue 7, point 9: a workspace of leads alone used to say "This workspace is empty"."""
    _page(app, _workspace("KPI leads only", ["leads.csv"]))
    metrics = _metrics(app)
    leads = pd.read_csv(SAMPLE / "leads.csv")
    assert "This workspace is empty" not in _infos(app)
    assert metrics["Leads"] == f"{len(leads):,}"
    assert metrics["Conversion rate"].endswith(" %")
    assert metrics["Median days to convert"] != "n/a"
    assert metrics["Lead-to-opportunity"] == "n/a"
    assert "Lead-to-opportunity needs deals" in _infos(app)
    charts = {e.proto.id.rsplit("-", 1)[-1] for e in app.get("plotly_chart")}
    assert "kpi_leads_monthly_chart" in charts
    assert any("Lead source" in list(d.value.columns) for d in app.dataframe)


def test_segment_filter_narrows_activities_and_says_how(app: AppTest) -> None:
    """Issue 7, point 8: Segment = Enterprise used to change the output KPIs but not the activities, silently."""
    _page(app)
    emails = _metrics(app)["Emails"]
    ws_id = app.session_state["app_workspace_id"]
    app.multiselect(key=f"filters_segments_{ws_id}").set_value(["Enterprise"]).run()
    assert not app.exception
    assert _metrics(app)["Emails"] != emails
    assert "apply to activities through their deal" in _captions(app)


def test_won_deals_without_close_date_are_named_on_the_page(app: AppTest, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "Deal ID,Stage,Amount,Owner,Created\n"
        "1,Closed Won,100,Ann,2025-01-01\n2,Closed Won,50,Ann,2025-01-03\n3,Open,10,Bo,2025-02-01\n"
    )
    engine = get_engine(os.environ["DATABASE_URL"])
    ingest_paths(engine, "KPI no close date", [path])
    with engine.connect() as conn:
        workspace = ws.find(conn, "KPI no close date")
    engine.dispose()
    _page(app, workspace)
    warnings = "\n".join(w.value for w in app.warning)
    assert "2 won deals have no close date and are left out of revenue; map a close-date column." in warnings


def test_zoho_funnel_on_the_page_runs_in_pipeline_order(app: AppTest, datasets: Path) -> None:
    engine = get_engine(os.environ["DATABASE_URL"])
    ingest_paths(engine, "KPI Zoho funnel", [datasets / "zoho-crm-sample-export" / "Potentials.csv"])
    with engine.connect() as conn:
        workspace = ws.find(conn, "KPI Zoho funnel")
    engine.dispose()
    _page(app, workspace)
    funnel = next(c.value for c in app.caption if " → " in c.value)  # the funnel's step-by-step caption
    order = ["Created", "Prospect", "Qualification", "Needs Analysis", "Initial Offer", "Proposal/Price Quote"]
    order += ["Negotiation/Review", "Won"]
    steps = [f"{a} → {b}:" for a, b in itertools.pairwise(order)]
    positions = [funnel.find(step) for step in steps]
    assert -1 not in positions, funnel
    assert positions == sorted(positions)
