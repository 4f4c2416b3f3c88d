"""Writers and readers on one store at once (catalogue F5, F6): no lost update, no raw busy error, p95 read latency.

    .venv/bin/python benchmarks/soak.py [--seconds 300] [--writers 4] [--readers 20] [--url postgresql+psycopg://...]

Each writer imports small deals files (50 new deals each) into one shared workspace through the app's import path;
each reader keeps reading that workspace's record counts (what Home shows) and times each read. At the end the
deals in the store must equal the rows the writers were told were loaded, and the workspace's data version must
equal the number of imports (a lost update would leave either short). ``tests/integration/test_soak.py`` runs the
same for a short time in the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from salesops.ingest.pipeline import load, prepare
from salesops.store import get_engine
from salesops.store import workspaces as ws
from salesops.store.schema import deals
from salesops.store.transactions import run_write


@dataclass
class SoakResult:
    """What a soak run did and found."""

    seconds: float
    imports: int = 0
    rows_told: int = 0
    rows_stored: int = 0
    data_version: int = 0
    reads: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    @property
    def p95_ms(self) -> float:
        """95th percentile of read latency in milliseconds."""
        return statistics.quantiles(self.latencies, n=20)[-1] * 1000 if len(self.latencies) >= 20 else float("nan")

    @property
    def lost_updates(self) -> int:
        """Imports or rows the writers were told about that the store does not hold."""
        return (self.rows_told - self.rows_stored) + (self.imports - self.data_version)


def _deals(writer: int, n: int) -> bytes:
    rows = [f"S{writer}-{n}-{i},Closed Won,{i + 1},2024-0{i % 9 + 1}-15" for i in range(50)]
    return ("Opportunity ID,Stage,Amount,Close Date\n" + "\n".join(rows) + "\n").encode()


def soak(engine: Engine, seconds: float, writers: int = 4, readers: int = 20) -> SoakResult:
    """Run ``writers`` importers and ``readers`` readers on one workspace for ``seconds``; return the findings."""
    workspace_id = run_write(engine, lambda conn: ws.get_or_create(conn, "Soak"))
    result, lock, stop = SoakResult(seconds), threading.Lock(), time.monotonic() + seconds

    def write(writer: int) -> None:
        n = 0
        while time.monotonic() < stop:
            try:
                [table] = prepare(_deals(writer, n), f"soak-{writer}-{n}.csv")
                done = load(engine, workspace_id, table)
                with lock:
                    result.imports += 1
                    result.rows_told += done.rows_loaded
            except Exception as error:  # noqa: BLE001 - every failure is a finding
                with lock:
                    result.errors.append(f"writer: {type(error).__name__}: {str(error)[:200]}")
            n += 1

    def read() -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                with engine.connect() as conn:
                    ws.describe(conn, workspace_id)
                with lock:
                    result.reads += 1
                    result.latencies.append(time.perf_counter() - started)
            except Exception as error:  # noqa: BLE001 - every failure is a finding
                with lock:
                    result.errors.append(f"reader: {type(error).__name__}: {str(error)[:200]}")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    threads += [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as conn:
        result.rows_stored = int(conn.execute(select(func.count()).select_from(deals)).scalar() or 0)
        result.data_version = ws.data_version(conn, workspace_id)
    return result


def main() -> None:
    """Run a soak and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--url", help="a store URL (default: a new SQLite file in a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = get_engine(args.url or f"sqlite:///{Path(folder) / 'soak.db'}")
        found = soak(engine, args.seconds, args.writers, args.readers)
        engine.dispose()
    print(
        f"{engine.dialect.name}: {args.writers} writers x {args.readers} readers for {found.seconds:.0f} s: "
        f"{found.imports} imports ({found.rows_stored:,} deals), {found.reads:,} reads, "
        f"p95 read {found.p95_ms:.1f} ms, lost updates {found.lost_updates}, errors {len(found.errors)}"
    )
    for error in found.errors[:5]:
        print("  ", error)


if __name__ == "__main__":
    main()
