"""AppTest of page 2 (demand planning) on the Demo workspace and on a workspace with a few months of deals."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from salesops.formatting import parse_money
from salesops.ingest.pipeline import ingest_paths
from salesops.plan import latest_plan
from salesops.store import get_engine
from salesops.store import workspaces as ws

PAGE = "pages/2_demand_planning.py"
TOTAL = "Forecast total, next {h} months"


def _open(app: AppTest) -> AppTest:
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception
    return app


def _values(data: Any) -> np.ndarray:
    """A plotly JSON array: a plain list, or Plotly's base64 typed array {"dtype", "bdata"}."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"])).astype(float)
    return np.asarray(data, dtype=float)


def _trace(app: AppTest, name: str) -> np.ndarray:
    """The y values of a named trace of the forecast chart (the first chart on the page)."""
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    trace = next(tr for tr in spec["data"] if tr.get("name") == name)
    return _values(trace["y"])


def _total(app: AppTest, horizon: int = 12) -> str:
    return {m.label: m.value for m in app.metric}[TOTAL.format(h=horizon)]


def test_page_shows_forecast_model_and_evidence(app: AppTest) -> None:
    _open(app)
    assert app.title[0].value == "2 · Demand planning"
    assert _total(app).startswith("$")
    assert len(_trace(app, "Forecast")) == 12
    text = "\n".join(m.value for m in app.markdown)
    assert "**Chosen model:**" in text
    assert "mean MASE" in text, "the why-note names the backtest evidence"
    models = app.dataframe[0].value
    assert "Seasonal naive" in set(models.iloc[:, 0]), "the baseline is in the comparison"
    assert "baseline" in set(models.iloc[:, -1])
    assert len(app.get("plotly_chart")) >= 2, "forecast and backtest charts"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("demand_growth", 20),
        ("demand_win_rate", -10),
        ("demand_deal_size", 15),
        ("demand_lead_volume", 25),
    ],
)
def test_assumption_slider_changes_plotted_forecast(app: AppTest, key: str, value: int) -> None:
    _open(app)
    before = _trace(app, "Forecast").sum()
    app.slider(key=key).set_value(value).run()
    assert not app.exception
    after = _trace(app, "Forecast").sum()
    # Win-rate, deal-size and lead-volume changes scale every month by the same factor.
    if key != "demand_growth":
        assert after == pytest.approx(before * (1 + value / 100), rel=1e-9)
    else:
        assert after > before * 1.05
    assert _total(app).startswith("$")


def test_seasonality_scenario_horizon_and_level_change_the_forecast(app: AppTest) -> None:
    _open(app)
    base = _trace(app, "Forecast")
    app.toggle(key="demand_seasonality").set_value(False).run()
    flat = _trace(app, "Forecast")
    assert not np.allclose(flat, base), "seasonality off removes the seasonal swing"
    assert np.std(flat) < np.std(base)
    app.toggle(key="demand_seasonality").set_value(True).run()
    app.radio(key="demand_scenario").set_value("worst").run()
    worst = _trace(app, "Forecast").sum()
    assert worst < base.sum()
    assert worst == pytest.approx(_trace(app, "90 % interval").sum())  # worst = the interval's lower bound
    app.select_slider(key="demand_level").set_value(80).run()
    assert _trace(app, "Forecast").sum() > worst, "a narrower interval raises the worst case"
    app.slider(key="demand_horizon").set_value(6).run()
    assert not app.exception
    assert len(_trace(app, "Forecast")) == 6
    assert TOTAL.format(h=6) in {m.label for m in app.metric}


def test_breakdown_by_segment_adds_up_to_the_total(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="demand_by").set_value("segment").run()
    app.slider(key="demand_growth").set_value(10).run()
    assert not app.exception
    total = _trace(app, "Forecast").sum()
    table = app.dataframe[1].value
    segments = table[table.iloc[:, 0] != "Total"]
    assert set(segments.iloc[:, 0]) == {"Enterprise", "Mid-Market", "SMB"}
    assert segments["forecast"].sum() == pytest.approx(total, rel=1e-9)
    assert any("Top-down" in c.value for c in app.caption)


