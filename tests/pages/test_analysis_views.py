"""AppTest of the page-1 analysis sections: top vs bottom, forecast vs actual, data quality, ICP and lead scoring."""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from salesops.ingest.pipeline import ingest_paths
from salesops.plan import save_draft
from salesops.store import get_engine
from salesops.store import workspaces as ws
from tests.conftest import SAMPLE

PAGE = "pages/1_data_collection.py"


ANALYSES = ("Top vs bottom", "Forecast vs actual", "Data quality", "Ideal customer profile", "Lead scoring")


def _open(app: AppTest, workspace: int | None = None, section: str | None = None) -> AppTest:
    if workspace is not None:
        app.session_state["app_workspace_id"] = workspace
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception
    if section is not None:
        _section(app, section)
    return app


def _section(app: AppTest, section: str) -> AppTest:
    """Show one section of page 1 (only the chosen one runs)."""
    app.radio(key="data_section").set_value(section).run()
    assert not app.exception
    return app


def _visit(app: AppTest, sections: tuple[str, ...] = ANALYSES) -> tuple[str, str, dict[str, str], set[str]]:
    """Open each section in turn; what a user read across them: texts, infos, metrics and chart keys."""
    texts, infos, metrics, charts = [], [], {}, set()
    for section in sections:
        _section(app, section)
        texts.append(_texts(app))
        infos.append(_infos(app))
        metrics.update(_metrics(app))
        charts |= {e.proto.id.rsplit("-", 1)[-1] for e in app.get("plotly_chart")}
    return "\n".join(texts), "\n".join(infos), metrics, charts


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def _infos(at: AppTest) -> str:
    return "\n".join(str(i.value) for i in at.info)


