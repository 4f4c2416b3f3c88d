"""Step 2 statistical forecast: the backtested model with its interval, evidence and the segment breakdown.

The fit is cached per (workspace, data version, filters, metric, horizon, level, breakdown); assumption sliders only
re-apply :func:`salesops.forecast.apply_assumptions` to the cached frames, so they re-render without refitting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesops import formatting as fmt
from salesops.asof import resolve_as_of
from salesops.demand.calendar import complete_history
from salesops.filters import Filters
from salesops.forecast import HierarchyResult, apply_assumptions, forecast_hierarchy, monthly_series
from salesops.ui import charts
from salesops.ui.common import compact_money, csv_download, data_version, engine, t, workspace_id
from salesops.ui.demand_controls import DemandSettings


@dataclass(frozen=True)
class DemandForecast:
    """What the rest of the page builds on: history, the cached fit, and the forecast after the assumptions."""

    settings: DemandSettings
    filters: Filters
    history: pd.Series  # the metric per month, actuals up to the last complete month
    history_note: str  # why a part month was left out, or ""
    fit: HierarchyResult
    adjusted: pd.DataFrame  # total forecast after assumptions: period index; mean, lower, upper, seasonal_factor
    breakdown: pd.DataFrame  # period x group, adjusted means split by the reconciled shares (empty without by)


@st.cache_data(max_entries=64, show_spinner=False)
def history(
    workspace: int, version: int, filters: Filters, metric: str, by: str | None
) -> tuple[pd.Series | pd.DataFrame, str]:
    """Won revenue or deals per month (one column per group with ``by``) up to the last complete month of the as-of
        date (or of the filtered period), so a partly exported month does not drag the forecast down; plus the note
    saying so."""
    with engine().connect() as conn:
        series = monthly_series(conn, workspace, metric, filters, by)  # type: ignore[arg-type]
        last_day = resolve_as_of(conn, workspace, filters.as_of)
    if last_day is not None and filters.end is not None:
        last_day = min(last_day, filters.end)
    return complete_history(series, last_day)


@st.cache_data(max_entries=64, show_spinner=False)
def fitted(
    workspace: int, version: int, filters: Filters, *, metric: str, horizon: int, level: int, by: str | None
) -> HierarchyResult:
    """The backtested total forecast and, with ``by``, the reconciled group forecasts (the slow part, cached)."""
    total = history(workspace, version, filters, metric, None)[0]
    groups = history(workspace, version, filters, metric, by)[0] if by else pd.DataFrame()
    return forecast_hierarchy(total, {str(c): groups[c] for c in groups.columns}, horizon, level)


def default_target(filters: Filters) -> float:
    """A starting revenue target: the last 12 months' won revenue plus 10 %, rounded to $100k."""
    revenue = history(workspace_id(), data_version(), filters, "revenue", None)[0]
    return float(round(revenue.iloc[-12:].sum() * 1.1, -5)) if len(revenue) else 0.0


