"""Large synthetic CRM exports for benchmarks: millions of deals or activities in the sample data's shape.

Vectorised numpy plus pyarrow's CSV writer, so a million deals take a few seconds; values are plausible (stage
mix, lognormal amounts by segment, ISO dates) but carry none of the sample's planted structure.
Usage: ``python benchmarks/datagen.py deals 1000000 out.csv`` or ``… activities 5000000 out.csv``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a plain script from a checkout

from salesops.sampledata import (
    ACTIVITY_TYPES,
    DEAL_COLUMNS,
    HISTORY_END,
    HISTORY_START,
    LEAD_SOURCES,
    OPEN_STAGES,
    PRODUCTS,
    REGIONS,
    STAGE_PROBABILITY,
    TEAMS,
)

BENCH_DEAL_COLUMNS: tuple[str, ...] = tuple(
    c for c in DEAL_COLUMNS if c not in ("Deal Name", "Deal Type", "Forecast Category")
)
BENCH_ACTIVITY_COLUMNS: tuple[str, ...] = (
    "Activity ID",
    "Type",
    "Subject",
    "Owner",
    "Deal ID",
    "Account",
    "Date",
    "Duration (min)",
    "Outcome",
)
_STAGES = ("Closed Won", "Closed Lost", *OPEN_STAGES)
_STAGE_SHARE = (0.27, 0.58, 0.04, 0.04, 0.04, 0.03)
_SEGMENTS = tuple(dict.fromkeys(TEAMS.values()))
_SEGMENT_SHARE = (0.6, 0.3, 0.1)
_SEGMENT_MEDIAN = np.array([4_500.0, 22_000.0, 105_000.0])
_SEGMENT_CYCLE = np.array([20.0, 45.0, 90.0])
_MINUTES_BY_TYPE = np.array([5, 12, 45, 60, 90, 15])  # email, call, meeting, demo, proposal, task
_TYPE_SHARE = (0.38, 0.23, 0.12, 0.07, 0.06, 0.14)


def _labels(prefix: str, numbers: np.ndarray) -> pa.Array:
    """``prefix`` + number as a string column, built in Arrow (numpy string concatenation is far slower)."""
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")


def _take(values: tuple[str, ...] | list[str], index: np.ndarray) -> pa.Array:
    return pa.array(list(values), pa.string()).take(pa.array(index))


def _names(count: int, prefix: str) -> list[str]:
    return [f"{prefix} {i:05d}" for i in range(1, count + 1)]


def write_deals_csv(path: str | Path, n_rows: int, seed: int = 1) -> Path:
    """Write ``n_rows`` deals with the 13 columns of ``BENCH_DEAL_COLUMNS`` to ``path``; return the path."""
    rng = np.random.default_rng(seed)
    start = int(np.datetime64(HISTORY_START, "D").astype(np.int64))
    end = int(np.datetime64(HISTORY_END, "D").astype(np.int64))
    n_reps = max(5, n_rows // 250)
    n_accounts = max(10, n_rows // 5)
    segment = rng.choice(len(_SEGMENTS), size=n_rows, p=_SEGMENT_SHARE)
    stage = rng.choice(len(_STAGES), size=n_rows, p=_STAGE_SHARE)
    cycle = np.maximum(_SEGMENT_CYCLE[segment] * np.exp(0.5 * rng.standard_normal(n_rows)), 1).astype(np.int64)
    closed = stage < 2
    # Closed deals closed by the export date; open ones were created recently and close after it.
    created = np.where(
        closed,
        start + (rng.random(n_rows) * np.maximum(end - start - cycle, 1)).astype(np.int64),
        end - (rng.random(n_rows) * cycle).astype(np.int64),
    )
    close = np.where(closed, created + cycle, np.maximum(created + cycle, end + 1))
    amount = np.round(_SEGMENT_MEDIAN[segment] * np.exp(0.6 * rng.standard_normal(n_rows)), -1)
    probability = np.array([STAGE_PROBABILITY[s] for s in _STAGES])[stage]
    columns = {
        "Deal ID": _labels("D-", np.arange(1, n_rows + 1)),
        "Account": _take(_names(n_accounts, "Account"), rng.integers(0, n_accounts, n_rows)),
        "Owner": _take(_names(n_reps, "Rep"), rng.integers(0, n_reps, n_rows)),
        "Stage": _take(_STAGES, stage),
        "Amount": pa.array(amount),
        "Currency": pa.array(np.full(n_rows, "USD")),
        "Created Date": pa.array(created.astype("datetime64[D]")),
        "Close Date": pa.array(close.astype("datetime64[D]")),
        "Probability (%)": pa.array(probability),
        "Lead Source": _take(LEAD_SOURCES, rng.integers(0, len(LEAD_SOURCES), n_rows)),
        "Product": _take(PRODUCTS, rng.integers(0, len(PRODUCTS), n_rows)),
        "Segment": _take(_SEGMENTS, segment),
        "Region": _take(REGIONS, rng.integers(0, len(REGIONS), n_rows)),
    }
    return _write(path, pa.table({c: columns[c] for c in BENCH_DEAL_COLUMNS}))


def write_activities_csv(path: str | Path, n_rows: int, n_reps: int = 200, seed: int = 2) -> Path:
    """Write ``n_rows`` activities by ``n_reps`` reps (``BENCH_ACTIVITY_COLUMNS``) to ``path``; return the path."""
    rng = np.random.default_rng(seed)
    start = int(np.datetime64(HISTORY_START, "D").astype(np.int64))
    end = int(np.datetime64(HISTORY_END, "D").astype(np.int64))
    n_deals = max(1, n_rows // 9)
    n_accounts = max(10, n_deals // 5)
    kind = rng.choice(len(ACTIVITY_TYPES), size=n_rows, p=_TYPE_SHARE)
    deal = rng.integers(1, n_deals + 1, n_rows)
    minutes = np.maximum(_MINUTES_BY_TYPE[kind] * np.exp(0.4 * rng.standard_normal(n_rows)), 1).round()
    outcomes = ("Completed", "Sent", "Connected", "No answer")
    stamp = rng.integers(start, end + 1, n_rows) * 1440 + rng.integers(8 * 60, 18 * 60, n_rows)  # working hours
    columns = {
        "Activity ID": _labels("A-", np.arange(1, n_rows + 1)),
        "Type": _take(ACTIVITY_TYPES, kind),
        "Subject": _take([f"{t} follow-up" for t in ACTIVITY_TYPES], kind),
        "Owner": _take(_names(n_reps, "Rep"), rng.integers(0, n_reps, n_rows)),
        "Deal ID": _labels("D-", deal),
        "Account": _take(_names(n_accounts, "Account"), deal % n_accounts),
        "Date": pa.array(np.sort(stamp).astype("datetime64[m]").astype("datetime64[s]")),
        "Duration (min)": pa.array(minutes.astype(np.int64)),
        "Outcome": _take(outcomes, rng.integers(0, len(outcomes), n_rows)),
    }
    return _write(path, pa.table({c: columns[c] for c in BENCH_ACTIVITY_COLUMNS}))


def _write(path: str | Path, table: pa.Table) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pa_csv.write_csv(table, path, pa_csv.WriteOptions(quoting_style="needed"))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entity", choices=("deals", "activities"))
    parser.add_argument("n_rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--reps", type=int, default=200, help="activities only: number of distinct owners")
    args = parser.parse_args()
    began = time.perf_counter()
    if args.entity == "deals":
        path = write_deals_csv(args.out, args.n_rows, seed=1 if args.seed is None else args.seed)
    else:
        path = write_activities_csv(args.out, args.n_rows, n_reps=args.reps, seed=2 if args.seed is None else args.seed)
    size = path.stat().st_size / 1e6
    print(f"{args.n_rows:,} {args.entity} -> {path} ({size:.1f} MB) in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
