"""Pooling: claims grouped by key, copies of one origin counted once, origins combined by a
weighted linear opinion pool (a mixture of their distributions) and summarised as an Estimate.
With a half-life configured, each origin's weight also decays with its age (see recency.py).

The mixture is exact on a value grid: the pooled CDF is the weighted sum of the components'
CDFs, each read off its quantile function by interpolation, then inverted. No sampling.
"""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, Iterable

import numpy as np
import pandas as pd

from orbat.estimate.distributions import (P_GRID, Component, Reliability, background_quantiles,
                                          centre_of, component, load_reliability)
from orbat.estimate.keys import (KEY_FIELDS, KeyMapping, canonical, clean, key_mask, load_mapping,
                                 with_keys)
from orbat.estimate.recency import half_life_for, origin_ages, recency
from orbat.types import Estimate

OUT_P = tuple(round(0.01 * i, 2) for i in range(1, 100))  # the 99-point output grid
SUMMARY = (0.05, 0.10, 0.5, 0.90, 0.95)
# Where each component's quantiles enter the evaluation grid: every 5th grid point, which
# includes every whole percent (so a lone claim's percentiles are reproduced exactly) and both ends.
_SUB = np.unique(np.r_[0, np.arange(1, len(P_GRID), 5), len(P_GRID) - 1])
MAX_GRID = 6000  # evaluation points of a pooled CDF (thinned beyond ~30 distinct claims)


def _as_date(value: Any) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return pd.Timestamp(str(value)).date()
    except ValueError as exc:
        raise ValueError(f"claims: published date {value!r} is not a date") from exc


def prepare(claims: pd.DataFrame, as_of: Any = None, mapping: KeyMapping | None = None) -> pd.DataFrame:
    """Claims with canonical keys, parsed dates, an ``origin`` column; only those known by as_of."""
    mapping = mapping if mapping is not None else load_mapping()
    if "measure" not in claims.columns:
        raise ValueError("claims: no 'measure' column")
    frame = with_keys(claims, mapping)
    if "claim_id" not in frame.columns:
        frame["claim_id"] = range(len(frame))
    if "origin_id" not in frame.columns:
        frame["origin_id"] = None
    frame["published"] = [_as_date(v) for v in frame.get("published", [None] * len(frame))]
    frame["origin"] = [f"origin:{clean(o)}" if clean(o) is not None else f"claim:{c}"
                       for o, c in zip(frame["origin_id"], frame["claim_id"])]
    cutoff = _as_date(as_of)
    if cutoff is not None:
        frame = frame[[d is not None and d <= cutoff for d in frame["published"]]]
    order = sorted(range(len(frame)), key=lambda i: (frame["published"].iloc[i] or date.max,
                                                     str(frame["claim_id"].iloc[i])))
    return frame.iloc[order]


def _signature(comp: Component) -> tuple:
    """What makes two claims the same distribution (so a verbatim copy is recognised)."""
    return (tuple(np.round(comp.xs[::50], 9)), round(comp.background, 9))


def with_components(group: pd.DataFrame, rel: Reliability) -> list[tuple[dict, Component | None]]:
    """Each claim row (as a dict) with its distribution (None when it states no usable figure)."""
    return [(row, component(row, rel)) for row in group.to_dict("records")]


def origin_components(pairs: list[tuple[dict, Component | None]]) -> dict[str, list[tuple[Any, Component]]]:
    """Per origin, its distinct claims (verbatim copies dropped) with their components."""
    out: dict[str, list[tuple[Any, Component]]] = {}
    seen: dict[str, set] = {}
    for row, comp in pairs:
        if comp is None:
            continue
        sig = _signature(comp)
        if sig in seen.setdefault(row["origin"], set()):
            continue
        seen[row["origin"]].add(sig)
        out.setdefault(row["origin"], []).append((row["claim_id"], comp))
    return out


def origin_weights(origins: dict[str, list[tuple[Any, Component]]],
                   decay: dict[str, float] | None = None) -> dict[str, float]:
    """Each origin's pool weight before normalising: its best claim's times its ``decay``."""
    return {o: max(c.weight for _, c in comps) * (decay or {}).get(o, 1.0)
            for o, comps in origins.items()}


