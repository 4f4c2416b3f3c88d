"""Forecast candidates behind one small interface: fit on a history, predict h steps, give intervals when the model can.

Each candidate is a frozen spec (what to fit); ``fit`` returns a :class:`Fitted` that predicts. Specs are reused
unchanged at every backtest origin, and ``warm`` carries the full-history parameters so a refit at an origin starts
from them (fewer optimiser iterations). statsmodels warnings are silenced here: a non-converged fit is still scored by
the backtest, which is the judge of a model, not the optimiser's exit code.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.forecasting.theta import ThetaModel
from statsmodels.tsa.statespace.sarimax import SARIMAX

ETS_MAXITER = 100
SARIMAX_MAXITER = 40
WARM_MAXITER = 25


@contextmanager
def quiet() -> Iterator[None]:
    """Silence statsmodels' convergence/estimation warnings and numpy overflow chatter inside the engine."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def z_value(level: int) -> float:
    """Two-sided standard-normal quantile for a ``level`` % interval (90 -> 1.645)."""
    return float(stats.norm.ppf(0.5 + level / 200))


def seasonal_period(freq: str | None) -> int:
    """Observations per year for a pandas frequency: 12 for ``MS``, 52 for weekly, 4 quarterly, else 1."""
    code = (freq or "").upper()
    if code.startswith("W"):
        return 52
    if code.startswith("Q"):
        return 4
    if code.startswith("M"):
        return 12
    return 1


@dataclass(frozen=True)
class Fitted:
    """A model fitted on one history: point forecasts and (when the model has them) its own interval bands."""

    label: str
    predict: Callable[[int], np.ndarray]
    bands: Callable[[int, int], tuple[np.ndarray, np.ndarray]] | None = None  # (h, level) -> (lower, upper)
    warm: np.ndarray | None = None  # parameters to start a refit from


@dataclass(frozen=True)
class SeasonalNaive:
    """Repeat the last cycle (period 1: repeat the last value). The baseline every model must beat."""

    period: int = 12

    @property
    def label(self) -> str:
        return "Seasonal naive" if self.period > 1 else "Naive"

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        last = np.asarray(y[-self.period :], dtype=float)
        return Fitted(self.label, lambda h: np.resize(last, h))


@dataclass(frozen=True)
class Mean:
    """The historical mean: the honest forecast when there is almost no history."""

    label: str = "Mean"

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        level = float(np.mean(y))
        # With one or two points the spread says little: never narrower than half the level.
        sigma = max(float(np.std(y, ddof=1)) if len(y) > 1 else 0.0, 0.5 * abs(level))

        def bands(h: int, level_pct: int) -> tuple[np.ndarray, np.ndarray]:
            return empirical_bands(np.full(h, level), sigma, level_pct)

        return Fitted(self.label, lambda h: np.full(h, level), bands)


@dataclass(frozen=True)
class Drift:
    """Random walk with drift: the last value plus the average change per period (a straight line for short data)."""

    label: str = "Drift"

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        y = np.asarray(y, dtype=float)
        n = len(y)
        slope = (y[-1] - y[0]) / (n - 1) if n > 1 else 0.0
        sigma = float(np.std(np.diff(y), ddof=1)) if n > 2 else 0.5 * abs(float(y[-1]))

        def predict(h: int) -> np.ndarray:
            return float(y[-1]) + slope * np.arange(1, h + 1)

        def bands(h: int, level: int) -> tuple[np.ndarray, np.ndarray]:
            # Forecast standard error of a random walk with estimated drift: sigma * sqrt(h * (1 + h / (n - 1))).
            steps = np.arange(1, h + 1)
            half = z_value(level) * sigma * np.sqrt(steps * (1 + steps / max(n - 1, 1)))
            mean = predict(h)
            return mean - half, mean + half

        return Fitted(self.label, predict, bands)


