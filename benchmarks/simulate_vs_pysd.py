"""Benchmark orbat's force model against PySD, and time the bundled Kursk scenario.

1. One recruitment-and-loss stock (benchmarks/recruitment_stock.mdl) run by PySD and by orbat's
   engine with Euler integration and the same dt: trajectories must agree to 1e-9 relative.
2. Runs per second, best of seven rounds that time one batch of each tool in turn: PySD runs
   the model once per call; orbat runs many draws at once through its compiled kernel, each
   draw counted as one run.
3. Kursk, 100,000 draws over 365 days on one core (target <= 2 s).
4. Peak memory of a 10-million-draw Kursk run, measured in a fresh subprocess with
   resource.getrusage (ru_maxrss) (target <= 2 GB).
Prints one JSON line at the end: {"speedup", "kursk_100k_seconds", "peak_gb_10m"}.
Step 4 runs the scenario's full year (about a minute with Dask threads on two cores): memory
does not grow with the number of draws (fixed-size chunks) and grows with the horizon only
through the fixed 10,000-draw percentile sample.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from orbat.simulate.engine import DAYS_PER_MONTH, simulate  # noqa: E402
from orbat.simulate.params import make_plan  # noqa: E402
from orbat.simulate.runner import run  # noqa: E402
from orbat.simulate.scenario import load_scenario, parse_scenario  # noqa: E402

MDL = Path(__file__).with_name("recruitment_stock.mdl")
INITIAL, TARGET, FILL, LOSS_RATE, HORIZON, DT = 50000.0, 25000.0, 0.8, 0.01, 365, 1.0


def stock_scenario():
    """The .mdl model as an orbat scenario: one stock, fixed proportional losses, Euler."""
    d = {"name": "stock", "horizon_days": HORIZON, "step_days": DT, "integration": "euler",
         "sides": ["Troops", "Other"],
         "fronts": {"f": {"attacker": "Troops", "defender": "Other",
                          "initial": {"Troops": INITIAL, "Other": 0.0},
                          "attrition": {"law": "fixed", "attacker_rate": LOSS_RATE}}},
         "recruitment": {"Troops": {"target_per_month": TARGET, "fill_ratio": FILL,
                                    "allocation": {"f": 1.0}}}}
    return parse_scenario(yaml.safe_dump(d), "stock")


def pysd_model():
    import pysd

    tmp = Path(tempfile.mkdtemp())
    shutil.copy(MDL, tmp / MDL.name)  # PySD writes its translation next to the .mdl
    return pysd.read_vensim(str(tmp / MDL.name))


def compare(model) -> float:
    traj_pysd = model.run(return_columns=["Troops"])["Troops"].to_numpy()
    plan = make_plan(stock_scenario())
    seen = []
    simulate(plan, plan.values(np.zeros((1, 0))), 1, lambda k, d, s: seen.append(
        s.strength[0, 0]))
    ours = np.array(seen)
    assert abs(DAYS_PER_MONTH - 30.4375) < 1e-12
    return float(np.max(np.abs(ours - traj_pysd) / np.abs(traj_pysd)))


def timed_rate(batch, count: int) -> float:
    """Items per second of one call of ``batch()``, which does ``count`` items."""
    t = time.perf_counter()
    batch()
    return count / (time.perf_counter() - t)


def pysd_batch(model, runs: int = 20):
    def batch():
        for _ in range(runs):
            model.run(return_columns=["Troops"])
    return batch, runs


def orbat_batch(draws: int = 262_144, chunk: int = 16384):
    """The stock model's draws, run in chunks of the runner's default size."""
    plan = make_plan(stock_scenario())
    vals = plan.values(np.zeros((chunk, 0)))

    def batch():
        for _ in range(draws // chunk):
            simulate(plan, vals, chunk)
    return batch, draws // chunk * chunk


def rates(model, rounds: int = 7) -> tuple[float, float]:
    """Best runs/s of PySD and of orbat over ``rounds`` rounds, one batch of each per round.

    The two are timed in alternation, so a slow spell of a shared machine hits both, and the
    best of the rounds is kept for each (the usual way to time code on a noisy machine).
    """
    tools = [pysd_batch(model), orbat_batch()]
    for batch, _ in tools:
        batch()  # warm-up: PySD's first run, orbat's compiled kernel
    best = [0.0, 0.0]
    for _ in range(rounds):
        for i, (batch, count) in enumerate(tools):
            best[i] = max(best[i], timed_rate(batch, count))
    return best[0], best[1]


def kursk_seconds(draws: int = 100_000) -> float:
    plan = make_plan(load_scenario("kursk"))
    run(plan, 2000, seed=0)
    t = time.perf_counter()
    run(plan, draws, seed=0)
    return time.perf_counter() - t


PEAK_CHILD = """
import resource, sys
from orbat.simulate.params import make_plan
from orbat.simulate.runner import run
from orbat.simulate.scenario import load_scenario
plan = make_plan(load_scenario("kursk"))
plan.scenario.horizon_days = float(sys.argv[2])
r = run(plan, int(sys.argv[1]), seed=0, dask=sys.argv[3] if sys.argv[3] != "none" else None)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2, r.draws)
"""


def peak_gb(draws: int, days: float, dask: str) -> tuple[float, float]:
    """Peak resident memory (GB) and wall time of a fresh process running Kursk."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PEAK_CHILD, str(draws), str(days), dask],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peak-draws", type=int, default=10_000_000)
    ap.add_argument("--peak-days", type=float, default=365,
                    help="horizon in days of the 10M-draw memory run")
    ap.add_argument("--peak-dask", default="threads", help="none, threads or processes")
    args = ap.parse_args()

    model = pysd_model()
    err = compare(model)
    print(f"trajectory max relative difference orbat vs PySD: {err:.2e} "
          f"({'OK' if err <= 1e-9 else 'FAIL'}, limit 1e-9)")
    rp, ro = rates(model)
    speedup = ro / rp
    print(f"PySD: {rp:,.0f} runs/s; orbat: {ro:,.0f} runs/s (draws); "
          f"speedup {speedup:,.0f}x (target >= 10,000x)")
    secs = kursk_seconds()
    print(f"kursk, 100,000 draws x 365 days, one process: {secs:.2f} s (target <= 2 s)")
    gb, wall = peak_gb(args.peak_draws, args.peak_days, args.peak_dask)
    print(f"kursk, {args.peak_draws:,} draws x {args.peak_days:g} days (dask={args.peak_dask}):"
          f" peak RSS {gb:.2f} GB (target <= 2 GB), {wall:.0f} s wall")
    print(json.dumps({"speedup": round(speedup, 1), "kursk_100k_seconds": round(secs, 3),
                      "peak_gb_10m": round(gb, 3) if args.peak_draws == 10_000_000 else None,
                      "peak_gb": round(gb, 3), "peak_draws": args.peak_draws,
                      "peak_days": args.peak_days, "max_rel_diff_vs_pysd": err}))
    if err > 1e-9:
        sys.exit(1)


if __name__ == "__main__":
    main()
