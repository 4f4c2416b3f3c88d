"""Every hostile-corpus file through the UI's import path, each in its own process under a memory limit.

    .venv/bin/python benchmarks/corpus.py [--limit-mb 2048] [--timeout 120]

Per file: outcome, seconds, peak RSS (ru_maxrss of the child). Totals: files tried, crashes (a traceback, a
timeout or the memory limit instead of an answer), partial writes (a refused file that changed the store) and
silent alterations (a loaded file whose rows or values differ from what the corpus expects); all should be 0.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "corpus")]

import make_corpus  # noqa: E402


def child(index: int, db: str, path: str) -> None:
    """Run one corpus file (read from ``path``) through prepare + load and print what happened as one JSON line."""
    from sqlalchemy import func, select

    from salesops.ingest.pipeline import UnreadableFileError, load, prepare
    from salesops.store import get_engine
    from salesops.store import workspaces as ws
    from salesops.store.schema import RECORD_TABLES, metadata

    case = make_corpus.CASES[index]
    engine = get_engine(f"sqlite:///{db}")

    def counts() -> dict[str, int]:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar() or 0 for t in metadata.sorted_tables
            }

    data = Path(path).read_bytes()  # built by the parent, so building it is not counted in this process's memory
    before = counts()
    started = time.perf_counter()
    out: dict[str, object] = {}
    try:
        tables = prepare(data, case.name)
        if all(t.entity is None for t in tables):
            out = {"outcome": "unrecognised"}
        else:
            with engine.begin() as conn:
                workspace_id = ws.get_or_create(conn, "Corpus")
            results = [load(engine, workspace_id, t) for t in tables]
            out = {
                "outcome": "loaded",
                "loaded": sum(r.rows_loaded for r in results),
                "rejected": sum(r.rows_rejected for r in results),
            }
            out["values_ok"] = _values_ok(engine, RECORD_TABLES[str(tables[0].entity)], case.expect.values)
    except UnreadableFileError as refusal:
        out = {"outcome": "refused", "message": str(refusal), "store_unchanged": counts() == before}
    out["seconds"] = round(time.perf_counter() - started, 3)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["bytes"] = len(data)
    print(json.dumps(out))


def _values_ok(engine, table, expected: dict) -> bool:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    with engine.connect() as conn:
        for record_id, fields in expected.items():
            row = conn.execute(select(table).where(table.c.id == record_id)).mappings().first()
            if row is None:
                return False
            extra = json.loads(row["extra"] or "{}")
            for name, value in fields.items():
                actual = row[name] if name in row else extra.get(name)
                if isinstance(value, float) and (actual is None or abs(float(actual) - value) > 1e-9):
                    return False
                if not isinstance(value, float) and actual != value:
                    return False
    return True


def _run_one(index: int, limit_mb: int, timeout: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "upload"
        source.write_bytes(make_corpus.CASES[index].build())

        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

        try:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(index), str(Path(tmp) / "store.db"), str(source)],
                capture_output=True, text=True, timeout=timeout, preexec_fn=limit, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return {"outcome": "crash", "why": f"no answer within {timeout:.0f} s"}
        if proc.returncode != 0 or not proc.stdout.strip():
            return {"outcome": "crash", "why": (proc.stderr.strip().splitlines() or ["no output"])[-1][:200]}
        return json.loads(proc.stdout.strip().splitlines()[-1])


def _judge(case: make_corpus.Case, got: dict[str, object]) -> tuple[bool, bool, bool]:
    """(crash, partial write, silent alteration) for one file."""
    expect = case.expect
    crash = got["outcome"] == "crash"
    partial = got["outcome"] == "refused" and not got.get("store_unchanged", False)
    altered = got["outcome"] == "loaded" and (
        got.get("loaded") != expect.loaded or got.get("rejected") != expect.rejected or not got.get("values_ok")
    )
    return crash, partial, altered or (not crash and got["outcome"] != expect.outcome)


def main() -> None:
    """Run the corpus and print a table and the totals."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit-mb", type=int, default=2048, help="address-space limit per file")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    totals = {"files": 0, "crashes": 0, "partial writes": 0, "silent alterations or wrong outcomes": 0}
    worst_time, worst_rss = (0.0, ""), (0.0, "")
    print(f"{'file':32} {'size':>10} {'outcome':12} {'s':>7} {'peak MB':>8}  detail")
    for index, case in enumerate(make_corpus.CASES):
        got = _run_one(index, args.limit_mb, args.timeout)
        crash, partial, altered = _judge(case, got)
        totals["files"] += 1
        totals["crashes"] += crash
        totals["partial writes"] += partial
        totals["silent alterations or wrong outcomes"] += altered
        seconds, rss = float(got.get("seconds", 0)), float(got.get("peak_rss_mb", 0))
        worst_time, worst_rss = max(worst_time, (seconds, case.file)), max(worst_rss, (rss, case.file))
        detail = str(
            got.get("message") or got.get("why") or f"{got.get('loaded')} loaded, {got.get('rejected')} rejected"
        )
        print(f"{case.file:31} {got.get('bytes', 0):>10,} {got['outcome']:11} {seconds:7.2f} {rss:8.0f} {detail[:80]}")
    print()
    print("  ".join(f"{k}: {v}" for k, v in totals.items()))
    print(f"slowest: {worst_time[1]} {worst_time[0]:.2f} s; most memory: {worst_rss[1]} {worst_rss[0]:.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        main()
