"""Small statistics and number wording shared by the step-1 analyses (ICP, performers, forecast accuracy)."""

from __future__ import annotations

import math

Z95 = 1.959963984540054
"""Two-sided 95 % normal quantile."""


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of a proportion: honest for small samples and rates near 0 or 1; None without trials."""
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def money(value: float) -> str:
    """A compact amount for sentences: $850, $42k, $1.3M."""
    size = abs(value)
    if size >= 1_000_000:
        return f"${value / 1_000_000:.1f}M"
    if size >= 10_000:
        return f"${value / 1_000:.0f}k"
    if size >= 1_000:
        return f"${value / 1_000:.1f}k"
    return f"${value:.0f}"


def percent(value: float) -> str:
    """A fraction as a whole percentage with the space the app's wording uses: 0.384 -> "38 %"."""
    return f"{value * 100:.0f} %"
