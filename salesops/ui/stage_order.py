"""The stage-order part of the mapping editor: the open stages of a deals file in their inferred order, reorderable."""

from __future__ import annotations

import zlib

import pandas as pd
import streamlit as st

from salesops.ingest.validate import Validated
from salesops.kpi.stages import save_order, stage_order, stats_from_values
from salesops.ui.common import engine, t, workspace_id


def stage_order_editor(validated: Validated, key: str) -> None:
    """Show the file's open stages in the order the funnel will use; the user renumbers them and saves the order."""
    records = validated.records
    if "stage" not in records.columns or "status" not in records.columns:
        return
    open_deals = records[records["status"] == "open"]
    probabilities = open_deals["probability"] if "probability" in open_deals.columns else None
    stats = stats_from_values(open_deals["stage"].tolist(), None if probabilities is None else probabilities.tolist())
    if len(stats) < 2:
        return
    with engine().connect() as conn:
        order = stage_order(conn, workspace_id(), stats)
    st.caption(t("Stage order of the open stages (the funnel and 'reached stage' follow it); renumber to reorder."))
    frame = pd.DataFrame({t("Stage"): order, t("Position"): range(1, len(order) + 1)})
    edited = st.data_editor(
        frame,
        key=f"{key}_stage_order_{zlib.crc32(repr(order).encode())}",  # a new order starts a fresh editor
        hide_index=True,
        width="content",
        disabled=[t("Stage")],
        column_config={t("Position"): st.column_config.NumberColumn(min_value=1, step=1, required=True)},
    )
    chosen = edited.sort_values([t("Position")], kind="stable")[t("Stage")].tolist()
    if st.button(t("Save this stage order"), key=f"{key}_stage_order_save", disabled=chosen == order):
        with engine().begin() as conn:
            save_order(conn, workspace_id(), chosen)
        st.cache_data.clear()
        st.success(t("Stage order saved for this workspace."))
