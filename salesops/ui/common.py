"""Process-wide resources and per-session context: the engine, the current workspace, translated text."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from salesops import demo
from salesops.export.safe import csv_bytes, markdown_escape
from salesops.formatting import money_compact
from salesops.i18n import DEFAULT_LANGUAGE, Wording, offered_languages, translate
from salesops.store import get_engine
from salesops.store import workspaces as ws
from salesops.store.transactions import run_write

WORKSPACE_KEY = "app_workspace_id"
WAN_KEY = "app_wan_units"
LANGUAGE_KEY = "app_language"
_SEEDED_KEY = "app_demo_checked"


def language() -> str:
    """The session's language code (what domain functions that word sentences take as ``lang``)."""
    return str(st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE))


def t(text: str, **values: Any) -> str:
    """User-facing text in the session's language (a domain's Wording is rendered again from its message)."""
    if isinstance(text, Wording) and not values:
        return text.in_language(language())
    return translate(text, language(), **values)


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """One engine per process, migrated (``seed_demo`` fills the Demo workspace on first start)."""
    return get_engine()


@st.cache_resource(show_spinner=False)
def _seed_lock() -> threading.Lock:
    """One lock per process, so two first visitors do not import the sample twice."""
    return threading.Lock()


def seed_demo() -> None:
    """On a new store, import the sample data into the Demo workspace with a progress bar naming each file."""
    if st.session_state.get(_SEEDED_KEY):
        return
    with _seed_lock():
        if demo.needs_demo(engine()):
            with st.status(t("Importing the sample data into the Demo workspace…"), expanded=True) as status:
                bar = st.progress(0.0)

                def show(share: float, name: str) -> None:
                    bar.progress(share, text=t("Loading {file}…", file=name))

                demo.ensure_demo(engine(), show)
                status.update(label=t("Sample data imported."), state="complete", expanded=False)
    st.session_state[_SEEDED_KEY] = True


def workspace_id() -> int:
    """The workspace this session looks at (the Demo one until the user picks another)."""
    current = st.session_state.get(WORKSPACE_KEY)
    if current is None:
        with engine().connect() as conn:
            current = ws.find(conn, demo.DEMO_WORKSPACE) or next(iter(ws.names(conn)), None)
        st.session_state[WORKSPACE_KEY] = current
    return int(current) if current is not None else 0


def data_version() -> int:
    """The current workspace's data version, the key every cached query carries."""
    with engine().connect() as conn:
        return ws.data_version(conn, workspace_id())


def _create_workspace() -> None:
    """Create (or find) the typed workspace and switch to it; a callback, so it runs before the picker is drawn
    and can move the picker too (else the picker's old value would switch straight back)."""
    name = str(st.session_state.get("app_new_workspace_name", "")).strip()
    if not name:
        return
    created = run_write(engine(), lambda conn: ws.get_or_create(conn, name))
    st.session_state[WORKSPACE_KEY] = created
    st.session_state["app_workspace_select"] = created


def workspace_sidebar() -> None:
    """Workspace picker, creation and language choice, shown on every page."""
    with engine().connect() as conn:
        names = ws.names(conn)
    current = workspace_id()
    with st.sidebar:
        if names:
            ids = list(names)
            chosen = st.selectbox(
                t("Workspace"),
                ids,
                index=ids.index(current) if current in ids else 0,
                format_func=lambda i: names[i],
                key="app_workspace_select",
            )
            if chosen != current:
                st.session_state[WORKSPACE_KEY] = chosen
                st.rerun()
        with st.popover(t("New workspace")):
            st.text_input(t("Name"), key="app_new_workspace_name")
            st.button(t("Create"), key="app_new_workspace_create", on_click=_create_workspace)
        _language_choice()


def compact_money(value: float | None, currency: str = "USD") -> str:
    """A tile amount in the reader's units: k/M/B, or 萬/億 when a zh-TW reader chose them in the sidebar."""
    wan = language() == "zh-TW" and bool(st.session_state.get(WAN_KEY))
    return money_compact(value, currency, wan=wan)


def _language_choice() -> None:
    """The language picker, listing only languages with a complete catalog (none to pick: no picker)."""
    offered = offered_languages()
    if st.session_state.get(LANGUAGE_KEY) not in offered:
        st.session_state[LANGUAGE_KEY] = DEFAULT_LANGUAGE
    if len(offered) > 1:
        st.selectbox(t("Language"), list(offered), format_func=offered.__getitem__, key=LANGUAGE_KEY)
    if language() == "zh-TW":
        st.toggle(t("Amounts in 萬 and 億"), key=WAN_KEY, help=t("Tiles show 1,330萬 instead of 13.3M."))


def csv_download(data: pd.DataFrame | Callable[[], pd.DataFrame], label: str, file_name: str, key: str) -> None:
    """A CSV download of a chart's or table's data (a frame, or a function giving it); bytes are built on click."""

    def build() -> bytes:
        return csv_bytes(data() if callable(data) else data)

    st.download_button(label, data=build, file_name=file_name, mime="text/csv", on_click="ignore", key=key)


def plain(text: object) -> str:
    """``text`` (a CRM value, a file name) escaped so Markdown shows it literally: no links, images or markup."""
    return markdown_escape(text)
