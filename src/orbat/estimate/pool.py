"""Pooling: claims grouped by key, copies of one origin counted once, origins combined by a
weighted linear opinion pool (a mixture of their distributions) and summarised as an Estimate.
With a half-life configured, each origin's weight also decays with its age (see recency.py).

The mixture is exact on a value grid: the pooled CDF is the weighted sum of the components'
CDFs, each read off its quantile function by interpolation, then inverted. No sampling.
"""
from __future__ import annotations

import gc
import math
from contextlib import contextmanager
from datetime import date, datetime
from operator import itemgetter
from typing import Any, Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from orbat.estimate.distributions import (COMPONENT_FIELDS, P_GRID, Component, Reliability,
                                          background_quantiles, centre_of, component,
                                          load_reliability)
from orbat.estimate.keys import (KEY_FIELDS, KeyMapping, canonical, clean, key_mask, key_of,
                                 load_mapping, with_keys)
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
    return frame.iloc[_claim_order(list(frame["published"]), list(frame["claim_id"]))]


def _claim_order(published: list, claim_ids: list) -> list[int]:
    """Positions in pooling order: by publication date (undated last), then claim id."""
    return sorted(range(len(published)),
                  key=lambda i: (published[i] or date.max, str(claim_ids[i])))


def _signature(comp: Component) -> tuple:
    """What makes two claims the same distribution (so a verbatim copy is recognised)."""
    return (tuple(comp.xs[::50].round(9).tolist()), round(comp.background, 9))


def with_components(group: pd.DataFrame | list[dict], rel: Reliability,
                    cache: dict | None = None) -> list[tuple[dict, Component | None]]:
    """Each claim row (as a dict) with its distribution (None when it states no usable figure);
    ``cache`` (one dict per ``rel``) shares the work between claims alike."""
    rows = group.to_dict("records") if isinstance(group, pd.DataFrame) else group
    return [(row, component(row, rel, cache)) for row in rows]


def origin_components(pairs: list[tuple[dict, Component | None]]) -> dict[str, list[tuple[Any, Component]]]:
    """Per origin, its distinct claims (verbatim copies dropped) with their components."""
    out: dict[str, list[tuple[Any, Component]]] = {}
    seen: dict[str, set] = {}  # signatures, taken only once an origin has a second claim
    for row, comp in pairs:
        if comp is None:
            continue
        origin = row["origin"]
        kept = out.get(origin)
        if kept is None:
            out[origin] = [(row["claim_id"], comp)]
            continue
        if origin not in seen:
            seen[origin] = {_signature(c) for _, c in kept}
        sig = _signature(comp)
        if sig in seen[origin]:
            continue
        seen[origin].add(sig)
        kept.append((row["claim_id"], comp))
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
    backgrounds: dict[float, np.ndarray | None] = {}  # claims with one centre share one
    for origin, comps in origins.items():
        for _, comp in comps:
            w = weights[origin] / len(comps)
            parts.append((w * (1 - comp.background), comp.xs))
            if comp.background > 0:
                if comp.centre not in backgrounds:
                    backgrounds[comp.centre] = background_quantiles(comp.centre, factor)
                parts.append((w * comp.background, backgrounds[comp.centre]))
    total = sum(w for w, _ in parts)
    if total <= 0:
        raise ValueError("claims: every claim has zero weight; check reliability.yaml and the half-life")
    return [(w / total, xs) for w, xs in parts if w > 0]


