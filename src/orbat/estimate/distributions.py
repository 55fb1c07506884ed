"""One claim -> one distribution, held as a quantile function on a fixed probability grid.

Each claim's bound sets the shape (exact/approx: normal; at_least: a log tail above the value;
up_to/at_most: a log tail below it; range: uniform; vague: log-uniform). The source's
reliability grade, second-hand reporting and the modality widen it (``spread``) and set its
pool weight; hedged claims put part of their mass on a broad background (``background``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from operator import eq
from pathlib import Path
from typing import Any

import numpy as np

from orbat.resources import read_yaml
from orbat.estimate.recency import parse_half_life, parse_half_lives
from scipy.special import ndtri  # the standard normal's quantile function (as norm.ppf,
# without importing scipy.stats, which takes seconds)


# Probability grid on which every component's quantile function is evaluated (includes 0.5).
P_GRID = np.concatenate([[1e-4, 5e-4], np.linspace(0.001, 0.999, 999), [0.9995, 0.9999]])
P_GRID[501] = 0.5  # exactly, so a symmetric claim's median is its value
Z95 = ndtri(0.975)
# The standard-normal quantiles every claim shape is built from, computed once (SciPy's ppf costs
# far more per call than the arithmetic on its result).
_Z = ndtri(P_GRID)
_Z_UPPER = ndtri((1 + P_GRID) / 2)  # "at least": a half-normal tail above the value
_Z_LOWER = ndtri(1 - P_GRID / 2)  # "up to": a half-normal tail below it


@dataclass(frozen=True)
class Reliability:
    """The parsed reliability.yaml: grade, evidential and modality factors, bound shapes, and
    recency half-lives (per measure, or ``half_life_all`` for every measure; None = no decay)."""

    grades: dict[str, dict[str, float]]
    source_kinds: dict[str, str]
    default: str
    evidential: dict[str, dict[str, float]]
    modality: dict[str, dict[str, float]]
    bounds: dict[str, float]
    half_life_days: dict[str, float | None] = field(default_factory=dict)
    half_life_all: float | None = None
    time_varying: frozenset[str] = frozenset()  # measures whose true value changes over time
    window_days: float = 30.0  # how far apart their claims may be and still contradict


def load_reliability(path: str | Path | None = None) -> Reliability:
    """Read reliability YAML (the bundled one when ``path`` is None); bad files raise one line."""
    name = str(path) if path is not None else "reliability.yaml (bundled)"
    data = read_yaml(path, "reliability.yaml", "reliability")
    for section in ("grades", "source_kinds", "evidential", "modality", "bounds"):
        if not isinstance(data.get(section), dict):
            raise ValueError(f"{name}: missing mapping '{section}'")
    default = str(data.get("default", "F"))
    for kind, grade in list(data["source_kinds"].items()) + [("default", default)]:
        if str(grade) not in data["grades"]:
            raise ValueError(f"{name}: source kind '{kind}' has unknown grade '{grade}'")
    return Reliability(data["grades"], {str(k).lower(): str(v) for k, v in
                                        data["source_kinds"].items()}, default,
                       data["evidential"], data["modality"], data["bounds"],
                       parse_half_lives(data.get("half_life_days"), name),
                       **_time_varying(data.get("time_varying"), name))


def _time_varying(section: Any, name: str) -> dict[str, Any]:
    """The ``time_varying`` section: ``{measures: [...], window_days: N}``."""
    if section is None:
        return {}
    if not isinstance(section, dict) or set(section) - {"measures", "window_days"}:
        raise ValueError(f"{name}: 'time_varying' must map 'measures' to a list and "
                         "'window_days' to a number of days")
    measures = section.get("measures") or []
    if not isinstance(measures, list):
        raise ValueError(f"{name}: time_varying.measures must be a list of measures")
    window = parse_half_life(section.get("window_days", 30), f"{name}: time_varying.window_days")
    return {"time_varying": frozenset(str(m) for m in measures), "window_days": window}


@dataclass(frozen=True)
class Component:
    """A claim as a distribution: quantiles on ``P_GRID``, pool weight, background share."""

    xs: np.ndarray
    weight: float
    background: float
    centre: float
    grade: str


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def grade_of(source_kind: Any, rel: Reliability) -> str:
    """The Admiralty grade of a source kind (the default for unknown or missing kinds)."""
    kind = str(source_kind).lower() if _num(source_kind) is None and source_kind else ""
    return rel.source_kinds.get(kind, rel.default)


def factors(row: dict, rel: Reliability) -> tuple[float, float, float, str]:
    """(weight, spread, background, grade) of a claim from its source, evidential and modality."""
    grade = grade_of(row.get("source_kind"), rel)
    ev = rel.evidential.get(str(row.get("evidential") or "direct"), rel.evidential["direct"])
    mod = rel.modality.get(str(row.get("modality") or "certain"), rel.modality["certain"])
    g = rel.grades[grade]
    weight = float(g["weight"]) * float(ev["weight"]) * float(mod["weight"])
    spread = float(g["spread"]) * float(ev["spread"]) * float(mod["spread"])
    background = float(mod.get("background", 0.0))
    lo, hi = _num(row.get("likelihood_low")), _num(row.get("likelihood_high"))
    if lo is not None and hi is not None:
        background = min(0.9, max(0.0, 1.0 - (lo + hi) / 2))
    return weight, spread, background, grade


def centre_of(row: dict) -> float | None:
    """The claim's central figure: its value, else the bound it states, else its range's middle."""
    value, low, high = _num(row.get("value")), _num(row.get("low")), _num(row.get("high"))
    bound = str(row.get("bound") or "")
    if value is not None:
        return value
    if bound == "at_least" and low is not None:
        return low
    if bound in ("at_most", "up_to") and high is not None:
        return high
    if low is not None and high is not None:
        if bound == "vague" and low > 0:
            return math.sqrt(low * high)
        return (low + high) / 2
    return None


def core_quantiles(row: dict, spread: float, bounds: dict[str, float]) -> np.ndarray | None:
    """The claim's own quantile function on ``P_GRID`` (before any background); None if unusable."""
    value, low, high = _num(row.get("value")), _num(row.get("low")), _num(row.get("high"))
    bound = str(row.get("bound") or "")
    centre = centre_of(row)
    if bound in ("range", "vague") or (value is None and low is not None and high is not None):
        if low is None or high is None:
            return None if centre is None else _normal(centre, bounds["approx_sd"] * spread)
        low, high = min(low, high), max(low, high)
        if bound == "vague" and low > 0:
            mid = math.sqrt(low * high)
            half = math.log(high / low) / 2 * spread
            return np.exp(math.log(mid) - half + 2 * half * P_GRID)
        mid = (low + high) / 2
        a, b = mid - spread * (mid - low), mid + spread * (high - mid)
        if b - a <= 0:
            return _normal(mid, bounds["exact_sd"] * spread)
        return a + (b - a) * P_GRID
    if centre is None:
        return None
    if bound == "at_least" and centre > 0:
        sig = math.log(float(bounds["at_least_multiple"])) / Z95 * spread
        return centre * np.exp(sig * _Z_UPPER)
    if bound in ("at_most", "up_to") and centre > 0:
        sig = math.log(1 / float(bounds["up_to_floor"])) / Z95 * spread
        return centre * np.exp(-sig * _Z_LOWER)
    sd = bounds["exact_sd"] if bound == "exact" else bounds["approx_sd"]
    return _normal(centre, float(sd) * spread)


