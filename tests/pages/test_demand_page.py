"""AppTest of page 2 (demand planning) on the Demo workspace and on a workspace with a few months of deals."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from salesops.ingest.pipeline import ingest_paths
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
    assert "lowest mean MASE" in text
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
        f"S-{i},Deal {i},Acme {i},Ann Lee,Closed Won,{1000 * (i + 1)},USD,2026-0{m}-01,2026-0{m}-28\n"
        for i, m in enumerate([1, 2, 3, 4, 5, 6, 7])
    ]
    path = tmp_path / "deals.csv"
    path.write_text(header + "".join(rows))
    engine = get_engine(os.environ["DATABASE_URL"])
    ingest_paths(engine, "Short history", [path])
    with engine.connect() as conn:
        short = ws.find(conn, "Short history")
    app.session_state["app_workspace_id"] = short
    _open(app)
    assert any("Only 7 months of history" in w.value for w in app.warning)
    assert _total(app).startswith("$")
    assert any("No backtest yet" in i.value for i in app.info)


def test_workspace_without_won_deals_says_what_to_do(app: AppTest) -> None:
    engine = get_engine(os.environ["DATABASE_URL"])
    with engine.begin() as conn:
        empty = ws.get_or_create(conn, "No deals yet")
    app.session_state["app_workspace_id"] = empty
    _open(app)
    assert any("No won deals" in i.value for i in app.info)
    assert not app.get("plotly_chart")


def test_pipeline_tab_compares_pipeline_with_the_statistical_forecast(app: AppTest) -> None:
    _open(app)
    metrics = {m.label: m.value for m in app.metric}
    for label in ("Statistical, next quarter", "Commit, next quarter", "Weighted pipeline, next quarter"):
        assert metrics[label].startswith("$")
    spec = json.loads(app.get("plotly_chart")[-1].proto.spec)
    names = {tr.get("name") for tr in spec["data"]}
    assert {"Commit", "Best case", "Weighted pipeline", "Statistical forecast"} <= names
    assert any("weighted by win probability" in c.value for c in app.caption)
    stages = app.dataframe[-1].value
    assert "Negotiation" in set(stages["Stage"])