def pooled_quantiles(parts: list[tuple[float, np.ndarray]], probs: Iterable[float]) -> np.ndarray:
    """Quantiles of the mixture: sum the components' CDFs on the union of their grids, invert.

    Each component adds its weight times its CDF to every grid point, in the parts' order: by
    interpolation only on the points inside its range (its CDF is 0 below, 1 above), so a pool
    of many narrow claims costs far less than one interpolation over the whole grid per claim.
    """
    quantiles = np.stack([xs for _, xs in parts])  # one row per part, all on P_GRID
    grid = np.unique(quantiles[:, _SUB])
    if len(grid) > MAX_GRID:  # thin evenly in rank, i.e. roughly evenly in pooled probability
        grid = grid[np.unique(np.linspace(0, len(grid) - 1, MAX_GRID).round().astype(int))]
    flat = (quantiles[:, -1] - quantiles[:, 0] <= 0).tolist()  # a point mass
    rising = np.all(quantiles[:, 1:] > quantiles[:, :-1], axis=1).tolist()
    starts = np.searchsorted(grid, quantiles[:, 0], side="left").tolist()
    ends = np.searchsorted(grid, quantiles[:, -1], side="right").tolist()
    cdf = np.zeros_like(grid)
    for i, (w, xs) in enumerate(parts):
        if flat[i]:
            cdf += w * (grid >= xs[0]).astype(float)
            continue
        knots, at, lo, hi = xs, P_GRID, starts[i], ends[i]
        if not rising[i]:  # repeated values: interpolate on the distinct ones
            knots, idx = np.unique(xs, return_index=True)
            at = P_GRID[idx]
            lo = int(np.searchsorted(grid, knots[0], side="left"))
            hi = int(np.searchsorted(grid, knots[-1], side="right"))
        cdf[lo:hi] += w * np.interp(grid[lo:hi], knots, at, left=0.0, right=1.0)
        cdf[hi:] += w  # w * 1.0: every point above the range
    cdf = np.maximum.accumulate(cdf)
    return _invert(grid, cdf, np.asarray(list(probs), dtype=float))


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


def _pool_group(group: list[dict] | pd.DataFrame, rel: Reliability, as_of: date | None,
                pairs: list[tuple[dict, Component | None]] | None = None,
                cache: dict | None = None) -> Estimate | None:
    if isinstance(group, pd.DataFrame):  # callers holding a prepared frame
        group = group.to_dict("records")
    pairs = pairs if pairs is not None else with_components(group, rel, cache)
    origins = origin_components(pairs)
    if not origins:
        return None
    decay = pool_decay(origin_ages([row for row, _ in pairs]),
                       half_life_for(group[0]["measure"], rel))
    parts = mixture(origins, float(rel.bounds["background_factor"]), decay)
    both = pooled_quantiles(parts, OUT_P + SUMMARY)
    qs, (p05, p10, med, p90, p95) = both[: len(OUT_P)], both[len(OUT_P):]
    first = group[0]
    dates = [r["published"] for r in group if r["published"] is not None]
    return Estimate(actor=first["actor"], measure=first["measure"], location=first["location"],
                    unit=first["unit"], per=first["per"], median=float(med), p05=float(p05),
                    p10=float(p10), p90=float(p90), p95=float(p95), n_claims=len(group),
                    n_sources=len(origins),
                    quantiles=tuple((p, float(x)) for p, x in zip(OUT_P, qs)),
                    as_of=as_of if as_of is not None else (max(dates) if dates else None))


CACHE_SIZE = 4096  # components shared between claims alike, at most (8 KB each)


def _bounded(cache: dict) -> dict:
    """``cache``, emptied when full: memory stays bounded however many claims pass through."""
    if len(cache) > CACHE_SIZE:
        cache.clear()
    return cache


def _key_order(key: tuple) -> tuple:
    return tuple("" if v is None else v for v in key)


def _groups(frame: pd.DataFrame) -> Iterable[list[dict]]:
    """The prepared claims of each key as row dicts, keys in order, claims in frame order."""
    rows: dict[tuple, list[dict]] = {}
    for row in frame.to_dict("records"):
        rows.setdefault(tuple(row[f] for f in KEY_FIELDS), []).append(row)
    for key in sorted(rows, key=_key_order):
        yield rows[key]


Progress = Callable[[int, int], None]  # (claims just done, claims in all)
# What the estimate stage reads of each claim (a ledger is asked for these columns only).
NEEDED = ["claim_id", "published", "origin_id", "source", *KEY_FIELDS, *COMPONENT_FIELDS]


def claim_groups(claims: Any, as_of: Any = None, mapping: KeyMapping | None = None,
                 where: dict[str, Any] | None = None,
                 progress: Progress | None = None) -> Iterator[pd.DataFrame]:
    """The prepared claims (``prepare``) of each canonical key, one frame per key (see
    ``_claim_groups``, which gives each as a list of row dicts)."""
    for rows in _claim_groups(claims, as_of, mapping, where, progress):
        yield pd.DataFrame(rows)