@dataclass(frozen=True)
class ETS:
    """statsmodels ETSModel of one fixed form, e.g. ETS(M,Ad,M)."""

    error: str = "add"
    trend: str | None = None
    damped: bool = False
    seasonal: str | None = None
    period: int = 12

    @property
    def label(self) -> str:
        def letter(part: str | None) -> str:
            return "N" if part is None else part[0].upper()

        trend = letter(self.trend) + ("d" if self.damped else "")
        return f"ETS({letter(self.error)},{trend},{letter(self.seasonal)})"

    def model(self, y: np.ndarray) -> ETSModel:
        """The unfitted statsmodels model of this form on ``y``.

        Initial states come from Hyndman's heuristic when the data allow it (10 points, two cycles for seasonal
        forms): that leaves 2-4 smoothing parameters to optimise instead of 15-18, about eight times faster.
        """
        n = len(y)
        heuristic = n >= 10 and (self.seasonal is None or n >= max(2 * self.period, 10 + 2 * (self.period // 2)))
        # A Series (integer index): get_prediction needs an index to label its frame.
        return ETSModel(
            pd.Series(np.asarray(y, dtype=float)),
            error=self.error,
            trend=self.trend,
            damped_trend=self.damped,
            seasonal=self.seasonal,
            seasonal_periods=self.period if self.seasonal else None,
            initialization_method="heuristic" if heuristic else "estimated",
        )

    def fit_results(self, y: np.ndarray, warm: np.ndarray | None = None):  # type: ignore[no-untyped-def]
        """The statsmodels results object (AICc is read from it during the form search)."""
        with quiet():
            return self.model(y).fit(disp=False, maxiter=ETS_MAXITER)

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        return self.wrap(self.fit_results(y))

    def wrap(self, res) -> Fitted:  # type: ignore[no-untyped-def]
        """A :class:`Fitted` around an ETSModel results object."""
        nobs = int(res.nobs)

        def predict(h: int) -> np.ndarray:
            with quiet():
                return np.asarray(res.forecast(h), dtype=float)

        def bands(h: int, level: int) -> tuple[np.ndarray, np.ndarray]:
            with quiet():
                # Multiplicative forms simulate their intervals: a fixed seed keeps the result reproducible.
                frame = res.get_prediction(start=nobs, end=nobs + h - 1, rng=np.random.default_rng(0)).summary_frame(
                    alpha=1 - level / 100
                )
            return frame["pi_lower"].to_numpy(float), frame["pi_upper"].to_numpy(float)

        return Fitted(self.label, predict, bands)


@dataclass(frozen=True)
class AutoETS:
    """ETS with its form (error, trend, damping, seasonal) chosen by AICc on whatever history it is given, so the
    backtest repeats the whole choice at every origin."""

    period: int = 12
    seasonal: bool = True
    label: str = "ETS (AICc)"

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        forms = ets_forms(self.period, self.seasonal and len(y) >= 2 * self.period, bool(np.all(np.asarray(y) > 0)))
        found = best_by_aicc(forms, y)
        if found is None:
            raise ValueError("No ETS form could be fitted.")
        return found[1]


@dataclass(frozen=True)
class Theta:
    """statsmodels ThetaModel (SES plus half the linear trend), deseasonalised when the history allows."""

    period: int = 12
    deseasonalize: bool = True
    label: str = "Theta"

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        y = np.asarray(y, dtype=float)
        with quiet():
            # A backtest origin can hold fewer than the two full cycles deseasonalising needs: fit it plain.
            seasonal = self.deseasonalize and self.period > 1 and len(y) >= 2 * self.period
            res = ThetaModel(y, period=self.period, deseasonalize=seasonal, use_test=False).fit()

        def predict(h: int) -> np.ndarray:
            with quiet():
                return np.asarray(res.forecast(h), dtype=float)

        def bands(h: int, level: int) -> tuple[np.ndarray, np.ndarray]:
            with quiet():
                frame = res.prediction_intervals(h, alpha=1 - level / 100)
            return frame["lower"].to_numpy(float), frame["upper"].to_numpy(float)

        return Fitted(self.label, predict, bands)


@dataclass(frozen=True)
class Sarima:
    """statsmodels SARIMAX of one fixed order, e.g. SARIMA(0,1,1)(0,1,1)12."""

    order: tuple[int, int, int] = (0, 1, 1)
    seasonal_order: tuple[int, int, int, int] = (0, 0, 0, 0)
    trend: str | None = None

    @property
    def label(self) -> str:
        p, d, q = self.order
        text = f"SARIMA({p},{d},{q})"
        if self.seasonal_order[3] > 1:
            sp, sd, sq, s = self.seasonal_order
            text += f"({sp},{sd},{sq}){s}"
        return text + (" with drift" if self.trend == "c" else "")

    def fit_results(self, y: np.ndarray, warm: np.ndarray | None = None):  # type: ignore[no-untyped-def]
        """The statsmodels results object (AICc is read from it during the order search)."""
        with quiet():
            model = SARIMAX(
                np.asarray(y, dtype=float), order=self.order, seasonal_order=self.seasonal_order, trend=self.trend
            )
            maxiter = WARM_MAXITER if warm is not None else SARIMAX_MAXITER
            return model.fit(disp=False, maxiter=maxiter, start_params=warm)

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        return self.wrap(self.fit_results(y, warm))

    def wrap(self, res) -> Fitted:  # type: ignore[no-untyped-def]
        """A :class:`Fitted` around a SARIMAX results object."""

        def predict(h: int) -> np.ndarray:
            with quiet():
                return np.asarray(res.forecast(h), dtype=float)

        def bands(h: int, level: int) -> tuple[np.ndarray, np.ndarray]:
            with quiet():
                frame = res.get_forecast(h).summary_frame(alpha=1 - level / 100)
            return frame["mean_ci_lower"].to_numpy(float), frame["mean_ci_upper"].to_numpy(float)

        return Fitted(self.label, predict, bands, np.asarray(res.params, dtype=float))


Candidate = SeasonalNaive | Mean | Drift | ETS | AutoETS | Theta | Sarima


def ets_forms(period: int, seasonal: bool, positive: bool) -> list[ETS]:
    """The ETS forms searched by AICc: additive errors always, multiplicative ones only for strictly positive data.

    Additive-error/multiplicative-seasonal and undamped multiplicative trends are left out (numerically unstable, as in
    Hyndman's ets()); without two full cycles there is no seasonal form.
    """
    forms = []
    for error in ("add", "mul") if positive else ("add",):
        seasonals: Sequence[str | None] = [None]
        if seasonal:
            seasonals = ["add", "mul"] if error == "mul" else ["add"]
        for season in seasonals:
            for trend, damped in ((None, False), ("add", False), ("add", True)):
                forms.append(ETS(error, trend, damped, season, period))
    return forms


def best_by_aicc(specs: Sequence[ETS | Sarima], y: np.ndarray) -> tuple[ETS | Sarima, Fitted] | None:
    """Fit every spec on the full history and keep the one with the lowest finite AICc (None if all fail)."""
    best = None
    for spec in specs:
        try:
            res = spec.fit_results(y)
        except (ValueError, np.linalg.LinAlgError, IndexError):
            continue
        aicc = float(res.aicc)
        if np.isfinite(aicc) and (best is None or aicc < best[0]):
            best = (aicc, spec, res)
    if best is None:
        return None
    return best[1], best[1].wrap(best[2])


def sarima_orders(period: int, seasonal: bool) -> list[Sarima]:
    """The small SARIMA order search: MA(1), AR(1) and ARMA(1,1) on the differences, with a seasonal MA(1) term
    (airline-model family) when seasonal, with drift when not."""
    if seasonal:
        return [Sarima(order, (0, 1, 1, period)) for order in ((0, 1, 1), (1, 1, 0), (1, 1, 1))]
    return [Sarima(order, trend="c") for order in ((0, 1, 1), (1, 1, 0), (1, 1, 1))]


def empirical_bands(mean: np.ndarray, sigma1: float, level: int) -> tuple[np.ndarray, np.ndarray]:
    """Normal bands whose half-width grows with sqrt(h) from a one-step error scale ``sigma1``."""
    half = z_value(level) * sigma1 * np.sqrt(np.arange(1, len(mean) + 1))
    return mean - half, mean + half


def index_after(index: pd.DatetimeIndex, h: int) -> pd.DatetimeIndex:
    """The ``h`` periods following a DatetimeIndex with a freq."""
    return pd.date_range(index[-1], periods=h + 1, freq=index.freq)[1:]