def _keyed(at: AppTest, kind: str, key: str) -> Any:
    """The element of ``kind`` whose user key is ``key`` (charts and downloads carry it at the end of their id)."""
    found = [e for e in at.get(kind) if e.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, f"{kind} {key!r} drawn {len(found)} times"
    return found[0]


def _chart(at: AppTest, key: str) -> dict:
    return json.loads(_keyed(at, "plotly_chart", key).proto.spec)


def _values(data: list | dict) -> list:
    """A trace's x or y values; Plotly sends numeric arrays as base64 ``{"dtype", "bdata"}``."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def _table(at: AppTest, *columns: str) -> pd.DataFrame:
    """The one dataframe on screen that has exactly these leading columns."""
    found = [d.value for d in at.dataframe if list(d.value.columns[: len(columns)]) == list(columns)]
    assert len(found) == 1
    return found[0]


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _workspace(name: str, files: dict[str, int], tmp_path: Path) -> int:
    """A workspace holding the first ``n`` rows of each named sample file."""
    engine = get_engine(os.environ["DATABASE_URL"])
    paths = []
    for file_name, rows in files.items():
        path = tmp_path / file_name
        pd.read_csv(SAMPLE / file_name, dtype=str).head(rows).to_csv(path, index=False)
        paths.append(path)
    ingest_paths(engine, name, paths)
    with engine.connect() as conn:
        found = ws.find(conn, name)
    engine.dispose()
    assert found is not None
    return found


def test_demo_sections_render_findings_score_profile_and_charts(app: AppTest) -> None:
    _open(app)
    text, infos, metrics, charts = _visit(app)
    assert "Top quartile" in text  # performer findings in words
    # The default period is the last 12 complete months: the reps who sold in it.
    assert re.search(r"\b2[34] reps: the top and bottom quartile \(\d each\) are compared\.", text)
    assert "the overall revenue per opportunity" in text  # ICP statements
    score, _, hundred = metrics["Data-quality score"].partition(" / ")
    assert hundred == "100"
    assert 0 <= int(score) <= 100
    # Demo was imported once: its pipeline snapshot precedes no complete month, and the export's own probabilities
    # are today's, so no forecast is claimed.
    assert "would invent a forecast" in infos
    assert "Forecast" not in metrics
    assert {"perf_metrics_chart", "perf_mix_chart", "quality_gauge", "icp_win_rate_chart"} <= charts
    assert "accuracy_chart" not in charts
    assert "Press a button to learn scoring weights" in infos
    _section(app, "Data quality")
    findings = _table(app, "severity", "entity", "column", "message", "fix", "count")
    order = findings["severity"].map({"high": 0, "medium": 1, "low": 2})
    assert order.is_monotonic_increasing
    assert _keyed(app, "download_button", "quality_findings_download").proto.label == "Download the findings (CSV)"


def test_icp_dimension_changes_chart_and_table(app: AppTest) -> None:
    _open(app, section="Ideal customer profile")
    industries = _table(app, "label", "closed", "won", "win_rate")
    assert {"Retail", "Software", "Healthcare"} <= set(industries["label"])
    app.selectbox(key="icp_dimension").set_value("region").run()
    assert not app.exception
    regions = _table(app, "label", "closed", "won", "win_rate")
    assert set(regions["label"]) == {"East", "West", "EMEA", "Central"}
    assert regions["closed"].sum() == industries["closed"].sum()  # the same closed deals, cut another way
    assert _values(_chart(app, "icp_win_rate_chart")["data"][0]["x"]) == regions["label"].tolist()


def test_performers_basis_switch_reranks_reps(app: AppTest) -> None:
    _open(app, section="Top vs bottom")
    assert app.radio(key="perf_basis").value == "attainment"  # the fair default when reps carry quotas
    by_attainment = _table(app, "rep", "team", "region", "group")
    findings = next(m.value for m in app.markdown if str(m.value).startswith("- Top quartile"))
    app.radio(key="perf_basis").set_value("revenue").run()
    assert not app.exception
    by_revenue = _table(app, "rep", "team", "region", "group")
    assert by_revenue["basis_value"].tolist() == sorted(by_revenue["won_revenue"], reverse=True)
    assert by_attainment["basis_value"].tolist() == by_attainment["quota_attainment"].tolist()
    assert by_revenue["rep"].iloc[0] != by_attainment["rep"].iloc[0]
    assert findings not in [m.value for m in app.markdown]


def test_scoring_shows_auc_and_download_and_reweights_without_refit(app: AppTest, tmp_path: Path) -> None:
    # a workspace of its own: scoring writes scores, which other pages read from Demo
    _open(app, _workspace("Scoring", {"leads.csv": 4000}, tmp_path), section="Lead scoring")
    app.button(key="score_run_leads").click().run()
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["Method"] == "Logistic regression"
    assert 0.6 < float(metrics["Holdout AUC"]) <= 1.0
    assert metrics["Scored"] == "4,000"
    assert _keyed(app, "download_button", "score_download").proto.label == "Download the scores (CSV)"
    calibration = _chart(app, "score_calibration_chart")
    assert _values(calibration["data"][0]["x"]) == [0, 1]  # the diagonal
    predicted = _values(calibration["data"][1]["x"])
    assert len(predicted) == 10  # one point per decile
    assert predicted == sorted(predicted)
    assert "raises the odds of converting" in _texts(app)
    weights = _table(app, "term", "feature", "group")
    app.slider(key="score_engagement_weight").set_value(2.0).run()
    assert not app.exception
    assert "The data changed since these weights were learned" not in "".join(w.value for w in app.warning)
    doubled = _table(app, "term", "feature", "group").set_index("term")
    engagement = weights[(weights["group"] == "engagement") & (weights["coefficient"] != 0)]
    assert not engagement.empty
    for term, weight in zip(engagement["term"], engagement["weight"], strict=True):
        assert doubled.at[term, "weight"] == pytest.approx(2 * weight)
    assert _metrics(app)["Holdout AUC"] == metrics["Holdout AUC"]  # re-weighting did not refit


def test_deals_only_workspace_renders_every_section(app: AppTest, tmp_path: Path) -> None:
    workspace = _workspace("Deals only", {"deals.csv": 600}, tmp_path)
    _open(app, workspace)
    _text, infos, metrics, charts = _visit(app)
    assert "No activities in the selection" in infos
    assert "No leads in this workspace" in infos
    assert "Data-quality score" in metrics
    assert "icp_win_rate_chart" in charts
    assert app.button(key="score_run_leads").disabled  # the scoring section is the last one visited
    app.button(key="score_run_deals").click().run()
    assert not app.exception
    assert "Scored" in _metrics(app)


def test_activities_only_workspace_renders_every_section_with_empty_states(app: AppTest, tmp_path: Path) -> None:
    workspace = _workspace("Activities only", {"activities.csv": 500}, tmp_path)
    _open(app, workspace)
    _text, infos, metrics, charts = _visit(app)
    assert "Comparing performers needs at least two reps with closed deals in the period." in infos
    assert "The tool stores the weighted open pipeline at each deals import" in infos
    assert "No closed deals in the selection" in infos
    assert "Import leads (or deals with won/lost outcomes) to score them" in infos
    assert "Data-quality score" in metrics
    assert not {"icp_win_rate_chart", "accuracy_chart"} & charts


def test_saved_plan_is_compared_with_bookings(app: AppTest, tmp_path: Path) -> None:
    workspace = _workspace("Plan check", {"deals.csv": 3000}, tmp_path)
    engine = get_engine(os.environ["DATABASE_URL"])
    with engine.begin() as conn:
        _open(app, workspace, section="Forecast vs actual")
        assert "Save a demand plan in step 2" in _texts(app)
        months = ["2024-03", "2024-04", "2024-05"]
        lines = pd.DataFrame({"kind": "demand", "metric": "revenue", "segment": "", "period": months,
                              "value": [100_000.0] * 3, "lower": None, "upper": None})  # fmt: skip
        save_draft(conn, workspace, "Spring plan", {}, lines)
        ws.bump_version(conn, workspace)
    engine.dispose()
    app.run()
    assert not app.exception
    assert "Plan v1 “Spring plan” covers 2024-03 to 2024-05." in _texts(app)
    chart = _chart(app, "plan_vs_actual_chart")
    assert [str(x) for x in chart["data"][0]["x"]] == months
    table = _table(app, "period", "plan", "actual", "variance")
    assert (table["variance"] == table["actual"] - table["plan"]).all()