def _claim_groups(claims: Any, as_of: Any = None, mapping: KeyMapping | None = None,
                  where: dict[str, Any] | None = None,
                  progress: Progress | None = None) -> Iterator[list[dict]]:
    """The prepared claims (``prepare``) of each canonical key, as a list of row dicts.

    ``claims`` is a DataFrame of ledger quantities (keys come in order) or a ledger (anything
    with ``quantity_keys`` and ``quantity_batches``, see orbat.ledger.Ledger): then the keys
    are grouped and filtered in the database, only the columns the estimate needs are read,
    and claims stream in key order, so only one key's claims are held at a time (keys come
    in the order they complete; callers sort). ``where`` keeps the keys whose canonical
    fields equal those given (canonicalised; None asks for a missing value).
    """
    mapping = mapping if mapping is not None else load_mapping()
    if not isinstance(claims, pd.DataFrame) and hasattr(claims, "quantity_batches"):
        with _old_objects_frozen():
            yield from _ledger_groups(claims, as_of, mapping, where or {}, progress)
        return
    if not isinstance(claims, pd.DataFrame):
        claims = claims.quantities()
    frame = prepare(claims, as_of, mapping)
    if mapping.not_estimated:
        frame = frame[[m not in mapping.not_estimated for m in frame["measure"]]]
    if where:
        frame = frame[key_mask(frame, where, mapping)]
    for group in _groups(frame):
        yield group
        if progress:
            progress(len(group), len(frame))


_raw_key = itemgetter(*KEY_FIELDS)  # a row's key fields as a tuple, as the ledger wrote them


def _ledger_groups(ledger: Any, as_of: Any, mapping: KeyMapping, where: dict[str, Any],
                   progress: Progress | None) -> Iterator[list[dict]]:
    cutoff = _as_date(as_of)
    wanted = {KEY_FIELDS.index(name): canonical(name, value, mapping)
              for name, value in where.items()}

    def keyed(raw: tuple) -> tuple | None:  # the canonical key, None when not wanted
        key = key_of(dict(zip(KEY_FIELDS, raw)), mapping)
        if key[1] in mapping.not_estimated:
            return None
        return key if all(key[i] == v for i, v in wanted.items()) else None

    raw_keys = ledger.quantity_keys(until=cutoff)
    canon = {raw: keyed(raw) for raw, _ in raw_keys}
    totals: dict[tuple, int] = {}
    for raw, n in raw_keys:
        if canon[raw] is not None:
            totals[canon[raw]] = totals.get(canon[raw], 0) + n
    chosen = [raw for raw, key in canon.items() if key is not None]
    if not chosen:
        return
    everything = sum(totals.values())
    for query in _queries(chosen, canon, dict(raw_keys), len(chosen) == len(canon)):
        buckets: dict[tuple, list[dict]] = {}
        done: set[tuple] = set()
        for batch in ledger.quantity_batches(columns=NEEDED, until=cutoff, by_key=True,
                                             batch_size=5000, **query):
            for row in batch:
                raw = _raw_key(row)
                if raw not in canon:  # written since the keys were counted: finished below
                    canon[raw] = keyed(raw)
                key = canon[raw]
                if key is None or key in done:  # (a claim written after the count: left out)
                    continue
                bucket = buckets.setdefault(key, [])
                bucket.append(row)
                if len(bucket) == totals.get(key):
                    done.add(key)
                    yield _group_frame(buckets.pop(key), key)
                    if progress:
                        progress(len(bucket), everything)
        for key in sorted(buckets, key=_key_order):
            bucket = buckets.pop(key)
            yield _group_frame(bucket, key)
            if progress:
                progress(len(bucket), everything)


@contextmanager
def _old_objects_frozen() -> Iterator[None]:
    """The objects alive now (imported modules, mostly) left out of garbage collection while
    claims stream: each row allocates, and every full collection would walk them all again
    (a quarter of the time of estimating 300,000 claims). Thawed after, unless already frozen."""
    frozen = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen:
            gc.unfreeze()