def test_short_history_shows_the_engine_warning(app: AppTest, tmp_path: Path) -> None:
    header = "Deal ID,Deal Name,Account,Owner,Stage,Amount,Currency,Created Date,Close Date\n"
    rows = [
        f"S-{i},Deal {i},Acme {i},Ann Lee,Closed Won,{1000 * (i + 1)},USD,2026-0{m}-01,2026-0{m}-{day}\n"
        for i, (m, day) in enumerate([(1, 28), (2, 28), (3, 28), (4, 28), (5, 28), (6, 28), (7, 28), (8, 5)])
    ]  # August ends on the 5th: a part month, left out of the history
    path = tmp_path / "deals.csv"
    path.write_text(header + "".join(rows))
    engine = get_engine(os.environ["DATABASE_URL"])
    ingest_paths(engine, "Short history", [path])
    with engine.connect() as conn:
        short = ws.find(conn, "Short history")
    app.session_state["app_workspace_id"] = short
    _open(app)
    assert any("Only 7 months of history" in w.value for w in app.warning)
    assert any("2026-08 is left out of the history" in i.value for i in app.info)
    assert _total(app).startswith("$")
    assert any("No backtest yet" in i.value for i in app.info)
    assert any("No leads with a known outcome" in i.value for i in app.info)


def test_workspace_without_won_deals_says_what_to_do(app: AppTest) -> None:
    engine = get_engine(os.environ["DATABASE_URL"])
    with engine.begin() as conn:
        empty = ws.get_or_create(conn, "No deals yet")
    app.session_state["app_workspace_id"] = empty
    _open(app)
    assert any("No won deals" in i.value for i in app.info)
    assert not app.get("plotly_chart")


def _chart_with(app: AppTest, trace_name: str) -> dict:
    """The spec of the chart that has a trace called ``trace_name``."""
    for chart in app.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if any(tr.get("name") == trace_name for tr in spec["data"]):
            return spec
    raise AssertionError(f"no chart with a {trace_name!r} trace")


def _table_with(app: AppTest, column: str):  # type: ignore[no-untyped-def]
    return next(df.value for df in app.dataframe if column in df.value.columns)


def test_pipeline_tab_compares_pipeline_with_the_statistical_forecast(app: AppTest) -> None:
    _open(app)
    metrics = {m.label: m.value for m in app.metric}
    for label in ("Statistical, next quarter", "Commit, next quarter", "Weighted pipeline, next quarter"):
        assert metrics[label].startswith("$")
    names = {tr.get("name") for tr in _chart_with(app, "Weighted pipeline")["data"]}
    assert {"Commit", "Best case", "Statistical forecast"} <= names
    assert any("weighted by win probability" in c.value for c in app.caption)
    assert "Negotiation" in set(_table_with(app, "Stage")["Stage"])


def test_lead_agreement_follows_target_and_lead_volume(app: AppTest) -> None:
    _open(app)
    label = "Qualified leads needed per month"
    expected = "Qualified leads expected per month"

    def read(name: str) -> float:
        return float({m.label: m.value for m in app.metric}[name].replace(",", ""))

    needed, delivered = read(label), read(expected)
    assert needed > 0
    app.text_input(key="demand_target_text").input(str(2 * app.session_state["demand_target"])).run()
    assert read(label) == pytest.approx(2 * needed, rel=0.01), "twice the target needs twice the leads"
    app.slider(key="demand_lead_volume").set_value(50).run()
    assert read(expected) == pytest.approx(1.5 * delivered, rel=0.01)
    assert not app.exception


def test_service_hours_follow_the_hour_inputs(app: AppTest) -> None:
    _open(app)

    def total() -> float:
        return float({m.label: m.value for m in app.metric}["Service hours, whole horizon"].replace(",", ""))

    before = total()
    assert before > 0
    app.number_input(key="demand_support_entry").set_value(2.0).run()  # default 1 h a month
    assert total() > before
    for key in (
        "demand_onboard_entry",
        "demand_onboard_enterprise",
        "demand_support_entry",
        "demand_support_enterprise",
    ):
        app.number_input(key=key).set_value(0.0).run()
    assert total() == 0
    assert _chart_with(app, "Support, entry")


