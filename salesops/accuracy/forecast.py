"""Forecast vs actual: what the deals' own forecast fields said about a month against what was booked.

The store holds each deal as it stands now, so the "forecast" is a snapshot: the expected revenue (or amount ×
probability / 100) of the deals whose close date falls in a month, with today's probabilities, not what reps
forecast at the time. It still shows reps who leave past-dated deals at high probability or in Commit. Commit =
amount of deals in forecast category Commit or Closed; actual = won amount. Signed error = (forecast − actual) /
actual, per month with bookings. A rep is flagged when, over 3+ such months, the mean signed error is beyond
±25 % and has the same sign in most of those months. :func:`plan_vs_actual` compares a saved plan instead.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

import pandas as pd
from sqlalchemy import ColumnElement, Connection, case, func, select
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from salesops.filters import Filters
from salesops.formatting import percent
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.kpi import definitions as d
from salesops.kpi.outputs import resolve_period
from salesops.kpi.sqlfilters import NO_FILTERS, deal_conditions, grouped
from salesops.store.schema import deals
from salesops.store.sqlfn import in_workspace_scan, month_of

COMMIT_CATEGORIES = ("commit", "closed")
FLAG_MIN_MONTHS = 3
FLAG_MEAN_ERROR = 0.25
MONTH_COLUMNS = ["month", "deals", "forecast", "commit", "actual", "error_pct", "commit_error_pct"]
REP_MONTH_COLUMNS = ["rep", *MONTH_COLUMNS]
REP_COLUMNS = ["rep", "months", "mean_error_pct", "months_over", "months_under", "flagged", "statement"]
PLAN_COLUMNS = ["period", "plan", "actual", "variance", "variance_pct"]
_PERIOD = re.compile(r"^\d{4}-\d{2}")


@dataclass(frozen=True)
class AccuracyResult:
    """Forecast, commit and actual per month (``monthly``) and per rep and month (``by_rep``), each rep's
    systematic error (``reps``), plain-words flags for the reps who are off, and a note on what the figures mean."""

    monthly: pd.DataFrame
    by_rep: pd.DataFrame
    reps: pd.DataFrame
    flags: tuple[str, ...]
    note: str


def _error(value: float, actual: float) -> float | None:
    return None if actual <= 0 else (value - actual) / actual


def _with_errors(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["error_pct"] = [_error(f, a) for f, a in zip(frame["forecast"], frame["actual"], strict=True)]
    frame["commit_error_pct"] = [_error(c, a) for c, a in zip(frame["commit"], frame["actual"], strict=True)]
    return frame


def rep_bias(by_rep: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Per rep: months with bookings, mean signed forecast error, months over/under, and whether it is systematic."""
    errors = pd.to_numeric(by_rep["error_pct"], errors="coerce").astype(float)
    months = pd.DataFrame({"rep": by_rep["rep"], "error": errors, "over": errors > 0, "under": errors < 0})
    per_rep = months.groupby("rep", sort=True).agg(
        n=("error", "count"), mean=("error", "mean"), over=("over", "sum"), under=("under", "sum")
    )
    records = []
    for rep, count, average, over_, under_ in zip(
        per_rep.index, per_rep["n"], per_rep["mean"], per_rep["over"], per_rep["under"], strict=True
    ):
        n, over, under = int(count), int(over_), int(under_)
        mean = float(average) if n else None
        same_sign = over if (mean or 0) > 0 else under
        flagged = bool(n >= FLAG_MIN_MONTHS and mean is not None and abs(mean) > FLAG_MEAN_ERROR and same_sign > n / 2)
        text = None
        if flagged and mean is not None:
            template = (
                "{rep} over-forecasts by {p} on average, over in {k} of {n} months"
                if mean > 0
                else "{rep} under-forecasts by {p} on average, under in {k} of {n} months"
            )
            text = translate(template, lang, rep=rep, p=percent(abs(mean)), k=same_sign, n=n)
        records.append(
            {
                "rep": rep,
                "months": n,
                "mean_error_pct": mean,
                "months_over": over,
                "months_under": under,
                "flagged": flagged,
                "statement": text,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=REP_COLUMNS)
    return frame.sort_values(["flagged", "rep"], ascending=[False, True], ignore_index=True)


def forecast_vs_actual(
    conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS, *, lang: str = DEFAULT_LANGUAGE
) -> AccuracyResult:
    """Forecast (expected revenue), commit and won revenue of the deals closing in each month, total and per rep.

    Months are close-date months within the filter's period; without an end date they stop at the last closed
    deal, as later months have nothing booked to compare yet. Without any probability, expected revenue or
    forecast category the frames are empty and the note says so.
    """
    if filters.end is None:
        filters = replace(filters, end=resolve_period(conn, workspace_id, filters)[1])
    known = deals.c.expected_revenue.is_not(None) | deals.c.probability.is_not(None)
    expected = func.coalesce(deals.c.expected_revenue, deals.c.amount * deals.c.probability / 100.0)
    committed = func.lower(deals.c.forecast_category).in_(COMMIT_CATEGORIES)
    rows = select(
        deals.c.owner.label("rep"),
        month_of(deals.c.close_date, conn.dialect.name).label("month"),
        expected.label("expected"),
        case((committed, deals.c.amount), else_=0.0).label("committed"),
        case((deals.c.status == "won", deals.c.amount), else_=0.0).label("won"),
        case((known, 1), else_=0).label("known"),
        case((deals.c.forecast_category.is_not(None), 1), else_=0).label("categorised"),
    ).where(
        # The first of the deal conditions is the workspace's: read as one table scan (no index covers the forecast).
        in_workspace_scan(deals.c.workspace_id, workspace_id, conn.dialect.name),
        *deal_conditions(workspace_id, filters, deals.c.close_date)[1:],
        deals.c.close_date.is_not(None),
    )
    query = grouped(
        rows,
        ["rep", "month"],
        lambda c: [
            func.count().label("deals"),
            func.coalesce(func.sum(c.expected), 0.0).label("forecast"),
            func.coalesce(func.sum(c.committed), 0.0).label("commit"),
            func.coalesce(func.sum(c.won), 0.0).label("actual"),
            func.sum(c.known).label("known"),
            func.sum(c.categorised).label("categorised"),
        ],
    )
    names = ["rep", "month", "deals", "forecast", "commit", "actual", "known", "cat"]
    # Column-wise: building a frame from 100,000s of SQLAlchemy rows one by one costs more than the query.
    fetched = conn.execute(query).all()
    raw = pd.DataFrame(dict(zip(names, zip(*fetched, strict=True), strict=True)) if fetched else {}, columns=names)
    empty = AccuracyResult(
        pd.DataFrame(columns=MONTH_COLUMNS),
        pd.DataFrame(columns=REP_MONTH_COLUMNS),
        pd.DataFrame(columns=REP_COLUMNS),
        (),
        "",
    )
    if raw.empty:
        return replace(empty, note=translate("No deals with a close date in the selection.", lang))
    raw = raw.astype({"deals": "int64", "forecast": float, "commit": float, "actual": float})
    raw = raw.astype({"known": "int64", "cat": "int64", "rep": "object"}).fillna({"rep": "(no owner)"})
    if not raw["known"].sum() and not raw["cat"].sum():
        return replace(
            empty,
            note=translate(
                "Deals carry no probability, expected revenue or forecast category, so there is no forecast to "
                "compare with what was booked.",
                lang,
            ),
        )
    figures = ["deals", "forecast", "commit", "actual"]
    by_rep = _with_errors(raw.sort_values(["rep", "month"], ignore_index=True))[REP_MONTH_COLUMNS]
    monthly = _with_errors(raw.groupby("month", as_index=False, sort=True)[figures].sum())[MONTH_COLUMNS]
    reps = rep_bias(by_rep, lang)
    notes = [
        translate(
            "Forecast = expected revenue of the deals closing in each month as they stand now: a snapshot of "
            "today's probabilities, not the forecast made at the time.",
            lang,
        )
    ]
    missing = int(raw["deals"].sum() - raw["known"].sum())
    if missing:
        notes.append(translate("{n} deal(s) without probability or expected revenue count as 0.", lang, n=missing))
    if not raw["cat"].sum():
        notes.append(translate("No deal has a forecast category, so commit is 0 throughout.", lang))
    flags = tuple(text for text in reps["statement"] if isinstance(text, str))
    return AccuracyResult(monthly, by_rep, reps, flags, " ".join(notes))


def _period_key(value: object) -> str:
    """``YYYY-MM`` of a date, timestamp or text period ("2025-03", "2025-03-01")."""
    if isinstance(value, date | pd.Timestamp):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    if not _PERIOD.match(text):
        raise ValueError(f"Plan period {value!r} is not a month (expected YYYY-MM or a date).")
    return text[:7]


def plan_vs_actual(
    conn: Connection, workspace_id: int, plan: pd.DataFrame, *, metric: Literal["revenue", "deals"] = "revenue"
) -> pd.DataFrame:
    """A saved plan (columns ``period``, ``value``) against won revenue (or won deal count) per month.

    Columns: period (YYYY-MM), plan, actual, variance (actual − plan), variance_pct (variance / plan, None when the
    plan is 0). Several plan rows of one month are summed. Raises ValueError when the plan lacks those columns.
    """
    missing = {"period", "value"} - set(plan.columns)
    if missing:
        raise ValueError(f"The plan needs columns period and value (missing: {', '.join(sorted(missing))}).")
    if plan.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    planned = pd.DataFrame({"period": [_period_key(p) for p in plan["period"]], "plan": plan["value"].astype(float)})
    planned = planned.groupby("period", as_index=False, sort=True).agg(plan=("plan", "sum"))
    first, last = planned["period"].iloc[0], planned["period"].iloc[-1]
    start = date(int(first[:4]), int(first[5:7]), 1)
    year, month = int(last[:4]), int(last[5:7])
    end = date(year, month, calendar.monthrange(year, month)[1])
    bucket = month_of(deals.c.close_date, conn.dialect.name)
    rows = select(bucket.label("period"), deals.c.amount).where(
        *deal_conditions(workspace_id, Filters(start=start, end=end), deals.c.close_date), deals.c.status == "won"
    )

    def measure(c: ReadOnlyColumnCollection[str, Any]) -> list[ColumnElement[Any]]:
        if metric == "deals":
            return [func.count().label("actual")]
        return [func.coalesce(func.sum(c.amount), 0.0).label("actual")]

    query = grouped(rows, ["period"], measure)
    actual = {period: float(value) for period, value in conn.execute(query)}
    planned["actual"] = [actual.get(period, 0.0) for period in planned["period"]]
    planned["variance"] = planned["actual"] - planned["plan"]
    planned["variance_pct"] = [d.ratio(v, p) for v, p in zip(planned["variance"], planned["plan"], strict=True)]
    return planned[PLAN_COLUMNS]
