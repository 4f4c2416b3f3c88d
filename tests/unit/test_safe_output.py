"""Safe output helpers (catalogue A3, G7, H1) and the places that must use them: terminal text, file names,
chart labels, the upload cap in the config and in code."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from hypothesis import given
from hypothesis import strategies as st

from salesops.cli import _print, json_text
from salesops.export.safe import escape_control, inert_figure, safe_filename
from salesops.ingest.readers import MAX_UPLOAD_MB, display_name

REPO = Path(__file__).resolve().parents[2]
TERMINAL_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")


def test_terminal_escapes_and_forged_lines_are_shown_escaped() -> None:
    forged = "deals.csv\x1b[2J\x07\r\nerror: all data deleted\u202egnp.exe"
    shown = escape_control(forged)
    assert not TERMINAL_CONTROL.search(shown)
    assert shown == "deals.csv\\x1b[2J\\x07\\x0d\\x0aerror: all data deleted\\u202egnp.exe"


@given(st.text())
def test_escape_control_leaves_no_control_character_and_keeps_plain_text(text: str) -> None:
    shown = escape_control(text)
    assert not TERMINAL_CONTROL.search(shown)
    if not TERMINAL_CONTROL.search(text) and text.isprintable():
        assert shown == text


def test_cli_plain_and_json_output_carry_no_live_control_characters(capsys) -> None:  # type: ignore[no-untyped-def]
    name = "Acme\x1b]8;;http://evil\x07click\x1b]8;;\x07\r\nforged line\u202e"
    _print([{"name": name, "deals": 3}], as_json=False)
    _print({"name": name}, as_json=False)
    plain = capsys.readouterr().out
    assert not TERMINAL_CONTROL.search(plain.replace("\n", ""))
    assert plain.count("\n") == 2  # one line per item: the CR/LF in the name did not forge a line
    assert not TERMINAL_CONTROL.search(json_text({"name": name}).replace("\n", ""))


@given(st.text())
def test_download_names_have_no_path_quotes_or_controls(name: str) -> None:
    safe = safe_filename(name)
    assert safe
    assert not re.search(r'[\\/:*?"<>|;\x00-\x1f\x7f]', safe)
    assert len(safe) <= 120
    assert not safe.startswith(".")


def test_uploaded_file_names_are_display_names_not_paths() -> None:
    assert display_name("..\\..\\evil/\x1b[31mred\r\n.csv") == "\\x1b[31mred\\x0d\\x0a.csv"
    assert display_name("C:\\Users\\ann\\deals.csv") == "deals.csv"
    assert len(display_name("a" * 5000 + ".csv")) == 200


def test_chart_labels_legends_and_hovers_show_crm_values_as_text() -> None:
    frame = pd.DataFrame(
        {
            "rep": ['<a href="http://evil.example">Ann</a>', "AT&T", "Bob"],
            "v": [1, 2, 3],
            "team": ["<b>x</b>", "y", "z"],
        }
    )
    fig = inert_figure(px.bar(frame, x="rep", y="v", color="team", category_orders={"rep": list(frame["rep"])}))
    labels = [str(v) for trace in fig.data for v in [*trace.x, trace.name]] + list(fig.layout.xaxis.categoryarray)
    hovers = [trace.hovertemplate for trace in fig.data]
    assert not any("<" in v for v in labels), labels
    assert not any("<a" in v for v in hovers), hovers  # plotly express writes the colour value into the template
    values = labels
    assert "AT&amp;T" in values
    numbers = go.Figure(go.Bar(x=[1.5, 2.5], y=[3, 4]))
    assert list(inert_figure(numbers).data[0].x) == [1.5, 2.5]  # numbers untouched


def test_every_chart_is_drawn_through_charts_show() -> None:
    """H1: one place draws plotly figures, and it makes their data labels inert."""
    sources = [REPO / "app.py", *(REPO / "pages").glob("*.py"), *(REPO / "salesops").rglob("*.py")]
    offenders = [
        str(p.relative_to(REPO))
        for p in sources
        if "st.plotly_chart(" in p.read_text(encoding="utf-8") and p.name != "charts.py"
    ]
    assert offenders == []


def test_upload_cap_in_code_equals_the_server_cap() -> None:
    """A1: the browser's cap (config.toml) and the cap the reader enforces before parsing are the same figure."""
    config = (REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    cap = re.search(r"maxUploadSize\s*=\s*(\d+)", config)
    assert cap is not None
    assert int(cap.group(1)) == MAX_UPLOAD_MB
