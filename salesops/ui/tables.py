"""Tables as people read them: headers in words and values formatted by the one label table.

``show_table(frame, key)`` draws ``frame`` with ``st.dataframe``: every column headed by
``formatting.column_label`` and formatted by its ``formatting.column_kind`` (money "$1,234", percent, counts with
separators). ``column_config(frame)`` gives that configuration alone, to merge with your own overrides.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from salesops import formatting as fmt
from salesops.ui.common import language, t

_NUMBER_FORMATS: dict[str, str] = {"money": "$%,.0f", "percent": "percent", "count": "%,.0f", "number": "%,.2f"}


def _column(name: str, label: str) -> Any:
    """The column config of one column from the kind its name has in the label table."""
    kind = fmt.column_kind(name)
    if kind in _NUMBER_FORMATS:
        return st.column_config.NumberColumn(label, format=_NUMBER_FORMATS[kind])
    if kind == "days":
        return st.column_config.NumberColumn(label, format="%,.0f " + t("days"))
    return st.column_config.Column(label)


def column_config(frame: pd.DataFrame) -> dict[str, Any]:
    """Headers in words and value formats for every column of ``frame`` (keys are the raw column names)."""
    lang = language()
    return {str(name): _column(str(name), fmt.column_label(str(name), lang)) for name in frame.columns}


def show_table(frame: pd.DataFrame, key: str | None = None, **overrides: Any) -> None:
    """``frame`` as a full-width table without its index, headers in words; ``overrides`` go to st.dataframe."""
    config = column_config(frame) | overrides.pop("column_config", {})
    st.dataframe(frame, hide_index=True, width="stretch", key=key, column_config=config, **overrides)
