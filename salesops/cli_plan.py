"""``python -m salesops plan``: write the plan (latest or a chosen version) as XLSX, PDF, PPTX, Markdown or JSON."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from salesops.export.plan import FORMATS, export_plan
from salesops.plan.report import build_report


def cmd_plan(engine: Engine, args: argparse.Namespace) -> int:
    """Build the plan report and write it in the type the output file's extension names."""
    from salesops.cli import CliError, _print, _workspace_id

    out = Path(args.out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise CliError(f"--out must end in one of .{', .'.join(FORMATS)} (got {out.name!r})")
    workspace_id = _workspace_id(engine, args.workspace)
    with engine.connect() as conn:
        try:
            report = build_report(conn, workspace_id, version=args.version, lang=args.lang)
        except LookupError as exc:
            raise CliError(str(exc)) from exc
    data = export_plan(report, kind, args.lang)
    out.write_bytes(data)
    summary: dict[str, Any] = {"out": str(out), "bytes": len(data), **report.summary, "missing": list(report.missing)}
    _print(summary, args.json)
    return 0


def register(sub: Any) -> None:
    """Add the ``plan`` sub-command to the CLI's sub-parsers."""
    p = sub.add_parser("plan", help="write the plan as .xlsx, .pdf, .pptx, .md or .json (assumptions to restore)")
    p.add_argument("--workspace", required=True)
    p.add_argument("--version", type=int, help="plan version (default: the latest)")
    p.add_argument("--out", required=True, help="output file; its extension picks the type")
    p.add_argument("--lang", default="en", help="language of the document's words (en, zh-TW)")
    p.add_argument("--json", action="store_true", help="print the plan's headline figures as JSON")
    p.set_defaults(func=cmd_plan)
