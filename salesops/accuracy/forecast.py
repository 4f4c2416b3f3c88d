"""Forecast vs actual: what was expected of a month before it began against what it booked.

A deals export holds each deal as it stands today, so its probabilities and expected revenue are not a forecast
anyone made for a past month; summing them would invent one. The forecast here is the weighted open pipeline the
tool stored at a deals import before the month began (:mod:`salesops.accuracy.snapshots`); commit is the amount of
the deals in forecast category Commit or Closed in that snapshot; actual is the won amount closed in the month.
Signed error = (forecast − actual) / actual, per month with bookings. A rep is flagged when, over 3+ such months,
the mean signed error is beyond ±25 % and has the same sign in most of those months. :func:`plan_vs_actual`
compares a saved plan instead.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

import pandas as pd
from sqlalchemy import ColumnElement, Connection, func, select
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from salesops.accuracy.snapshots import forecasts_before, snapshot_dates
from salesops.asof import resolve_as_of
from salesops.filters import Filters
from salesops.formatting import percent
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.kpi import definitions as d
from salesops.kpi.sqlfilters import NO_FILTERS, deal_conditions, grouped
from salesops.store.schema import deals
from salesops.store.sqlfn import month_of

FLAG_MIN_MONTHS = 3
FLAG_MEAN_ERROR = 0.25
MONTH_COLUMNS = ["month", "snapshot", "deals", "forecast", "commit", "actual", "error_pct", "commit_error_pct"]
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


def _actuals(conn: Connection, workspace_id: int, filters: Filters, months: list[str]) -> pd.DataFrame:
    """Won revenue per owner and close month for ``months``: columns rep, month, actual."""
    first, last = months[0], months[-1]
    start = date(int(first[:4]), int(first[5:7]), 1)
    end = date(int(last[:4]), int(last[5:7]), calendar.monthrange(int(last[:4]), int(last[5:7]))[1])
    rows = select(
        deals.c.owner.label("rep"), month_of(deals.c.close_date, conn.dialect.name).label("month"), deals.c.amount
    ).where(*deal_conditions(workspace_id, replace(filters, start=start, end=end), deals.c.close_date))
    rows = rows.where(deals.c.status == "won")
    query = grouped(rows, ["rep", "month"], lambda c: [func.coalesce(func.sum(c.amount), 0.0).label("actual")])
    frame = pd.DataFrame(conn.execute(query).all(), columns=["rep", "month", "actual"])
    return frame[frame["month"].isin(months)].astype({"actual": float})


def _no_comparison(conn: Connection, workspace_id: int, lang: str) -> str:
    """Why there is nothing to compare yet, and what would make it possible."""
    dates = snapshot_dates(conn, workspace_id)
    text = translate(
        "A past forecast is what was expected of a month before it began. This export holds none: its probabilities "
        "and expected revenue are today's, so summing them over past months would invent a forecast.",
        lang,
    )
    if not dates:
        return (
            text
            + " "
            + translate(
                "The tool stores the weighted open pipeline at each deals import; none is stored yet (no import has "
                "held open deals expected to close after its as-of date).",
                lang,
            )
        )
    return (
        text
        + " "
        + translate(
            "The tool stored the weighted open pipeline at {n} import(s), the latest as of {day}. Import a newer "
            "export once the months after it have closed to compare what was expected with what was booked.",
            lang,
            n=len(dates),
            day=dates[-1].isoformat(),
        )
    )


def forecast_vs_actual(
    conn: Connection, workspace_id: int, filters: Filters = NO_FILTERS, *, lang: str = DEFAULT_LANGUAGE
) -> AccuracyResult:
    """Forecast (the weighted open pipeline a snapshot expected of a month before it began), commit and won revenue
    per complete month up to the as-of date, total and per rep (:mod:`salesops.accuracy.snapshots`).

    Without a snapshot taken before a complete month, the frames are empty and the note says so plainly: a deal
    export's own probabilities and expected revenue are today's, not a forecast made at the time.
    """
    as_of = resolve_as_of(conn, workspace_id, filters.as_of)
    empty = AccuracyResult(
        pd.DataFrame(columns=MONTH_COLUMNS),
        pd.DataFrame(columns=REP_MONTH_COLUMNS),
        pd.DataFrame(columns=REP_COLUMNS),
        (),
        "",
    )
    expected = forecasts_before(conn, workspace_id, filters, as_of) if as_of is not None else pd.DataFrame()
    if expected.empty:
        return replace(empty, note=_no_comparison(conn, workspace_id, lang))
    expected = expected.rename(columns={"owner": "rep", "weighted": "forecast", "commit_amount": "commit"})
    months = sorted(expected["month"].unique())
    taken = expected.groupby("month")["as_of"].first().dt.strftime("%Y-%m-%d")
    raw = expected.merge(_actuals(conn, workspace_id, filters, months), on=["rep", "month"], how="outer")
    raw = raw.fillna({"deals": 0, "forecast": 0.0, "commit": 0.0, "actual": 0.0})
    raw = raw.astype({"deals": "int64", "rep": "object"}).fillna({"rep": "(no owner)"})
    raw["snapshot"] = raw["month"].map(taken)
    figures = ["deals", "forecast", "commit", "actual"]
    by_rep = _with_errors(raw.sort_values(["rep", "month"], ignore_index=True))[REP_MONTH_COLUMNS]
    monthly = raw.groupby(["month", "snapshot"], as_index=False, sort=True)[figures].sum()
    monthly = _with_errors(monthly)[MONTH_COLUMNS]
    reps = rep_bias(by_rep, lang)
    note = translate(
        "Forecast = the weighted open pipeline the tool stored at the import before each month began (column "
        "snapshot: its as-of date), for the deals expected to close in that month; actual = won revenue closed in "
        "it, including deals the snapshot did not hold yet.",
        lang,
    )
    flags = tuple(text for text in reps["statement"] if isinstance(text, str))
    return AccuracyResult(monthly, by_rep, reps, flags, note)


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
