"""The filter sidebar shared by every page: period, rep, team, region, segment, source, product.

Choices live in non-widget session keys (``filters_*``) so they survive a page switch; widgets are seeded from them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from salesops.filters import Filters
from salesops.kpi.options import FilterOptions, filter_options
from salesops.ui.common import data_version, engine, t, workspace_id

_FIELDS = {
    "reps": "Rep",
    "teams": "Team",
    "regions": "Region",
    "segments": "Segment",
    "sources": "Lead source",
    "products": "Product",
}
_STORE = "filters_saved"  # {workspace_id: Filters}


@st.cache_data(max_entries=32, show_spinner=False)
def cached_options(workspace: int, version: int) -> FilterOptions:
    """Filter choices of a workspace at a data version."""
    with engine().connect() as conn:
        return filter_options(conn, workspace)


def current_filters() -> Filters:
    """The filters the user set for the current workspace (all data when none).

    When the deals are in several currencies, one currency is always chosen (the most used unless the user picked
    another), so no figure adds amounts in different currencies together.
    """
    saved: Filters = st.session_state.get(_STORE, {}).get(workspace_id(), Filters())
    currencies = cached_options(workspace_id(), data_version()).currencies
    if len(currencies) > 1 and saved.currency not in currencies:
        return replace(saved, currency=currencies[0])
    return saved if len(currencies) > 1 else replace(saved, currency=None)


def _save(filters: Filters) -> None:
    saved = dict(st.session_state.get(_STORE, {}))
    saved[workspace_id()] = filters
    st.session_state[_STORE] = saved


def filter_sidebar() -> Filters:
    """Draw the filters in the sidebar and return what they select."""
    ws = workspace_id()
    options = cached_options(ws, data_version())
    current = current_filters()
    with st.sidebar:
        st.subheader(t("Filters"))
        if options.first_close is None or options.last_close is None:
            st.caption(t("Filters appear once deals are imported."))
            return current
        low, high = options.first_close, options.last_close
        start = current.start if current.start and low <= current.start <= high else low
        end = current.end if current.end and low <= current.end <= high else high
        period = st.date_input(
            t("Period (close date)"), value=(start, end), min_value=low, max_value=high, key=f"filters_period_{ws}"
        )
        chosen: dict[str, tuple[str, ...]] = {}
        for field, label in _FIELDS.items():
            values = getattr(options, field)
            if not values:
                continue
            selected = [v for v in getattr(current, field) if v in values]
            chosen[field] = tuple(
                st.multiselect(t(label), values, default=selected, key=f"filters_{field}_{ws}", placeholder=t("All"))
            )
        if len(options.currencies) > 1:
            currency = st.selectbox(
                t("Currency"),
                options.currencies,
                index=options.currencies.index(current.currency) if current.currency in options.currencies else 0,
                key=f"filters_currency_{ws}",
                help=t("Deals are in several currencies: figures show one at a time and never add them together."),
            )
            st.caption(
                t(
                    "Deals are in {n} currencies; figures show {code} only (deals without a currency are left out).",
                    n=len(options.currencies),
                    code=currency,
                )
            )
            current = replace(current, currency=currency)
        if st.button(t("Clear filters"), key=f"filters_clear_{ws}"):
            for key in [k for k in st.session_state if str(k).startswith("filters_") and k != _STORE]:
                del st.session_state[key]
            _save(Filters())
            st.rerun()
    new_start, new_end = (*period, None)[:2] if isinstance(period, tuple) else (period, None)
    filters = replace(
        current,
        start=new_start if isinstance(new_start, date) else None,
        end=new_end if isinstance(new_end, date) else None,
        **chosen,
    )
    if filters.start == low and filters.end == high:
        filters = replace(filters, start=None, end=None)  # "all time" follows new data
    _save(filters)
    return filters
