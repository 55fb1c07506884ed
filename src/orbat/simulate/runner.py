"""Monte Carlo runs in bounded memory: draws in fixed blocks, blocks grouped into chunks.

Block ``b`` (BLOCK draws) always takes its uniforms from ``SeedSequence(seed, spawn_key=(b,))``,
so results do not depend on the chunk size or on whether chunks run here or under Dask.

What is kept, and how exact it is:
- means over time: exact sums over all draws, merged in chunk order (so bit-identical);
- event probabilities and time-to-event distributions: exact counts over all draws
  (events are checked at step ends, so times are multiples of the step);
- percentiles over time: from the full trajectories of the first ``sample`` draws (default
  10,000, stored as float32). Draws are independent, so these form a simple random sample;
  percentiles are exact when draws <= sample, otherwise their sampling error is about
  sqrt(p(1-p)/sample) in probability (0.5 percentage points at the median with 10,000).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .engine import simulate, units_of
from .params import Plan

BLOCK = 4096
CHUNK_BLOCKS = 4
SAMPLE = 10_000
PERCENTILES = (5, 10, 25, 50, 75, 90, 95)


def series_names(plan: Plan) -> list[tuple[str, str, str]]:
    """(quantity, side, front) of every recorded series; side/front 'all' for totals."""
    sc = plan.scenario
    out = [(q, s, f) for q in ("strength", "losses") for s, f in units_of(plan)]
    out += [(q, s, "all") for q in ("strength", "losses") for s in sc.sides]
    out += [("territory", "", f) for f, fr in sc.fronts.items() if fr.territory]
    return out


def record_every(plan: Plan) -> int:
    sc = plan.scenario
    every = sc.report_every_days or sc.step_days
    return max(1, int(round(every / sc.step_days)))


def report_days(plan: Plan) -> np.ndarray:
    sc = plan.scenario
    ks = sorted(set(range(0, sc.steps + 1, record_every(plan))) | {sc.steps})
    return np.array(ks, dtype=float) * sc.step_days


def _snapshot(groups, st, reduce) -> np.ndarray:
    """``reduce(values, axis=1)`` of every series in series_names order (draws on axis 1);
    ``groups`` from ``_series_groups``."""
    by_side, with_territory = groups
    rows = [reduce(st.strength, axis=1), reduce(st.losses, axis=1)]
    for arr in (st.strength, st.losses):
        rows.append(np.stack([reduce(arr[ix], axis=1).sum(0) for ix in by_side]))
    rows.append(reduce(st.territory[with_territory], axis=1))
    return np.concatenate(rows)


def _series_groups(plan: Plan) -> tuple[list[list[int]], list[int]]:
    """The units of each side and the fronts with territory, as index lists for _snapshot."""
    units, sc = units_of(plan), plan.scenario
    by_side = [[i for i, (s, _) in enumerate(units) if s == side] for side in sc.sides]
    return by_side, [i for i, f in enumerate(sc.fronts.values()) if f.territory]


def block_uniforms(plan: Plan, seed: int, block: int, n: int) -> np.ndarray:
    """Uniforms (n, uncertain inputs) for one block of draws."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
    return rng.random((len(plan.uncertain), BLOCK)).T[:n]


@dataclass
class ChunkResult:
    first: int
    n: int
    sums: np.ndarray  # (series, times)
    sample: np.ndarray  # (series, times, m) trajectories of draws first..first+m-1 < SAMPLE
    event_steps: np.ndarray  # (events, steps + 2) counts of first-occurrence step; last = never
    conservation_error: float


