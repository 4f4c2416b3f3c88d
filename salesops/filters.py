"""The filter set shared by every page and KPI query: period plus rep/team/region/segment/source/product."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the data to; empty tuples mean "all". ``as_of`` is the day the data describe (None:
    the default of :mod:`salesops.asof`); a period without an end ends at its last complete month."""

    start: date | None = None
    end: date | None = None
    reps: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    as_of: date | None = None
    # Deals in several currencies are never added together: figures then cover one currency at a time.
    currency: str | None = None