def mixture(origins: dict[str, list[tuple[Any, Component]]], factor: float,
            decay: dict[str, float] | None = None) -> list[tuple[float, np.ndarray]]:
    """(normalised weight, quantile function) pairs of the pool: origin weight = its best claim's
    times its recency ``decay`` factor (1 when absent), split evenly over its distinct claims,
    each split again between core and background."""
    parts: list[tuple[float, np.ndarray]] = []
    weights = origin_weights(origins, decay)
    for origin, comps in origins.items():
        for _, comp in comps:
            w = weights[origin] / len(comps)
            parts.append((w * (1 - comp.background), comp.xs))
            if comp.background > 0:
                parts.append((w * comp.background, background_quantiles(comp.centre, factor)))
    total = sum(w for w, _ in parts)
    if total <= 0:
        raise ValueError("claims: every claim has zero weight; check reliability.yaml and the half-life")
    return [(w / total, xs) for w, xs in parts if w > 0]


def pooled_quantiles(parts: list[tuple[float, np.ndarray]], probs: Iterable[float]) -> np.ndarray:
    """Quantiles of the mixture: sum the components' CDFs on the union of their grids, invert."""
    grid = np.unique(np.concatenate([xs[_SUB] for _, xs in parts]))
    if len(grid) > MAX_GRID:  # thin evenly in rank, i.e. roughly evenly in pooled probability
        grid = grid[np.unique(np.linspace(0, len(grid) - 1, MAX_GRID).round().astype(int))]
    cdf = np.zeros_like(grid)
    for w, xs in parts:
        cdf += w * _component_cdf(grid, xs)
    cdf = np.maximum.accumulate(cdf)
    return _invert(grid, cdf, np.asarray(list(probs), dtype=float))


def _component_cdf(grid: np.ndarray, xs: np.ndarray) -> np.ndarray:
    if xs[-1] - xs[0] <= 0:
        return (grid >= xs[0]).astype(float)
    if np.all(xs[1:] > xs[:-1]):
        return np.interp(grid, xs, P_GRID, left=0.0, right=1.0)
    uniq, idx = np.unique(xs, return_index=True)
    return np.interp(grid, uniq, P_GRID[idx], left=0.0, right=1.0)


def _invert(grid: np.ndarray, cdf: np.ndarray, probs: np.ndarray) -> np.ndarray:
    hi = np.clip(np.searchsorted(cdf, probs, side="left"), 0, len(grid) - 1)
    lo = np.clip(hi - 1, 0, len(grid) - 1)
    span = cdf[hi] - cdf[lo]
    frac = np.where(span > 0, (probs - cdf[lo]) / np.where(span > 0, span, 1), 1.0)
    return grid[lo] + np.clip(frac, 0, 1) * (grid[hi] - grid[lo])


def pool_decay(ages: dict[str, float], half_life: float | None) -> dict[str, float]:
    """Each origin's recency factor in its pool, from its ``origin_ages``. Ages are re-counted
    from the pool's newest origin: a later as-of date ages every origin alike, which cancels
    when weights are normalised, and counting from the newest keeps factors from underflowing."""
    newest = min(ages.values(), default=0.0)
    return recency({o: age - newest for o, age in ages.items()}, half_life)


def _pool_group(group: pd.DataFrame, rel: Reliability, as_of: date | None,
                pairs: list[tuple[dict, Component | None]] | None = None) -> Estimate | None:
    pairs = pairs if pairs is not None else with_components(group, rel)
    origins = origin_components(pairs)
    if not origins:
        return None
    decay = pool_decay(origin_ages([row for row, _ in pairs]),
                       half_life_for(group.iloc[0]["measure"], rel))
    parts = mixture(origins, float(rel.bounds["background_factor"]), decay)
    both = pooled_quantiles(parts, OUT_P + SUMMARY)
    qs, (p05, p10, med, p90, p95) = both[: len(OUT_P)], both[len(OUT_P):]
    first = group.iloc[0]
    dates = [d for d in group["published"] if d is not None]
    return Estimate(actor=first["actor"], measure=first["measure"], location=first["location"],
                    unit=first["unit"], per=first["per"], median=float(med), p05=float(p05),
                    p10=float(p10), p90=float(p90), p95=float(p95), n_claims=len(group),
                    n_sources=len(origins),
                    quantiles=tuple((p, float(x)) for p, x in zip(OUT_P, qs)),
                    as_of=as_of if as_of is not None else (max(dates) if dates else None))


def _groups(frame: pd.DataFrame) -> Iterable[pd.DataFrame]:
    keyed = frame.assign(_key=[tuple(r) for r in frame[list(KEY_FIELDS)].itertuples(index=False)])
    for key in sorted(set(keyed["_key"]), key=lambda k: tuple("" if v is None else v for v in k)):
        yield keyed[keyed["_key"] == key].drop(columns="_key")


