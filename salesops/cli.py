"""``python -m salesops …``: headless import, KPIs, data quality, scoring and history on the app's own functions.

Exit codes: 0 done (an import with rejected rows is still done), 2 a file or workspace could not be used, with a
one-line reason on stderr; never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from salesops.asof import resolve_as_of
from salesops.export.safe import escape_control
from salesops.filters import Filters
from salesops.ingest import batches as batch_history
from salesops.ingest.builtin_presets import builtin_preset
from salesops.ingest.load import BatchResult, UndoError, undo_batch
from salesops.ingest.pipeline import Skipped, ingest_paths
from salesops.ingest.presets import get_preset
from salesops.store import get_engine
from salesops.store import workspaces as ws
from salesops.store.backup import BackupError, backup_workspace, restore_workspace
from salesops.store.transactions import StoreError, run_write

ENTITY_CHOICES = ("auto", "deals", "activities", "leads", "accounts", "reps")
AS_OF_HELP = (
    "the day the data describe; history ends at its last complete month (default: the newest created, won or "
    "activity date not after today)"
)


class CliError(Exception):
    """A user-facing failure: printed as one line, exit code 2."""


def _print(data: Any, as_json: bool) -> None:
    """Print ``data`` as JSON or plain lines; user text never carries a live terminal control character."""
    if as_json:
        print(json_text(data))
    elif isinstance(data, list):
        for item in data:
            line = "  ".join(f"{k}={_shown(v)}" for k, v in item.items()) if isinstance(item, dict) else _shown(item)
            print(line)
    elif isinstance(data, dict):
        for k, v in data.items():
            print(f"{k}: {_shown(v)}")
    else:
        print(_shown(data))


def _shown(value: Any) -> str:
    """One value for a plain-text line: ESC, BEL, CR/LF and bidi overrides shown as escapes (no forged lines)."""
    return escape_control(str(value))


def json_text(data: Any) -> str:
    """Indented JSON in which control and bidi characters are \\u escapes too (json only escapes those < 0x20)."""
    raw = json.dumps(data, indent=2, default=str, ensure_ascii=False)
    return _JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", raw)


_JSON_CONTROL = re.compile("[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u206f\ufeff]")


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
        preset = builtin_preset(args.mapping)
        if preset is None:
            with engine.connect() as conn:
                found = ws.find(conn, args.workspace)
                preset = None if found is None else get_preset(conn, found, args.mapping)
        if preset is None:
            raise CliError(f"no mapping preset named {args.mapping!r} in workspace {args.workspace!r}")
        entity, mapping = entity or preset[0], preset[1]
    results = ingest_paths(engine, args.workspace, args.paths, entity=entity, mapping=mapping)
    _print([r.as_dict() for r in results], args.json)
    unreadable = [r for r in results if isinstance(r, Skipped) and r.unreadable]
    for r in unreadable:
        print(f"error: {_shown(r.file_name)}: {_shown(r.reason.splitlines()[0])}", file=sys.stderr)
    return 2 if unreadable or not any(isinstance(r, BatchResult) for r in results) else 0


def cmd_kpis(engine: Engine, args: argparse.Namespace) -> int:
    """Print the KPI summary of a workspace, optionally grouped."""
    from salesops import kpi
    from salesops.kpi.missing import costs_in_store

    workspace_id = _workspace_id(engine, args.workspace)
    filters = Filters(start=args.start, end=args.end, as_of=args.as_of)
    with engine.connect() as conn:
        if args.by:
            data: Any = kpi.summary_by(conn, workspace_id, args.by, filters)
        else:
            data = kpi.summary(conn, workspace_id, filters, target=args.target)
            data["missing_data"] = costs_in_store(conn, workspace_id)
    _print(data, args.json)
    return 0


def cmd_quality(engine: Engine, args: argparse.Namespace) -> int:
    """Print the data-quality score of a workspace and its findings, worst first."""
    from salesops.kpi.quality import quality_report

    workspace_id = _workspace_id(engine, args.workspace)
    with engine.connect() as conn:
        report = quality_report(conn, workspace_id, resolve_as_of(conn, workspace_id, args.as_of) or date.today())
    findings = [
        {**{k: v for k, v in dataclasses.asdict(f).items() if k not in ("base", "values")}, "message": f.describe()}
        for f in report.findings
    ]
    if args.json:
        _print({"score": report.score, "findings": findings}, True)
    else:
        print(f"score: {report.score}/100")
        _print(findings, False)
    return 0


def cmd_score(engine: Engine, args: argparse.Namespace) -> int:
    """Learn scoring weights from won/lost history, store a 0-100 score on every lead (or deal) and print them."""
    from salesops.scoring.store import score_cli_payload, score_workspace

    workspace_id = _workspace_id(engine, args.workspace)
    with engine.connect() as conn:
        counts = next(w.counts for w in ws.list_all(conn) if w.id == workspace_id)
    if not counts.get(args.entity):
        raise CliError(f"workspace {args.workspace!r} has no {args.entity} to score")
    payload = score_cli_payload(*score_workspace(engine, workspace_id, args.entity, seed=args.seed))
    if args.json:
        _print(payload, True)
    else:
        auc = "n/a" if payload["auc"] is None else f"{payload['auc']:.3f}"
        print(f"method: {payload['method']}  auc: {auc}  {args.entity} scored and stored: {len(payload[args.entity])}")
        _print(payload["explanation"], False)
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


def cmd_backup(engine: Engine, args: argparse.Namespace) -> int:
    """Write one workspace to a single backup file."""
    workspace_id = _workspace_id(engine, args.workspace)
    with engine.connect() as conn:
        data = backup_workspace(conn, workspace_id)
    Path(args.path).write_bytes(data)
    print(f"backup: {_shown(args.workspace)} -> {_shown(args.path)} ({len(data):,} bytes)")
    return 0


def cmd_restore(engine: Engine, args: argparse.Namespace) -> int:
    """Restore a backup file as a new workspace (never over an existing one)."""
    try:
        data = Path(args.path).read_bytes()
        workspace_id = run_write(engine, lambda conn: restore_workspace(conn, data, args.name))
    except (OSError, BackupError, StoreError) as exc:
        raise CliError(str(exc)) from exc
    with engine.connect() as conn:
        name = ws.names(conn).get(workspace_id, "")
    print(f"restored: {_shown(name)}")
    return 0


def cmd_undo(engine: Engine, args: argparse.Namespace) -> int:
    """Undo one import batch of the workspace (another workspace's batch is refused and named)."""
    workspace_id = _workspace_id(engine, args.workspace)
    try:
        batch = int(args.batch_id)
        result = run_write(engine, lambda conn: undo_batch(conn, workspace_id, batch), workspace_id=workspace_id)
    except (UndoError, StoreError) as exc:
        raise CliError(str(exc)) from exc
    _print({"undone": result.batch_id, "file_name": result.file_name, "entity": result.entity}, args.json)
    return 0


def _forecast_rows(frame: Any) -> list[dict[str, Any]]:
    """A forecast frame as JSON rows: period ``YYYY-MM`` (a week: its Monday, ``YYYY-MM-DD``), mean, lower, upper."""
    weekly = str(getattr(frame.index, "freqstr", "") or "").startswith("W")
    fmt = "%Y-%m-%d" if weekly else "%Y-%m"
    return [
        {"period": period.strftime(fmt), "mean": float(mean), "lower": float(lower), "upper": float(upper)}
        for period, mean, lower, upper in zip(frame.index, frame["mean"], frame["lower"], frame["upper"], strict=True)
    ]


def _finite(value: Any) -> float | None:
    """A JSON-safe number: NaN/inf (e.g. MAPE over zero months) become null."""
    return float(value) if value is not None and math.isfinite(float(value)) else None


def cmd_forecast(engine: Engine, args: argparse.Namespace) -> int:
    """Forecast monthly (or weekly) won revenue or won deals by close date from the period after the last complete
    one, with the model chosen by backtest and neutral assumptions; with ``--by`` also reconciled segments."""
    from salesops.demand.calendar import complete_history
    from salesops.forecast import forecast_hierarchy, forecast_series, monthly_series
    from salesops.forecast.series import weekly_series

    if args.freq == "week" and args.by:
        raise CliError("--by works with monthly forecasts only")
    if args.consensus and (args.freq == "week" or args.metric != "revenue"):
        raise CliError("--consensus works with monthly revenue forecasts only")
    workspace_id = _workspace_id(engine, args.workspace)
    with engine.connect() as conn:
        last_day = resolve_as_of(conn, workspace_id, args.as_of)
        if args.freq == "week":
            weeks = Filters(end=last_day)
            total, dropped = weekly_series(conn, workspace_id, args.metric, weeks, last_day=last_day), ""
        else:
            total, dropped = complete_history(monthly_series(conn, workspace_id, args.metric), last_day)
        wide = monthly_series(conn, workspace_id, args.metric, by=args.by) if args.by else None
    if wide is not None:
        wide = wide.reindex(total.index, fill_value=0.0)
        hierarchy = forecast_hierarchy(total, {str(c): wide[c] for c in wide.columns}, args.horizon, args.level)
        result = hierarchy.total
    else:
        result = forecast_series(total, args.horizon, args.level)
    payload: dict[str, Any] = {
        "as_of": last_day.isoformat() if last_day else None,
        "history_end": total.index[-1].strftime("%Y-%m-%d") if len(total) else None,
        "metric": args.metric,
        "freq": args.freq,
        "level": result.level,
        "model": result.model,
        "method_note": result.method_note,
        "backtest": {
            str(row.model): {"mase": _finite(row.mase), "mape": _finite(row.mape)}
            for row in result.backtest.itertuples(index=False)
        },
        "baseline": {key: _finite(value) for key, value in result.baseline.items()},
        "forecast": _forecast_rows(result.forecast),
        "warnings": [*([dropped] if dropped else []), *result.warnings],
    }
    if wide is not None:
        payload["segments"] = {name: _forecast_rows(seg.forecast) for name, seg in hierarchy.segments.items()}
        payload["reconciliation"] = hierarchy.reconciliation
    if args.consensus:
        payload["consensus"] = _consensus(engine, workspace_id, result.forecast["mean"], args.consensus)
    _print(payload, args.json)
    return 0


def _consensus(engine: Engine, workspace_id: int, statistical: Any, choice: str) -> dict[str, Any]:
    """The statistical, pipeline and lead-based forecasts per month, why they differ, and the chosen blend."""
    from salesops.demand.consensus import blend, explain, parse_weights, record, store_sources

    try:
        weights = parse_weights(choice)
        with engine.connect() as conn:
            sources, basis = store_sources(conn, workspace_id, statistical)
        result = blend(sources, weights)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    rows = [{"period": f"{period:%Y-%m}", **row} for period, row in result.frame.to_dict("index").items()]
    return {**record(result), "months": rows, "explanations": explain(sources, basis)}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(prog="python -m salesops", description="Sales Ops Planner, headless.")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_analysis_commands(sub)
    _add_store_commands(sub)
    _add_forecast_command(sub)

    from salesops.capacity.cli import register as register_capacity  # imports CliError from here

    register_capacity(sub)

    from salesops.cli_plan import register as register_plan  # the plan export lives in its own module

    register_plan(sub)
    return parser


def _add_analysis_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """ingest, kpis, quality and score."""
    p = sub.add_parser("ingest", help="import CRM exports (CSV/TSV/XLSX/ZIP)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--entity", choices=ENTITY_CHOICES, default="auto")
    p.add_argument("--workspace", default="Default")
    p.add_argument("--mapping", help="name of a saved or built-in mapping preset")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("kpis", help="KPI summary of a workspace")
    p.add_argument("--workspace", required=True)
    p.add_argument("--start", type=_date)
    p.add_argument("--end", type=_date)
    p.add_argument("--by", choices=("rep", "team", "month", "segment", "source", "product", "region"))
    p.add_argument("--target", type=float, help="revenue target for pipeline coverage")
    p.add_argument("--as-of", type=_date, dest="as_of", help=AS_OF_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_kpis)

    p = sub.add_parser("quality", help="data-quality score and findings of a workspace")
    p.add_argument("--workspace", required=True)
    p.add_argument("--as-of", "--today", type=_date, dest="as_of", help=AS_OF_HELP + "; judges stale and future dates")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quality)

    p = sub.add_parser("score", help="learn lead (or deal) scores from won/lost history and store them")
    p.add_argument("--workspace", required=True)
    p.add_argument("--entity", choices=("leads", "deals"), default="leads")
    p.add_argument("--seed", type=int, default=0, help="seed of the training/holdout split")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_score)


