"""The plan workbook (XlsxWriter): one sheet per part, real number and date cells with formats, frozen headers.

User text is written with ``write_string`` and the workbook refuses to turn strings into formulas or links, so a CRM
value like ``=HYPERLINK(...)`` stays text; cells that look like a formula also get Excel's quote prefix, so editing
them in Excel keeps them text.
"""

from __future__ import annotations

import io
import math
from datetime import date, datetime
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from salesops import formatting as fmt
from salesops.export.safe import TRIGGERS
from salesops.export.sheets import plan_sheets
from salesops.i18n import DEFAULT_LANGUAGE
from salesops.plan.report import PlanReport

NUMBER_FORMATS = {"money": "$#,##0", "percent": "0.0%", "count": "#,##0", "number": "#,##0.00", "days": "0"}
MAX_SHEET_NAME = 31


class _Formats:
    """The workbook's cell formats, created once."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "bg_color": "#E2E8F0", "text_wrap": True, "valign": "top"})
        self.text = book.add_format({"text_wrap": False})
        self.quoted = book.add_format({"quote_prefix": True})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.numbers = {kind: book.add_format({"num_format": code}) for kind, code in NUMBER_FORMATS.items()}


def _kind(column: str, report: PlanReport) -> str:
    """How a column's numbers format; plan values follow the plan's metric (revenue: money, deals: counts)."""
    if column in ("value", "lower", "upper", "planned", "actual", "error") and report.summary.get("metric") == "deals":
        return "number"
    if column in ("value", "lower", "upper"):
        return "money" if report.summary.get("metric") == "revenue" else "number"
    return fmt.column_kind(column)


def write_cell(sheet: Worksheet, cell: tuple[int, int], value: Any, kind: str, formats: _Formats) -> None:
    """One cell (row, column): numbers and dates as such, everything else as inert text."""
    row, col = cell
    if value is None or (isinstance(value, float) and not math.isfinite(value)) or value is pd.NaT:
        sheet.write_blank(row, col, None)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, col, float(value), formats.numbers.get(kind))
    elif isinstance(value, datetime | date | pd.Timestamp):
        sheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), formats.date)
    else:
        text = str(value)
        sheet.write_string(row, col, text, formats.quoted if text.startswith(TRIGGERS) else formats.text)


def _write_table(sheet: Worksheet, frame: pd.DataFrame, report: PlanReport, formats: _Formats, lang: str) -> None:
    """Header row in words, frozen; one row per record; widths from the content (10 to 60 characters)."""
    columns = [str(c) for c in frame.columns if c != "kind"]
    kinds = frame["kind"].tolist() if "kind" in frame.columns else None
    for col, name in enumerate(columns):
        sheet.write_string(0, col, fmt.column_label(name, lang), formats.header)
        values = frame[name].tolist()
        for row, value in enumerate(values, start=1):
            kind = kinds[row - 1] if kinds is not None and name == "value" else _kind(name, report)
            write_cell(sheet, (row, col), value.item() if hasattr(value, "item") else value, kind, formats)
        longest = max([len(fmt.column_label(name, lang)), *(len(str(v)) for v in values[:500])])
        sheet.set_column(col, col, min(max(longest + 2, 10), 60))
    sheet.freeze_panes(1, 0)


def plan_xlsx(report: PlanReport, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The plan as an XLSX workbook (bytes)."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(buffer, options) as book:
        formats = _Formats(book)
        for title, frame in plan_sheets(report, lang):
            sheet = book.add_worksheet(title[:MAX_SHEET_NAME])
            _write_table(sheet, frame, report, formats, lang)
    return buffer.getvalue()
