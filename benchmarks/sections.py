"""Page-1 section benchmark: each section's domain calls, cold, on a big workspace (default 1M deals, 5M activities).

Each section runs the calls its UI module makes on a first visit (salesops/ui/icp_view.py: ``ideal_profile`` then
``icp`` and ``rep_focus`` on the default "industry"; performers_view.py: ``compare_performers`` on the default
"attainment" basis, and ``forecast_vs_actual``; quality_view.py: ``quality_report`` for today). "Cold" means the
UI caches are empty: every timed run is a fresh process with a fresh connection (the OS file cache stays warm, as
on a dashboard that has been running), so nothing computed by an earlier call is reused. Two filter sets: the
page default (all time) and last 12 months of one region. Reported: the median of ``--runs`` cold processes per
section and filter set, and the median of ``--repeat`` further calls in the last of those processes.

Figures 2026-11-28 (SQLite, schema 0003, 1,000,000 deals with 4,000 owners and 198,649 name-only accounts,
5,000,000 activities all linked to a deal, shared 2-core machine). "before" = one cold process (commit 380ef95),
"after" = median of 3 cold processes; results identical (``--check``):
    section                     all time: before   after    last 12 months, one region: before   after
    Ideal customer profile                33.3 s   3.7 s                                8.9 s    0.85 s
    Top vs bottom performers              12.5 s   9.5 s                                9.7 s    6.0 s
    Forecast vs actual                     4.2 s   1.9 s                                1.8 s    0.45 s
    Data quality                           6.3 s   2.2 s                                6.2 s    2.2 s
What remains: ICP sorts 850,000 closed deals twice (profile, then the "industry" table: ~1.8 s + 1.1 s of SQLite
GROUP BY sorting); performers' first activity per deal sorts 5,000,000 activities by deal (~4 s; no index has
deal_id); quality counts every column of 5,000,000 activities (~1.2 s).

    .venv/bin/python benchmarks/sections.py --db /tmp/kpiperf/fresh.db [--runs 3] [--repeat 3]
    .venv/bin/python benchmarks/sections.py --db ... --save /tmp/sections_before   # results, for --check
    .venv/bin/python benchmarks/sections.py --db ... --check /tmp/sections_before  # same results as saved?
    .venv/bin/python benchmarks/sections.py --db ... --explain "Data quality"      # slow statements, query plans
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import pickle
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
from sqlalchemy import Connection, event

from salesops.accuracy.forecast import forecast_vs_actual
from salesops.filters import Filters
from salesops.i18n import DEFAULT_LANGUAGE
from salesops.kpi.options import filter_options
from salesops.kpi.quality import quality_report
from salesops.performers.compare import compare_performers
from salesops.segments.icp import icp, ideal_profile, rep_focus
from salesops.store import get_engine
from salesops.store import workspaces as ws

WORKSPACE = "Bench"
TARGET_SECONDS = 2.0
Section = Callable[[Connection, int, Filters], dict[str, object]]

SECTIONS: dict[str, Section] = {
    "Ideal customer profile": lambda c, w, f: {
        "profile": ideal_profile(c, w, f, lang=DEFAULT_LANGUAGE),
        "segments": icp(c, w, f, "industry"),
        "focus": rep_focus(c, w, f, "industry"),
    },
    "Top vs bottom performers": lambda c, w, f: {
        "comparison": compare_performers(c, w, f, "attainment", lang=DEFAULT_LANGUAGE)
    },
    "Forecast vs actual": lambda c, w, f: {"accuracy": forecast_vs_actual(c, w, f, lang=DEFAULT_LANGUAGE)},
    "Data quality": lambda c, w, f: {"quality": quality_report(c, w, date.today())},
}
SCENARIOS = ("all time", "last 12 months, one region")


def scenario_filters(conn: Connection, workspace: int, scenario: str) -> Filters:
    """The filters of a named scenario (the second is read from the data, so it fits any workspace)."""
    if scenario == "all time":
        return Filters()
    options = filter_options(conn, workspace)
    end = min(options.last_close or date.today(), date.today())
    return Filters(start=end - timedelta(days=365), end=end, regions=tuple(options.regions[:1]))


def run_child(db: Path, section: str, scenario: str, repeat: int, save: Path | None) -> dict[str, object]:
    """In this (fresh) process: one cold call of the section, then ``repeat`` more; seconds as a dict."""
    engine = get_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        workspace = ws.find(conn, WORKSPACE)
        filters = scenario_filters(conn, workspace, scenario)
        began = time.perf_counter()
        result = SECTIONS[section](conn, workspace, filters)
        cold = time.perf_counter() - began
        warm = []
        for _ in range(repeat):
            began = time.perf_counter()
            SECTIONS[section](conn, workspace, filters)
            warm.append(time.perf_counter() - began)
    engine.dispose()
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        (save / _result_name(section, scenario)).write_bytes(pickle.dumps(result))
    return {"cold": cold, "warm": warm}


def _result_name(section: str, scenario: str) -> str:
    return f"{section}__{scenario}.pickle".replace(" ", "_").replace(",", "")


def differences(expected: object, actual: object, where: str = "") -> list[str]:
    """Where two results differ (frames compared with a 1e-9 relative tolerance on floats), as readable lines."""
    if isinstance(expected, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(expected, actual, check_exact=False, rtol=1e-9, atol=1e-9)  # type: ignore[arg-type]
        except AssertionError as error:
            return [f"{where}: {str(error).splitlines()[0:4]}"]
        return []
    if dataclasses.is_dataclass(expected) and not isinstance(expected, type):
        return [
            line
            for f in dataclasses.fields(expected)
            for line in differences(getattr(expected, f.name), getattr(actual, f.name), f"{where}.{f.name}")
        ]
    if isinstance(expected, dict):
        if set(expected) != set(actual):  # type: ignore[arg-type]
            return [f"{where}: keys {sorted(expected)} vs {sorted(actual)}"]  # type: ignore[arg-type]
        return [line for key in expected for line in differences(expected[key], actual[key], f"{where}[{key}]")]  # type: ignore[index]
    if isinstance(expected, list | tuple):
        if len(expected) != len(actual):  # type: ignore[arg-type]
            return [f"{where}: {len(expected)} items vs {len(actual)}"]  # type: ignore[arg-type]
        return [
            line
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for line in differences(e, a, f"{where}[{i}]")
        ]  # type: ignore[call-overload]
    if isinstance(expected, float) and isinstance(actual, float) and math.isclose(expected, actual, rel_tol=1e-9):
        return []
    return [] if expected == actual else [f"{where}: {expected!r} vs {actual!r}"]


def explain(db: Path, section: str, scenario: str, slower_than: float = 0.05) -> None:
    """Run a section once and print each statement slower than ``slower_than`` s with its SQLite query plan."""
    engine = get_engine(f"sqlite:///{db}")
    statements: list[tuple[float, str, object]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, *_args):
        conn.info["began"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, _cursor, statement, params, *_args):
        statements.append((time.perf_counter() - conn.info["began"], statement, params))

    with engine.connect() as conn:
        workspace = ws.find(conn, WORKSPACE)
        filters = scenario_filters(conn, workspace, scenario)
        statements.clear()
        began = time.perf_counter()
        SECTIONS[section](conn, workspace, filters)
        total = time.perf_counter() - began
        print(f"=== {section} ({scenario}): {total:.2f} s, {len(statements)} statements")
        for seconds, sql, params in list(statements):
            if seconds >= slower_than:
                print(f"--- {seconds:.3f} s  params={params}\n{sql}")
                for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all():  # type: ignore[arg-type]
                    print("    ", row[-1])
    engine.dispose()


def main() -> None:
    """Time every section cold in fresh processes and print a table; or save, check or explain results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, required=True, help="SQLite file with the Bench workspace (benchmarks/kpis.py)"
    )
    parser.add_argument("--runs", type=int, default=3, help="cold processes per section and filter set")
    parser.add_argument("--repeat", type=int, default=3, help="further calls in the last process (warm median)")
    parser.add_argument("--sections", nargs="*", default=list(SECTIONS), choices=list(SECTIONS))
    parser.add_argument("--scenarios", nargs="*", default=list(SCENARIOS), choices=list(SCENARIOS))
    parser.add_argument("--save", type=Path, help="pickle each section's results into this folder")
    parser.add_argument("--check", type=Path, help="compare each section's results with those saved here")
    parser.add_argument("--explain", choices=list(SECTIONS), help="print slow statements and plans of one section")
    parser.add_argument("--child", nargs=2, metavar=("SECTION", "SCENARIO"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.db, *args.child, args.repeat, args.save)))
        return
    if args.explain:
        for scenario in args.scenarios:
            explain(args.db, args.explain, scenario)
        return
    mismatches = 0
    print(f"{'section':28s} {'filters':28s} {'cold median':>11s}  cold runs            warm median")
    for section in args.sections:
        for scenario in args.scenarios:
            colds, warm = [], []
            for run in range(args.runs):
                last = run == args.runs - 1
                command = [sys.executable, __file__, "--db", str(args.db), "--child", section, scenario]
                command += ["--repeat", str(args.repeat if last else 0)]
                if last and (args.save or args.check):
                    command += ["--save", str(args.save or args.check.with_name(args.check.name + "_now"))]
                out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
                timing = json.loads(out.strip().splitlines()[-1])
                colds.append(timing["cold"])
                warm = timing["warm"] or warm
            cold = statistics.median(colds)
            mark = "ok" if cold < TARGET_SECONDS else "SLOW"
            runs = ", ".join(f"{x:.2f}" for x in colds)
            warm_text = f"{statistics.median(warm):.2f} s" if warm else "-"
            print(f"{section:28s} {scenario:28s} {cold:9.2f} s  [{runs}] {mark:4s} {warm_text}", flush=True)
            if args.check:
                name = _result_name(section, scenario)
                saved = pickle.loads((args.check / name).read_bytes())
                now = pickle.loads((args.check.with_name(args.check.name + "_now") / name).read_bytes())
                found = differences(saved, now, section)
                mismatches += bool(found)
                print("    results: " + ("identical" if not found else "DIFFER\n      " + "\n      ".join(found[:10])))
    if args.check:
        print("all results identical" if not mismatches else f"{mismatches} section/filter results differ")


if __name__ == "__main__":
    main()
