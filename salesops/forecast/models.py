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
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.tsa.arima_process import arma2ma
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
    at_origin: Callable[[int, int], np.ndarray] | None = None  # (t, h) -> forecast from the state after t values


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
    reoptimise: bool = True  # False: backtest from the full fit's filtered states, no refit (the light search)

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
            return self.model(y).fit(disp=False, maxiter=ETS_MAXITER, start_params=warm)

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        if self.seasonal is not None and len(y) < 2 * self.period:
            # A backtest origin can hold fewer than the two full cycles a seasonal form needs: fit it unseasonal.
            return replace(self, seasonal=None).wrap(replace(self, seasonal=None).fit_results(y))
        return self.wrap(self.fit_results(y, warm))

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

        at_origin = self.from_states(res) if self.error == "add" and self.seasonal != "mul" else None
        return Fitted(self.label, predict, bands, np.asarray(res.params, dtype=float), at_origin)

    def from_states(self, res) -> Callable[[int, int], np.ndarray]:  # type: ignore[no-untyped-def]
        """Forecasts from an earlier point of the fitted filter: the states after ``t`` values, the same parameters
        (what a refit with fixed parameters would give, at no cost; additive trend and seasonality only)."""
        states = res.states
        level = states["level"].to_numpy(float)
        trend = states["trend"].to_numpy(float) if "trend" in states else np.zeros(len(level))
        season = states["seasonal"].to_numpy(float) if "seasonal" in states else None
        phi = float(res.damping_trend) if self.damped else 1.0

        def forecast(t: int, h: int) -> np.ndarray:
            steps = np.arange(1, h + 1)
            damp = np.cumsum(phi**steps)
            mean = level[t - 1] + damp * trend[t - 1]
            if season is not None:
                mean = mean + season[t - self.period + (steps - 1) % self.period]
            return np.asarray(mean, dtype=float)

        return forecast


@dataclass(frozen=True)
class Theta:
    """statsmodels ThetaModel (SES plus half the linear trend), deseasonalised when the history allows and its
    seasonality test passes; ``method`` is the decomposition ("auto": multiplicative for positive data)."""

    period: int = 12
    deseasonalize: bool = True
    method: str = "auto"
    label: str = "Theta"

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        y = np.asarray(y, dtype=float)
        with quiet():
            # A backtest origin can hold fewer than the two full cycles deseasonalising needs: fit it plain.
            seasonal = self.deseasonalize and self.period > 1 and len(y) >= 2 * self.period
            res = ThetaModel(y, period=self.period, deseasonalize=seasonal, method=self.method).fit()

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
    """statsmodels SARIMAX of one fixed order, e.g. SARIMA(0,1,1)(0,1,1)12.

    Fitted on the differenced series (``simple_differencing``) with the variance concentrated out of the likelihood:
    a smaller state and one parameter fewer, several times faster than the diffuse exact likelihood. Forecasts are
    integrated back, and their variance comes from the psi weights of the integrated model.
    """

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

    def differencing(self) -> np.ndarray:
        """The lag polynomial (1 - B)^d (1 - B^s)^D, lowest power first."""
        poly = np.array([1.0])
        for _ in range(self.order[1]):
            poly = np.convolve(poly, [1.0, -1.0])
        s = self.seasonal_order[3]
        for _ in range(self.seasonal_order[1]):
            poly = np.convolve(poly, np.r_[1.0, np.zeros(s - 1), -1.0])
        return poly

    def fit_results(self, y: np.ndarray, warm: np.ndarray | None = None):  # type: ignore[no-untyped-def]
        """The statsmodels results object (AICc is read from it during the order search)."""
        with quiet():
            model = SARIMAX(
                np.asarray(y, dtype=float),
                order=self.order,
                seasonal_order=self.seasonal_order,
                trend=self.trend,
                simple_differencing=True,
                concentrate_scale=True,
            )
            maxiter = WARM_MAXITER if warm is not None else SARIMAX_MAXITER
            return model.fit(disp=False, maxiter=maxiter, start_params=warm)

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        y = np.asarray(y, dtype=float)
        if len(y) <= len(self.differencing()) + 2:
            raise ValueError("Too little history for this SARIMA order.")
        return self.wrap(self.fit_results(y, warm), y)

    def wrap(self, res, y: np.ndarray) -> Fitted:  # type: ignore[no-untyped-def]
        """A :class:`Fitted` around a results object fitted on the differences of ``y``."""
        diff = self.differencing()
        s = self.seasonal_order[3]
        ar = np.convolve(diff, np.r_[1.0, -np.asarray(res.arparams, dtype=float)])
        ma = np.r_[1.0, np.asarray(res.maparams, dtype=float)]
        for params, sign in ((res.seasonalarparams, -1.0), (res.seasonalmaparams, 1.0)):
            seasonal = np.zeros(len(params) * s + 1)
            seasonal[0] = 1.0
            seasonal[s::s] = sign * np.asarray(params, dtype=float)
            if sign < 0:
                ar = np.convolve(ar, seasonal)
            else:
                ma = np.convolve(ma, seasonal)
        sigma2 = float(res.scale)

        def predict(h: int) -> np.ndarray:
            with quiet():
                w = np.asarray(res.forecast(h), dtype=float)
            out = np.r_[y, np.zeros(h)]
            n = len(y)
            for i in range(h):  # y_t = w_t - sum_k diff_k y_{t-k}
                out[n + i] = w[i] - float(np.dot(diff[1:], out[n + i - 1 :: -1][: len(diff) - 1]))
            return np.asarray(out[n:], dtype=float)

        def bands(h: int, level: int) -> tuple[np.ndarray, np.ndarray]:
            psi = arma2ma(ar, ma, lags=h)
            half = z_value(level) * np.sqrt(sigma2 * np.cumsum(psi**2))
            mean = predict(h)
            return mean - half, mean + half

        return Fitted(self.label, predict, bands, np.asarray(res.params, dtype=float))


