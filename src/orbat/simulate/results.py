"""Tables and fan charts from a run: percentiles over time, events, time to event, inputs."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .runner import PERCENTILES, RunResult


def percentile_table(r: RunResult) -> pd.DataFrame:
    """One row per series and report day: mean over all draws, percentiles from the sample."""
    pct = np.percentile(r.sample.astype(np.float64), PERCENTILES, axis=2)  # (P, series, times)
    rows = []
    for i, (q, side, front) in enumerate(r.series):
        for j, day in enumerate(r.days):
            row = {"quantity": q, "side": side, "front": front, "day": float(day),
                   "mean": float(r.mean[i, j])}
            row.update({f"p{p:02d}": float(pct[k, i, j]) for k, p in enumerate(PERCENTILES)})
            rows.append(row)
    return pd.DataFrame(rows)


def event_table(r: RunResult) -> pd.DataFrame:
    """Probability of each event within its window, and when it happens in the draws where it
    happens within the window (days_p10/p50/p90; NaN if it never does)."""
    sc = r.plan.scenario
    dt = sc.step_days
    rows = []
    for i, (name, e) in enumerate(sc.events.items()):
        counts = r.event_steps[i][:-1]  # the last slot counts draws where it never happened
        days = np.arange(len(counts)) * dt
        inside = np.where(days <= e.within_days, counts, 0)
        row = {"event": name, "description": e.description or "", "within_days": e.within_days,
               "probability": inside.sum() / r.draws,
               "probability_by_horizon": counts.sum() / r.draws}
        cum = np.cumsum(inside)
        for p in (10, 50, 90):
            row[f"days_p{p}"] = (float(days[np.searchsorted(cum, p / 100 * cum[-1])])
                                 if cum[-1] else np.nan)
        rows.append(row)
    return pd.DataFrame(rows)


def time_to_event_table(r: RunResult) -> pd.DataFrame:
    """Cumulative probability that each event has happened by each day (over all draws)."""
    sc = r.plan.scenario
    rows = []
    for i, name in enumerate(sc.events):
        cum = np.cumsum(r.event_steps[i][:-1]) / r.draws
        for k, c in enumerate(cum):
            rows.append({"event": name, "day": k * sc.step_days, "cumulative_probability": c})
    return pd.DataFrame(rows)


def inputs_table(r: RunResult) -> pd.DataFrame:
    rows = []
    for path, inp in r.plan.inputs.items():
        rows.append({"input": path, "kind": inp.kind,
                     "value": inp.constant if inp.constant is not None else np.nan,
                     "distribution": inp.dist["dist"] if inp.dist else (
                         "ledger quantiles" if inp.grid else ""),
                     "note": inp.note})
    return pd.DataFrame(rows)


def fan_charts(r: RunResult, table: pd.DataFrame, out: Path) -> list[Path]:
    """One PNG per front: strength fans for both sides, and held territory if any."""
    from orbat.plotting import pyplot

    plt = pyplot()

    paths = []
    for front, f in r.plan.scenario.fronts.items():
        panels = [("strength", s) for s in (f.attacker, f.defender)]
        if f.territory:
            panels.append(("territory", ""))
        fig, axes = plt.subplots(1, len(panels), figsize=(4.5 * len(panels), 3.6))
        for ax, (q, side) in zip(np.atleast_1d(axes), panels):
            d = table[(table.quantity == q) & (table.side == side) & (table.front == front)]
            ax.fill_between(d.day, d.p05, d.p95, alpha=0.2, color="C0", label="5-95%")
            ax.fill_between(d.day, d.p25, d.p75, alpha=0.4, color="C0", label="25-75%")
            ax.plot(d.day, d.p50, color="C0", label="median")
            ax.set_title(f"{front}: {side + ' ' if side else ''}{q}")
            ax.set_xlabel("day")
            ax.set_ylabel("km2" if q == "territory" else "troops")
            ax.legend(fontsize=7)
        fig.tight_layout()
        path = out / f"fan_{front}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        paths.append(path)
    return paths


def write_outputs(r: RunResult, out: Path) -> dict[str, pd.DataFrame]:
    """Write CSV and Parquet tables and PNG fan charts into ``out``; return the tables."""
    out.mkdir(parents=True, exist_ok=True)
    tables = {"percentiles": percentile_table(r), "events": event_table(r),
              "time_to_event": time_to_event_table(r), "inputs": inputs_table(r)}
    for name, df in tables.items():
        df.to_csv(out / f"{name}.csv", index=False)
        df.to_parquet(out / f"{name}.parquet", index=False)
    fan_charts(r, tables["percentiles"], out)
    return tables