def run_chunk(plan: Plan, seed: int, first: int, n: int, sample: int = SAMPLE) -> ChunkResult:
    """Simulate draws ``first .. first+n-1`` (first must be a multiple of BLOCK)."""
    assert first % BLOCK == 0
    blocks = range(first // BLOCK, (first + n + BLOCK - 1) // BLOCK)
    u = np.concatenate([block_uniforms(plan, seed, b, min(BLOCK, first + n - b * BLOCK))
                        for b in blocks])
    vals = plan.values(u)
    keep = max(0, min(n, sample - first))
    days = report_days(plan)
    ns = len(series_names(plan))
    sums = np.zeros((ns, len(days)))
    kept = np.zeros((ns, len(days), keep), dtype=np.float32)
    slot = iter(range(len(days)))
    groups = _series_groups(plan)

    def observe(k, day, st):
        j = next(slot)
        sums[:, j] = _snapshot(groups, st, np.sum)
        if keep:
            kept[:, j, :] = _snapshot(groups, st, lambda a, axis: a[:, :keep])

    st = simulate(plan, vals, n, observe, record_every(plan))
    sc = plan.scenario
    dt, steps = sc.step_days, sc.steps
    ev = np.zeros((len(sc.events), steps + 2), dtype=np.int64)
    for i in range(len(sc.events)):
        idx = np.where(np.isinf(st.event_day[i]), steps + 1,
                       np.rint(st.event_day[i] / dt)).astype(np.int64)
        ev[i] = np.bincount(idx, minlength=steps + 2)
    resid = st.initial + st.inflow - st.losses + st.transfer_net - st.strength
    scale = np.maximum(1.0, np.abs(st.initial) + st.inflow)
    return ChunkResult(first, n, sums, kept, ev, float(np.max(np.abs(resid) / scale)))


def chunk_bounds(draws: int, chunk: int | None = None) -> list[tuple[int, int]]:
    size = (chunk or BLOCK * CHUNK_BLOCKS)
    size = max(BLOCK, size // BLOCK * BLOCK)
    return [(a, min(size, draws - a)) for a in range(0, draws, size)]


@dataclass
class RunResult:
    """Merged results of a Monte Carlo run."""

    plan: Plan
    draws: int
    seed: int
    days: np.ndarray
    series: list[tuple[str, str, str]]
    mean: np.ndarray  # (series, times)
    sample: np.ndarray  # (series, times, m)
    event_steps: np.ndarray
    conservation_error: float


def merge(plan: Plan, draws: int, seed: int, parts: list[ChunkResult]) -> RunResult:
    """Combine chunk results in draw order (so the sums are the same however chunks ran)."""
    parts = sorted(parts, key=lambda p: p.first)
    sums = parts[0].sums.copy()
    for p in parts[1:]:
        sums += p.sums
    sample = np.concatenate([p.sample for p in parts if p.sample.shape[2]], axis=2)
    ev = sum(p.event_steps for p in parts)
    return RunResult(plan, draws, seed, report_days(plan), series_names(plan), sums / draws,
                     sample, ev, max(p.conservation_error for p in parts))


def run(plan: Plan, draws: int, seed: int = 0, chunk: int | None = None,
        dask: str | None = None, sample: int = SAMPLE,
        progress: Callable[[int], None] | None = None) -> RunResult:
    """Run ``draws`` draws; ``dask`` = None, "threads", "processes" or "synchronous".

    ``progress(n)`` is called with the number of draws in each chunk as it finishes.
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    bounds = chunk_bounds(draws, chunk)
    if dask:
        import dask as _dask
        from dask.callbacks import Callback

        class Report(Callback):  # the local schedulers call this as each task finishes
            def _posttask(self, key, result, dsk, state, worker_id):
                if progress and isinstance(result, ChunkResult):
                    progress(result.n)

        tasks = [_dask.delayed(run_chunk)(plan, seed, a, n, sample) for a, n in bounds]
        with Report():
            parts = list(_dask.compute(*tasks, scheduler=dask))
    else:
        parts = []
        for a, n in bounds:
            parts.append(run_chunk(plan, seed, a, n, sample))
            if progress:
                progress(n)
    return merge(plan, draws, seed, parts)