FEW_KEYS = 10  # up to this many raw keys are named in SQL, one by one
CHUNK_CLAIMS = 50_000  # claims read by one query (and so one read transaction), about


def _queries(chosen: list[tuple], canon: dict[tuple, tuple | None], counts: dict[tuple, int],
             everything: bool) -> Iterator[dict[str, Any]]:
    """How to read the ``chosen`` raw keys, query by query (keyword arguments for
    ``quantity_batches``): a few keys by name; else by measure (indexed), all raw measures of
    a canonical measure in one query, about CHUNK_CLAIMS claims a query, so that no read holds
    the database for long; a small ledger wanted whole in one query that names nothing."""
    if len(chosen) <= FEW_KEYS and not everything:
        yield {"keys": chosen}
        return
    if everything and sum(counts[r] for r in chosen) <= CHUNK_CLAIMS:
        yield {}
        return
    raw_measures: dict[Any, set] = {}  # canonical measure -> its raw measures
    for raw in chosen:
        raw_measures.setdefault(canon[raw][1], set()).add(raw[1])
    size_of: dict[Any, int] = {}
    for raw in chosen:
        size_of[canon[raw][1]] = size_of.get(canon[raw][1], 0) + counts[raw]
    chunk: set = set()
    size = 0
    for measure in sorted(raw_measures, key=lambda m: "" if m is None else m):
        if chunk and size + size_of[measure] > CHUNK_CLAIMS:
            yield {"measures": sorted(chunk, key=lambda m: "" if m is None else m)}
            chunk, size = set(), 0
        chunk |= raw_measures[measure]
        size += size_of[measure]
    if chunk:
        yield {"measures": sorted(chunk, key=lambda m: "" if m is None else m)}


def _group_frame(rows: list[dict], key: tuple) -> list[dict]:
    """One key's claim rows as ``prepare`` would leave them: canonical key, dates, origins, order."""
    canon = dict(zip(KEY_FIELDS, key))
    for row in rows:
        row.update(canon)
        row["published"] = _as_date(row["published"])
        oid = clean(row["origin_id"])
        row["origin"] = f"origin:{oid}" if oid is not None else f"claim:{row['claim_id']}"
    order = _claim_order([r["published"] for r in rows], [r["claim_id"] for r in rows])
    return [rows[i] for i in order]


def _keyed(group: list[dict]) -> tuple:
    return tuple(group[0][f] for f in KEY_FIELDS)


def estimate(claims: Any, as_of: Any = None, mapping: KeyMapping | None = None,
             reliability: Reliability | None = None, where: dict[str, Any] | None = None,
             progress: Progress | None = None) -> list[Estimate]:
    """One Estimate per key from the claims published by ``as_of`` (all claims when None).

    ``claims``: a DataFrame of ledger quantities, or a ledger (read key by key, see
    ``claim_groups``); ``where`` keeps only the keys matching those fields.
    """
    rel = reliability if reliability is not None else load_reliability()
    cutoff = _as_date(as_of)
    cache: dict = {}
    out = []
    for group in _claim_groups(claims, as_of, mapping, where, progress):
        est = _pool_group(group, rel, cutoff, cache=_bounded(cache))
        if est is not None:
            out.append((_keyed(group), est))
    return [e for _, e in sorted(out, key=lambda pair: _key_order(pair[0]))]


def _by_key(results: list[tuple[tuple, list]]) -> list:
    """Per-key result rows concatenated in key order (ledger groups come as keys complete)."""
    return [row for _, rows in sorted(results, key=lambda kr: _key_order(kr[0])) for row in rows]


