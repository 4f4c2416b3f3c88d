"""Placeholder while this section is being built (replaced in this release)."""

import streamlit as st

from salesops.filters import Filters
from salesops.ui.common import t


def render(filters: Filters | None = None) -> None:
    """Draw the section."""
    st.info(t("This section is being built."))
