"""Small statistics shared by the step-1 analyses (ICP, performers, forecast accuracy); wording is in formatting."""

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