def test_save_draft_stores_the_plan_and_shows_its_version(app: AppTest) -> None:
    _open(app)
    app.selectbox(key="demand_by").set_value("segment").run()
    app.slider(key="demand_growth").set_value(10).run()
    engine = get_engine(os.environ["DATABASE_URL"])
    with engine.connect() as conn:
        demo = ws.find(conn, "Demo")
        assert demo is not None
        before = latest_plan(conn, demo)
    app.button(key="demand_save_draft").click().run()
    assert not app.exception
    with engine.connect() as conn:
        plan = latest_plan(conn, demo)
    assert plan is not None
    assert plan.version == (before.version + 1 if before else 1)
    assert plan.status == "draft"
    assert plan.assumptions["growth_pct"] == 10
    assert any(f"Saved as draft plan version {plan.version}" in s.value for s in app.success)
    lines = plan.lines
    assert set(lines["kind"]) == {"demand", "demand_source", "pipeline", "service_hours"}
    assert plan.assumptions["consensus"]["choice"] == "statistical"
    total = lines[(lines["kind"] == "demand") & (lines["segment"] == "")]
    assert len(total) == 12
    assert total["value"].sum() == pytest.approx(_trace(app, "Forecast").sum(), rel=1e-9)
    segments = lines[(lines["kind"] == "demand") & (lines["segment"] != "")]
    assert segments["value"].sum() == pytest.approx(total["value"].sum(), rel=1e-9)


def test_target_follows_the_horizon(app: AppTest) -> None:
    _open(app)
    yearly = app.session_state["demand_target"]
    assert yearly > 0
    app.slider(key="demand_horizon").set_value(18).run()
    assert not app.exception
    tile = next(m for m in app.metric if m.label == "Target, 18 months")
    total = next(m for m in app.metric if m.label == "Forecast total, next 18 months")
    forecast = parse_money(total.value)
    assert forecast is not None
    # the 12-month target scaled to 18 months, not compared as it is (which read "188 %" before)
    assert float(tile.value.rstrip(" %")) / 100 == pytest.approx(forecast / (yearly * 18 / 12), rel=0.02)


def _save_and_read(app: AppTest) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Click "Save as draft plan"; the saved total demand lines, the three source lines and the assumptions."""
    app.button(key="demand_save_draft").click().run()
    assert not app.exception
    engine = get_engine(os.environ["DATABASE_URL"])
    with engine.connect() as conn:
        demo = ws.find(conn, "Demo")
        assert demo is not None
        plan = latest_plan(conn, demo)
    assert plan is not None
    return plan.lines, plan.assumptions


def test_consensus_blend_changes_the_draft_plans_demand(app: AppTest) -> None:
    _open(app)
    tiles = {m.label: m.value for m in app.metric}
    for source in ("Statistical", "Weighted pipeline", "Lead-based", "Demand for the plan"):
        assert tiles[f"{source}, next 12 months"].startswith("$")
    reasons = "\n".join(m.value for m in app.markdown)
    assert "only deals already open" in reasons
    assert "lead becomes a won deal" in reasons
    lines, assumptions = _save_and_read(app)
    statistical = lines[(lines["kind"] == "demand") & (lines["segment"] == "")]["value"].sum()
    assert assumptions["consensus"]["choice"] == "statistical"

    app.radio(key="demand_consensus").set_value("blend").run()
    app.slider(key="demand_weight_pipeline").set_value(60).run()
    lines, assumptions = _save_and_read(app)
    demand = lines[(lines["kind"] == "demand") & (lines["segment"] == "")]
    sources = lines[lines["kind"] == "demand_source"].pivot(index="period", columns="metric", values="value")
    weights = assumptions["consensus"]["weights"]
    assert assumptions["consensus"]["choice"] == "blend"
    assert weights["pipeline"] == pytest.approx(60 / 135 * 100)
    expected = sum(sources[name] * weights[name] / 100 for name in ("statistical", "pipeline", "leads"))
    assert demand.set_index("period")["value"].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9)
    assert demand["value"].sum() != pytest.approx(statistical, rel=1e-3), "the blend moved the plan's demand"
    assert demand["lower"].isna().all(), "a blend has no interval of its own"

    app.radio(key="demand_consensus").set_value("pipeline").run()
    lines, assumptions = _save_and_read(app)
    demand = lines[(lines["kind"] == "demand") & (lines["segment"] == "")]
    assert assumptions["consensus"]["choice"] == "pipeline"
    assert demand["value"].sum() == pytest.approx(assumptions["consensus"]["totals"]["pipeline"], rel=1e-9)


def test_weekly_tab_forecasts_weeks_from_monday(app: AppTest) -> None:
    _open(app)
    app.slider(key="demand_weeks").set_value(8).run()
    assert not app.exception
    tiles = {m.label: m.value for m in app.metric}
    assert tiles["Forecast total, next 8 weeks"].startswith("$")
    spec = _chart_with(app, "Weekly forecast")
    weeks = next(tr for tr in spec["data"] if tr.get("name") == "Weekly forecast")["x"]
    assert len(weeks) == 8
    assert all(pd.Timestamp(day).day_of_week == 0 for day in weeks), "weeks start on Monday"
