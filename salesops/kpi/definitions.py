"""The KPI formulas of docs/architecture.md "Definitions", in one place: pure functions over what SQL returns.

Every function returns None rather than dividing by zero or inventing a value, so the UI shows "n/a" honestly.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta

from salesops.filters import Filters


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or None when the denominator is zero."""
    return None if not denominator else numerator / denominator


def win_rate(won: int, lost: int) -> float | None:
    """Won / (won + lost) among deals closed in the period, as a fraction; None without closed deals."""
    return ratio(won, won + lost)


def avg_deal_size(won_revenue: float, deals_won: int) -> float | None:
    """Won revenue per won deal; None without won deals."""
    return ratio(won_revenue, deals_won)


def median_from_counts(counts: Iterable[tuple[float, int]]) -> float | None:
    """Median of a distribution given as (value, how many) pairs, so SQL can ship per-day counts instead of rows."""
    pairs = sorted((float(value), int(n)) for value, n in counts if n > 0)
    total = sum(n for _, n in pairs)
    if total == 0:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2  # 0-based ranks of the middle value(s)
    middle: list[float] = []
    seen = 0
    for value, n in pairs:
        seen += n
        middle += [value] * ((lower_rank < seen) + (upper_rank < seen) - len(middle))
        if len(middle) == 2:
            break
    return (middle[0] + middle[1]) / 2


def weighted_pipeline(
    weighted_known: float, amount_without_probability: float, fallback_rate: float | None
) -> float | None:
    """Open amounts × probability/100, where a deal without probability is weighted by the empirical win rate.

    None when some open amount has no probability and there is no win rate to fall back on.
    """
    if not amount_without_probability:
        return weighted_known
    if fallback_rate is None:
        return None
    return weighted_known + amount_without_probability * fallback_rate


def pipeline_coverage(weighted: float | None, target: float | None, won_revenue: float) -> float | None:
    """Weighted open pipeline / (target - won revenue); None without a target or when the target is already met."""
    if target is None or weighted is None:
        return None
    remaining = target - won_revenue
    return None if remaining <= 0 else weighted / remaining


def velocity(open_deals: int, rate: float | None, deal_size: float | None, cycle_days: float | None) -> float | None:
    """Sales velocity in revenue per day: open deals × win rate × average deal size / cycle length in days."""
    if rate is None or deal_size is None or not cycle_days or cycle_days <= 0:
        return None
    return open_deals * rate * deal_size / cycle_days


def growth(current: float, previous: float) -> float | None:
    """Relative change ``current / previous - 1``; None when the previous value is zero."""
    return None if not previous else current / previous - 1


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def last_complete_unit(start: date, end: date, months: int) -> date | None:
    """First day of the latest calendar unit of ``months`` months (1, 3 or 12) lying wholly inside [start, end]."""
    unit_start = _month_start(end)
    unit_start = _month_start(unit_start, (unit_start.month - 1) % months)  # align quarters and years
    if _month_end(_month_start(unit_start, -(months - 1))) > end:
        unit_start = _month_start(unit_start, months)
    return unit_start if unit_start >= start else None


def growth_lookback(start: date, end: date) -> date:
    """The earliest day whose won revenue the MoM/QoQ/YoY growth figures of [start, end] need."""
    earliest = start
    for months in (1, 3, 12):
        unit = last_complete_unit(start, end, months)
        if unit is not None:
            earliest = min(earliest, _month_start(unit, months))
    return earliest


def growth_units(start: date, end: date) -> dict[str, tuple[date, date] | None]:
    """For MoM, QoQ and YoY growth: the first day of the compared unit and of the unit before (None: too short)."""
    units: dict[str, tuple[date, date] | None] = {}
    for name, months in (("growth_mom", 1), ("growth_qoq", 3), ("growth_yoy", 12)):
        unit = last_complete_unit(start, end, months)
        units[name] = None if unit is None else (unit, _month_start(unit, months))
    return units


def period_growth(monthly: Mapping[str, float], start: date, end: date) -> dict[str, float | None]:
    """MoM, QoQ, YoY growth of won revenue: the last complete month/quarter/year in [start, end] vs the one before.

    ``monthly`` maps ``YYYY-MM`` to won revenue (months without a key count as zero).
    """
    result: dict[str, float | None] = {}
    for name, months in (("growth_mom", 1), ("growth_qoq", 3), ("growth_yoy", 12)):
        unit = last_complete_unit(start, end, months)
        if unit is None:
            result[name] = None
            continue

        def total(first: date, months: int = months) -> float:
            return sum(
                monthly.get(f"{m.year:04d}-{m.month:02d}", 0.0)
                for m in (_month_start(first, -i) for i in range(months))
            )

        result[name] = growth(total(unit), total(_month_start(unit, months)))
    return result


def previous_period(filters: Filters) -> Filters:
    """The same filters over the period of equal length just before, for "change vs previous period" tiles.

    A period of whole calendar months (e.g. a quarter) maps onto the same number of whole months before it.
    Raises ValueError for an open-ended period.
    """
    if filters.start is None or filters.end is None:
        raise ValueError("The previous period needs both a start and an end date.")
    start, end = filters.start, filters.end
    if start.day == 1 and end == _month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return replace(filters, start=_month_start(start, months), end=start - timedelta(days=1))
    length = end - start
    return replace(filters, start=start - length - timedelta(days=1), end=start - timedelta(days=1))