def estimate(claims: pd.DataFrame, as_of: Any = None, mapping: KeyMapping | None = None,
             reliability: Reliability | None = None) -> list[Estimate]:
    """One Estimate per key from the claims published by ``as_of`` (all claims when None)."""
    rel = reliability if reliability is not None else load_reliability()
    frame = prepare(claims, as_of, mapping)
    cutoff = _as_date(as_of)
    out = [_pool_group(g, rel, cutoff) for g in _groups(frame)]
    return [e for e in out if e is not None]


def claim_weights(claims: pd.DataFrame, as_of: Any = None, mapping: KeyMapping | None = None,
                  reliability: Reliability | None = None) -> pd.DataFrame:
    """Each claim's standing in its pool: grade, raw weight, background share, pool share
    (verbatim copies of one origin share 0; claims without a usable figure get NaN), and its
    origin's age in days at ``as_of`` (the newest claim's date when None), recency factor and
    the half-life applied (None: no decay)."""
    rel = reliability if reliability is not None else load_reliability()
    frame = prepare(claims, as_of, mapping)
    cutoff = _as_date(as_of)
    rows = []
    for group in _groups(frame):
        pairs = with_components(group, rel)
        origins = origin_components(pairs)
        kept = {cid: (origin, comp, len(comps)) for origin, comps in origins.items()
                for cid, comp in comps}
        half_life = half_life_for(group.iloc[0]["measure"], rel)
        ages = origin_ages([row for row, _ in pairs], cutoff)
        factors = recency(ages, half_life)
        weights = origin_weights(origins, pool_decay(ages, half_life))
        total = sum(weights.values())
        for row, comp in pairs:
            share = float("nan") if comp is None else 0.0
            if row["claim_id"] in kept:
                origin, _, n = kept[row["claim_id"]]
                share = weights[origin] / n / total
            rows.append({**{k: row[k] for k in KEY_FIELDS}, "claim_id": row["claim_id"],
                         "origin": row["origin"], "source": row.get("source"),
                         "grade": None if comp is None else comp.grade,
                         "weight": float("nan") if comp is None else comp.weight,
                         "background": float("nan") if comp is None else comp.background,
                         "share": share, "age_days": ages[row["origin"]],
                         "recency": factors[row["origin"]], "half_life_days": half_life})
    out = pd.DataFrame(rows, columns=[*KEY_FIELDS, "claim_id", "origin", "source", "grade",
                                      "weight", "background", "share", "age_days", "recency",
                                      "half_life_days"])
    return _object_column(out, "half_life_days")


def _object_column(frame: pd.DataFrame, col: str) -> pd.DataFrame:
    """Keep a column's missing values as None (JSON null), not NaN."""
    frame[col] = pd.Series([None if v is None or v != v else v for v in frame[col]],
                           index=frame.index, dtype=object)
    return frame


def history(claims: pd.DataFrame, as_of: Any = None, mapping: KeyMapping | None = None,
            reliability: Reliability | None = None) -> pd.DataFrame:
    """The estimate of each key re-computed after each claim, in publication order, weighted
    as of that claim's date; ``half_life_days`` says which half-life was applied (None: none)."""
    rel = reliability if reliability is not None else load_reliability()
    frame = prepare(claims, as_of, mapping)
    rows = []
    for group in _groups(frame):
        pairs = with_components(group, rel)
        half_life = half_life_for(group.iloc[0]["measure"], rel)
        for i, (row, _) in enumerate(pairs):
            est = _pool_group(group.iloc[: i + 1], rel, row["published"], pairs[: i + 1])
            if est is None:
                continue
            rows.append({**{k: row[k] for k in KEY_FIELDS}, "date": row["published"],
                         "claim_id": row["claim_id"], "source": row.get("source"),
                         "value": centre_of(row), "median": est.median, "p05": est.p05,
                         "p10": est.p10, "p90": est.p90, "p95": est.p95,
                         "n_claims": est.n_claims, "n_sources": est.n_sources,
                         "half_life_days": half_life})
    out = pd.DataFrame(rows, columns=["date", *KEY_FIELDS, "claim_id", "source", "value",
                                      "median", "p05", "p10", "p90", "p95", "n_claims",
                                      "n_sources", "half_life_days"])
    return _object_column(out, "half_life_days")


