"""Sobol sensitivity of one outcome to every uncertain input (SALib, Sobol sequence sampler).

Each uncertain input enters SALib as a uniform on [0, 1] that is mapped through the input's
inverse CDF, so the indices refer to the scenario's own distributions.
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from .engine import simulate, units_of
from .params import Plan

OUTCOME = re.compile(r"^(strength|losses):([^:@]+):([^:@]+)@([\d.]+)$|^territory:([^:@]+)@([\d.]+)$"
                     r"|^days_to:([^:@]+)$")


def outcome_fn(plan: Plan, outcome: str):
    """Parse an outcome spec into (observer factory, reader).

    Specs: ``strength:SIDE:FRONT@DAY``, ``losses:SIDE:FRONT@DAY``, ``territory:FRONT@DAY``,
    ``days_to:EVENT`` (first day of the event, horizon + step if it never happens).
    """
    m = OUTCOME.match(outcome)
    sc = plan.scenario
    if not m:
        raise ValueError(f"outcome {outcome!r}: use strength:SIDE:FRONT@DAY, "
                         "losses:SIDE:FRONT@DAY, territory:FRONT@DAY or days_to:EVENT")
    if m.group(7):
        if m.group(7) not in sc.events:
            raise ValueError(f"outcome {outcome!r}: unknown event {m.group(7)!r}")
        ei = list(sc.events).index(m.group(7))
        end = sc.horizon_days + sc.step_days
        return None, lambda st: np.where(np.isinf(st.event_day[ei]), end, st.event_day[ei])
    if m.group(5):
        front, day = m.group(5), float(m.group(6))
        if front not in sc.fronts or sc.fronts[front].territory is None:
            raise ValueError(f"outcome {outcome!r}: front {front!r} has no territory")
        pick = lambda st: st.territory[list(sc.fronts).index(front)]  # noqa: E731
    else:
        q, side, front, day = m.group(1), m.group(2), m.group(3), float(m.group(4))
        units = units_of(plan)
        if (side, front) not in units:
            raise ValueError(f"outcome {outcome!r}: side {side!r} is not on front {front!r}")
        ui = units.index((side, front))
        pick = lambda st: (st.strength if q == "strength" else st.losses)[ui]  # noqa: E731
    if not 0 <= day <= sc.horizon_days:
        raise ValueError(f"outcome {outcome!r}: day outside 0..{sc.horizon_days:g}")
    return day, pick


def evaluate(plan: Plan, u: np.ndarray, outcome: str) -> np.ndarray:
    """The outcome for each row of uniforms ``u`` (n, uncertain inputs)."""
    day, pick = outcome_fn(plan, outcome)
    box: dict[str, np.ndarray] = {}
    step = plan.scenario.step_days

    def observe(k, d, st):
        if day is not None and abs(d - day) < step / 2 and "v" not in box:
            box["v"] = pick(st).copy()

    every = max(1, int(round(day / step))) if day else 1  # observe the outcome's step only
    st = simulate(plan, plan.values(u), len(u), observe, every)
    return box["v"] if day is not None else pick(st)


CHUNK = 4 * 4096  # model runs per evaluation (draws are independent, so chunks change nothing)


def sobol(plan: Plan, outcome: str, n: int = 256, seed: int = 0,
          progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """First-order and total Sobol indices (with 95% confidence half-widths) per input;
    ``progress(runs done, runs in all)`` after each chunk of model runs."""
    if not plan.uncertain:
        raise ValueError("the scenario has no uncertain inputs")
    problem = {"num_vars": len(plan.uncertain), "names": plan.uncertain,
               "bounds": [[0.0, 1.0]] * len(plan.uncertain)}
    u = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    outcome_fn(plan, outcome)  # a bad outcome fails before any run
    parts = []
    for a in range(0, len(u), CHUNK):
        parts.append(evaluate(plan, u[a:a + CHUNK], outcome))
        if progress:
            progress(len(parts[-1]), len(u))
    y = np.concatenate(parts)
    res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
    df = pd.DataFrame({"input": plan.uncertain, "S1": res["S1"], "S1_conf": res["S1_conf"],
                       "ST": res["ST"], "ST_conf": res["ST_conf"]})
    return df.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)
