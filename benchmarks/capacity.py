"""Page-3 benchmark: the whole supply computation at scale, and a slider move on the page.

1. ``compute``: 500 reps x 24 months x the 3 scenarios through :func:`salesops.capacity.by_scenario` (attainment,
   ramped capacity, reverse funnel, what-ifs, service, inventory and two named constraints, the gap, the hiring
   optimisation's two integer programmes, the greedy comparison), the team and demand built in memory so only the
   computation a slider move repeats is timed. Median of 7 runs, target < 1 s.
2. ``ui``: an AppTest session on the Demo workspace (fresh SQLite store; the Demo import and the first baseline fit
   are timed separately) moves each supply lever to five values; every move is one full script re-run. Median per
   lever, target < 0.5 s.

Run from the repository root (``nice`` on the shared machine):

    nice -n 10 .venv/bin/python benchmarks/capacity.py [compute|ui]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from salesops.capacity import PlannedHire, SupplyBase, SupplySettings, by_scenario  # noqa: E402
from salesops.capacity.funnel import FunnelRates  # noqa: E402
from salesops.capacity.resources import Constraint, Inventory  # noqa: E402
from salesops.capacity.roster import Roster  # noqa: E402
from salesops.capacity.source import SupplyDemand  # noqa: E402

REPS, MONTHS, TARGET_COMPUTE, TARGET_UI = 500, 24, 1.0, 0.5
PAGE = "pages/3_supply_planning.py"
MOVES = {
    "supply_ramp_months": ("slider", [2, 4, 6, 8, 10]),
    "supply_attrition": ("number_input", [0.5, 1.0, 2.0, 3.0, 4.0]),
    "supply_lead": ("slider", [1, 2, 3, 4, 5]),
    "supply_price_change": ("slider", [-10, -5, 5, 10, 20]),
}


def synthetic_base(seed: int = 0) -> SupplyBase:
    """500 reps (a tenth still ramping, a few joining later), 24 months of demand 10 % above the team's capacity."""
    rng = np.random.default_rng(seed)
    quota = rng.choice([300_000.0, 750_000.0, 1_650_000.0], REPS)
    tenure = np.where(rng.random(REPS) < 0.1, rng.integers(-3, 6, REPS), rng.integers(12, 120, REPS))
    booked = quota[:, None] / 12 * rng.uniform(0.5, 1.3, (REPS, 1)) * rng.uniform(0.6, 1.4, (REPS, 12))
    team = pd.DataFrame({"rep": [f"R{i}" for i in range(REPS)], "team": "T", "quota": quota, "tenure0": tenure})
    start = pd.Period("2027-01", freq="M")
    roster = Roster(start, team, booked, True, 6, 0.015, ())
    monthly = float(quota.sum() / 12) * 1.1 * (1 + 0.2 * np.sin(np.arange(MONTHS) / 2))
    revenue = {"worst": 0.85 * monthly, "base": monthly, "best": 1.15 * monthly}
    periods = [str(start + k) for k in range(MONTHS)]
    rates = FunnelRates(25_000.0, 0.3, 0.25, 30.0, 90.0, 45.0)
    hours = monthly / 25_000.0 * 12.0
    return SupplyBase(roster, rates, SupplyDemand(periods, revenue, hours, None, "synthetic"))


def compute() -> float:
    """Median seconds of the three scenarios, hiring optimisation included."""
    base = synthetic_base()
    settings = SupplySettings(
        inventory=Inventory(on_hand=2_000.0, monthly_supply=1_500.0, lead_months=2, safety_stock=200.0),
        constraints=(Constraint("Implementation partner", 900.0, 0.5), Constraint("Legal review", 1_400.0, 1.0)),
        planned=(PlannedHire("rep", 0, 10, True), PlannedHire("support", 3, 2, False)),
        headcount_cap=200,
    )
    results = by_scenario(base, settings)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        results = by_scenario(base, settings)
        times.append(time.perf_counter() - start)
    for name, r in results.items():
        hires = int(r.plan.hires["count"].sum()) if len(r.plan.hires) else 0
        print(f"  {name}: {hires} hires, cost {r.plan.cost:,.0f}, uncovered {r.revenue_uncovered:,.0f}")
    median = statistics.median(times)
    verdict = "within" if median < TARGET_COMPUTE else "OVER"
    print(
        f"{REPS} reps x {MONTHS} months x 3 scenarios: median {median:.3f} s over 7 runs "
        f"(min {min(times):.3f}, max {max(times):.3f}): {verdict} the {TARGET_COMPUTE} s target"
    )
    return median


def ui() -> float:
    """Slowest median re-render over the levers."""
    store = Path(tempfile.mkdtemp(prefix="capacity_ui_")) / "store.db"
    os.environ["DATABASE_URL"] = f"sqlite:///{store}"
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    start = time.perf_counter()
    app.run()
    print(f"home page with the Demo import: {time.perf_counter() - start:.2f} s")
    app.switch_page(PAGE)
    start = time.perf_counter()
    app.run()
    print(f"page 3, first run (team, rates, baseline fit): {time.perf_counter() - start:.2f} s")
    assert not app.exception, app.exception
    worst = 0.0
    for key, (kind, values) in MOVES.items():
        times = []
        for value in values:
            getattr(app, kind)(key=key).set_value(value)
            start = time.perf_counter()
            app.run()
            times.append(time.perf_counter() - start)
            assert not app.exception, app.exception
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"{key}: median {median:.3f} s over {len(times)} moves (min {min(times):.3f}, max {max(times):.3f})")
    print(f"slowest median {worst:.3f} s: {'within' if worst < TARGET_UI else 'OVER'} the {TARGET_UI} s target")
    return worst


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "both"
    if which in ("compute", "both"):
        compute()
    if which in ("ui", "both"):
        ui()
