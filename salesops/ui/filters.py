"""The filter sidebar shared by every page: period, rep, team, region, segment, source, product.

Choices live in non-widget session keys (``filters_*``) so they survive a page switch; widgets are seeded from them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from salesops.asof import default_as_of, default_period
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


@st.cache_data(max_entries=32, show_spinner=False)
def cached_default_as_of(workspace: int, version: int, today: date) -> date | None:
    """The default as-of date of a workspace at a data version (:func:`salesops.asof.default_as_of`)."""
    with engine().connect() as conn:
        return default_as_of(conn, workspace, today)


def _reset_period() -> None:
    """A new as-of date moves the default period with it: the period widgets and the saved period start over."""
    for key in [k for k in st.session_state if str(k).startswith("filters_period_")]:
        del st.session_state[key]
    _save(replace(current_filters(), start=None, end=None))


def _as_of_input(ws: int, saved: date | None, default: date | None) -> date | None:
    """The as-of date widget; returns the user's date, or None while it shows the default (which follows new data)."""
    if default is None:
        return None
    chosen = st.date_input(
        t("As-of date"),
        value=saved or default,
        key=f"filters_as_of_{ws}",
        on_change=_reset_period,
        help=t(
            "The day the data describe: history ends at its last complete month. Default {day}: the newest date "
            "the records show happened (created, won, or lost or active within a month of those), not after today.",
            day=default.isoformat(),
        ),
    )
    return chosen if isinstance(chosen, date) and chosen != default else None


def _period_default(low: date, as_of: date | None, all_history: bool) -> tuple[date, date] | None:
    """The page's default period: the last 12 complete months to the as-of date (all history to it on a page that
    forecasts); None without an as-of date."""
    if as_of is None:
        return None
    start, end = default_period(as_of)
    return (low, end) if all_history else (max(start, low), end)


def filter_sidebar(*, all_history: bool = False) -> Filters:
    """Draw the as-of date and the filters in the sidebar and return what they select.

    The default period is the last 12 complete months up to the as-of date, or, with ``all_history`` (a forecast
    page), every month up to it; the returned filters carry the resolved as-of date and period.
    """
    ws = workspace_id()
    version = data_version()
    options = cached_options(ws, version)
    current = current_filters()
    with st.sidebar:
        st.subheader(t("Filters"))
        default = cached_default_as_of(ws, version, date.today())
        chosen_as_of = _as_of_input(ws, current.as_of, default)
        as_of = chosen_as_of or default
        if options.first_close is None or options.last_close is None:
            st.caption(t("Filters appear once deals are imported."))
            return replace(current, as_of=as_of)
        low, high = options.first_close, max(options.last_close, as_of or options.last_close)
        fallback = _period_default(low, as_of, all_history) or (low, high)
        high = max(high, fallback[1])  # a complete as-of month may end after the last close date
        start = current.start if current.start and low <= current.start <= high else fallback[0]
        end = current.end if current.end and low <= current.end <= high else fallback[1]
        period = st.date_input(
            t("Period (close date)"),
            value=(start, end),
            min_value=low,
            max_value=high,
            key=f"filters_period_all_{ws}" if all_history else f"filters_period_{ws}",
            help=t("Default: all months up to the as-of date's last complete month.")
            if all_history
            else t("Default: the last 12 complete months up to the as-of date."),
        )
        chosen = _choices(options, current)
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
        as_of=chosen_as_of,
        **chosen,
    )
    if (filters.start, filters.end) == fallback:
        filters = replace(filters, start=None, end=None)  # the default period follows new data and the as-of date
    _save(filters)
    if filters.start is None and filters.end is None and not all_history:
        filters = replace(filters, start=fallback[0], end=fallback[1])
    return replace(filters, as_of=as_of)


def _choices(options: FilterOptions, current: Filters) -> dict[str, tuple[str, ...]]:
    """The multiselect filters (rep … product) that have values, seeded from the saved choices."""
    ws = workspace_id()
    chosen: dict[str, tuple[str, ...]] = {}
    for field, label in _FIELDS.items():
        values = getattr(options, field)
        if not values:
            continue
        selected = [v for v in getattr(current, field) if v in values]
        chosen[field] = tuple(
            st.multiselect(t(label), values, default=selected, key=f"filters_{field}_{ws}", placeholder=t("All"))
        )
    return chosen