def split_by_shares(total: pd.DataFrame, groups: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The adjusted total mean split every month by the groups' reconciled mean shares (equal shares where all are
    zero), so the groups add up to the total whatever scenario or seasonality setting is applied."""
    if not groups:
        return pd.DataFrame(index=total.index)
    means = pd.DataFrame({name: frame["mean"] for name, frame in groups.items()}, index=total.index)
    sums = means.sum(axis=1)
    shares = means.div(sums.where(sums > 0), axis=0).fillna(1 / len(groups))
    return shares.mul(total["mean"], axis=0)


def _amount(value: float, metric: str) -> str:
    return compact_money(value) if metric == "revenue" else t("{n} deals", n=f"{value:,.0f}")


def compute(filters: Filters, settings: DemandSettings) -> DemandForecast | None:
    """Fit (cached, with a spinner the first time) and apply the assumptions; None when there are no won deals."""
    ws, version = workspace_id(), data_version()
    hist, note = history(ws, version, filters, settings.metric, None)
    if not len(hist) or not hist.any():
        return None
    progress = t(
        "Fitting the forecast models: backtesting seasonal naive, drift, ETS, Theta and SARIMA on {n} months…",
        n=len(hist),
    )
    with st.spinner(progress, show_time=True):  # only visible on a cache miss, a few seconds the first time
        fit = fitted(
            ws, version, filters, metric=settings.metric, horizon=settings.horizon, level=settings.level, by=settings.by
        )
    adjusted = apply_assumptions(fit.total.forecast, settings.assumptions, metric=settings.metric)
    groups = {name: r.forecast for name, r in fit.segments.items()}
    return DemandForecast(settings, filters, hist, note, fit, adjusted, split_by_shares(adjusted, groups))


def render(filters: Filters, settings: DemandSettings) -> DemandForecast | None:
    """Draw the statistical forecast with its method, backtest, baseline and caveats; return it for the page."""
    outcome = compute(filters, settings)
    if outcome is None:
        st.info(
            t(
                "No won deals in the selected data, so there is nothing to forecast yet. Import a deals export with "
                "won deals on page 1, or widen the filters in the sidebar."
            )
        )
        return None
    result, h = outcome.fit.total, settings.horizon
    for warning in result.warnings:
        st.warning(t(warning))
    if outcome.history_note:
        st.info(t(outcome.history_note))
    _totals(outcome)
    charts.show(_forecast_figure(outcome), "demand_forecast_chart")
    csv_download(
        lambda: forecast_table(outcome), t("Download forecast data (CSV)"), "demand_forecast.csv", "demand_dl_fc"
    )
    st.markdown(t("**Chosen model:** {model}  \n**Why:** {note}", model=result.model, note=t(result.method_note)))
    st.caption(
        t(
            "Shaded band: {level} % prediction interval of the statistical model, scaled by the assumptions. "
            "Dotted line: the statistical forecast before assumptions. History runs to {month}, the last complete "
            "month of data.",
            level=result.level,
            month=outcome.history.index[-1].strftime("%b %Y"),
        )
    )
    with st.expander(t("Evidence: backtest and the baseline it had to beat"), expanded=True):
        if result.backtest.empty:
            st.info(t("No backtest yet: {h} months ahead needs at least 12 months of history.", h=h))
            return outcome
        left, right = st.columns(2)
        with left:
            st.markdown(t("**Backtest:** {model} forecasting months it had not seen", model=result.model))
            charts.show(_backtest_figure(outcome), "demand_backtest_chart")
            csv_download(result.backtest_path, t("Download backtest (CSV)"), "demand_backtest.csv", "demand_dl_bt")
        with right:
            st.dataframe(_candidates(outcome), hide_index=True, width="stretch")
            st.caption(
                t(
                    "MASE: mean absolute error divided by the seasonal-naive error in-sample (below 1 beats "
                    "last year's same month); MAPE: mean absolute % error. Baseline (seasonal naive): MASE {mase}, "
                    "MAPE {mape} %.",
                    mase=f"{result.baseline['mase']:.2f}",
                    mape=f"{result.baseline['mape']:.0f}",
                )
            )
            csv_download(result.backtest, t("Download model comparison (CSV)"), "demand_models.csv", "demand_dl_m")
    return outcome


def _totals(outcome: DemandForecast) -> None:
    """Forecast total, its range, last period's actuals and the gap to target as metric tiles."""
    s, frame = outcome.settings, outcome.adjusted
    total = float(frame["mean"].sum())
    previous = float(outcome.history.iloc[-s.horizon :].sum())
    cols = st.columns(5)
    growth = f"{(total / previous - 1) * 100:+.0f} %" if previous > 0 else None
    cols[0].metric(
        t("Forecast total, next {h} months", h=s.horizon),
        _amount(total, s.metric),
        delta=t("{pct} vs last {h} months", pct=growth, h=s.horizon) if growth else None,
    )
    bounds = t("Sum of the monthly {level} % bounds (a conservative range for the total).", level=s.level)
    cols[1].metric(t("Low ({level} %)", level=s.level), _amount(float(frame["lower"].sum()), s.metric), help=bounds)
    cols[2].metric(t("High ({level} %)", level=s.level), _amount(float(frame["upper"].sum()), s.metric), help=bounds)
    cols[3].metric(t("Actual, last {h} months", h=s.horizon), _amount(previous, s.metric))
    if s.metric == "revenue" and s.target > 0:
        gap = total - s.target
        cols[4].metric(
            t("Target, {h} months", h=s.horizon),
            fmt.percent(total / s.target),
            delta=t("{gap} {word}", gap=compact_money(abs(gap)), word=t("above") if gap >= 0 else t("short")),
            delta_color="normal" if gap >= 0 else "inverse",
            help=t(
                "Forecast total against the target for the same {h} months: {target} (the 12-month target "
                "{yearly} scaled to the horizon).",
                h=s.horizon,
                target=fmt.money(s.target),
                yearly=fmt.money(s.target * 12 / s.horizon),
            ),
        )
    else:
        cols[4].metric(t("Target"), fmt.MISSING, help=t("Set a revenue target and forecast revenue to compare."))


def forecast_table(outcome: DemandForecast) -> pd.DataFrame:
    """History and forecast in one long table: actuals, the statistical forecast and the adjusted one with bounds."""
    hist = outcome.history.rename("actual").to_frame()
    stat = outcome.fit.total.forecast["mean"].rename("statistical")
    fc = outcome.adjusted[["mean", "lower", "upper"]].rename(columns={"mean": "forecast"})
    table = pd.concat([hist, fc.join(stat)], axis=0)
    table.index.name = "period"
    return table.reset_index()


