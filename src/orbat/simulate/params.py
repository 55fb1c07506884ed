"""Turn scenario values into sampled inputs: each uncertain number maps u in (0,1) to a value.

Every uncertain input is sampled by inverse CDF from one uniform column, so the Monte Carlo run
and the Sobol analysis use one code path. Ledger references are resolved once, up front, into a
quantile grid (``Estimate.quantiles``) sampled by linear interpolation; values outside the grid's
probability range take the end values.

Every input has a range (``value_range``): days any value, fractions [0, 1], everything else
(troops, rates, coefficients, areas) at least 0. A constant outside it, or a distribution with
more than 1% of its mass outside it, is an error naming the file and line; the rare draws of an
acceptable distribution that still fall outside (a normal's far tail) are clipped to it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from pydantic import BaseModel
from scipy import special

from orbat.types import Estimate

from .scenario import Dist, Fixed, Ref, Scenario, ScenarioError

Resolver = Callable[[dict[str, Any]], Estimate | None]
EPS = 1e-12
DAYS = frozenset({"start_day", "day"})
FRACTIONS = frozenset({"already_lost_fraction", "attacker_rate", "defender_rate"})
TAIL = 0.01  # the share of a distribution that may fall outside its input's range (clipped)


@dataclass(frozen=True)
class Input:
    """One scenario number: a constant, a distribution, or a quantile grid from the ledger."""

    path: str
    kind: str  # constant | dist | ledger | fallback
    constant: float | None = None
    dist: dict[str, Any] | None = None
    grid: tuple[tuple[float, float], ...] | None = None
    note: str = ""

    @property
    def uncertain(self) -> bool:
        return self.constant is None

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF at probabilities ``u``."""
        u = np.clip(u, EPS, 1 - EPS)
        if self.grid is not None:
            ps, xs = zip(*self.grid)
            return np.interp(u, ps, xs)
        return dist_ppf(self.dist, u)


