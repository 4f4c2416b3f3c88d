"""The as-of date (DESIGN.md "As-of date"): the day the data describe, and where history ends before it.

Every view that needs "now" takes it from here: the KPI period, the forecast history, pipeline and lead demand,
plan vs actual and the data-quality checks of future and stale dates. Unless the user sets one, the as-of date is
the newest date the records show happened, not after today: a created date (deals, leads) or a won close date, and a
lost close date or an activity day up to 31 days beyond those (``EVIDENCE_DAYS``); a workspace of activities alone
takes its newest activity day. Lost close dates and activity days further out stand alone, and exports carry them
for what is planned or was typed carelessly rather than what happened: the Salesforce org export has lost deals
"closing" in 2022-2030 though nothing was created after 2021, and the Zoho sample's tasks fall due 14 months past
its last deal.

A month is complete when the as-of date is on or after its 25th (``COMPLETE_DAY``): an export pulled on the 10th
holds a third of that month, and treating it as history would pull every later month down.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, func, select

from salesops.store.schema import activity_daily, deals, leads

COMPLETE_DAY = 25
EVIDENCE_DAYS = 31  # how far a lost close date or an activity may lie beyond the newest creation or win
DEFAULT_PERIOD_MONTHS = 12


def _newest(conn: Connection, column: Any, *conditions: ColumnElement[bool]) -> date | None:
    """The newest value of a date column under ``conditions`` (None when there is none)."""
    value = conn.execute(select(func.max(column)).where(*conditions)).scalar()
    return None if value is None else pd.Timestamp(value).date()


def default_as_of(conn: Connection, workspace_id: int, today: date | None = None) -> date | None:
    """The newest close date (won or lost) or activity day not after ``today`` that lies within ``EVIDENCE_DAYS`` of
    the newest creation (deals, leads) or win; the newest activity day alone in a workspace without those; None when
    the workspace holds no dated record."""
    today = today or date.today()
    in_deals, in_leads = deals.c.workspace_id == workspace_id, leads.c.workspace_id == workspace_id
    anchors = [
        _newest(conn, deals.c.created_date, in_deals, deals.c.created_date <= today),
        _newest(conn, deals.c.close_date, in_deals, deals.c.status == "won", deals.c.close_date <= today),
        _newest(conn, leads.c.created_date, in_leads, leads.c.created_date <= today),
    ]
    found = [day for day in anchors if day is not None]
    in_activities = activity_daily.c.workspace_id == workspace_id
    if not found:
        return _newest(conn, activity_daily.c.day, in_activities, activity_daily.c.day <= today)
    anchor = max(found)
    limit = min(today, anchor + timedelta(days=EVIDENCE_DAYS))
    later = [
        _newest(conn, deals.c.close_date, in_deals, deals.c.status == "lost", deals.c.close_date <= limit),
        _newest(conn, activity_daily.c.day, in_activities, activity_daily.c.day <= limit),
    ]
    return max([anchor, *(day for day in later if day is not None)])


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
