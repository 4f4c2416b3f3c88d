"""Lead KPIs: leads created per month, by source and owner, conversion, time to convert and lead-to-opportunity.

A workspace of leads alone (a marketing export, the X Education file) has KPIs of its own. Conversion rate =
converted leads / leads; lead-to-opportunity = deals created / leads created in the same period (needs deals);
time to convert = median days from created to converted date over converted leads with both dates. The period
narrows leads by created date; the rep, region and lead-source filters apply to the lead's owner, region and source.
Every figure is None (with a reason in ``missing``) when the leads lack the field it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, case, func, select

from salesops.filters import Filters
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.kpi import definitions as d
from salesops.kpi.sqlfilters import deal_conditions, grouped
from salesops.store.schema import deals, leads
from salesops.store.sqlfn import days_between, month_of

BREAKDOWN_COLUMNS = ["group", "leads", "converted", "conversion_rate"]


@dataclass(frozen=True)
class LeadKpis:
    """Headline lead figures, monthly volume, breakdowns by source and owner, and what the data could not give."""

    leads: int
    converted: int
    conversion_rate: float | None
    median_days_to_convert: float | None
    opportunities_created: int | None
    lead_to_opportunity: float | None
    monthly: pd.DataFrame  # month (YYYY-MM), leads, converted
    by_source: pd.DataFrame  # BREAKDOWN_COLUMNS
    by_owner: pd.DataFrame  # BREAKDOWN_COLUMNS
    missing: tuple[str, ...]


def lead_conditions(workspace_id: int, filters: Filters) -> list[ColumnElement[bool]]:
    """WHERE conditions on ``leads``: period on the created date, rep/region/source on the lead's own fields."""
    conditions: list[ColumnElement[bool]] = [leads.c.workspace_id == workspace_id]
    if filters.start is not None:
        conditions.append(leads.c.created_date >= filters.start)
    if filters.end is not None:
        conditions.append(leads.c.created_date <= filters.end)
    if filters.reps:
        conditions.append(leads.c.owner.in_(filters.reps))
    if filters.regions:
        conditions.append(leads.c.region.in_(filters.regions))
    if filters.sources:
        conditions.append(leads.c.source.in_(filters.sources))
    return conditions


def _breakdown(conn: Connection, workspace_id: int, filters: Filters, column: Any) -> pd.DataFrame:
    """Leads, converted and conversion rate per value of ``column`` (blank values under "(none)"), most leads first."""
    converted = case((leads.c.converted.is_(True), 1), else_=0)
    rows = select(column.label("group"), converted.label("converted")).where(*lead_conditions(workspace_id, filters))
    query = grouped(rows, ["group"], lambda c: [func.count().label("leads"), func.sum(c.converted).label("converted")])
    frame = pd.DataFrame(conn.execute(query).all(), columns=["group", "leads", "converted"])
    frame = frame.astype({"group": "object", "leads": "int64", "converted": "int64"}).fillna({"group": "(none)"})
    frame["conversion_rate"] = [d.ratio(c, n) for c, n in zip(frame["converted"], frame["leads"], strict=True)]
    return frame.sort_values(["leads", "group"], ascending=[False, True], ignore_index=True)[BREAKDOWN_COLUMNS]


def _monthly(conn: Connection, workspace_id: int, filters: Filters) -> pd.DataFrame:
    """Leads created (and of those converted) per month of created date."""
    converted = case((leads.c.converted.is_(True), 1), else_=0)
    rows = select(month_of(leads.c.created_date, conn.dialect.name).label("month"), converted.label("converted")).where(
        *lead_conditions(workspace_id, filters), leads.c.created_date.is_not(None)
    )
    query = grouped(rows, ["month"], lambda c: [func.count().label("leads"), func.sum(c.converted).label("converted")])
    frame = pd.DataFrame(conn.execute(query).all(), columns=["month", "leads", "converted"])
    return frame.astype({"month": str, "leads": "int64", "converted": "int64"}).sort_values("month", ignore_index=True)


def _days_to_convert(conn: Connection, workspace_id: int, filters: Filters) -> tuple[float | None, int]:
    """Median days from created to converted date, and how many converted leads had both dates."""
    gap = days_between(leads.c.created_date, leads.c.converted_date, conn.dialect.name).label("days")
    rows = select(gap).where(
        *lead_conditions(workspace_id, filters),
        leads.c.converted.is_(True),
        leads.c.created_date.is_not(None),
        leads.c.converted_date.is_not(None),
        leads.c.converted_date >= leads.c.created_date,
    )
    counts = conn.execute(grouped(rows, ["days"], lambda c: [func.count().label("n")])).all()
    return d.median_from_counts((float(days), int(n)) for days, n in counts), sum(int(n) for _, n in counts)


def lead_kpis(
    conn: Connection, workspace_id: int, filters: Filters | None = None, *, lang: str = DEFAULT_LANGUAGE
) -> LeadKpis:
    """Every lead KPI of the filtered workspace, with a sentence for each figure its leads cannot support."""
    filters = filters or Filters()
    converted_case = case((leads.c.converted.is_(True), 1), else_=0)
    total, converted, dated, flagged, owned = conn.execute(
        select(
            func.count(),
            func.coalesce(func.sum(converted_case), 0),
            func.count(leads.c.created_date),
            func.count(leads.c.converted),
            func.count(leads.c.owner),
        ).where(*lead_conditions(workspace_id, filters))
    ).one()
    total, converted = int(total), int(converted)
    median_days, timed = _days_to_convert(conn, workspace_id, filters)
    opportunities = int(
        conn.execute(select(func.count()).where(*deal_conditions(workspace_id, filters, deals.c.created_date))).scalar()
        or 0
    )
    missing = []
    if total and not dated:
        missing.append(translate("The leads carry no created date: leads per month and time to convert need it.", lang))
    if total and not flagged:
        missing.append(translate("The leads carry no converted flag: conversion rates need it.", lang))
    if converted and not timed:
        missing.append(translate("No converted lead has a converted date, so time to convert is unknown.", lang))
    if total and not owned:
        missing.append(translate("The leads carry no owner: leads per owner need it.", lang))
    if not opportunities:
        missing.append(translate("Lead-to-opportunity needs deals: import a deals export to see it.", lang))
    return LeadKpis(
        leads=total,
        converted=converted,
        conversion_rate=d.ratio(converted, total) if flagged else None,
        median_days_to_convert=median_days,
        opportunities_created=opportunities or None,
        lead_to_opportunity=d.ratio(opportunities, total) if opportunities else None,
        monthly=_monthly(conn, workspace_id, filters),
        by_source=_breakdown(conn, workspace_id, filters, leads.c.source),
        by_owner=_breakdown(conn, workspace_id, filters, leads.c.owner)
        if owned
        else pd.DataFrame(columns=BREAKDOWN_COLUMNS),
        missing=tuple(missing),
    )