def contradictions(claims: pd.DataFrame, as_of: Any = None, mapping: KeyMapping | None = None,
                   reliability: Reliability | None = None) -> pd.DataFrame:
    """Claims whose own median lies outside the pooled 5-95% interval ("outside"), and
    pairs from different origins whose own 10-90% intervals do not overlap ("disjoint").
    The pool is recency-weighted like the estimate; ``half_life_days`` says with which."""
    rel = reliability if reliability is not None else load_reliability()
    frame = prepare(claims, as_of, mapping)
    cols = ["kind", *KEY_FIELDS, "claim_id", "source", "value", "low", "high",
            "other_claim_id", "other_source", "other_low", "other_high", "half_life_days"]
    rows = []
    i10, i50, i90 = (int(np.argmin(abs(P_GRID - p))) for p in (0.1, 0.5, 0.9))
    for group in _groups(frame):
        pairs = with_components(group, rel)
        est = _pool_group(group, rel, None, pairs)
        if est is None:
            continue
        key = {k: group.iloc[0][k] for k in KEY_FIELDS}
        half_life = {"half_life_days": half_life_for(key["measure"], rel)}
        recs = [(r, c) for r, c in pairs if c is not None]
        for r, c in recs if est.n_sources > 1 else []:
            if not est.p05 <= c.xs[i50] <= est.p95:
                others = sorted({str(o.get("source")) for o, _ in recs if o["origin"] != r["origin"]})
                rows.append({"kind": "outside", **key, "claim_id": r["claim_id"],
                             "source": r.get("source"), "value": float(c.xs[i50]),
                             "low": float(c.xs[i10]), "high": float(c.xs[i90]),
                             "other_claim_id": None, "other_source": "; ".join(others),
                             "other_low": est.p05, "other_high": est.p95, **half_life})
        for a in range(len(recs)):
            for b in range(a + 1, len(recs)):
                (ra, ca), (rb, cb) = recs[a], recs[b]
                if ra["origin"] == rb["origin"]:
                    continue
                if ca.xs[i90] < cb.xs[i10] or cb.xs[i90] < ca.xs[i10]:
                    rows.append({"kind": "disjoint", **key, "claim_id": ra["claim_id"],
                                 "source": ra.get("source"), "value": ca.centre,
                                 "low": float(ca.xs[i10]), "high": float(ca.xs[i90]),
                                 "other_claim_id": rb["claim_id"], "other_source": rb.get("source"),
                                 "other_low": float(cb.xs[i10]), "other_high": float(cb.xs[i90]),
                                 **half_life})
    return _object_column(pd.DataFrame(rows, columns=cols), "half_life_days")


def to_frame(estimates: Iterable[Estimate], reliability: Reliability | None = None) -> pd.DataFrame:
    """Estimates as a table (one row each; the quantile grid left out), with the half-life
    ``reliability`` (the one they were made with; bundled when None) applies to each key."""
    estimates = list(estimates)
    rel = reliability if reliability is not None else load_reliability()
    cols = ["actor", "measure", "location", "unit", "per", "median", "p05", "p10", "p90", "p95",
            "n_claims", "n_sources", "as_of"]
    frame = pd.DataFrame([{c: getattr(e, c) for c in cols} for e in estimates], columns=cols)
    for col in ("actor", "location", "unit", "per"):  # keep missing key parts as None, not NaN
        frame[col] = pd.Series([getattr(e, col) for e in estimates], index=frame.index, dtype=object)
    frame["half_life_days"] = [half_life_for(e.measure, rel) for e in estimates]
    return _object_column(frame, "half_life_days")


def to_ucdp(estimates: Iterable[Estimate], reliability: Reliability | None = None) -> pd.DataFrame:
    """UCDP-style best/low/high: best = median, low = 5th and high = 95th percentile."""
    frame = to_frame(estimates, reliability)
    out = frame[["actor", "measure", "location", "unit", "per", "as_of", "half_life_days"]].copy()
    out["best"], out["low"], out["high"] = frame["median"], frame["p05"], frame["p95"]
    out["n_sources"] = frame["n_sources"]
    return out


def estimate_for(ledger: Any, actor: str | None, measure: str, location: str | None = None,
                 per: str | None = None, as_of: Any = None, mapping: KeyMapping | None = None,
                 reliability: Reliability | None = None) -> Estimate | None:
    """The one estimate a simulation input refers to. ``per`` None means a stock, not a rate;
    ``location`` None pools every location; the most-claimed unit wins. None when no claims."""
    mapping = mapping if mapping is not None else load_mapping()
    frame = prepare(ledger.quantities(), as_of, mapping)
    wanted = {"actor": actor, "measure": measure, "per": per}
    subset = frame[key_mask(frame, wanted if location is None else {**wanted, "location": location},
                            mapping)]
    if subset.empty:
        return None
    unit = subset["unit"].map(lambda u: "" if u is None else u).value_counts().index[0]
    subset = subset[subset["unit"].map(lambda u: ("" if u is None else u) == unit)]
    subset = subset.assign(location=canonical("location", location, mapping))
    rel = reliability if reliability is not None else load_reliability()
    return _pool_group(subset, rel, _as_date(as_of))
