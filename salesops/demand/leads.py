"""Demand implied by the leads marketing delivers, and the leads needed to hit a revenue target.

A lead's path to revenue: converted (lead → opportunity) at its score band's historical conversion, then won at
the workspace's win rate, at the average won deal size, ``lag_months`` after the lead was created (median days
from lead created to converted plus the median won-deal cycle, in 30.4-day months, rounded).

- Score bands: 0-20, 20-40, 40-60, 60-80, 80-100 of ``leads.score`` (written by :mod:`salesops.scoring`), plus
  "unscored". Without any score every lead is "unscored", the overall conversion is used and every lead counts as
  qualified (the note says so).
- Conversion of a band = converted / leads with a known outcome: converted, or flagged not converted and created
  more than ``OPEN_DAYS`` days before the newest lead (the scoring module's rule, without its status patterns).
- Lead volume: leads created per month by band; months before the first forecast month are the real cohorts,
  later ones the mean of the last 3 complete months x (1 + ``lead_volume_change_pct`` / 100).
- Revenue in month m = sum over bands of cohort(m - lag) x conversion x win rate x average deal size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Connection, case, func, select

from salesops import kpi
from salesops.asof import default_as_of
from salesops.demand.calendar import first_forecast_month
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.kpi.sqlfilters import grouped
from salesops.scoring.store import OPEN_DAYS
from salesops.store.schema import leads
from salesops.store.sqlfn import days_between, month_of

BAND_EDGES = (0, 20, 40, 60, 80)
UNSCORED = "unscored"
RUN_RATE_MONTHS = 3
DAYS_PER_MONTH = 30.4375
QUALIFIED_SCORE = 60.0
FRAME_COLUMNS = ("period", "leads", "qualified_leads", "wins", "revenue")
BAND_COLUMNS = ("band", "leads_with_outcome", "converted", "conversion", "monthly_leads")


@dataclass(frozen=True)
class LeadDemand:
    """Revenue implied by lead cohorts per month, with the rates behind it."""

    frame: pd.DataFrame  # FRAME_COLUMNS; period = month start Timestamp, from the first forecast month
    bands: pd.DataFrame  # BAND_COLUMNS, one row per score band (and "unscored" when some leads have no score)
    win_rate: float  # won / closed deals
    avg_deal_size: float  # won revenue / won deals
    lag_months: int  # lead created → deal closed
    threshold: float  # score at or above which a lead is "qualified"
    qualified_conversion: float  # probability a qualified lead becomes a won deal (conversion x win rate)
    qualified_monthly: float  # qualified leads per month at the run rate, before the volume change
    note: str


def leads_needed(target_revenue_per_month: float, conversion: float, avg_deal_size: float) -> float:
    """Leads per month that yield ``target_revenue_per_month`` when each becomes a won deal with probability
    ``conversion`` at ``avg_deal_size``; ``math.inf`` when either is 0 (no number of leads is enough)."""
    if target_revenue_per_month <= 0:
        return 0.0
    if conversion <= 0 or avg_deal_size <= 0:
        return math.inf
    return target_revenue_per_month / (conversion * avg_deal_size)


def leads_needed_frame(target_revenue: pd.Series, demand: LeadDemand) -> pd.DataFrame:
    """Per revenue month of ``target_revenue`` (index: month starts): the qualified leads that must be created
    ``lag_months`` earlier, against the qualified leads the run rate gives (``shortfall`` > 0: marketing is short)."""
    needed = [leads_needed(float(v), demand.qualified_conversion, demand.avg_deal_size) for v in target_revenue]
    months = pd.DatetimeIndex(target_revenue.index)
    return pd.DataFrame(
        {
            "period": months - pd.DateOffset(months=demand.lag_months),
            "revenue_month": months,
            "target_revenue": target_revenue.to_numpy(dtype=float),
            "qualified_leads_needed": needed,
            "qualified_leads_expected": demand.qualified_monthly,
        }
    ).assign(shortfall=lambda f: f["qualified_leads_needed"] - f["qualified_leads_expected"])


@dataclass(frozen=True)
class LeadHistory:
    """What the store says about leads and deals, read once per data version; projections reuse it."""

    cohorts: pd.DataFrame  # lead_cohorts() frame
    start: pd.Period  # first forecast month
    win_rate: float
    avg_deal_size: float
    lag_months: int
    threshold: float


def lead_history(
    conn: Connection, workspace_id: int, *, threshold: float = QUALIFIED_SCORE, as_of: date | None = None
) -> LeadHistory:
    """Read lead cohorts, win rate, deal size and the lead-to-close lag (the SQL part of :func:`lead_demand`)."""
    cohorts = lead_cohorts(conn, workspace_id, threshold)
    as_of = as_of or default_as_of(conn, workspace_id) or date.today()
    start = first_forecast_month(as_of)
    if cohorts.empty:
        return LeadHistory(cohorts, start, 0.0, 0.0, 0, threshold)
    summary = kpi.summary(conn, workspace_id)
    lag = lag_months(_conversion_days(conn, workspace_id), summary.get("median_cycle_days"))
    return LeadHistory(
        cohorts,
        start,
        float(summary.get("win_rate") or 0.0),
        float(summary.get("avg_deal_size") or 0.0),
        lag,
        threshold,
    )


def project_leads(
    history: LeadHistory, horizon: int = 12, lead_volume_change_pct: float = 0.0, lang: str = DEFAULT_LANGUAGE
) -> LeadDemand:
    """Revenue from lead cohorts for ``horizon`` months (pure: a lead-volume slider re-projects without SQL); the
    note in ``lang``."""
    if horizon < 1:
        raise ValueError("The horizon must be at least one month.")
    cohorts, start, threshold = history.cohorts, history.start, history.threshold
    win_rate, avg_size, lag = history.win_rate, history.avg_deal_size, history.lag_months
    if cohorts.empty:
        periods = pd.DatetimeIndex([(start + k).to_timestamp() for k in range(horizon)], name="period")
        frame = pd.DataFrame({"period": periods, **dict.fromkeys(FRAME_COLUMNS[1:], 0.0)})
        note = translate("No leads in this workspace: import a leads export to see lead-based demand.", lang)
        return LeadDemand(frame, pd.DataFrame(columns=list(BAND_COLUMNS)), 0.0, 0.0, 0, threshold, 0.0, 0.0, note)
    bands = band_table(cohorts, start)
    scored = bool((bands["band"] != UNSCORED).any())
    if not scored:
        cohorts = cohorts.assign(qualified=True)  # no score to qualify by: every lead counts
    frame = project(
        cohorts,
        bands,
        start,
        horizon,
        lag=lag,
        lead_volume_change_pct=lead_volume_change_pct,
        win_rate=win_rate,
        avg_deal_size=avg_size,
    )
    qualified = cohorts[cohorts["qualified"]]
    q_known = float(qualified["known"].sum())
    q_conversion = float(qualified["converted"].sum()) / q_known if q_known else 0.0
    q_monthly = float(_run_rate(qualified, start).sum())
    note = (
        translate(
            "Conversion by score band from {n} leads with a known outcome",
            lang,
            n=int(bands["leads_with_outcome"].sum()),
        )
        if scored
        else translate("No lead scores yet (run lead scoring in step 1): every lead uses the overall conversion", lang)
    )
    change = f", {lead_volume_change_pct:+.0f} %" if lead_volume_change_pct else ""
    note += translate(
        "; converted leads win at {rate} with an average deal of {size}, {lag} month(s) after the lead was created. "
        "New leads per month: mean of the last {months} complete months{change}.",
        lang,
        rate=f"{win_rate:.0%}",
        size=f"{avg_size:,.0f}",
        lag=lag,
        months=RUN_RATE_MONTHS,
        change=change,
    )
    return LeadDemand(frame, bands, win_rate, avg_size, lag, threshold, q_conversion * win_rate, q_monthly, note)


def lead_demand(
    conn: Connection,
    workspace_id: int,
    horizon: int = 12,
    lead_volume_change_pct: float = 0.0,
    *,
    threshold: float = QUALIFIED_SCORE,
    as_of: date | None = None,
) -> LeadDemand:
    """Revenue from lead cohorts for ``horizon`` months after ``as_of`` (default: the last day of deal data)."""
    if horizon < 1:
        raise ValueError("The horizon must be at least one month.")
    history = lead_history(conn, workspace_id, threshold=threshold, as_of=as_of)
    return project_leads(history, horizon, lead_volume_change_pct)


def lead_cohorts(conn: Connection, workspace_id: int, threshold: float) -> pd.DataFrame:
    """Leads per (band, qualified, created month) with how many have a known outcome and how many converted."""
    newest = _newest_lead(conn, workspace_id)
    cutoff = (newest or date.today()) - timedelta(days=OPEN_DAYS)
    score = leads.c.score
    band = case(
        (score.is_(None), UNSCORED),
        *[(score >= edge, f"{edge}-{edge + 20}") for edge in reversed(BAND_EDGES[1:])],
        else_=f"0-{BAND_EDGES[1]}",
    )
    converted = leads.c.converted.is_(True)
    known = converted | (
        leads.c.converted.is_(False) & (leads.c.created_date.is_(None) | (leads.c.created_date < cutoff))
    )
    rows = select(
        band.label("band"),
        case((score >= threshold, 1), else_=0).label("qualified"),
        month_of(leads.c.created_date, conn.dialect.name).label("month"),
        case((known, 1), else_=0).label("known"),
        case((converted, 1), else_=0).label("converted"),
    ).where(leads.c.workspace_id == workspace_id)

    def measures(c):  # type: ignore[no-untyped-def]
        return [func.count().label("leads"), func.sum(c.known).label("k"), func.sum(c.converted).label("cv")]

    data = conn.execute(grouped(rows, ["band", "qualified", "month"], measures)).all()
    frame = pd.DataFrame(data, columns=["band", "qualified", "month", "leads", "known", "converted"])
    frame["month"] = pd.to_datetime(frame["month"].astype("string") + "-01", errors="coerce")
    frame["qualified"] = frame["qualified"].astype(int).astype(bool)
    return frame.astype({"band": str, "leads": float, "known": float, "converted": float})


def band_table(cohorts: pd.DataFrame, start: pd.Period) -> pd.DataFrame:
    """BAND_COLUMNS per band; with no scored lead, the one "unscored" row carries the overall conversion."""
    sums = cohorts.groupby("band")[["known", "converted"]].sum()
    order = [f"{e}-{e + 20}" for e in BAND_EDGES] + [UNSCORED]
    sums = sums.reindex([b for b in order if b in sums.index])
    table = pd.DataFrame(
        {
            "band": sums.index.astype(str),
            "leads_with_outcome": sums["known"].to_numpy(dtype=int),
            "converted": sums["converted"].to_numpy(dtype=int),
        }
    )
    known = sums["known"].to_numpy(dtype=float)
    table["conversion"] = np.divide(sums["converted"].to_numpy(float), known, out=np.zeros_like(known), where=known > 0)
    rate = _run_rate(cohorts, start)
    table["monthly_leads"] = table["band"].map(rate).fillna(0.0).astype(float)
    return table


def project(
    cohorts: pd.DataFrame,
    bands: pd.DataFrame,
    start: pd.Period,
    horizon: int,
    *,
    lag: int,
    lead_volume_change_pct: float,
    win_rate: float,
    avg_deal_size: float,
) -> pd.DataFrame:
    """FRAME_COLUMNS for ``horizon`` months from ``start``: wins from real cohorts created before ``start``, from the
    run rate x the volume change after; ``leads``/``qualified_leads`` are the new leads created in each month."""
    periods = pd.DatetimeIndex([(start + k).to_timestamp() for k in range(horizon)], name="period")
    conversion = bands.set_index("band")["conversion"]
    change = max(1 + lead_volume_change_pct / 100, 0.0)
    run_rate = bands.set_index("band")["monthly_leads"] * change
    converted = cohorts["leads"] * cohorts["band"].map(conversion).fillna(0.0)
    real = converted.groupby(cohorts["month"]).sum()
    projected = float((run_rate * conversion.reindex(run_rate.index).fillna(0.0)).sum())
    cohort_months = periods - pd.DateOffset(months=lag)
    first = start.to_timestamp()
    conversions = np.array([projected if m >= first else float(real.get(m, 0.0)) for m in cohort_months])
    wins = conversions * win_rate
    return pd.DataFrame(
        {
            "period": periods,
            "leads": float(run_rate.sum()),
            "qualified_leads": float(_run_rate(cohorts[cohorts["qualified"]], start).sum() * change),
            "wins": wins,
            "revenue": wins * avg_deal_size,
        }
    )


def lag_months(conversion_days: pd.Series, median_cycle_days: float | None) -> int:
    """Whole months from lead created to deal closed: median conversion days (index days, values counts) plus the
    median won-deal cycle."""
    days = 0.0
    if conversion_days.sum() > 0:
        ordered = conversion_days.sort_index()
        cumulative = ordered.cumsum() / ordered.sum()
        days += float(cumulative[cumulative >= 0.5].index[0])
    days += float(median_cycle_days or 0.0)
    return max(round(days / DAYS_PER_MONTH), 0)


def _conversion_days(conn: Connection, workspace_id: int) -> pd.Series:
    """Converted leads per whole number of days from created to converted (negative gaps dropped)."""
    gap = days_between(leads.c.created_date, leads.c.converted_date, conn.dialect.name)
    rows = select(func.round(gap).label("days")).where(
        leads.c.workspace_id == workspace_id,
        leads.c.converted.is_(True),
        leads.c.created_date.is_not(None),
        leads.c.converted_date.is_not(None),
    )
    data = conn.execute(grouped(rows, ["days"], lambda c: [func.count().label("n")])).all()
    series = pd.Series({float(d): float(n) for d, n in data}, dtype=float)
    return series[series.index >= 0]


def _run_rate(cohorts: pd.DataFrame, start: pd.Period) -> pd.Series:
    """Mean leads per month by band over the RUN_RATE_MONTHS months before ``start``."""
    first = (start - RUN_RATE_MONTHS).to_timestamp()
    window = cohorts[(cohorts["month"] >= first) & (cohorts["month"] < start.to_timestamp())]
    return window.groupby("band")["leads"].sum() / RUN_RATE_MONTHS


def _newest_lead(conn: Connection, workspace_id: int) -> date | None:
    value = conn.execute(select(func.max(leads.c.created_date)).where(leads.c.workspace_id == workspace_id)).scalar()
    return None if value is None else pd.Timestamp(value).date()
