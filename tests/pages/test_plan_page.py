"""AppTest of page 4 (alignment & plan) on a workspace of the sample data with a plan saved as steps 2 and 3 do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from salesops.demo import SAMPLE_DIR, SAMPLE_FILES
from salesops.ingest.pipeline import ingest_paths
from salesops.plan import save_draft
from salesops.store import get_engine
from salesops.store import workspaces as ws
from tests.plan_fixtures import contract_plan

PAGE = "pages/4_alignment.py"
WORKSPACE = "Plan page"


@pytest.fixture(scope="module")
def plan_workspace(demo_store: str) -> Iterator[int]:
    """The sample data in a workspace of its own, with a draft holding demand (step 2) and supply (step 3)."""
    engine = get_engine(demo_store)
    with engine.connect() as conn:
        found = ws.find(conn, WORKSPACE)
    if found is None:
        ingest_paths(engine, WORKSPACE, [SAMPLE_DIR / name for name in SAMPLE_FILES])
    with engine.begin() as conn:
        workspace = ws.find(conn, WORKSPACE)
        assert workspace is not None
        save_draft(conn, workspace, *contract_plan())
    yield workspace
    engine.dispose()


def _open(app: AppTest, workspace: int) -> AppTest:
    app.session_state["app_workspace_id"] = workspace
    app.run()
    app.switch_page(PAGE).run()
    assert not app.exception, app.exception
    return app


def test_page_shows_plan_total_recommendations_and_team(app: AppTest, plan_workspace: int) -> None:
    _open(app, plan_workspace)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Plan total (demand)"] == "$6,150,000"
    text = "\n".join(m.value for m in app.markdown)
    for heading in ("Technology", "Sales process", "Hiring, onboarding, training and compensation", "Communication"):
        assert f"#### {heading}" in text
