"""Turn scenario values into sampled inputs: each uncertain number maps u in (0,1) to a value.

Every uncertain input is sampled by inverse CDF from one uniform column, so the Monte Carlo run
and the Sobol analysis use one code path. Ledger references are resolved once, up front, into a
quantile grid (``Estimate.quantiles``) sampled by linear interpolation; values outside the grid's
probability range take the end values.

Every input has a range (``value_range``): days within the longest horizon either way,
fractions and allocation shares [0, 1], troops (strengths, amounts, targets, rates, caps) 0 to
MAX_TROOPS, areas 0 to MAX_KM2, everything else (coefficients, ratios) 0 to MAX_OTHER. A
constant outside it, or a distribution with more than 1% of its mass outside it, is an error
naming the file and line; the rare draws of an acceptable distribution that still fall outside
(a normal's far tail) are clipped to it. Allocation shares must sum to 1 (``_check_shares``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from pydantic import BaseModel
from scipy import special

from orbat.types import Estimate

from .scenario import MAX_HORIZON_DAYS, Dist, Fixed, Ref, Scenario, ScenarioError

Resolver = Callable[[dict[str, Any]], Estimate | None]
EPS = 1e-12
DAYS = frozenset({"start_day", "day"})
FRACTIONS = frozenset({"already_lost_fraction", "attacker_rate", "defender_rate"})
TROOPS = frozenset({"amount", "target_per_month", "rate_per_month", "cap"})
MAX_TROOPS = 1e8  # 100 million: several times every army on Earth together
MAX_KM2 = 2e7  # 20 million km2: more than the largest country (17.1 million)
MAX_OTHER = 1e9  # coefficients, ratios, fill ratios: anything larger is a typo
SHARE_TOLERANCE = 1e-6  # constant allocation shares must sum to 1 within this
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
    for side, rec in scenario.recruitment.items():
        _check_shares(scenario, f"recruitment.{side}.allocation", out)
    return out


def _check_shares(scenario: Scenario, where: str, inputs: dict[str, Input]) -> None:
    """Allocation shares split recruits over fronts, so they must sum to 1 (they are never
    rescaled quietly): exactly when all are constants, in their medians when some are
    uncertain (each draw is then scaled to sum to 1)."""
    shares = [inp for path, inp in inputs.items() if path.startswith(where + ".")]
    if not shares:
        return
    uncertain = any(inp.uncertain for inp in shares)
    total = float(sum(inp.constant if not inp.uncertain else inp.ppf(np.array([0.5]))[0]
                      for inp in shares))
    tolerance = 0.05 if uncertain else SHARE_TOLERANCE
    if abs(total - 1.0) > tolerance:
        what = "their medians sum" if uncertain else "they sum"
        raise ScenarioError(f"{scenario.locate(where)}: {where}: shares must sum to 1; {what} "
                            f"to {total:g} (orbat does not rescale them)")


def value_range(path: str) -> tuple[float, float]:
    """The values an input may take, from its name (see the module's docstring)."""
    parts = path.split(".")
    name = parts[-1]
    if name in DAYS:
        return (-float(MAX_HORIZON_DAYS), float(MAX_HORIZON_DAYS))
    if name in FRACTIONS or (len(parts) > 1 and parts[-2] == "allocation"):
        return (0.0, 1.0)
    if name in TROOPS or (len(parts) > 1 and parts[-2] == "initial"):
        return (0.0, MAX_TROOPS)
    if name == "initial_km2":
        return (0.0, MAX_KM2)
    return (0.0, MAX_OTHER)


def range_problem(inp: Input) -> str | None:
    """Why an input cannot be used as it stands (a constant outside its range, or a
    distribution with more than TAIL of its mass outside), or None."""
    lo, hi = value_range(inp.path)
    need = f"must be in [{lo:g}, {hi:g}]"
    if hi in (MAX_TROOPS, MAX_KM2, MAX_OTHER) and lo == 0:
        unit = {MAX_TROOPS: " troops", MAX_KM2: " km2"}.get(hi, "")
        need = f"must be between 0 and {hi:g}{unit}"
        if inp.constant is not None and inp.constant < lo:
            need = f"must be at least {lo:g}"
        elif inp.constant is not None:
            need = f"must be at most {hi:g}{unit} (orbat's stated maximum)"
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
