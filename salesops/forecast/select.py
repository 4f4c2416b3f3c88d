"""Pick the forecast model for one series by rolling-origin backtest and return it in the one result type.

Full search (the total): seasonal naive (baseline), drift, ETS with its form chosen by AICc, Theta, SARIMA with its
order chosen by AICc, and the mean of the three best. Light search (each segment): seasonal naive, drift and
ETS(A,Ad,A) (ETS(A,Ad,N) without two cycles) over two origins. The ETS form is chosen by AICc afresh at every
backtest origin, so the whole procedure is tested; the SARIMA order is chosen once on the whole history and its
parameters re-estimated at every origin, warm-started from the full fit. Too little history falls back to drift or
the mean with wide intervals and says so in ``warnings``.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
from statsmodels.tsa.seasonal import seasonal_decompose

from salesops.forecast.backtest import Origins, Scored, actuals, backtest, plan_origins, score
from salesops.forecast.models import (
    ETS,
    AutoETS,
    Candidate,
    Drift,
    Fitted,
    Mean,
    Sarima,
    SeasonalNaive,
    Theta,
    best_by_aicc,
    empirical_bands,
    index_after,
    quiet,
    sarima_orders,
    seasonal_period,
)

LEVELS = (80, 90, 95)
FULL_ORIGINS = 4
LIGHT_ORIGINS = 2
COMBINATION_SIZE = 3
SPARSE_SHARE = 0.3  # above this share of zero months a series is called sparse
STATISTICAL = (ETS, AutoETS, Theta, Sarima)  # models with their own prediction intervals


@dataclass(frozen=True)
class ForecastResult:
    """A forecast with its evidence: what won and why, every candidate's backtest, the baseline, the caveats."""

    model: str  # winner's label, e.g. "ETS(A,Ad,M)"
    method_note: str  # plain-words why it won
    forecast: pd.DataFrame  # index "period" (DatetimeIndex with freq); mean, lower, upper, seasonal_factor
    level: int  # interval level in %, e.g. 90
    backtest: pd.DataFrame  # per candidate: model, mase, mape, origins (best first)
    baseline: dict[str, float]  # seasonal naive's {"mase": ..., "mape": ...}
    backtest_path: pd.DataFrame  # origin, period, actual, predicted: the winner's backtest, for the chart
    warnings: tuple[str, ...]  # e.g. "Only 8 months of history: using a drift model with wide intervals."


def prepare(y: pd.Series) -> tuple[pd.Series, list[str]]:
    """The series on a regular DatetimeIndex (missing periods and NaN filled with 0), leading zeros dropped.

    Raises ValueError when the index is not a DatetimeIndex or has no inferable frequency.
    """
    y = y.astype(float).sort_index()
    index = y.index
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError("The series needs a DatetimeIndex (monthly 'MS' or weekly 'W-MON').")
    notes: list[str] = []
    freq = index.freq or (pd.infer_freq(index) if len(y) >= 3 else None) or "MS"
    full = y.asfreq(freq) if len(y) else y
    missing = int(full.isna().sum())
    full = full.fillna(0.0)
    if missing:
        unit = "month" if seasonal_period(str(freq)) == 12 else "period"
        notes.append(f"{missing} missing {unit}{'s' if missing > 1 else ''} filled with 0 (no bookings).")
    nonzero = np.flatnonzero(full.to_numpy() != 0)
    if len(nonzero):
        full = full.iloc[nonzero[0] :]
    full = full.set_axis(pd.DatetimeIndex(full.index, freq=freq))
    return full, notes