def claim_weights(claims: Any, as_of: Any = None, mapping: KeyMapping | None = None,
                  reliability: Reliability | None = None, where: dict[str, Any] | None = None,
                  progress: Progress | None = None) -> pd.DataFrame:
    """Each claim's standing in its pool: grade, raw weight, background share, pool share
    (verbatim copies of one origin share 0; claims without a usable figure get NaN), and its
    origin's age in days at ``as_of`` (the newest claim's date when None), recency factor and
    the half-life applied (None: no decay)."""
    rel = reliability if reliability is not None else load_reliability()
    cutoff = _as_date(as_of)
    cache: dict = {}
    results = []
    for group in _claim_groups(claims, as_of, mapping, where, progress):
        rows = []
        pairs = with_components(group, rel, _bounded(cache))
        origins = origin_components(pairs)
        kept = {cid: (origin, comp, len(comps)) for origin, comps in origins.items()
                for cid, comp in comps}
        half_life = half_life_for(group[0]["measure"], rel)
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
        results.append((_keyed(group), rows))
    out = pd.DataFrame(_by_key(results), columns=[*KEY_FIELDS, "claim_id", "origin", "source",
                                                  "grade", "weight", "background", "share",
                                                  "age_days", "recency", "half_life_days"])
    return _object_column(out, "half_life_days")


def _object_column(frame: pd.DataFrame, col: str) -> pd.DataFrame:
    """Keep a column's missing values as None (JSON null), not NaN."""
    frame[col] = pd.Series([None if v is None or v != v else v for v in frame[col]],
                           index=frame.index, dtype=object)
    return frame


def history(claims: Any, as_of: Any = None, mapping: KeyMapping | None = None,
            reliability: Reliability | None = None, where: dict[str, Any] | None = None,
            progress: Progress | None = None) -> pd.DataFrame:
    """The estimate of each key re-computed after each claim, in publication order, weighted
    as of that claim's date; ``half_life_days`` says which half-life was applied (None: none)."""
    rel = reliability if reliability is not None else load_reliability()
    cache: dict = {}
    results = []
    for group in _claim_groups(claims, as_of, mapping, where, progress):
        rows = []
        pairs = with_components(group, rel, _bounded(cache))
        half_life = half_life_for(group[0]["measure"], rel)
        for i, (row, _) in enumerate(pairs):
            est = _pool_group(group[: i + 1], rel, row["published"], pairs[: i + 1])
            if est is None:
                continue
            rows.append({**{k: row[k] for k in KEY_FIELDS}, "date": row["published"],
                         "claim_id": row["claim_id"], "source": row.get("source"),
                         "value": centre_of(row), "median": est.median, "p05": est.p05,
                         "p10": est.p10, "p90": est.p90, "p95": est.p95,
                         "n_claims": est.n_claims, "n_sources": est.n_sources,
                         "half_life_days": half_life})
        results.append((_keyed(group), rows))
    out = pd.DataFrame(_by_key(results), columns=["date", *KEY_FIELDS, "claim_id", "source",
                                                  "value", "median", "p05", "p10", "p90", "p95",
                                                  "n_claims", "n_sources", "half_life_days"])
    return _object_column(out, "half_life_days")


def contradiction_window(measure: Any, rel: Reliability) -> float | None:
    """For a measure that changes over time (``time_varying`` in reliability.yaml), how many
    days apart two claims may be published and still be compared: its half-life if it has
    one, else the section's ``window_days``. None (compare all) for other measures."""
    if str(measure) not in rel.time_varying:
        return None
    half_life = half_life_for(measure, rel)
    return half_life if half_life is not None else rel.window_days


def _within(a: dict, b: dict, window: float) -> bool:
    """Whether two claims were published at most ``window`` days apart (undated: never)."""
    return (a["published"] is not None and b["published"] is not None
            and abs((a["published"] - b["published"]).days) <= window)


