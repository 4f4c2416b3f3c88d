"""AppTest: creating a workspace in the sidebar switches the session to it (issue 7, point 2)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from salesops.ui.common import WORKSPACE_KEY


def test_new_workspace_becomes_the_current_one(app: AppTest) -> None:
    app.run()
    demo = app.session_state[WORKSPACE_KEY]
    app.text_input(key="app_new_workspace_name").input("Switch target")
    app.button(key="app_new_workspace_create").click().run()
    assert not app.exception
    created = app.session_state[WORKSPACE_KEY]
    assert created != demo
    assert app.session_state["app_workspace_select"] == created  # the picker moved too, so it cannot switch back
    assert any("Workspace: Switch target" in h.value for h in app.subheader)
    app.run()  # the next interaction keeps it (the picker must not switch back to the previous workspace)
    assert app.session_state[WORKSPACE_KEY] == created
    assert any("Workspace: Switch target" in h.value for h in app.subheader)