def forecast_series(y: pd.Series, horizon: int, level: int = 90, *, full_search: bool = True) -> ForecastResult:
    """Forecast ``horizon`` periods of a non-negative series (revenue, deal count) with ``level`` % intervals.

    ``full_search`` runs every candidate over four origins; False runs the light search used for segments.
    """
    if horizon < 1:
        raise ValueError("The horizon must be at least one period.")
    if level not in LEVELS:
        raise ValueError(f"The interval level must be one of {LEVELS}.")
    series, notes = prepare(y)
    index = cast(pd.DatetimeIndex, series.index)
    future = index_after(index, horizon) if len(series) else pd.DatetimeIndex([])
    values = series.to_numpy(dtype=float)
    period = seasonal_period(index.freqstr if len(series) else None)
    if not len(values) or not np.any(values):
        notes.append("No bookings in the history: the forecast is zero until there is data.")
        zero = np.zeros(len(future))
        return _simple_result(
            "No data (zero)",
            "There is no history to learn from.",
            mean=zero,
            lower=zero,
            upper=zero,
            future=future,
            level=level,
            notes=notes,
        )
    n = len(values)
    min_history = max(12, period // 2)
    if n < min_history:
        spec: Candidate = Drift() if n >= 3 else Mean()
        fitted = spec.fit(values)
        mean = fitted.predict(horizon)
        assert fitted.bands is not None
        lower, upper = fitted.bands(horizon, level)
        unit = "months" if period == 12 else "periods"
        notes.append(
            f"Only {n} {unit} of history: using a {spec.label.lower()} model with wide intervals; "
            f"model comparison needs at least {min_history}."
        )
        note = f"{spec.label} is the simplest honest model for {n} {unit}; no backtest is possible yet."
        return _simple_result(
            spec.label, note, mean=mean, lower=lower, upper=upper, future=future, level=level, notes=notes
        )

    zero_share = float(np.mean(values == 0))
    if zero_share > SPARSE_SHARE:
        notes.append(
            f"{int(np.sum(values == 0))} of {n} periods have no bookings: forecasts of a sparse series are uncertain."
        )
    seasonal = period > 1 and n >= 2 * period
    baseline = SeasonalNaive(period if seasonal else 1)
    specs: list[tuple[Candidate, Fitted | None]] = [(baseline, None), (Drift(), None)]
    if full_search:
        auto_ets = AutoETS(period, seasonal)
        with suppress(ValueError):
            specs.append((auto_ets, auto_ets.fit(values)))
        found = best_by_aicc(sarima_orders(period, seasonal), values)
        if found is not None:
            specs.append(found)
        specs.append((Theta(period, deseasonalize=seasonal), None))
    else:
        specs.append((ETS("add", "add", True, "add" if seasonal else None, period), None))

    min_train = period + period // 2 if seasonal else 8
    origins = plan_origins(n, horizon, min_train, FULL_ORIGINS if full_search else LIGHT_ORIGINS)
    assert origins is not None  # n >= 12 and min_train <= 8 or n >= 2 * period leave room for one origin
    scored: list[Scored] = []
    fits: dict[str, tuple[Candidate, Fitted | None]] = {}
    for spec, full_fit in specs:
        preds = backtest(spec, values, origins, None if full_fit is None else full_fit.warm)
        if preds is not None:
            label = full_fit.label if full_fit else spec.label  # the ETS form chosen on the whole history
            scored.append(score(label, preds, values, origins, baseline.period))
            fits[label] = (spec, full_fit)
    ranked = sorted(scored, key=lambda s: s.mase)  # stable: the baseline wins ties
    members = [s for s in ranked if np.isfinite(s.mase)][:COMBINATION_SIZE]
    if full_search and len(members) >= 2:
        label = "Mean of " + " + ".join(m.label for m in members)
        combo = score(label, np.mean([m.predictions for m in members], axis=0), values, origins, baseline.period)
        scored.append(combo)
        ranked = sorted(scored, key=lambda s: s.mase)
    winner = ranked[0]
    base = next(s for s in scored if s.label == baseline.label)

    if winner.label in fits:
        spec, full_fit = fits[winner.label]
        fitted = full_fit or spec.fit(values)
        mean = fitted.predict(horizon)
        model_bands = fitted.bands if isinstance(spec, STATISTICAL) else None
    else:
        mean = np.mean([(fits[m.label][1] or fits[m.label][0].fit(values)).predict(horizon) for m in members], axis=0)
        model_bands = None
    if model_bands is not None:
        lower, upper = model_bands(horizon, level)
    else:  # naive, drift and the combination: intervals from their own backtest errors
        lower, upper = empirical_bands(mean, _backtest_sigma(winner, values, origins), level)

    table = pd.DataFrame(
        {
            "model": [s.label for s in ranked],
            "mase": [s.mase for s in ranked],
            "mape": [s.mape for s in ranked],
            "origins": len(origins.train_lengths),
        }
    )
    return ForecastResult(
        model=winner.label,
        method_note=_why(winner, base, ranked, len(origins.train_lengths)),
        forecast=_frame(future, mean, lower, upper, _seasonal_factors(series, period, seasonal, horizon)),
        level=level,
        backtest=table,
        baseline={"mase": base.mase, "mape": base.mape},
        backtest_path=_path(series, winner, origins),
        warnings=tuple(notes),
    )


def _backtest_sigma(winner: Scored, values: np.ndarray, origins: Origins) -> float:
    """One-step error scale pooled from backtest errors, each divided by sqrt(step) (errors grow like sqrt(h))."""
    errors = actuals(values, origins) - winner.predictions
    steps = np.arange(1, origins.horizon + 1)
    return float(np.sqrt(np.mean(errors**2 / steps)))


def _why(winner: Scored, base: Scored, ranked: list[Scored], origins: int) -> str:
    """One sentence on why the winner won."""
    where = f"over {origins} backtest origin{'s' if origins > 1 else ''}"
    if winner.label == base.label:
        runner = next((s for s in ranked if s.label != base.label), None)
        tail = f"; the next best, {runner.label}, scored {runner.mase:.2f}" if runner else ""
        return f"{base.label} had the lowest mean MASE {where} ({base.mase:.2f}){tail}, so no model beat the baseline."
    return (
        f"{winner.label} had the lowest mean MASE {where}: {winner.mase:.2f} vs {base.mase:.2f} for "
        f"{base.label.lower()}."
    )


def _seasonal_factors(series: pd.Series, period: int, seasonal: bool, horizon: int) -> np.ndarray | None:
    """Multiplicative seasonal index of each forecast period (classical decomposition of the history), or None
    when the series is not seasonal or has zero months."""
    if not seasonal or not np.all(series.to_numpy() > 0):
        return None
    with quiet():
        cycle = seasonal_decompose(series.to_numpy(dtype=float), model="multiplicative", period=period).seasonal
    # The seasonal column repeats with the cycle from the first observation, so period n + j sits at (n + j) % period.
    n = len(series)
    return np.asarray([cycle[(n + j) % period] for j in range(horizon)], dtype=float)


def _frame(
    future: pd.DatetimeIndex,
    mean: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    factors: np.ndarray | None,
) -> pd.DataFrame:
    """The forecast frame: half-widths made non-decreasing with the horizon, everything clipped at zero."""
    mean = np.asarray(mean, dtype=float)
    below = np.maximum.accumulate(np.maximum(mean - np.asarray(lower, dtype=float), 0.0))
    above = np.maximum.accumulate(np.maximum(np.asarray(upper, dtype=float) - mean, 0.0))
    clipped = np.clip(mean, 0, None)
    frame = pd.DataFrame(
        {
            "mean": clipped,
            "lower": np.clip(mean - below, 0, None),
            "upper": np.maximum(mean + above, clipped),
            "seasonal_factor": 1.0,
        },
        index=future.rename("period"),
    )
    if factors is not None:
        frame["seasonal_factor"] = factors
    return frame


def _simple_result(
    label: str,
    note: str,
    *,
    mean: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    future: pd.DatetimeIndex,
    level: int,
    notes: list[str],
) -> ForecastResult:
    """A result without a backtest (no or too little history)."""
    nan = float("nan")
    return ForecastResult(
        model=label,
        method_note=note,
        forecast=_frame(future, mean, lower, upper, None),
        level=level,
        backtest=pd.DataFrame({"model": pd.Series([], dtype=str), "mase": [], "mape": [], "origins": []}),
        baseline={"mase": nan, "mape": nan},
        backtest_path=pd.DataFrame(
            {"origin": pd.DatetimeIndex([]), "period": pd.DatetimeIndex([]), "actual": [], "predicted": []}
        ),
        warnings=tuple(notes),
    )


def _path(series: pd.Series, winner: Scored, origins: Origins) -> pd.DataFrame:
    """Long frame of the winner's backtest: each origin's last training period, forecast period, actual, predicted."""
    rows = []
    for i, t in enumerate(origins.train_lengths):
        periods = series.index[t : t + origins.horizon]
        rows.append(
            pd.DataFrame(
                {
                    "origin": series.index[t - 1],
                    "period": periods,
                    "actual": series.to_numpy()[t : t + origins.horizon],
                    "predicted": winner.predictions[i],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)