def _forecast_figure(outcome: DemandForecast) -> go.Figure:
    hist, fc, stat = outcome.history, outcome.adjusted, outcome.fit.total.forecast
    fig = go.Figure()
    fig.add_scatter(x=fc.index, y=fc["upper"], mode="lines", line={"width": 0}, name=t("Upper"), showlegend=False)
    fig.add_scatter(
        x=fc.index,
        y=fc["lower"],
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor=charts.COLORS["interval"],
        name=t("{level} % interval", level=outcome.settings.level),
    )
    fig.add_scatter(
        x=hist.index, y=hist.to_numpy(), mode="lines+markers", name=t("Actual"), line_color=charts.COLORS["actual"]
    )
    fig.add_scatter(
        x=stat.index,
        y=stat["mean"],
        mode="lines",
        line={"dash": "dot", "color": charts.COLORS["others"]},
        name=t("Statistical"),
    )
    fig.add_scatter(
        x=fc.index, y=fc["mean"], mode="lines+markers", name=t("Forecast"), line_color=charts.COLORS["forecast"]
    )
    revenue = outcome.settings.metric == "revenue"
    fig.update_layout(title=t("Won revenue per month") if revenue else t("Won deals per month"), hovermode="x unified")
    fig.update_traces(hovertemplate="%{y" + (charts.MONEY_HOVER if revenue else charts.COUNT_HOVER) + "}")
    if revenue:
        charts.money_axis(fig, "y")
    charts.month_axis(fig, "x")
    return fig


def _backtest_figure(outcome: DemandForecast) -> go.Figure:
    path = outcome.fit.total.backtest_path
    start = path["period"].min() - pd.DateOffset(months=12)
    hist = outcome.history[outcome.history.index >= start]
    fig = go.Figure()
    fig.add_scatter(
        x=hist.index, y=hist.to_numpy(), mode="lines+markers", name=t("Actual"), line_color=charts.COLORS["actual"]
    )
    for origin, rows in path.groupby("origin"):
        fig.add_scatter(
            x=rows["period"],
            y=rows["predicted"],
            mode="lines",
            line={"dash": "dash"},
            name=t("From {month}", month=pd.Timestamp(origin).strftime("%b %Y")),
        )
    if outcome.settings.metric == "revenue":
        charts.money_axis(fig, "y")
    charts.month_axis(fig, "x")
    return fig


def _candidates(outcome: DemandForecast):  # type: ignore[no-untyped-def]
    """The model comparison, chosen model and baseline labelled, the baseline row highlighted."""
    result = outcome.fit.total
    table = result.backtest[["model", "mase", "mape"]].copy()
    table["role"] = np.where(
        table["model"] == result.model, t("chosen"), np.where(table["model"] == "Seasonal naive", t("baseline"), "")
    )
    table = table.rename(columns={"model": t("Model"), "mase": "MASE", "mape": t("MAPE (%)"), "role": t("Role")})

    role, baseline = t("Role"), t("baseline")

    def highlight(row: pd.Series) -> list[str]:
        colour = "background-color: rgba(255, 200, 0, 0.25)" if row[role] == baseline else ""
        return [colour] * len(row)

    return table.style.apply(highlight, axis=1).format({"MASE": "{:.2f}", t("MAPE (%)"): "{:.0f}"})


def render_breakdown(outcome: DemandForecast) -> None:
    """Reconciled group forecasts as stacked bars over the history, with the reconciliation sentence."""
    s = outcome.settings
    if s.by is None:
        st.info(t("Choose a breakdown (segment, product or region) under Assumptions to split the forecast."))
        return
    split = outcome.breakdown
    if split.empty or split.shape[1] == 0:
        st.info(t("No {by} values on the won deals in this selection.", by=t(s.by)))
        return
    ws, version = workspace_id(), data_version()
    past = history(ws, version, outcome.filters, s.metric, s.by)[0]
    past = past[past.index >= past.index[-1] - pd.DateOffset(months=23)] if len(past) else past
    long = pd.concat(
        [
            past.rename_axis("period")
            .reset_index()
            .melt("period", var_name="group", value_name="value")
            .assign(kind=t("actual")),
            split.rename_axis("period")
            .reset_index()
            .melt("period", var_name="group", value_name="value")
            .assign(kind=t("forecast")),
        ],
        ignore_index=True,
    )
    fig = go.Figure()
    for group, rows in long.groupby("group", sort=True):
        fig.add_bar(x=rows["period"], y=rows["value"], name=str(group))
    fig.add_vline(x=split.index[0] - pd.DateOffset(days=15), line_dash="dot")
    fig.update_layout(barmode="stack", title=t("By {by}: last 24 months, then the forecast", by=t(s.by)))
    if s.metric == "revenue":
        charts.money_axis(fig, "y")
    charts.month_axis(fig, "x")
    charts.show(fig, "demand_breakdown_chart")
    st.caption(
        outcome.fit.reconciliation
        + " "
        + t("Assumptions are applied to the total and split by the same shares, so the groups still add up.")
    )
    totals = split.sum().rename("forecast").to_frame()
    totals["share"] = (totals["forecast"] / totals["forecast"].sum() * 100).round(0)
    totals.loc[t("Total")] = [float(outcome.adjusted["mean"].sum()), 100.0]
    shown = totals.rename_axis(t(s.by.capitalize())).reset_index()
    amount = "$%,.0f" if s.metric == "revenue" else "%,.0f"
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "forecast": st.column_config.NumberColumn(t("Forecast"), format=amount),
            "share": st.column_config.NumberColumn(t("Share"), format="%.0f %%"),
        },
    )
    csv_download(long, t("Download breakdown (CSV)"), "demand_breakdown.csv", "demand_dl_by")
