"""The sales team on the plan: who sells, their quota, tenure and the bookings behind their expected attainment.

Read once per data version (SQL); everything that depends on a slider (attainment under a ramp curve) is pure.

- Reps: active rows of the reps table; a deal owner matches a rep by name, else by id (as in the KPI layer).
  Without a reps table (or with only the stubs a deals import creates for its owners: no quota, no hire date),
  every owner with won deals in the last 12 complete months is a fully ramped rep whose
  annual quota is those 12 months' bookings (attainment 1), and the page says so.
- Attainment = booked ÷ prorated quota over the last 12 complete months, where the prorated quota counts each
  month at the rep's ramp for their tenure then; shrunk toward the team median by months of history:
  ``(n × own + K × median) ÷ (n + K)``, ``K = SHRINK_MONTHS``.
- Learned defaults: the ramp from how reps hired inside the history booked in their first months; the monthly
  attrition from inactive reps over the rep-months the table covers. Each falls back to a stated default.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from salesops.asof import default_as_of
from salesops.capacity.ramp import RampShape, ramp
from salesops.demand.calendar import first_forecast_month
from salesops.forecast.series import monthly_series
from salesops.store.schema import reps

WINDOW = 12
SHRINK_MONTHS = 6
DEFAULT_RAMP_MONTHS = 3
DEFAULT_ATTRITION = 0.015  # 1.5 % a month, about 17 % a year: a common figure for sales teams
DEFAULT_ATTAINMENT = 1.0
FULL_TENURE = 120  # months of tenure given to a rep without a hire date: fully ramped
RAMP_LEVEL = 0.8  # a new rep counts as ramped once their bookings reach 80 % of the mature median


@dataclass(frozen=True)
class Roster:
    """Active reps and their recent bookings, relative to the first plan month ``start``.

    ``reps``: rep, team, quota (annual), tenure0 (months of tenure in the first plan month, FULL_TENURE when
    unknown); ``booked``: reps x WINDOW array of won revenue in the 12 months before ``start`` (oldest first).
    """

    start: pd.Period
    reps: pd.DataFrame
    booked: np.ndarray
    from_table: bool  # False: reps derived from deal owners
    learned_ramp_months: int | None
    learned_attrition: float | None
    defaults_used: tuple[str, ...]


def _rep_rows(conn: Connection, workspace_id: int) -> pd.DataFrame:
    query = select(reps.c.id, reps.c.name, reps.c.team, reps.c.hire_date, reps.c.quota, reps.c.active).where(
        reps.c.workspace_id == workspace_id
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=["id", "name", "team", "hire_date", "quota", "active"])
    frame["rep"] = frame["name"].where(frame["name"].notna() & (frame["name"] != ""), frame["id"]).astype(str)
    frame["active"] = frame["active"].map(lambda v: True if v is None or pd.isna(v) else bool(v))
    return frame


def _months_between(later: pd.Period, earlier: pd.Series) -> pd.Series:
    """Whole months from each date of ``earlier`` to the month ``later`` (NaN where the date is missing)."""
    dates = pd.to_datetime(earlier, errors="coerce")
    return (later.year - dates.dt.year) * 12 + (later.month - dates.dt.month)


def load_roster(conn: Connection, workspace_id: int) -> Roster | None:
    """The team as of the month after the last complete month of data; None without any deal data."""
    last_day = default_as_of(conn, workspace_id)
    if last_day is None:
        return None
    start = first_forecast_month(last_day)
    wide = monthly_series(conn, workspace_id, "revenue", by="owner")
    assert isinstance(wide, pd.DataFrame)  # one column per owner with ``by``
    wide.index = pd.DatetimeIndex(wide.index).to_period("M")
    window = pd.period_range(start - WINDOW, start - 1, freq="M")
    rows = _rep_rows(conn, workspace_id)
    defaults: list[str] = []
    if rows.empty or (rows["quota"].isna().all() and rows["hire_date"].isna().all()):  # none, or stubs of owners
        recent = wide.reindex(window, fill_value=0.0).drop(columns=["(none)"], errors="ignore")
        recent = recent.loc[:, recent.sum() > 0]
        team = pd.DataFrame({"rep": recent.columns.astype(str), "team": None, "quota": recent.sum().to_numpy()})
        team["tenure0"] = FULL_TENURE
        booked = recent.T.to_numpy(dtype=float)
        defaults += ["reps", "quota", "hire_date"]
        return Roster(start, team, booked, False, None, None, (*defaults, "ramp_months", "attrition"))
    active = rows[rows["active"]].reset_index(drop=True)
    tenure = _months_between(start, active["hire_date"])
    if tenure.isna().any():
        defaults.append("hire_date")
    quota = active["quota"].astype(float)
    if quota.isna().any():
        defaults.append("quota")
        quota = quota.fillna(quota.median() if quota.notna().any() else np.nan)
    team = pd.DataFrame(
        {"rep": active["rep"], "team": active["team"], "quota": quota, "tenure0": tenure.fillna(FULL_TENURE)}
    )
    booked = wide.reindex(index=window, columns=team["rep"], fill_value=0.0).T.to_numpy(dtype=float)
    if team["quota"].isna().any():  # no quota anywhere: each rep's own last 12 months is their quota
        team["quota"] = np.where(team["quota"].isna(), booked.sum(axis=1), team["quota"])
    learned_ramp = learn_ramp_months(wide, rows, start)
    learned_attrition = learn_attrition(wide, rows, start)
    defaults += [] if learned_ramp is not None else ["ramp_months"]
    defaults += [] if learned_attrition is not None else ["attrition"]
    return Roster(start, team, booked, True, learned_ramp, learned_attrition, tuple(dict.fromkeys(defaults)))


def attainment(roster: Roster, ramp_months: int, shape: RampShape) -> tuple[np.ndarray, float, bool]:
    """Each rep's expected attainment (shrunk toward the median), the median, and whether the median is measured
    (False: no rep has history, the default 1.0 is used)."""
    if not roster.from_table:
        return np.ones(len(roster.reps)), DEFAULT_ATTAINMENT, True
    months = np.arange(-WINDOW, 0)[None, :]
    tenure = roster.reps["tenure0"].to_numpy(dtype=float)[:, None] + months
    expected = roster.reps["quota"].to_numpy(dtype=float)[:, None] / 12 * ramp(tenure, ramp_months, shape)
    history = (tenure >= 0).sum(axis=1).astype(float)
    due = expected.sum(axis=1)
    raw = np.divide(roster.booked.sum(axis=1), due, out=np.full(len(due), np.nan), where=due > 0)
    seasoned = raw[(history >= SHRINK_MONTHS) & np.isfinite(raw)]
    measured = raw[np.isfinite(raw)]
    pool = seasoned if len(seasoned) else measured
    if not len(pool):
        return np.full(len(raw), DEFAULT_ATTAINMENT), DEFAULT_ATTAINMENT, False
    median = float(np.median(pool))
    own = np.where(np.isfinite(raw), raw, median)
    n = np.where(np.isfinite(raw), history, 0.0)
    return (n * own + SHRINK_MONTHS * median) / (n + SHRINK_MONTHS), median, True


def learn_ramp_months(wide: pd.DataFrame, rows: pd.DataFrame, start: pd.Period) -> int | None:
    """Months until reps hired inside the history booked RAMP_LEVEL of the mature reps' median monthly attainment;
    None with fewer than three such reps or no mature months to compare with."""
    hired = pd.to_datetime(rows["hire_date"], errors="coerce")
    first_month = wide.index.min() if len(wide.index) else start
    curves, mature = [], []
    for rep, day, quota in zip(rows["rep"], hired, rows["quota"], strict=True):
        if pd.isna(day) or quota is None or pd.isna(quota) or quota <= 0 or rep not in wide.columns:
            continue
        joined = pd.Period(day, freq="M")
        monthly = wide[rep] / (float(quota) / 12)
        tenure = np.array([(p - joined).n for p in wide.index])
        mature += list(monthly[(tenure >= 12) & (wide.index < start)])
        if joined > first_month and joined + 12 <= start:
            curves.append(monthly.to_numpy()[(tenure >= 0) & (tenure < 12)][:12])
    curves = [c for c in curves if len(c) == 12]  # a hire whose first year runs past the data does not count
    if len(curves) < 3 or not mature:
        return None
    level = RAMP_LEVEL * float(np.median(mature))
    mean_curve = pd.Series(np.mean(curves, axis=0)).rolling(3, min_periods=1).mean()
    reached = np.flatnonzero(mean_curve.to_numpy() >= level)
    return int(reached[0]) + 1 if len(reached) else 12


def learn_attrition(wide: pd.DataFrame, rows: pd.DataFrame, start: pd.Period) -> float | None:
    """Inactive reps per rep-month on the team (hire date to the first plan month, or to an inactive rep's last
    booking); None without a hire date or an inactive rep to learn from."""
    hired = pd.to_datetime(rows["hire_date"], errors="coerce")
    if hired.isna().all() or rows["active"].all():
        return None
    months = 0.0
    known = hired.notna()
    for rep, day, active in zip(rows["rep"][known], hired[known], rows["active"][known], strict=True):
        end = start
        if not active and rep in wide.columns and (wide[rep] > 0).any():
            end = wide.index[np.flatnonzero(wide[rep].to_numpy() > 0)[-1]] + 1
        months += max((end - pd.Period(day, freq="M")).n, 0)
    leavers = int((~rows["active"]).sum())
    return leavers / months if months > 0 else None
