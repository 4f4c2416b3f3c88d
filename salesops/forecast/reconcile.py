"""Forecast a total and its segments so the segment forecasts add up to the total.

Top-down (default): the total gets the full model search, each segment the light one, and every month the total's
forecast is split by the segments' forecast shares (proportional reconciliation); each segment's interval is scaled
by the same factor as its mean. Bottom-up: the total becomes the sum of the segment forecasts and keeps its own
interval half-widths around that sum.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, cast

import numpy as np
import pandas as pd

from salesops.forecast.select import ForecastResult, forecast_series, prepare

Method = Literal["top_down", "bottom_up"]
METHOD_NOTES: dict[str, str] = {
    "top_down": "Top-down: each month the total's forecast is split by the segments' forecast shares, "
    "so the segments add up to the total.",
    "bottom_up": "Bottom-up: the total is the sum of the segment forecasts, "
    "with the total model's interval width around it.",
}


@dataclass(frozen=True)
class HierarchyResult:
    """The total's forecast and each segment's reconciled forecast, plus how they were reconciled."""

    total: ForecastResult
    segments: dict[str, ForecastResult]
    method: Method
    reconciliation: str  # the plain-words rule, shown next to the segment table


def forecast_hierarchy(
    total: pd.Series,
    segments: dict[str, pd.Series],
    horizon: int,
    level: int = 90,
    *,
    method: Method = "top_down",
) -> HierarchyResult:
    """Forecast the total (full search) and every segment (light search), then reconcile them by ``method``.

    Segments are put on the total's monthly index (months a segment has no row are 0, data after the total's last
    month are ignored) so every forecast covers the same future months.
    """
    if method not in METHOD_NOTES:
        raise ValueError(f"method must be one of {sorted(METHOD_NOTES)}, not {method!r}")
    history, _ = prepare(total)
    total_result = forecast_series(total, horizon, level)
    seg_results = {
        name: forecast_series(_on_index(series, history), horizon, level, full_search=False)
        for name, series in segments.items()
    }
    if not seg_results:
        return HierarchyResult(total_result, {}, method, METHOD_NOTES[method])
    recent = {name: float(_on_index(series, history).iloc[-12:].sum()) for name, series in segments.items()}
    if method == "top_down":
        frames = top_down(total_result.forecast, {k: r.forecast for k, r in seg_results.items()}, recent)
        seg_results = {k: replace(r, forecast=frames[k]) for k, r in seg_results.items()}
    else:
        total_result = replace(
            total_result, forecast=bottom_up(total_result.forecast, [r.forecast for r in seg_results.values()])
        )
    return HierarchyResult(total_result, seg_results, method, METHOD_NOTES[method])


def top_down(
    total: pd.DataFrame, segments: dict[str, pd.DataFrame], recent: dict[str, float]
) -> dict[str, pd.DataFrame]:
    """Split the total forecast by segment forecast shares; months where every segment forecasts 0 use the
    segments' shares of ``recent`` history (equal shares when that is 0 too)."""
    means = np.vstack([frame["mean"].to_numpy() for frame in segments.values()])
    sums = means.sum(axis=0)
    weights = np.array([recent[name] for name in segments], dtype=float)
    fallback = weights / weights.sum() if weights.sum() > 0 else np.full(len(segments), 1 / len(segments))
    shares = np.where(sums > 0, means / np.where(sums > 0, sums, 1.0), fallback[:, None])
    total_mean = total["mean"].to_numpy()
    # Relative band of the total, used where a segment's own mean is zero and cannot be scaled.
    rel_lower = np.divide(total["lower"].to_numpy(), total_mean, out=np.zeros_like(total_mean), where=total_mean > 0)
    rel_upper = np.divide(total["upper"].to_numpy(), total_mean, out=np.ones_like(total_mean), where=total_mean > 0)
    result = {}
    for i, (name, frame) in enumerate(segments.items()):
        mean = total_mean * shares[i]
        own = frame["mean"].to_numpy()
        ratio = np.divide(mean, own, out=np.zeros_like(mean), where=own > 0)
        lower = np.where(own > 0, frame["lower"].to_numpy() * ratio, mean * rel_lower)
        upper = np.where(own > 0, frame["upper"].to_numpy() * ratio, mean * rel_upper)
        result[name] = frame.assign(mean=mean, lower=lower, upper=np.maximum(upper, mean))
    return result


def bottom_up(total: pd.DataFrame, segments: list[pd.DataFrame]) -> pd.DataFrame:
    """The total as the sum of segment means, keeping the total model's interval half-widths around it."""
    mean = np.sum([frame["mean"].to_numpy() for frame in segments], axis=0)
    below = (total["mean"] - total["lower"]).to_numpy()
    above = (total["upper"] - total["mean"]).to_numpy()
    return total.assign(mean=mean, lower=np.clip(mean - below, 0, None), upper=mean + above)


def _on_index(series: pd.Series, history: pd.Series) -> pd.Series:
    """``series`` on the total's months (missing months 0, months after the total's end dropped)."""
    if history.empty:
        return series
    start = min(series.index.min(), history.index[0]) if len(series) else history.index[0]
    index = pd.date_range(
        start, history.index[-1], freq=cast(pd.DatetimeIndex, history.index).freq, name=history.index.name
    )
    return series.astype(float).reindex(index, fill_value=0.0)
