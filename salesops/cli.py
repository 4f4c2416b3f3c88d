"""``python -m salesops …``: headless import, KPIs and history on the same functions the app uses.

Exit codes: 0 done (an import with rejected rows is still done), 2 a file or workspace could not be used, with a
one-line reason on stderr; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Engine

from salesops.filters import Filters
from salesops.ingest import batches as batch_history
from salesops.ingest.load import BatchResult, UndoError, undo_batch
from salesops.ingest.pipeline import Skipped, ingest_paths
from salesops.ingest.presets import get_preset
from salesops.store import get_engine
from salesops.store import workspaces as ws

ENTITY_CHOICES = ("auto", "deals", "activities", "leads", "accounts", "reps")


class CliError(Exception):
    """A user-facing failure: printed as one line, exit code 2."""


def _print(data: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(data, indent=2, default=str, ensure_ascii=False))
    elif isinstance(data, list):
        for item in data:
            print("  ".join(f"{k}={v}" for k, v in item.items()) if isinstance(item, dict) else item)
    elif isinstance(data, dict):
        for k, v in data.items():
            print(f"{k}: {v}")
    else:
        print(data)


def _workspace_id(engine: Engine, name: str) -> int:
    with engine.connect() as conn:
        found = ws.find(conn, name)
    if found is None:
        raise CliError(f"no workspace named {name!r} (see `python -m salesops workspaces`)")
    return found


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def cmd_ingest(engine: Engine, args: argparse.Namespace) -> int:
    """Import files and print per file: entity, source format and row counts."""
    entity = None if args.entity == "auto" else args.entity
    mapping = None
    if args.mapping:
        with engine.connect() as conn:
            preset = get_preset(conn, args.mapping)
        if preset is None:
            raise CliError(f"no mapping preset named {args.mapping!r}")
        entity, mapping = entity or preset[0], preset[1]
    results = ingest_paths(engine, args.workspace, args.paths, entity=entity, mapping=mapping)
    _print([r.as_dict() for r in results], args.json)
    unreadable = [r for r in results if isinstance(r, Skipped) and r.unreadable]
    for r in unreadable:
        print(f"error: {r.file_name}: {r.reason.splitlines()[0]}", file=sys.stderr)
    return 2 if unreadable or not any(isinstance(r, BatchResult) for r in results) else 0


def cmd_kpis(engine: Engine, args: argparse.Namespace) -> int:
    """Print the KPI summary of a workspace, optionally grouped."""
    from salesops import kpi

    workspace_id = _workspace_id(engine, args.workspace)
    filters = Filters(start=args.start, end=args.end)
    with engine.connect() as conn:
        if args.by:
            data: Any = kpi.summary_by(conn, workspace_id, args.by, filters)
        else:
            data = kpi.summary(conn, workspace_id, filters, target=args.target)
    _print(data, args.json)
    return 0


def cmd_workspaces(engine: Engine, args: argparse.Namespace) -> int:
    """List workspaces with their record counts."""
    with engine.connect() as conn:
        rows = ws.list_all(conn)
    _print(
        [{"name": w.name, "data_version": w.data_version, **w.counts, "last_import": w.last_import} for w in rows],
        args.json,
    )
    return 0


def cmd_batches(engine: Engine, args: argparse.Namespace) -> int:
    """List the import batches of a workspace, newest first."""
    workspace_id = _workspace_id(engine, args.workspace)
    with engine.connect() as conn:
        frame = batch_history.list_batches(conn, workspace_id)
    _print(json.loads(frame.to_json(orient="records", date_format="iso")), args.json)
    return 0


def cmd_undo(engine: Engine, args: argparse.Namespace) -> int:
    """Undo one import batch."""
    try:
        with engine.begin() as conn:
            result = undo_batch(conn, args.batch_id)
    except UndoError as exc:
        raise CliError(str(exc)) from exc
    _print({"undone": result.batch_id, "file_name": result.file_name, "entity": result.entity}, args.json)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(prog="python -m salesops", description="Sales Ops Planner, headless.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="import CRM exports (CSV/TSV/XLSX/ZIP)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--entity", choices=ENTITY_CHOICES, default="auto")
    p.add_argument("--workspace", default="Default")
    p.add_argument("--mapping", help="name of a saved mapping preset")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("kpis", help="KPI summary of a workspace")
    p.add_argument("--workspace", required=True)
    p.add_argument("--start", type=_date)
    p.add_argument("--end", type=_date)
    p.add_argument("--by", choices=("rep", "team", "month", "segment", "source", "product", "region"))
    p.add_argument("--target", type=float, help="revenue target for pipeline coverage")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_kpis)

    p = sub.add_parser("workspaces", help="list workspaces")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_workspaces)

    p = sub.add_parser("batches", help="import history of a workspace")
    p.add_argument("--workspace", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("undo", help="undo an import batch")
    p.add_argument("batch_id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_undo)
    return parser


def main(argv: Sequence[str] | None = None, *, engine_factory: Callable[[], Engine] = get_engine) -> int:
    """Run one command; return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        engine = engine_factory()
        return int(args.func(engine, args))
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line for the user, never a traceback
        print(f"error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", file=sys.stderr)
        return 2