@dataclass(frozen=True)
class OnLog:
    """Any candidate fitted to log(y) and transformed back (the median forecast and exact quantile bands).

    Multiplicative seasonality and growth become additive on the log scale, so additive models capture them with
    analytic intervals that stay positive. Only for strictly positive histories.
    """

    inner: ETS | Theta | Sarima

    @property
    def label(self) -> str:
        return f"{self.inner.label} of log"

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        return self.wrap(self.inner.fit(np.log(np.asarray(y, dtype=float)), warm))

    def wrap(self, fitted: Fitted) -> Fitted:
        """The back-transformed :class:`Fitted` of an inner model fitted on the log scale."""
        inner_bands = fitted.bands

        def predict(h: int) -> np.ndarray:
            return np.asarray(np.exp(np.clip(fitted.predict(h), None, 700)), dtype=float)

        def bands(h: int, level: int) -> tuple[np.ndarray, np.ndarray]:
            assert inner_bands is not None
            lower, upper = inner_bands(h, level)
            return np.exp(np.clip(lower, None, 700)), np.exp(np.clip(upper, None, 700))

        return Fitted(self.label, predict, bands if inner_bands else None, fitted.warm)


@dataclass(frozen=True)
class Combination:
    """The equal-weight mean of several models' forecasts (Makridakis' combination: rarely the best single model,
    almost never far from it).

    Its interval: each member's band as a ratio to its own forecast, averaged over the members and applied to the
    combined forecast, narrowed by BAND_SCALE. Theta's bands are left out: statsmodels' Theta intervals covered 90 %
    of held-out months at the 80 % level on the development set (ETS and ARIMA about 80 %); BAND_SCALE is also set
    there (80 % and 95 % intervals covered 79-85 % and 93-94 % of its held-out months).
    """

    members: tuple[ETS | Theta | Sarima | OnLog, ...]

    @property
    def label(self) -> str:
        return "Mean of " + " + ".join(m.label for m in self.members)

    def fit(self, y: np.ndarray, warm: np.ndarray | None = None) -> Fitted:
        return self.join([m.fit(y) for m in self.members])

    def join(self, fits: Sequence[Fitted]) -> Fitted:
        """The combination of already fitted members (in the order of ``members``)."""
        banded = [f for f, m in zip(fits, self.members, strict=True) if not _is_theta(m) and f.bands is not None]
        banded = banded or [f for f in fits if f.bands is not None]

        def predict(h: int) -> np.ndarray:
            return np.asarray(np.mean([f.predict(h) for f in fits], axis=0), dtype=float)

        def bands(h: int, level: int) -> tuple[np.ndarray, np.ndarray]:
            mean = predict(h)
            own = [(f.predict(h), *f.bands(h, level)) for f in banded]  # type: ignore[misc]
            if np.all(mean > 0) and all(np.all(m > 0) and np.all(lo > 0) for m, lo, _ in own):
                low = np.mean([np.log(lo / m) for m, lo, _ in own], axis=0)
                high = np.mean([np.log(hi / m) for m, _, hi in own], axis=0)
                return mean * np.exp(BAND_SCALE * low), mean * np.exp(BAND_SCALE * high)
            below = np.mean([m - lo for m, lo, _ in own], axis=0)  # zero or negative values: additive widths
            above = np.mean([hi - m for m, _, hi in own], axis=0)
            return mean - BAND_SCALE * below, mean + BAND_SCALE * above

        return Fitted(self.label, predict, bands)


BAND_SCALE = 0.95


def _is_theta(spec: ETS | Theta | Sarima | OnLog) -> bool:
    return isinstance(spec.inner if isinstance(spec, OnLog) else spec, Theta)


Candidate = SeasonalNaive | Mean | Drift | ETS | Theta | Sarima | OnLog | Combination


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


def best_by_aicc(specs: Sequence[ETS], y: np.ndarray) -> tuple[ETS, Fitted] | None:
    """Fit every ETS form on the full history and keep the one with the lowest finite AICc (None if all fail)."""
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


def sarima_spec(period: int, seasonal: bool) -> Sarima:
    """The ARIMA member: the airline model SARIMA(0,1,1)(0,1,1) when seasonal, ARIMA(0,1,1) with drift when not."""
    if seasonal:
        return Sarima((0, 1, 1), (0, 1, 1, period))
    return Sarima((0, 1, 1), trend="c")


def empirical_bands(mean: np.ndarray, sigma1: float, level: int) -> tuple[np.ndarray, np.ndarray]:
    """Normal bands whose half-width grows with sqrt(h) from a one-step error scale ``sigma1``."""
    half = z_value(level) * sigma1 * np.sqrt(np.arange(1, len(mean) + 1))
    return mean - half, mean + half


def index_after(index: pd.DatetimeIndex, h: int) -> pd.DatetimeIndex:
    """The ``h`` periods following a DatetimeIndex with a freq."""
    return pd.date_range(index[-1], periods=h + 1, freq=index.freq)[1:]