def _normal(centre: float, rel_sd: float) -> np.ndarray:
    sd = max(abs(centre) * rel_sd, 1e-9 * max(1.0, abs(centre)))
    return centre + sd * _Z


def background_quantiles(centre: float, factor: float) -> np.ndarray | None:
    """The broad background of a hedged claim: log-uniform centre/factor .. centre*factor."""
    if centre <= 0:
        return None
    half = math.log(factor)
    return np.exp(math.log(centre) - half + 2 * half * P_GRID)


COMPONENT_FIELDS = ("value", "low", "high", "bound", "source_kind", "evidential", "modality",
                    "likelihood_low", "likelihood_high")


def _hashable(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def component(row: dict, rel: Reliability, cache: dict | None = None) -> Component | None:
    """A claim row (dict of ledger columns) as a pooled component; None if it has no figure.

    A component depends only on ``COMPONENT_FIELDS``; with a ``cache`` (one dict per
    reliability), claims alike in those share one component, computed once.
    """
    if cache is None:
        return _component(row, rel)
    key = tuple(map(row.get, COMPONENT_FIELDS))
    comp = cache.get(key, _MISSING)
    if comp is _MISSING:
        if not _nan_free(key):  # a NaN in it (a missing value): keyed as None
            key = tuple(map(_hashable, key))
            comp = cache.get(key, _MISSING)
        if comp is _MISSING:
            comp = cache[key] = _component(row, rel, cache.setdefault(_FACTORS, {}))
    return comp


def _nan_free(values: tuple) -> bool:
    """Whether every value equals itself (NaN does not); False when one cannot say (pd.NA)."""
    try:
        return all(map(eq, values, values))
    except TypeError:
        return False


_MISSING = object()  # a cache miss (None is a cached answer: a claim with no figure)
_FACTORS = object()  # the cache's entry holding ``factors`` by their inputs (few distinct)
_FACTOR_FIELDS = ("source_kind", "evidential", "modality", "likelihood_low", "likelihood_high")


def _component(row: dict, rel: Reliability, known: dict | None = None) -> Component | None:
    """The component of a claim row; ``known`` caches ``factors`` by the fields they read."""
    if known is None:
        weight, spread, background, grade = factors(row, rel)
    else:
        key = tuple(map(row.get, _FACTOR_FIELDS))
        if key not in known:
            known[key] = factors(row, rel)
        weight, spread, background, grade = known[key]
    xs = core_quantiles(row, spread, rel.bounds)
    centre = centre_of(row)
    if xs is None or centre is None or not np.isfinite(xs).all():
        return None
    if centre <= 0:  # no log-uniform background below zero (see background_quantiles)
        background = 0.0
    return Component(np.maximum.accumulate(xs), weight, background, centre, grade)
