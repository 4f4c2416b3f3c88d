"""Inputs that read like the figures they hold.

``money_input(label, key, default)`` is a text box showing an amount as money ("$13,300,000") that accepts what
people type ("13.3M", "250k", "$1,500,000"); the number lives in ``st.session_state[key]`` (a plain key, so it
survives page switches), the text in ``key + "_text"``.
"""

from __future__ import annotations

import streamlit as st

from salesops import formatting as fmt
from salesops.ui.common import t


def money_input(label: str, key: str, default: float = 0.0, *, help: str | None = None) -> float:
    """An amount typed as text and shown back as money; something that is not an amount keeps the last one."""
    text_key = f"{key}_text"
    st.session_state.setdefault(key, float(default))
    if text_key not in st.session_state:
        st.session_state[text_key] = fmt.money(st.session_state[key])

    def parse() -> None:
        value = fmt.parse_money(str(st.session_state[text_key]))
        if value is None or value < 0:
            st.toast(t("Type an amount such as 1,500,000, $1.5M or 250k."))
        else:
            st.session_state[key] = value
        st.session_state[text_key] = fmt.money(st.session_state[key])

    st.text_input(label, key=text_key, on_change=parse, help=help)
    return float(st.session_state[key])