def dist_ppf(d: dict[str, Any], u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a scenario distribution (closed forms; PERT via the regularised beta)."""
    kind = d["dist"]
    if kind == "uniform":
        return d["low"] + u * (d["high"] - d["low"])
    if kind == "normal":
        return d["mean"] + d["sd"] * special.ndtri(u)
    if kind == "lognormal":
        return d["median"] * np.exp(d["sigma"] * special.ndtri(u))
    lo, mo, hi = d["low"], d["mode"], d["high"]
    if kind == "triangular":
        c = (mo - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (mo - lo))
        right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - mo))
        return np.where(u < c, left, right)
    if kind == "pert":
        a = 1 + 4 * (mo - lo) / (hi - lo)
        b = 1 + 4 * (hi - mo) / (hi - lo)
        return lo + (hi - lo) * special.betaincinv(a, b, u)
    raise ValueError(f"unknown distribution {kind!r}")


def estimate_grid(est: Estimate) -> tuple[tuple[float, float], ...]:
    """The (p, x) grid of an Estimate: its ``quantiles`` or, failing that, its named percentiles."""
    grid = est.quantiles or ((0.05, est.p05), (0.10, est.p10), (0.5, est.median),
                             (0.90, est.p90), (0.95, est.p95))
    grid = tuple(sorted((float(p), float(x)) for p, x in grid))
    ps = [p for p, _ in grid]
    xs = [x for _, x in grid]
    if len(grid) < 1 or any(b < a for a, b in zip(ps, ps[1:])) or any(
            b < a for a, b in zip(xs, xs[1:])):
        raise ValueError("estimate quantiles are not increasing")
    return grid


def _note(value: Any) -> str:
    """'source: ...; assumption: ...' for a value that carries them."""
    return "; ".join(f"{k}: {getattr(value, k)}" for k in ("source", "assumption")
                     if getattr(value, k, None))


def _leaf(path: str, value: Any, resolver: Resolver | None) -> Input:
    if isinstance(value, (int, float)):
        return Input(path, "constant", constant=float(value))
    if isinstance(value, Fixed):
        return Input(path, "constant", constant=value.value, note=_note(value))
    if isinstance(value, Dist):
        dist = value.model_dump(exclude_none=True, exclude={"assumption", "source"})
        return Input(path, "dist", dist=dist, note=_note(value))
    if isinstance(value, Ref):
        key = value.from_.model_dump(exclude_none=True)
        reason = "no resolver"
        if resolver is not None:
            try:
                est = resolver(key)
                if est is not None:
                    return Input(path, "ledger", grid=estimate_grid(est),
                                 note=f"ledger {key} median {est.median:g}")
                reason = "no estimate in the ledger"
            except Exception as exc:  # any resolver failure means: use the fallback
                reason = f"{type(exc).__name__}: {exc}"
        if value.fallback is None:
            raise ValueError(f"{path}: ledger reference {key} unresolved ({reason}) "
                             "and no fallback given")
        inner = _leaf(path, value.fallback, None)
        return Input(path, "fallback", constant=inner.constant, dist=inner.dist,
                     note=f"fallback used for {key}: {reason}")
    raise TypeError(f"{path}: not a scenario value: {value!r}")


def collect_inputs(scenario: Scenario, resolver: Resolver | None = None) -> dict[str, Input]:
    """Every number in a scenario, by dotted path, resolved to an Input."""
    out: dict[str, Input] = {}
    skip = {"name", "description", "sides", "assumption", "source", "attacker", "defender",
            "side", "front", "from_front", "to_front", "law", "integration", "horizon_days",
            "step_days", "events", "report_every_days"}

    def walk(obj: Any, path: str) -> None:
        if isinstance(obj, (Fixed, Dist, Ref, int, float)) and not isinstance(obj, bool):
            out[path] = _leaf(path, obj, resolver)
        elif isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                if name not in skip:
                    walk(getattr(obj, name), f"{path}.{name}" if path else name)
        elif isinstance(obj, dict):
            for k, v in obj.items():
                walk(v, f"{path}.{k}")

    walk(scenario, "")
    for path, inp in out.items():
        problem = range_problem(inp)
        if problem:
            raise ScenarioError(f"{scenario.locate(path)}: {path}: {problem}")
    return out


def value_range(path: str) -> tuple[float, float]:
    """The values an input may take, from its name: days any, fractions of strength or ground
    [0, 1], everything else (troops, rates, coefficients, areas, shares) at least 0."""
    name = path.rsplit(".", 1)[-1]
    return (-np.inf, np.inf) if name in DAYS else (0.0, 1.0) if name in FRACTIONS else (
        0.0, np.inf)


def range_problem(inp: Input) -> str | None:
    """Why an input cannot be used as it stands (a constant outside its range, or a
    distribution with more than TAIL of its mass outside), or None."""
    lo, hi = value_range(inp.path)
    need = f"must be in [{lo:g}, {hi:g}]" if hi < np.inf else f"must be at least {lo:g}"
    if inp.constant is not None:
        return None if lo <= inp.constant <= hi else f"{need}, not {inp.constant:g}"
    q_lo, q_hi = inp.ppf(np.array([TAIL, 1 - TAIL]))
    if q_lo < lo or q_hi > hi:
        what = "ledger estimate" if inp.kind == "ledger" else "distribution"
        return (f"{need}, but more than {TAIL:.0%} of the {what} is not (its 1st to 99th "
                f"percentiles: {q_lo:g} to {q_hi:g})")
    return None


@dataclass
class Plan:
    """A scenario with all inputs resolved: what the engine runs."""

    scenario: Scenario
    inputs: dict[str, Input]
    uncertain: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.uncertain = [p for p, i in self.inputs.items() if i.uncertain]

    def values(self, u: np.ndarray) -> dict[str, np.ndarray | float]:
        """Input values for draws whose uniforms are the rows of ``u`` (n, len(uncertain))."""
        vals: dict[str, np.ndarray | float] = {
            p: i.constant for p, i in self.inputs.items() if not i.uncertain}
        for j, p in enumerate(self.uncertain):
            vals[p] = np.clip(self.inputs[p].ppf(u[:, j]), *value_range(p))
        return vals


def make_plan(scenario: Scenario, resolver: Resolver | None = None) -> Plan:
    return Plan(scenario, collect_inputs(scenario, resolver))
