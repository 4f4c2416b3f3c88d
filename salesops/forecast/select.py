"""Pick the forecast model for one series by rolling-origin backtest and return it in the one result type.

Full search (the total): seasonal naive (baseline), drift, and three well-tried models whose equal-weight mean is
the default forecast: ETS with its form chosen by AICc, Theta, and ARIMA (the airline model SARIMA(0,1,1)(0,1,1)
when seasonal). Strictly positive series are modelled on the log scale (multiplicative seasonality and growth become
additive; intervals stay positive). A backtest over a few origins is noisy, so a single model replaces the
combination only when it beats it at every origin and by a wide margin on mean MASE. The ETS form is chosen once on
the whole history and re-estimated at every origin. Light search (each segment): seasonal naive, drift and
ETS(A,Ad,A) (ETS(A,Ad,N) without two cycles) over two origins, the ETS parameters estimated once on the whole
history and only re-filtered at each origin (fast enough for 50 segments; slightly flattering to ETS there).
Too little history falls back to drift or the mean
with wide intervals and says so in ``warnings``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
from statsmodels.tsa.seasonal import seasonal_decompose

from salesops.forecast.backtest import Origins, Scored, actuals, backtest, plan_origins, score
from salesops.forecast.models import (
    ETS,
    Candidate,
    Combination,
    Drift,
    Fitted,
    Mean,
    OnLog,
    Sarima,
    SeasonalNaive,
    Theta,
    best_by_aicc,
    empirical_bands,
    ets_forms,
    index_after,
    quiet,
    sarima_spec,
    seasonal_period,
)
from salesops.i18n import Wording

LEVELS = (80, 90, 95)
FULL_ORIGINS = 3
LIGHT_ORIGINS = 2
SWITCH_MARGIN = 0.2  # a single model replaces the combination only when its mean MASE is this much lower
SPARSE_SHARE = 0.3  # above this share of zero months a series is called sparse
Bands = Callable[[int, int], tuple[np.ndarray, np.ndarray]]


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


@dataclass(frozen=True)
class Chosen:
    """The model search's outcome before any interval level is applied: the point forecast and a way to get bands."""

    series: pd.Series  # the prepared history
    model: str
    method_note: str
    mean: np.ndarray
    bands: Bands  # (h, level) -> (lower, upper) for h up to the horizon searched
    backtest: pd.DataFrame
    baseline: dict[str, float]
    backtest_path: pd.DataFrame
    warnings: tuple[str, ...]


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
        monthly = seasonal_period(str(freq)) == 12
        notes.append(
            Wording("{n} missing months filled with 0 (no bookings).", n=missing)
            if monthly
            else Wording("{n} missing periods filled with 0 (no bookings).", n=missing)
        )
    nonzero = np.flatnonzero(full.to_numpy() != 0)
    if len(nonzero):
        full = full.iloc[nonzero[0] :]
    full = full.set_axis(pd.DatetimeIndex(full.index, freq=freq))
    return full, notes


def forecast_series(y: pd.Series, horizon: int, level: int = 90, *, full_search: bool = True) -> ForecastResult:
    """Forecast ``horizon`` periods of a non-negative series (revenue, deal count) with ``level`` % intervals.

    ``full_search`` runs every candidate over three origins; False runs the light search used for segments.
    """
    if level not in LEVELS:
        raise ValueError(f"The interval level must be one of {LEVELS}.")
    chosen = choose(y, horizon, full_search=full_search)
    lower, upper = render_bands(chosen, horizon, level)
    index = cast(pd.DatetimeIndex, chosen.series.index)
    future = index_after(index, horizon) if len(chosen.series) else pd.DatetimeIndex([])
    period = seasonal_period(index.freqstr if len(chosen.series) else None)
    factors = _seasonal_factors(chosen.series, period, horizon) if not chosen.backtest.empty else None
    return ForecastResult(
        model=chosen.model,
        method_note=chosen.method_note,
        forecast=_frame(future, chosen.mean, lower, upper, factors),
        level=level,
        backtest=chosen.backtest,
        baseline=chosen.baseline,
        backtest_path=chosen.backtest_path,
        warnings=chosen.warnings,
    )


