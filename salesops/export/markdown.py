"""The plan as a Markdown summary: headline figures, recommendations with evidence, team, actions, sign-off.

Every value that comes from the data or a user (names, actions, comments) is escaped, so it shows as typed and can
never become a link, an image, HTML or a table break.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesops import formatting as fmt
from salesops.export.safe import markdown_escape
from salesops.export.sheets import summary_table
from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.plan.recommend import AREA_LABELS, AREAS
from salesops.plan.report import PlanReport


def _value(value: Any, kind: str, lang: str) -> str:
    """A cell of a Markdown table: formatted numbers, escaped text."""
    if kind in ("money", "percent", "count", "number", "days"):
        return fmt.by_kind(None if value is None or pd.isna(value) else float(value), kind, lang)  # type: ignore[arg-type]
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return fmt.MISSING
    return markdown_escape(value)


def table(frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE, kinds: dict[str, str] | None = None) -> str:
    """A Markdown table of ``frame`` with worded headers (an empty frame gives a "nothing yet" line)."""
    if frame.empty:
        return "_" + translate("Nothing yet.", lang) + "_"
    columns = [str(c) for c in frame.columns]
    kinds = {c: (kinds or {}).get(c, fmt.column_kind(c)) for c in columns}
    lines = [
        "| " + " | ".join(markdown_escape(fmt.column_label(c, lang)) for c in columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_value(v, kinds[c], lang) for c, v in zip(columns, row, strict=True)) + " |")
    return "\n".join(lines)


def _summary(report: PlanReport, lang: str) -> list[str]:
    rows = summary_table(report, lang)
    return [f"- **{markdown_escape(i)}**: {_value(v, k, lang)}" for i, v, k in rows.itertuples(index=False)]


def _recommendations(report: PlanReport, lang: str) -> list[str]:
    out = []
    for area in AREAS:
        recs = [r for r in report.recommendations if r.area == area]
        out += ["", f"### {translate(AREA_LABELS[area], lang)}", ""]
        for r in recs:
            where = " · ".join(markdown_escape(x) for x in (r.period, r.page) if x)
            out.append(f"- {markdown_escape(r.text)}  \n  _{markdown_escape(r.evidence)}_ ({where})")
    return out


def plan_markdown(report: PlanReport, lang: str = DEFAULT_LANGUAGE) -> str:
    """The plan summary as Markdown text."""
    plan = report.plan
    title = translate("Sales plan", lang) + (f" v{plan.version}: {markdown_escape(plan.name)}" if plan else "")
    team = report.team
    parts = [f"# {title}", "", *_summary(report, lang), "", f"## {translate('Recommendations', lang)}"]
    parts += _recommendations(report, lang)
    parts += ["", f"## {translate('Sales-ops team', lang)}", ""]
    parts += [translate("ARR {arr} ({basis}).", lang, arr=fmt.money(team.arr), basis=markdown_escape(team.basis))]
    parts += [f"- {markdown_escape(role)}" for role in team.roles]
    if team.distance_to_next is not None:
        parts += [
            "",
            translate(
                "{gap} to the next threshold ({threshold}).",
                lang,
                gap=fmt.money(team.distance_to_next),
                threshold=fmt.money(team.next_threshold),
            ),
        ]
    kinds = {"value": "count" if report.summary.get("metric") == "deals" else "money"}
    parts += ["", f"## {translate('Demand', lang)}", "", table(report.demand, lang, kinds)]
    parts += ["", f"## {translate('Capacity and gap', lang)}", "", table(report.capacity, lang)]
    parts += ["", f"## {translate('Hires', lang)}", "", table(report.hires, lang)]
    parts += ["", f"## {translate('Actions', lang)}", "", table(report.actions, lang)]
    parts += ["", f"## {translate('Monthly cadence', lang)}", "", table(report.cadence, lang)]
    parts += ["", f"## {translate('Sign-off', lang)}", "", table(report.signoffs, lang)]
    if report.review is not None:
        parts += ["", f"## {translate('Plan vs actual', lang)}", "", table(report.review.months, lang)]
    if report.missing:
        parts += ["", f"## {translate('Missing', lang)}", "", *[f"- {markdown_escape(m)}" for m in report.missing]]
    return "\n".join(parts) + "\n"
