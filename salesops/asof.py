"""The as-of date (DESIGN.md "As-of date"): the day the data describe, and where history ends before it.

Every view that needs "now" takes it from here: the KPI period, the forecast history, pipeline and lead demand,
plan vs actual and the data-quality checks of future and stale dates. Unless the user sets one, the as-of date is
the newest created date (deals, leads) or won close date that is not after today; a workspace without deals or
leads takes its newest activity day. Two kinds of dates do not count, because exports carry them for what is planned
rather than what happened: close dates of lost deals (CRMs let a deal be closed lost with any date: the Salesforce
org export has lost deals "closing" in 2022-2030 though nothing was created after 2021) and activity dates beside
records (task due dates and scheduled events: the Zoho sample's tasks run 14 months past its last deal).

A month is complete when the as-of date is on or after its 25th (``COMPLETE_DAY``): an export pulled on the 10th
holds a third of that month, and treating it as history would pull every later month down.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, func, select

from salesops.store.schema import activity_daily, deals, leads

COMPLETE_DAY = 25
DEFAULT_PERIOD_MONTHS = 12


def default_as_of(conn: Connection, workspace_id: int, today: date | None = None) -> date | None:
    """The newest created date (deals, leads) or won close date of the workspace not after ``today``, else its
    newest activity day not after ``today``; None when the workspace holds no dated record."""
    today = today or date.today()
    records = [
        select(func.max(deals.c.created_date)).where(
            deals.c.workspace_id == workspace_id, deals.c.created_date <= today
        ),
        select(func.max(deals.c.close_date)).where(
            deals.c.workspace_id == workspace_id, deals.c.status == "won", deals.c.close_date <= today
        ),
        select(func.max(leads.c.created_date)).where(
            leads.c.workspace_id == workspace_id, leads.c.created_date <= today
        ),
    ]
    activity = select(func.max(activity_daily.c.day)).where(
        activity_daily.c.workspace_id == workspace_id, activity_daily.c.day <= today
    )
    for probes in (records, [activity]):
        days = [pd.Timestamp(value).date() for value in (conn.execute(p).scalar() for p in probes) if value is not None]
        if days:
            return max(days)
    return None


def resolve_as_of(conn: Connection, workspace_id: int, as_of: date | None, today: date | None = None) -> date | None:
    """The user's as-of date when set, otherwise :func:`default_as_of`."""
    return as_of if as_of is not None else default_as_of(conn, workspace_id, today)


def last_complete_month(as_of: date) -> pd.Timestamp:
    """Month start of the last complete month up to ``as_of``: its own month when ``as_of`` is on/after the 25th."""
    month = pd.Timestamp(as_of).to_period("M")
    return (month if as_of.day >= COMPLETE_DAY else month - 1).to_timestamp()


def history_end(as_of: date) -> date:
    """The last day of the last complete month up to ``as_of``: where KPI and forecast history end."""
    return (last_complete_month(as_of) + pd.offsets.MonthEnd(0)).date()


def default_period(as_of: date, months: int = DEFAULT_PERIOD_MONTHS) -> tuple[date, date]:
    """The last ``months`` complete months up to ``as_of``: (first day, last day)."""
    end = history_end(as_of)
    start = (last_complete_month(as_of) - pd.DateOffset(months=months - 1)).date()
    return start, end
