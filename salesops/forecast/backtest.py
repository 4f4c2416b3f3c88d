"""Rolling-origin backtest: refit each candidate at several origins, forecast the next months, score MASE and MAPE.

MASE divides a window's mean absolute error by the in-sample mean absolute error of the seasonal-naive forecast on
that origin's training data (Hyndman & Koehler 2006), so 1.0 means "as good as repeating last year". When that
scale is zero (a perfectly repeating series) the one-step naive error is used, then the mean level, so the score
stays finite. MAPE skips months whose actual is zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesops.forecast.models import Candidate

MAX_BACKTEST_HORIZON = 12


@dataclass(frozen=True)
class Origins:
    """Where the backtest cuts the history: training lengths and the months forecast after each cut."""

    horizon: int
    train_lengths: tuple[int, ...]


@dataclass(frozen=True)
class Scored:
    """One candidate's backtest: predictions per origin (rows) and step (columns), and its mean scores."""

    label: str
    predictions: np.ndarray
    mase: float
    mape: float
    per_origin: tuple[float, ...] = ()  # MASE at each origin, oldest first


def plan_origins(n: int, horizon: int, min_train: int, max_origins: int) -> Origins | None:
    """Up to ``max_origins`` origins, the last one leaving ``horizon`` (capped at 12) months to test, spaced half the
    horizon apart (windows from different seasons); the horizon shrinks when the history is too short. None when no
    origin fits."""
    for h in range(min(horizon, MAX_BACKTEST_HORIZON), 0, -1):
        step = max(1, h // 2)
        room = n - h - min_train
        if room >= 0:
            count = min(max_origins, room // step + 1)
            return Origins(h, tuple(n - h - step * i for i in reversed(range(count))))
    return None


def mase_scale(train: np.ndarray, period: int) -> float:
    """In-sample MAE of the seasonal-naive forecast (lag ``period``), with finite fallbacks for flat data."""
    tolerance = 1e-9 * (float(np.mean(np.abs(train))) + 1.0)
    for lag in (period, 1):
        if len(train) > lag:
            scale = float(np.mean(np.abs(train[lag:] - train[:-lag])))
            if scale > tolerance:
                return scale
    level = float(np.mean(np.abs(train)))
    return level if level > tolerance else 1.0


def mape(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Mean absolute percentage error in %, over non-zero actuals (NaN when every actual is zero)."""
    mask = actual != 0
    if not mask.any():
        return float("nan")
    return float(np.mean(np.abs((actual[mask] - predicted[mask]) / actual[mask])) * 100)


def actuals(y: np.ndarray, origins: Origins) -> np.ndarray:
    """The true values of every backtest window, shaped like the predictions (origins x steps)."""
    return np.vstack([y[t : t + origins.horizon] for t in origins.train_lengths])


def score(label: str, predictions: np.ndarray, y: np.ndarray, origins: Origins, period: int) -> Scored:
    """Mean MASE over origins and pooled MAPE for one candidate's backtest predictions."""
    truth = actuals(y, origins)
    mases = [
        float(np.mean(np.abs(truth[i] - predictions[i]))) / mase_scale(y[:t], period)
        for i, t in enumerate(origins.train_lengths)
    ]
    return Scored(label, predictions, float(np.mean(mases)), mape(truth.ravel(), predictions.ravel()), tuple(mases))


def backtest(spec: Candidate, y: np.ndarray, origins: Origins, warm: np.ndarray | None = None) -> np.ndarray | None:
    """Refit ``spec`` at every origin (starting from ``warm`` parameters) and forecast; None if any fit fails.

    Predictions are clipped at zero like the forecast the user sees, so the backtest scores what is shown.
    """
    rows = []
    for t in origins.train_lengths:
        try:
            pred = spec.fit(y[:t], warm).predict(origins.horizon)
        except (ValueError, np.linalg.LinAlgError, IndexError, ZeroDivisionError):
            return None
        if len(pred) != origins.horizon or not np.all(np.isfinite(pred)):
            return None
        rows.append(np.clip(pred, 0, None))
    return np.vstack(rows)
