"""AppTest of the home page and the upload page on the sample (Demo) workspace."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import SAMPLE


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def test_home_shows_demo_counts_and_next_step(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert app.title[0].value == "Sales Ops Planner"
    assert any("Workspace: Demo" in h.value for h in app.subheader)
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Deals"].replace(",", "")) > 5000
    assert int(metrics["Activities"].replace(",", "")) > 50000
    assert "Last import" in _texts(app)
    assert app.info, "the next step is shown"


def test_upload_page_detects_maps_previews_and_loads(app: AppTest) -> None:
    app.run()
    app.switch_page("pages/1_data_collection.py").run()
    app.radio(key="data_section").set_value("Import").run()
    assert not app.exception
    assert "Drop one or more exports here" in _texts(app)
    csv = (SAMPLE / "reps.csv").read_bytes()
    edited = csv.replace(b"\n", b"\n", 1)  # the same export: a re-import must change nothing
    app.get("file_uploader")[0].upload("reps.csv", edited, "text/csv").run()  # type: ignore[attr-defined]
    assert not app.exception
    expander_labels = [e.label for e in app.expander]
    assert any("reps.csv — Generic export, reps" in label for label in expander_labels)
    assert {m.label: m.value for m in app.metric}["Ready to load"] == "24"
    app.button(key="data_load").click().run()
    assert not app.exception
    assert any("Import finished." in s.value for s in app.success)
    assert "0 loaded, 0 updated, 24 unchanged, 0 rejected of 24 rows read" in _texts(app)


def test_import_history_lists_demo_batches(app: AppTest) -> None:
    app.run()
    app.switch_page("pages/1_data_collection.py").run()
    app.radio(key="data_section").set_value("Import history").run()
    assert not app.exception
    history = app.dataframe[-1].value
    assert {"deals", "activities", "leads", "accounts", "reps"} <= set(history["entity"])
    assert app.button(key="data_undo") is not None


def test_workbook_sheet_can_be_chosen(app: AppTest) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "Read me"
    notes.append(["This workbook holds the Q3 export"])
    deals = book.create_sheet("Deals")
    deals.append(["Deal ID", "Deal Name", "Owner", "Stage", "Amount", "Close Date"])
    deals.append(["X-1", "Big one", "Ann Lee", "Closed Won", 1200, "2024-03-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    app.run()
    app.switch_page("pages/1_data_collection.py").run()
    app.radio(key="data_section").set_value("Import").run()
    app.get("file_uploader")[0].upload("q3.xlsx", buffer.getvalue(), "application/octet-stream").run()  # type: ignore[attr-defined]
    assert not app.exception
    sheet = next(s for s in app.selectbox if s.label == "Sheet of q3.xlsx")
    sheet.set_value("Deals").run()
    assert not app.exception
    assert any(r"q3.xlsx\[Deals\] — Generic export, deals" in e.label for e in app.expander)  # name escaped


def test_deals_upload_shows_its_stages_in_pipeline_order(app: AppTest) -> None:
    csv = (
        b"Deal ID,Stage,Amount,Created Date\n"
        b"1,Negotiation/Review,10,2025-01-01\n2,Qualification,10,2025-01-01\n3,Prospect,5,2025-01-02\n"
        b"4,Needs Analysis,5,2025-01-02\n5,Closed Won,5,2025-01-02\n"
    )
    app.run()
    app.switch_page("pages/1_data_collection.py").run()
    app.radio(key="data_section").set_value("Import").run()
    app.get("file_uploader")[0].upload("stages.csv", csv, "text/csv").run()  # type: ignore[attr-defined]
    assert not app.exception
    editor = next(e for e in app.dataframe if "Position" in e.value.columns)
    assert list(editor.value["Stage"]) == ["Prospect", "Qualification", "Needs Analysis", "Negotiation/Review"]
    save = next(b for b in app.button if b.label == "Save this stage order")
    assert save.disabled  # nothing to save until the user renumbers a stage


def test_a_workspace_name_is_shown_as_text_on_home(app: AppTest, demo_store: str) -> None:
    """A workspace name with HTML, a Markdown link and a bare URL is shown escaped (no live link, no markup)."""
    from salesops.store import get_engine
    from salesops.store import workspaces as ws
    from salesops.store.transactions import run_write
    from salesops.ui.common import WORKSPACE_KEY

    engine = get_engine(demo_store)
    workspace_id = run_write(engine, lambda conn: ws.get_or_create(conn, "Team <b>x</b> [a](http://evil.example)"))
    engine.dispose()
    app.session_state[WORKSPACE_KEY] = workspace_id
    app.run()
    assert not app.exception
    headers = [h.value for h in app.subheader]
    assert "Workspace: Team \\<b\\>x\\</b\\> \\[a\\](h\u2060ttp\\://evil.example)" in headers, headers


def test_mapping_editor_proposes_columns_from_their_values(app: AppTest) -> None:
    csv = (
        b"Deal ID,Stage,Zorg,Signed\n"
        b"1,Closed Won,1200,2025-02-01\n2,Closed Lost,300,2025-02-03\n3,Proposal,45.5,\n4,Closed Won,80,2025-03-01\n"
    )
    app.run()
    app.switch_page("pages/1_data_collection.py").run()
    app.radio(key="data_section").set_value("Import").run()
    app.get("file_uploader")[0].upload("own.csv", csv, "text/csv").run()  # type: ignore[attr-defined]
    assert not app.exception
    captions = "\n".join(c.value for c in app.caption)
    assert "Mapped from its values: **Signed** → close_date (95%" in captions
    assert "Suggested from its values: **Zorg** → amount (55%" in captions
    mapping = next(d for d in app.dataframe if "Maps to" in d.value.columns).value.set_index("Column in file")
    assert mapping.loc["Signed", "Maps to"] == "close_date"
    assert mapping.loc["Zorg", "Maps to"] == ""  # a suggestion waits for the user


def test_stage_order_renumbered_in_the_editor_is_saved_for_the_workspace(app: AppTest) -> None:
    import os

    from salesops.kpi.stages import saved_order
    from salesops.store import get_engine
    from salesops.store import workspaces as ws

    engine = get_engine(os.environ["DATABASE_URL"])
    with engine.begin() as conn:
        workspace = ws.get_or_create(conn, "Stage order page")
    csv = b"Deal ID,Stage,Amount\n1,Qualification,10\n2,Proposal,20\n3,Negotiation,5\n4,Closed Won,5\n"
    app.session_state["app_workspace_id"] = workspace
    app.run()
    app.switch_page("pages/1_data_collection.py").run()
    app.radio(key="data_section").set_value("Import").run()
    app.get("file_uploader")[0].upload("stages.csv", csv, "text/csv").run()  # type: ignore[attr-defined]
    editor = next(e for e in app.data_editor if "Position" in e.value.columns)
    assert list(editor.value["Stage"]) == ["Qualification", "Proposal", "Negotiation"]
    # The user renumbers the stages: Negotiation first.
    renumbered = {0: {"Position": 2}, 1: {"Position": 3}, 2: {"Position": 1}}
    app.session_state[str(editor.key)] = {"edited_rows": renumbered, "added_rows": [], "deleted_rows": []}
    app.run()
    save = next(b for b in app.button if b.label == "Save this stage order")
    assert not save.disabled
    save.click().run()
    assert not app.exception
    assert any("Stage order saved" in s.value for s in app.success)
    with engine.connect() as conn:
        assert saved_order(conn, workspace) == ["Negotiation", "Qualification", "Proposal"]
    engine.dispose()


def test_presets_listed_and_saved_are_this_workspaces_and_replacing_says_so(app: AppTest) -> None:
    import os

    from salesops.ingest.presets import get_preset, save_preset
    from salesops.store import get_engine
    from salesops.store import workspaces as ws

    engine = get_engine(os.environ["DATABASE_URL"])
    with engine.begin() as conn:
        mine, other = ws.get_or_create(conn, "Presets page"), ws.get_or_create(conn, "Presets elsewhere")
        save_preset(conn, mine, "Weekly report", "deals", {"Deal ID": "id"})
        save_preset(conn, other, "Weekly report", "deals", {"Opp": "id"})
        save_preset(conn, other, "Only elsewhere", "deals", {"Opp": "id"})
    app.session_state["app_workspace_id"] = mine
    app.run()
    app.switch_page("pages/1_data_collection.py").run()
    app.radio(key="data_section").set_value("Import").run()
    csv = b"Deal ID,Stage,Amount\n1,Qualification,10\n2,Closed Won,20\n"
    app.get("file_uploader")[0].upload("weekly.csv", csv, "text/csv").run()  # type: ignore[attr-defined]
    choices = next(s for s in app.selectbox if s.label == "Apply a saved or built-in mapping").options
    assert "Weekly report" in choices
    assert "Only elsewhere" not in choices
    next(i for i in app.text_input if i.label == "Preset name").set_value("Weekly report").run()
    assert "already has a preset named Weekly report: saving replaces it" in _texts(app)
    next(b for b in app.button if b.label == "Save preset").click().run()
    assert not app.exception
    assert any("Replaced preset Weekly report of this workspace" in s.value for s in app.success)
    with engine.connect() as conn:
        assert get_preset(conn, other, "Weekly report") == ("deals", {"Opp": "id"})
        assert get_preset(conn, mine, "Weekly report") != ("deals", {"Deal ID": "id"})
    engine.dispose()
