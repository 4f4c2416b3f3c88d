"""Numbers and column names as people read them: the one formatting module of the app (pure, no Streamlit).

Every page, tile, table header, chart hover and sentence formats through here, so $13.3M, 38 % and 1,204 look the
same everywhere. Downloads keep raw numbers in their cells (they never call this module).

- ``money(v)``: a full amount for tables and sentences: "$1,234,567" (no cents from 1,000 up; "$12.50" below).
- ``money_compact(v)``: an amount for tiles and chart titles: "$13.3M", "$493k", "$4.2k", "$850".
- ``percent(f)`` / ``percent(f, signed=True)``: a fraction as a percentage: "38 %", "+126 %", "-4.5 %" (digits=1).
- ``count(n)``: "1,204"; ``number(x, digits)``: "3.5"; ``days(x)``: "42 days".
- ``month_label(m, lang)``: "Nov 2026", "2026年11月" (Babel's locale data).
- Missing values (None, NaN, ±inf) give ``MISSING`` ("—"); negative amounts keep their sign: "-$1,234".
- ``column_label(name, lang)``: the words for a canonical or KPI column ("win_rate" -> "Win rate"), from the one
  table ``COLUMNS``; unknown names are spelt out ("lead_source_x" -> "Lead source x") so no snake_case reaches a
  header. ``column_kind(name)`` says how its values format ("money", "percent", "count", "number", "days",
  "date", "text"); ``labelled(frame, lang)`` renames a frame's columns for display.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import pandas as pd
from babel.dates import format_skeleton

from salesops.i18n import DEFAULT_LANGUAGE, gettext_code, translate

MISSING = "—"
"""What a missing figure shows as (never "nan", "None" or "inf")."""

Kind = Literal["money", "percent", "count", "number", "days", "date", "text"]

CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "¥",
    "TWD": "NT$",
    "HKD": "HK$",
    "CAD": "CA$",
    "AUD": "A$",
    "INR": "₹",
}

_COMPACT_UNITS: tuple[tuple[float, str], ...] = ((1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T"))
_WAN_UNITS: tuple[tuple[float, str], ...] = ((1e4, "萬"), (1e8, "億"), (1e12, "兆"))


def _finite(value: float | None) -> float | None:
    """``value`` as a float, or None when it is missing, NaN or infinite."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _half_up(value: float, digits: int = 0) -> Decimal:
    """``value`` rounded half away from zero, as people round money (Python's round() goes half to even)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def currency_symbol(currency: str = "USD") -> str:
    """The prefix of an amount in ``currency`` (an ISO code): "$" for USD, "NT$" for TWD, "CHF " for others."""
    code = currency.upper()
    return CURRENCY_SYMBOLS.get(code, f"{code} ")


def money(value: float | None, currency: str = "USD") -> str:
    """A full amount with symbol and thousands separators; cents only below 1,000 and only when not whole."""
    number = _finite(value)
    if number is None:
        return MISSING
    sign = "-" if number < 0 else ""
    size = abs(number)
    cents = _half_up(size, 2)
    whole = size >= 1_000 or cents == cents.to_integral_value()
    digits = f"{_half_up(size):,.0f}" if whole else f"{cents:,.2f}"
    return f"{sign}{currency_symbol(currency)}{digits}"


def money_compact(value: float | None, currency: str = "USD", *, wan: bool = False) -> str:
    """A short amount for tiles: "$850", "$4.2k", "$493k", "$13.3M", "$2B" (one decimal below 10k/100M/100B); with
    ``wan`` the Chinese units a zh-TW reader may choose instead: "$1,330萬", "$1.2億"."""
    number = _finite(value)
    if number is None:
        return MISSING
    sign = "-" if number < 0 else ""
    symbol = currency_symbol(currency)
    size = abs(number)
    if _half_up(size) < (10_000 if wan else 1_000):
        return f"{sign}{symbol}{_half_up(size):,.0f}"
    units = _WAN_UNITS if wan else _COMPACT_UNITS
    for index, (unit, suffix) in enumerate(units):
        scaled = size / unit
        decimals = 1 if scaled < (10 if suffix in ("k", "萬") else 100) else 0
        shown = _half_up(scaled, decimals)
        if shown >= (10_000 if wan else 1_000) and index + 1 < len(units):
            continue
        text = f"{shown:,.{decimals}f}".removesuffix(".0")
        return f"{sign}{symbol}{text}{suffix}"
    return f"{sign}{symbol}{size:,.0f}"  # pragma: no cover - the loop always returns at the largest unit


def percent(value: float | None, digits: int = 0, *, signed: bool = False) -> str:
    """A fraction as a percentage with the app's spacing: 0.384 -> "38 %"; ``signed`` adds "+" to gains."""
    number = _finite(value)
    if number is None:
        return MISSING
    text = f"{_half_up(number * 100, digits):{'+' if signed else ''}.{digits}f}"
    if text.lstrip("+-").strip("0.") == "":  # "-0 %" and "+0 %" read as noise
        text = f"{0:.{digits}f}"
    return f"{text} %"


