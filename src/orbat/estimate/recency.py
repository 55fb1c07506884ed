"""Recency weighting: an origin's pool weight halves every ``half_life`` days of its age.

Many measures change over time (troops deployed grow, territory held shrinks), so an estimate
as of a date may let newer origins outweigh stale ones. Off unless a half-life is configured
(``half_life_days`` in reliability.yaml, per measure) or given (``--half-life``, every key).
"""
from __future__ import annotations

import dataclasses
import math
from datetime import date
from typing import Any, Iterable


def parse_half_life(value: Any, where: str) -> float:
    """A half-life in days as a float; anything but a finite positive number raises one line."""
    if isinstance(value, bool):
        number = math.nan
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{where}: must be a positive number of days, not {value!r}")
    return number


def parse_half_lives(section: Any, name: str) -> dict[str, float | None]:
    """The ``half_life_days`` section of reliability YAML: measure -> days (null = no decay)."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ValueError(f"{name}: 'half_life_days' must map measures to days")
    return {str(m): None if v is None else parse_half_life(v, f"{name}: half_life_days.{m}")
            for m, v in section.items()}


def with_half_life(rel: Any, days: float | None) -> Any:
    """``rel`` with one half-life for every measure (None keeps the per-measure ones)."""
    return rel if days is None else dataclasses.replace(rel, half_life_all=days)


def half_life_for(measure: Any, rel: Any) -> float | None:
    """The half-life (days) applied to a measure: the global override, else its own, else None."""
    if rel.half_life_all is not None:
        return rel.half_life_all
    return rel.half_life_days.get(str(measure))


def origin_ages(rows: Iterable[dict], as_of: date | None = None) -> dict[str, float]:
    """Age in days of each origin at ``as_of`` (at the newest origin's date when None).

    An origin is as old as its earliest copy. An undated origin cannot be shown to be recent,
    so it counts as old as the oldest dated origin in the pool (0 days when none is dated).
    """
    first: dict[str, date | None] = {}
    for row in rows:
        origin, published = row["origin"], row["published"]
        if origin not in first or (published is not None
                                   and (first[origin] is None or published < first[origin])):
            first[origin] = published
    dated = [d for d in first.values() if d is not None]
    if not dated:
        return {o: 0.0 for o in first}
    ref = as_of if as_of is not None else max(dated)
    oldest = float((ref - min(dated)).days)
    return {o: oldest if d is None else float((ref - d).days) for o, d in first.items()}


def recency(ages: dict[str, float], half_life: float | None) -> dict[str, float]:
    """Each origin's weight factor 0.5 ** (age / half_life); 1 for all when there is no decay."""
    if half_life is None:
        return {o: 1.0 for o in ages}
    return {o: 0.5 ** (age / half_life) for o, age in ages.items()}