def contradictions(claims: Any, as_of: Any = None, mapping: KeyMapping | None = None,
                   reliability: Reliability | None = None, where: dict[str, Any] | None = None,
                   progress: Progress | None = None) -> pd.DataFrame:
    """Claims whose own median lies outside the pooled 5-95% interval ("outside"), and
    pairs from different origins whose own 10-90% intervals do not overlap ("disjoint").
    The pool is recency-weighted like the estimate; ``half_life_days`` says with which.

    For a measure that changes over time (``contradiction_window``), only claims published
    within the window of each other are compared: a claim is set against the pool of the
    claims within the window of its date, and a pair only when they are that close, so
    territory held in August does not contradict territory held in March.
    """
    rel = reliability if reliability is not None else load_reliability()
    cols = ["kind", *KEY_FIELDS, "claim_id", "source", "value", "low", "high",
            "other_claim_id", "other_source", "other_low", "other_high", "half_life_days"]
    cache: dict = {}
    results = []
    i10, i50, i90 = (int(np.argmin(abs(P_GRID - p))) for p in (0.1, 0.5, 0.9))
    for group in _claim_groups(claims, as_of, mapping, where, progress):
        pairs = with_components(group, rel, _bounded(cache))
        est = _pool_group(group, rel, None, pairs)
        if est is None:
            continue
        rows = []
        key = {k: group[0][k] for k in KEY_FIELDS}
        half_life = {"half_life_days": half_life_for(key["measure"], rel)}
        window = contradiction_window(key["measure"], rel)
        recs = [(r, c) for r, c in pairs if c is not None]
        days = np.array([np.nan if r["published"] is None else r["published"].toordinal()
                         for r, _ in recs], dtype=float)
        near_pools: dict[Any, Estimate | None] = {}
        for r, c in recs if est.n_sources > 1 else []:
            pool = est
            if window is not None and r["published"] is not None:
                if r["published"] not in near_pools:
                    near = [j for j, (o, _) in enumerate(pairs) if _within(o, r, window)]
                    sub = _pool_group([group[j] for j in near], rel, None,
                                      [pairs[j] for j in near])
                    near_pools[r["published"]] = sub if sub is not None and sub.n_sources > 1 \
                        else None
                pool = near_pools[r["published"]]
                if pool is None:
                    continue
            if not pool.p05 <= c.xs[i50] <= pool.p95:
                others = sorted({str(o.get("source")) for o, _ in recs
                                 if o["origin"] != r["origin"]
                                 and (pool is est or _within(o, r, window))})
                rows.append({"kind": "outside", **key, "claim_id": r["claim_id"],
                             "source": r.get("source"), "value": float(c.xs[i50]),
                             "low": float(c.xs[i10]), "high": float(c.xs[i90]),
                             "other_claim_id": None, "other_source": "; ".join(others),
                             "other_low": pool.p05, "other_high": pool.p95, **half_life})
        lo = np.array([c.xs[i10] for _, c in recs])
        hi = np.array([c.xs[i90] for _, c in recs])
        origin = np.array([r["origin"] for r, _ in recs], dtype=object)
        for a in range(len(recs) - 1):  # every later claim at once
            b = np.arange(a + 1, len(recs))
            hit = (origin[b] != origin[a]) & ((hi[a] < lo[b]) | (hi[b] < lo[a]))
            if window is not None:
                hit &= np.abs(days[b] - days[a]) <= window  # undated (NaN) never compared
            for j in b[hit]:
                (ra, ca), (rb, cb) = recs[a], recs[j]
                rows.append({"kind": "disjoint", **key, "claim_id": ra["claim_id"],
                             "source": ra.get("source"), "value": ca.centre,
                             "low": float(ca.xs[i10]), "high": float(ca.xs[i90]),
                             "other_claim_id": rb["claim_id"], "other_source": rb.get("source"),
                             "other_low": float(cb.xs[i10]), "other_high": float(cb.xs[i90]),
                             **half_life})
        results.append((tuple(key.values()), rows))
    return _object_column(pd.DataFrame(_by_key(results), columns=cols), "half_life_days")


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
    ``location`` None pools every location; the most-claimed unit wins. None when no claims.

    ``ledger`` is a ledger (only the matching claims are read) or a DataFrame of its claims.
    """
    mapping = mapping if mapping is not None else load_mapping()
    wanted = {"actor": actor, "measure": measure, "per": per}
    if location is not None:
        wanted["location"] = location
    rows = [row for group in _claim_groups(ledger, as_of, mapping, wanted) for row in group]
    if not rows:
        return None
    rows = [rows[i] for i in _claim_order([r["published"] for r in rows],
                                          [r["claim_id"] for r in rows])]
    units = ["" if r["unit"] is None else r["unit"] for r in rows]
    unit = pd.Series(units).value_counts().index[0]
    place = canonical("location", location, mapping)
    subset = [{**r, "location": place} for r, u in zip(rows, units) if u == unit]
    rel = reliability if reliability is not None else load_reliability()
    return _pool_group(subset, rel, _as_date(as_of))