def count(value: float | None) -> str:
    """A whole count with thousands separators: 1204 -> "1,204"."""
    number = _finite(value)
    return MISSING if number is None else f"{_half_up(number):,.0f}"


def number(value: float | None, digits: int = 1) -> str:
    """A plain figure with separators and ``digits`` decimals: 3.456 -> "3.5"."""
    number_ = _finite(value)
    return MISSING if number_ is None else f"{_half_up(number_, digits):,.{digits}f}"


def month_label(value: str | date | pd.Timestamp | pd.Period | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A month as its readers write it, through Babel's locale data: "Nov 2026" in English, "2026年11月" in zh-TW."""
    month = None if value is None else pd.Period(value, freq="M")
    if not isinstance(month, pd.Period):  # None, and NaT (what a missing date becomes)
        return MISSING
    locale = "en_US" if lang == DEFAULT_LANGUAGE else gettext_code(lang)
    return str(format_skeleton("yMMM", month.to_timestamp().date(), locale=locale))


def days(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A duration in whole days: 41.6 -> "42 days"."""
    number_ = _finite(value)
    if number_ is None:
        return MISSING
    shown = round(number_)
    return translate("{n} day", lang, n=f"{shown:,}") if shown == 1 else translate("{n} days", lang, n=f"{shown:,}")


SMALL_BASE_GROWTH = 3.0
"""Growth above +300 % says more about a small starting figure than about the business: shown as a multiple."""


def growth(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A relative change as "+12 %"; past +300 % as "×14.2, small base" so a tiny previous figure is not hidden."""
    number = _finite(value)
    if number is None:
        return MISSING
    if number > SMALL_BASE_GROWTH:
        return translate("×{x}, small base", lang, x=f"{_half_up(1 + number, 1)}")
    return percent(number, signed=True)


def day(value: date) -> str:
    """A date as people read it: "1 Nov 2023"."""
    return f"{value.day} {value:%b %Y}"


def by_kind(value: float | None, kind: Kind, lang: str = DEFAULT_LANGUAGE) -> str:
    """``value`` formatted the way values of ``kind`` are (text and dates as they come)."""
    if kind == "money":
        return money(value)
    if kind == "percent":
        return percent(value)
    if kind == "count":
        return count(value)
    if kind == "number":
        return number(value)
    if kind == "days":
        return days(value, lang)
    return MISSING if value is None else str(value)


COLUMNS: dict[str, tuple[str, Kind]] = {
    # canonical model
    "deal_id": ("Deal", "text"),
    "lead_id": ("Lead", "text"),
    "account_id": ("Account", "text"),
    "account_name": ("Account", "text"),
    "name": ("Name", "text"),
    "owner": ("Owner", "text"),
    "rep": ("Rep", "text"),
    "team": ("Team", "text"),
    "region": ("Region", "text"),
    "segment": ("Segment", "text"),
    "product": ("Product", "text"),
    "stage": ("Stage", "text"),
    "status": ("Status", "text"),
    "amount": ("Amount", "money"),
    "currency": ("Currency", "text"),
    "probability": ("Win probability", "percent"),
    "win_probability": ("Win probability", "percent"),
    "lead_source": ("Lead source", "text"),
    "source": ("Source", "text"),
    "forecast_category": ("Forecast category", "text"),
    "created_date": ("Created", "date"),
    "close_date": ("Close date", "date"),
    "converted_date": ("Converted", "date"),
    "hire_date": ("Hire date", "date"),
    "occurred_at": ("When", "date"),
    "activity_type": ("Activity", "text"),
    "duration_minutes": ("Minutes", "count"),
    "industry": ("Industry", "text"),
    "employees": ("Employees", "count"),
    "annual_revenue": ("Annual revenue", "money"),
    "tier": ("Tier", "text"),
    "quota": ("Quota", "money"),
    "is_won": ("Won", "text"),
    "is_closed": ("Closed", "text"),
    # KPIs
    "won_revenue": ("Won revenue", "money"),
    "revenue": ("Revenue", "money"),
    "deals_won": ("Deals won", "count"),
    "deals_lost": ("Deals lost", "count"),
    "deals": ("Deals", "count"),
    "open_deals": ("Open deals", "count"),
    "closed": ("Closed", "count"),
    "win_rate": ("Win rate", "percent"),
    "win_rate_low": ("Win rate, low", "percent"),
    "win_rate_high": ("Win rate, high", "percent"),
    "avg_deal_size": ("Average deal", "money"),
    "median_cycle_days": ("Median cycle", "days"),
    "open_pipeline": ("Open pipeline", "money"),
    "weighted_pipeline": ("Weighted pipeline", "money"),
    "pipeline_weighted": ("Weighted pipeline", "money"),
    "pipeline_unweighted": ("Pipeline", "money"),
    "pipeline_coverage": ("Pipeline coverage", "number"),
    "opportunities_created": ("Opportunities created", "count"),
    "quota_attainment": ("Quota attainment", "percent"),
    "activities": ("Activities", "count"),
    "activities_per_rep": ("Activities per rep", "number"),
    "activities_per_won_deal": ("Activities per won deal", "number"),
    "selling_hours": ("Selling hours", "number"),
    "growth_mom": ("Change vs previous month", "percent"),
    "growth_qoq": ("Change vs previous quarter", "percent"),
    "growth_yoy": ("Change vs same period last year", "percent"),
    "share_of_created": ("Share of created", "percent"),
    "revenue_share": ("Share of revenue", "percent"),
    "rep_share": ("Share of reps", "percent"),
    "team_share": ("Share of team", "percent"),
    "conversion_to_next": ("Conversion to next stage", "percent"),
    "revenue_per_opportunity": ("Revenue per opportunity", "money"),
    "expected_revenue": ("Expected revenue", "money"),
    "expected_revenue_per_opportunity": ("Expected revenue per opportunity", "money"),
    "expected_wins": ("Expected wins", "number"),
    "weighted_amount": ("Weighted amount", "money"),
    "period": ("Period", "date"),
    "period_start": ("From", "date"),
    "period_end": ("To", "date"),
    "month": ("Month", "date"),
    "count": ("Count", "count"),
    "share": ("Share", "percent"),
    "score": ("Score", "number"),
    # forecasts, accuracy, demand
    "forecast": ("Forecast", "money"),
    "actual": ("Actual", "money"),
    "plan": ("Plan", "money"),
    "statistical": ("Statistical", "money"),
    "commit": ("Commit", "money"),
    "best_case": ("Best case", "money"),
    "pi_lower": ("Low end", "money"),
    "pi_upper": ("High end", "money"),
    "lower": ("Low end", "money"),
    "upper": ("High end", "money"),
    "variance": ("Variance", "money"),
    "variance_pct": ("Variance", "percent"),
    "error_pct": ("Error", "percent"),
    "mean_error_pct": ("Mean error", "percent"),
    "commit_error_pct": ("Commit error", "percent"),
    "months_over": ("Months over", "count"),
    "months_under": ("Months under", "count"),
    "mape": ("MAPE", "percent"),
    "mase": ("MASE", "number"),
    "model": ("Model", "text"),
    "target_revenue": ("Target revenue", "money"),
    "qualified_leads": ("Qualified leads", "count"),
    "qualified_leads_needed": ("Qualified leads needed", "count"),
    "qualified_leads_expected": ("Expected at run rate", "count"),
    "monthly_leads": ("New leads a month", "count"),
    "shortfall": ("Shortfall", "count"),
    "conversion": ("Conversion", "percent"),
    "onboarding_hours": ("Onboarding hours", "number"),
    "support_hours": ("Support hours", "number"),
    "total_hours": ("Total hours", "number"),
    "service_hours": ("Service hours", "number"),
    "new_customers": ("New customers", "count"),
    "active_customers": ("Active customers", "count"),
    "seasonal_factor": ("Seasonal factor", "number"),
    # segments, scoring, quality, imports
    "focus_index": ("Focus index", "number"),
    "index_vs_overall": ("Index vs overall", "number"),
    "size_band": ("Company size", "text"),
    "odds_ratio": ("Odds ratio", "number"),
    "coefficient": ("Coefficient", "number"),
    "feature": ("Feature", "text"),
    "completeness": ("Completeness", "percent"),
    "message": ("Problem", "text"),
    "fix": ("How to fix", "text"),
    "file_name": ("File", "text"),
    "source_format": ("Detected CRM", "text"),
    "entity": ("Records", "text"),
    "rows_read": ("Rows read", "count"),
    "rows_loaded": ("Rows loaded", "count"),
    "rows_updated": ("Rows updated", "count"),
    "rows_unchanged": ("Rows unchanged", "count"),
    "rows_rejected": ("Rows rejected", "count"),
    "rows_skipped": ("Rows skipped", "count"),
    "created_at": ("Imported", "date"),
    "undone_at": ("Undone", "date"),
    "row_number": ("Row", "count"),
    "reason": ("Reason", "text"),
    # step 4: plan, actions, sign-off, plan vs actual
    "planned": ("Planned", "money"),
    "error": ("Difference", "money"),
    "planned_closed": ("Planned closed deals", "number"),
    "actual_closed": ("Closed deals", "count"),
    "planned_win_rate": ("Planned win rate", "percent"),
    "actual_win_rate": ("Actual win rate", "percent"),
    "planned_deal_size": ("Planned deal size", "money"),
    "actual_deal_size": ("Actual deal size", "money"),
    "volume_effect": ("Volume effect", "money"),
    "win_rate_effect": ("Win-rate effect", "money"),
    "size_effect": ("Deal-size effect", "money"),
    "cause": ("Main cause", "text"),
    "planned_heads": ("Planned reps at work", "number"),
    "actual_heads": ("Reps closing deals", "count"),
    "planned_hires": ("Planned hires", "count"),
    "actual_hires": ("Reps hired", "count"),
    "capacity": ("Capacity", "number"),
    "demand": ("Demand", "number"),
    "gap": ("Gap", "number"),
    "resource": ("Resource", "text"),
    "role": ("Role", "text"),
    "hire_by": ("Hire by", "text"),
    "productive_from": ("Productive from", "text"),
    "monthly_cost": ("Monthly cost", "money"),
    "total_cost": ("Total cost", "money"),
    "area": ("Area", "text"),
    "action": ("Action", "text"),
    "due": ("Due", "date"),
    "needs_signoff": ("Needs executive sign-off", "text"),
    "signed_at": ("Signed", "date"),
    "comment": ("Comment", "text"),
    "recommendation": ("Recommendation", "text"),
    "evidence": ("Evidence", "text"),
    "page": ("From page", "text"),
    "routed_to": ("Routed to", "text"),
    "company": ("Company", "text"),
    "assumption": ("Assumption", "text"),
    "kpi": ("KPI", "text"),
    "item": ("Item", "text"),
}
"""The one table of column words: canonical and KPI column name -> (English label, how its values format)."""


def column_label(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The words heading column ``name``; unknown snake_case names are spelt out rather than shown raw."""
    known = COLUMNS.get(name)
    if known is not None:
        return translate(known[0], lang)
    spelt = name.replace("_", " ").strip()
    return spelt[:1].upper() + spelt[1:] if spelt.islower() or "_" in name else name


def column_kind(name: str) -> Kind:
    """How values of column ``name`` format ("text" for names the table does not know)."""
    known = COLUMNS.get(name)
    return known[1] if known is not None else "text"


def labelled(frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """``frame`` with its columns renamed to words for display (values untouched; downloads keep raw names)."""
    return frame.rename(columns={name: column_label(str(name), lang) for name in frame.columns})


_SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9}


def parse_money(text: str) -> float | None:
    """An amount typed as people write it: "13300000", "$13,300,000", "13.3M", "250k"; None when it is not one."""
    cleaned = text.strip().lower().replace(",", "").replace(" ", "")
    for symbol in sorted((s.strip().lower() for s in CURRENCY_SYMBOLS.values()), key=len, reverse=True):
        cleaned = cleaned.removeprefix(symbol)
    scale = _SUFFIXES.get(cleaned[-1:], 1.0)
    if scale != 1.0:
        cleaned = cleaned[:-1]
    try:
        value = float(cleaned) * scale
    except ValueError:
        return None
    return value if math.isfinite(value) else None