def render_bands(chosen: Chosen, horizon: int, level: int) -> tuple[np.ndarray, np.ndarray]:
    """The chosen forecast's ``level`` % bounds over ``horizon`` periods (cheap: no refit)."""
    return chosen.bands(horizon, level)


def choose(y: pd.Series, horizon: int, *, full_search: bool = True) -> Chosen:
    """Prepare the series, run the model search and return the chosen forecast with its evidence."""
    if horizon < 1:
        raise ValueError("The horizon must be at least one period.")
    series, notes = prepare(y)
    index = cast(pd.DatetimeIndex, series.index)
    values = series.to_numpy(dtype=float)
    period = seasonal_period(index.freqstr if len(series) else None)
    if not len(values) or not np.any(values):
        notes.append(Wording("No bookings in the history: the forecast is zero until there is data."))
        zero = np.zeros(horizon)
        return _simple(series, "No data (zero)", Wording("There is no history to learn from."), zero, None, notes=notes)
    n = len(values)
    min_history = max(12, period // 2)
    if n < min_history:
        spec: Candidate = Drift() if n >= 3 else Mean()
        fitted = spec.fit(values)
        notes.append(_short_history_warning(n, period == 12, spec.label.lower(), min_history))
        note = (
            Wording(
                "{model} is the simplest honest model for {n} months; no backtest is possible yet.",
                model=spec.label,
                n=n,
            )
            if period == 12
            else Wording(
                "{model} is the simplest honest model for {n} periods; no backtest is possible yet.",
                model=spec.label,
                n=n,
            )
        )
        return _simple(series, spec.label, note, fitted.predict(horizon), fitted.bands, notes=notes)
    zero_share = float(np.mean(values == 0))
    if zero_share > SPARSE_SHARE:
        notes.append(
            Wording(
                "{k} of {n} periods have no bookings: forecasts of a sparse series are uncertain.",
                k=int(np.sum(values == 0)),
                n=n,
            )
        )
    return _search(series, horizon, period, full_search, notes)


def _short_history_warning(n: int, monthly: bool, model: str, needed: int) -> Wording:
    """Why a short series gets a simple model, in months or in periods."""
    if monthly:
        return Wording(
            "Only {n} months of history: using a {model} model with wide intervals; model comparison needs at least "
            "{needed}.",
            n=n,
            model=model,
            needed=needed,
        )
    return Wording(
        "Only {n} periods of history: using a {model} model with wide intervals; model comparison needs at least "
        "{needed}.",
        n=n,
        model=model,
        needed=needed,
    )


def _members(values: np.ndarray, period: int, seasonal: bool) -> list[tuple[Candidate, Fitted]]:
    """The combination's members fitted on the whole history: ETS (form by AICc), Theta and ARIMA; on the log
    scale when every value is positive."""
    positive = bool(np.all(values > 0))
    data = np.log(values) if positive else values
    fits: list[tuple[Candidate, Fitted]] = []
    found = best_by_aicc(ets_forms(period, seasonal, positive=False), data)
    specs: list[ETS | Theta | Sarima] = [found[0]] if found else []
    specs += [
        Theta(period, deseasonalize=seasonal, method="additive" if positive else "auto"),
        sarima_spec(period, seasonal),
    ]
    for inner in specs:
        try:
            fitted = found[1] if found and inner is found[0] else inner.fit(data)
        except (ValueError, np.linalg.LinAlgError, IndexError, ZeroDivisionError):
            continue
        fits.append((OnLog(inner), OnLog(inner).wrap(fitted)) if positive else (inner, fitted))
    return fits


def _search(series: pd.Series, horizon: int, period: int, full_search: bool, notes: list[str]) -> Chosen:
    """Backtest the candidates, pick the forecast by the rule in the module docstring, and assemble the evidence."""
    values = series.to_numpy(dtype=float)
    n = len(values)
    seasonal = period > 1 and n >= 2 * period
    baseline = SeasonalNaive(period if seasonal else 1)
    specs: list[tuple[Candidate, Fitted | None]] = [(baseline, None), (Drift(), None)]
    if full_search:
        specs += _members(values, period, seasonal)
    else:
        light = ETS("add", "add", True, "add" if seasonal else None, period, reoptimise=False)
        specs.append((light, light.fit(values)))
    min_train = period + period // 2 if seasonal else 8
    origins = plan_origins(n, horizon, min_train, FULL_ORIGINS if full_search else LIGHT_ORIGINS)
    assert origins is not None  # n >= 12 and min_train <= 8 or n >= 2 * period leave room for one origin
    scored: list[Scored] = []
    fits: dict[str, Fitted] = {}
    for spec, full_fit in specs:
        preds = _backtest(spec, full_fit, values, origins)
        if preds is not None:
            scored.append(score(spec.label, preds, values, origins, baseline.period))
            fits[spec.label] = full_fit or spec.fit(values)
    members = [s for s in scored if full_search and s.label not in (baseline.label, "Drift")]
    if len(members) >= 2:
        combo = Combination(tuple(spec for spec, _ in specs if spec.label in {m.label for m in members}))  # type: ignore[misc]
        preds = np.mean([m.predictions for m in members], axis=0)
        scored.append(score(combo.label, preds, values, origins, baseline.period))
        fits[combo.label] = combo.join([fits[m.label] for m in members])
    winner, why = _pick(scored, baseline.label, len(members) >= 2, len(origins.train_lengths))
    fitted = fits[winner.label]
    mean = fitted.predict(horizon)
    if fitted.bands is not None and winner.label not in (baseline.label, "Drift"):
        bands: Bands = fitted.bands
    else:  # naive and drift: intervals from their own backtest errors
        sigma = _backtest_sigma(winner, values, origins)
        bands = lambda h, level: empirical_bands(mean[:h], sigma, level)  # noqa: E731
    table = pd.DataFrame(
        {
            "model": [s.label for s in sorted(scored, key=lambda s: s.label != winner.label)],
            "mase": [s.mase for s in sorted(scored, key=lambda s: s.label != winner.label)],
            "mape": [s.mape for s in sorted(scored, key=lambda s: s.label != winner.label)],
            "origins": len(origins.train_lengths),
        }
    )
    base = next(s for s in scored if s.label == baseline.label)
    return Chosen(
        series=series,
        model=winner.label,
        method_note=why,
        mean=mean,
        bands=bands,
        backtest=table,
        baseline={"mase": base.mase, "mape": base.mape},
        backtest_path=_path(series, winner, origins),
        warnings=tuple(notes),
    )


def _backtest(spec: Candidate, full_fit: Fitted | None, values: np.ndarray, origins: Origins) -> np.ndarray | None:
    """Backtest predictions of one candidate: refits warm-started from the full fit, or (the light search's ETS)
    forecasts from the full fit's filtered states."""
    if isinstance(spec, ETS) and not spec.reoptimise and full_fit is not None and full_fit.at_origin is not None:
        forecast = full_fit.at_origin
        return np.vstack([np.clip(forecast(t, origins.horizon), 0, None) for t in origins.train_lengths])
    return backtest(spec, values, origins, None if full_fit is None else full_fit.warm)


def _pick(scored: list[Scored], baseline: str, combined: bool, origins: int) -> tuple[Scored, str]:
    """The forecast to use and why: the combination, unless a single candidate beats it at every origin and by more
    than SWITCH_MARGIN on mean MASE; without a combination, the lowest mean MASE (the baseline wins ties)."""
    ranked = sorted(scored, key=lambda s: s.mase)  # stable: the baseline (first in) wins ties
    if not combined:
        best = ranked[0]
        base = next(s for s in scored if s.label == baseline)
        if best.label == baseline:
            return best, Wording(
                "{model} had the lowest mean MASE over {origins} backtest origin(s) ({mase}), so no model beat the "
                "baseline.",
                model=baseline,
                origins=origins,
                mase=f"{best.mase:.2f}",
            )
        return best, Wording(
            "{model} had the lowest mean MASE over {origins} backtest origin(s): {mase} vs {base} for {baseline}.",
            model=best.label,
            origins=origins,
            mase=f"{best.mase:.2f}",
            base=f"{base.mase:.2f}",
            baseline=baseline.lower(),
        )
    combo = scored[-1]
    for single in ranked:
        clear = single.mase < (1 - SWITCH_MARGIN) * combo.mase
        if (
            single is not combo
            and clear
            and all(a < b for a, b in zip(single.per_origin, combo.per_origin, strict=True))
        ):
            return single, Wording(
                "{model} beat the mean of ETS, Theta and ARIMA at every one of {origins} backtest origins, by "
                "{margin} % on mean MASE ({mase} vs {combo}).",
                model=single.label,
                origins=origins,
                margin=f"{(1 - single.mase / combo.mase) * 100:.0f}",
                mase=f"{single.mase:.2f}",
                combo=f"{combo.mase:.2f}",
            )
    return combo, Wording(
        "The mean of ETS, Theta and ARIMA: combining models is the most reliable choice, and no single model beat it "
        "at every origin by more than {margin} % (mean MASE {mase} over {origins} backtest origin(s)).",
        margin=f"{SWITCH_MARGIN * 100:.0f}",
        mase=f"{combo.mase:.2f}",
        origins=origins,
    )


def _simple(
    series: pd.Series, label: str, note: str, mean: np.ndarray, bands: Bands | None, *, notes: list[str]
) -> Chosen:
    """A result without a backtest (no or too little history)."""
    nan = float("nan")
    return Chosen(
        series=series,
        model=label,
        method_note=note,
        mean=mean,
        bands=bands or (lambda h, level: (mean[:h], mean[:h])),
        backtest=pd.DataFrame({"model": pd.Series([], dtype=str), "mase": [], "mape": [], "origins": []}),
        baseline={"mase": nan, "mape": nan},
        backtest_path=pd.DataFrame(
            {"origin": pd.DatetimeIndex([]), "period": pd.DatetimeIndex([]), "actual": [], "predicted": []}
        ),
        warnings=tuple(notes),
    )


def _backtest_sigma(winner: Scored, values: np.ndarray, origins: Origins) -> float:
    """One-step error scale pooled from backtest errors, each divided by sqrt(step) (errors grow like sqrt(h))."""
    errors = actuals(values, origins) - winner.predictions
    steps = np.arange(1, origins.horizon + 1)
    return float(np.sqrt(np.mean(errors**2 / steps)))


def _seasonal_factors(series: pd.Series, period: int, horizon: int) -> np.ndarray | None:
    """Multiplicative seasonal index of each forecast period (classical decomposition of the history), or None
    when the series has under two cycles or has zero months."""
    if period < 2 or len(series) < 2 * period or not np.all(series.to_numpy() > 0):
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
    """The forecast frame: half-widths made non-decreasing with the horizon, everything clipped at zero (an empty
    history has no future months, so the frame is empty)."""
    n = len(future)
    mean = np.asarray(mean, dtype=float)[:n]
    below = np.maximum.accumulate(np.maximum(mean - np.asarray(lower, dtype=float)[:n], 0.0))
    above = np.maximum.accumulate(np.maximum(np.asarray(upper, dtype=float)[:n] - mean, 0.0))
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


def _path(series: pd.Series, winner: Scored, origins: Origins) -> pd.DataFrame:
    """Long frame of the winner's backtest: each origin's last training period, forecast period, actual, predicted."""
    starts = np.asarray(origins.train_lengths)
    rows = (starts[:, None] + np.arange(origins.horizon)[None, :]).ravel()
    return pd.DataFrame(
        {
            "origin": series.index[np.repeat(starts - 1, origins.horizon)],
            "period": series.index[rows],
            "actual": series.to_numpy()[rows],
            "predicted": np.asarray(winner.predictions, dtype=float).ravel(),
        }
    )