def _add_store_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """workspaces, batches, backup, restore and undo."""
    p = sub.add_parser("workspaces", help="list workspaces")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_workspaces)

    p = sub.add_parser("batches", help="import history of a workspace")
    p.add_argument("--workspace", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("backup", help="back up a workspace to one file (restores on SQLite or PostgreSQL)")
    p.add_argument("path")
    p.add_argument("--workspace", required=True)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a workspace backup as a new workspace")
    p.add_argument("path")
    p.add_argument("--name", help="name of the restored workspace (default: the backed-up name)")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("undo", help="undo an import batch of a workspace")
    p.add_argument("batch_id", type=int)
    p.add_argument("--workspace", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_undo)


def _add_forecast_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """forecast, with its consensus option."""
    p = sub.add_parser("forecast", help="statistical forecast of monthly won revenue or deals, with its backtest")
    p.add_argument("--workspace", required=True)
    p.add_argument("--metric", choices=("revenue", "deals"), default="revenue")
    p.add_argument("--as-of", type=_date, dest="as_of", help=AS_OF_HELP)
    p.add_argument("--freq", choices=("month", "week"), default="month", help="forecast per month or per week")
    p.add_argument("--horizon", type=int, default=12, help="periods (months or weeks) to forecast")
    p.add_argument("--level", type=int, choices=(80, 90, 95), default=90, help="prediction interval in %%")
    p.add_argument(
        "--by", choices=("segment", "product", "region", "team"), help="also forecast and reconcile these groups"
    )
    p.add_argument(
        "--consensus",
        nargs="?",
        const="statistical",
        metavar="CHOICE",
        help="also the pipeline and lead-based forecasts and the demand for the plan: statistical (default), "
        "pipeline, leads or weights S,P,L like 50,25,25 (monthly revenue only)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_forecast)


def main(argv: Sequence[str] | None = None, *, engine_factory: Callable[[], Engine] = get_engine) -> int:
    """Run one command; return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        engine = engine_factory()
        return int(args.func(engine, args))
    except (CliError, StoreError) as exc:
        print(f"error: {_shown(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line for the user, never a traceback
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(f"error: {type(exc).__name__}: {_shown(first)}", file=sys.stderr)
        return 2
