"""Ingest benchmark: a 1,000,000-row deals CSV through `ingest` end to end, against a floor measured in the same run.

The floor is what no importer can beat by much: reading the file with pandas' pyarrow engine plus a bare
``sqlite3.executemany`` of its rows in one transaction. Prints medians of several runs, the ratio and peak memory
(the target is ingest within 2x the floor and under 2 GB). With ``--postgres URL`` (an admin URL such as the
tests' ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) the same file is also imported into a throwaway
PostgreSQL database, created and dropped here, and its time reported beside. Not part of the test run:

    .venv/bin/python benchmarks/ingest.py [--rows 1000000] [--repeat 3] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.datagen import write_deals_csv


def floor_once(csv: Path, db: Path) -> float:
    """pyarrow read + one-transaction executemany of plain tuples into a bare table."""
    start = time.perf_counter()
    frame = pd.read_csv(csv, engine="pyarrow", dtype=str)
    con = sqlite3.connect(db)
    cols = ", ".join(f'"{c}" TEXT' for c in frame.columns)
    con.execute(f"CREATE TABLE t ({cols})")
    marks = ", ".join("?" for _ in frame.columns)
    rows = list(frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None))
    with con:
        con.executemany(f"INSERT INTO t VALUES ({marks})", rows)
    con.close()
    return time.perf_counter() - start


_CHILD = """
import resource, sys, time
sys.path.insert(0, {repo!r})
from salesops.ingest.pipeline import ingest_paths
from salesops.store import get_engine
engine = get_engine({url!r})
start = time.perf_counter()
[result] = ingest_paths(engine, "Bench", [{csv!r}])
elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(elapsed, peak_mb, result.rows_loaded, result.rows_rejected)
"""


def ingest_once(csv: Path, url: str) -> tuple[float, float, int, int]:
    """`ingest` end to end in a fresh process (so its peak RSS is its own): seconds, peak MB, loaded, rejected."""
    code = _CHILD.format(repo=str(Path(__file__).resolve().parents[1]), url=url, csv=str(csv))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), int(out[3])


def postgres_once(csv: Path, admin_url: str, run: int) -> float:
    """`ingest` into a fresh PostgreSQL database made for this run and dropped after it: seconds."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_ingest_{os.getpid()}_{run}"  # generated here, not user input
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        return ingest_once(csv, url)[0]
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    """Run the benchmark and print figures, medians and ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to import into a throwaway database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "deals.csv"
        write_deals_csv(csv, args.rows)
        size_mb = csv.stat().st_size / 1e6
        floors, ingests, peaks = [], [], []
        for i in range(args.repeat):
            floors.append(floor_once(csv, Path(tmp) / f"floor{i}.db"))
            seconds, peak, loaded, rejected = ingest_once(csv, f"sqlite:///{Path(tmp) / f'ingest{i}.db'}")
            ingests.append(seconds)
            peaks.append(peak)
        floor, ingest = statistics.median(floors), statistics.median(ingests)
        print(f"rows: {args.rows:,}  file: {size_mb:.0f} MB  runs: {args.repeat}")
        print(f"floor (pyarrow read + sqlite3.executemany): median {floor:.2f} s  runs {[round(x, 2) for x in floors]}")
        print(
            f"ingest end to end:                           median {ingest:.2f} s  runs {[round(x, 2) for x in ingests]}"
        )
        print(f"ratio ingest / floor: {ingest / floor:.2f}x (target <= 2x)")
        print(f"rows/s: {args.rows / ingest:,.0f}  loaded {loaded:,} rejected {rejected:,}")
        print(f"peak memory of ingest process: median {statistics.median(peaks):.0f} MB (target < 2048 MB)")
        print(f"benchmark process peak: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        if args.postgres:
            runs = [postgres_once(csv, args.postgres, i) for i in range(args.repeat)]
            pg = statistics.median(runs)
            print(f"PostgreSQL ingest end to end: median {pg:.2f} s  runs {[round(x, 2) for x in runs]}")
            print(f"ratio PostgreSQL ingest / SQLite floor: {pg / floor:.2f}x")


if __name__ == "__main__":
    main()
