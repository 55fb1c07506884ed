"""What the estimate pages show, computed from the ledger with the estimate stage's API:
keys, the estimate as of a date, its history, each claim's interval, origins and weight
shares, contradictions. Shared by the web app and the HTML report.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from orbat.estimate.keys import KEY_FIELDS, key_of, load_mapping
from orbat.web import queries

HISTORY_EXACT = 60  # up to this many claims, the history is re-pooled after every claim
HISTORY_POINTS = 24  # beyond it, the estimate as of this many dates
CONTRADICTIONS_PAIRWISE = 200  # beyond this many claims, only claims outside the pool are listed
MAX_CONTRADICTIONS = 30  # listed on a page


def key_params(key: dict[str, Any]) -> dict[str, str]:
    """URL parameters naming a key exactly (a missing part given as empty)."""
    return {f: "" if key.get(f) is None else str(key[f]) for f in KEY_FIELDS if f in key}


def key_href(key: dict[str, Any], prefix: str = "/estimate") -> str:
    return prefix + "?" + urlencode(key_params(key))


def key_label(key: dict[str, Any]) -> str:
    parts = [key.get("actor"), key.get("measure"), key.get("location")]
    text = " / ".join(str(p) for p in parts if p) or "(no key)"
    tail = " ".join(p for p in (key.get("unit"), f"per {key['per']}" if key.get("per") else None) if p)
    return f"{text} ({tail})" if tail else text


def num(v: Any) -> str:
    """A figure for people: thousands separated, small numbers to 3 significant digits."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


class KeyIndex:
    """Canonical keys of the ledger with their raw spellings and claim counts, recomputed
    when the ledger's documents change (``clear()`` forces it)."""

    def __init__(self, engine, vocab: queries.Vocabulary | None = None) -> None:
        self.engine = engine
        self.vocab = vocab if vocab is not None else queries.Vocabulary(engine)
        self._lock = threading.Lock()
        self._raw: list | None = None
        self._keys: list[dict[str, Any]] = []

    def clear(self) -> None:
        self.vocab.clear()

    def keys(self) -> list[dict[str, Any]]:
        self.vocab.refresh()
        with self._lock:
            if self._raw is not self.vocab.raw:
                raw = self.vocab.raw
                mapping = load_mapping()
                merged: dict[tuple, dict[str, Any]] = {}
                for row in raw:
                    canon = key_of(row, mapping)
                    entry = merged.setdefault(canon, {**dict(zip(KEY_FIELDS, canon)),
                                                      "n": 0, "raw": []})
                    entry["n"] += row["n"]
                    entry["raw"].append(tuple(row[f] for f in ("actor", "measure", "location",
                                                                "per", "unit")))
                self._keys = sorted(merged.values(), key=lambda k: (-k["n"], key_label(k)))
                self._raw = raw
            return self._keys

    def matching(self, wanted: dict[str, str | None]) -> list[dict[str, Any]]:
        """Keys whose fields equal each ``wanted`` one (canonicalised; None = missing)."""
        from orbat.estimate.keys import canonical

        mapping = load_mapping()
        target = {f: canonical(f, v, mapping) for f, v in wanted.items()}
        return [k for k in self.keys() if all(k[f] == v for f, v in target.items())]


class ViewCache:
    """Estimate pages already computed, by key and as-of date, for as long as the ledger holds
    the same documents (and at most ``ttl`` seconds): pooling thousands of claims takes
    seconds, looking them up again does not."""

    def __init__(self, engine, index: KeyIndex, size: int = 128, ttl: float = 600.0) -> None:
        from collections import OrderedDict

        self.engine, self.index, self.size, self.ttl = engine, index, size, ttl
        self._lock = threading.Lock()
        self._views: "OrderedDict[tuple, tuple[float, Any]]" = OrderedDict()

    def clear(self) -> None:
        with self._lock:
            self._views.clear()

    def _version(self) -> int:
        from sqlalchemy import func, select

        from orbat.ledger.schema import documents
        with self.engine.connect() as conn:
            n = conn.scalar(select(func.count()).select_from(documents))
            conn.rollback()
        return int(n)

    def get(self, wanted: dict[str, Any], as_of: date | None):
        key = (tuple(sorted(wanted.items(), key=lambda kv: kv[0])), as_of, self._version())
        now = time.monotonic()
        with self._lock:
            hit = self._views.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                self._views.move_to_end(key)
                return hit[1]
        view = estimate_view(self.engine, self.index, wanted, as_of)
        with self._lock:
            self._views[key] = (now, view)
            while len(self._views) > self.size:
                self._views.popitem(last=False)
        return view


@dataclass
class EstimateView:
    key: dict[str, Any]
    estimate: Any  # orbat.types.Estimate or None
    history: list[dict[str, Any]]
    points: list[dict[str, Any]]
    origins: list[dict[str, Any]]
    contradictions: list[dict[str, Any]]
    n_claims: int
    history_exact: bool
    as_of: date | None
    n_contradictions: int = 0
    pairwise: bool = True


def wanted_from(params: dict[str, str]) -> dict[str, str | None]:
    """The key fields a query names: present and empty means "missing" (None)."""
    return {f: (params[f] or None) for f in KEY_FIELDS if f in params}


def claim_href(claim_id: str, doc_id: str) -> str:
    return f"/documents/{doc_id}?claim={claim_id}#c-{claim_id}"


def estimate_view(engine, index: KeyIndex, wanted: dict[str, str | None],
                  as_of: date | None = None, href=claim_href) -> EstimateView:
    """Everything the estimate page of the key ``wanted`` shows. Fields not named are pooled
    (as a simulation reference pools locations), and the most-claimed unit is used.

    The claims' distributions are computed once and every figure (estimate, history, weight
    shares, contradictions) is pooled from them with the estimate stage's own functions, so
    the page shows exactly what ``orbat estimate`` computes.
    """
    import numpy as np

    from orbat.estimate import contradictions, load_reliability
    from orbat.estimate.distributions import P_GRID
    from orbat.estimate.pool import (_pool_group, origin_components, origin_weights, pool_decay,
                                     prepare, with_components)
    from orbat.estimate.recency import half_life_for, origin_ages

    keys = index.matching(wanted)
    if "unit" not in wanted and keys:
        units: dict[Any, int] = {}
        for k in keys:
            units[k["unit"]] = units.get(k["unit"], 0) + k["n"]
        best = max(units.items(), key=lambda kv: (kv[1], str(kv[0])))[0]
        keys = [k for k in keys if k["unit"] == best]
    key = {f: wanted.get(f) for f in KEY_FIELDS}
    if keys:
        key = {f: (keys[0][f] if f in wanted or f == "unit" else None) for f in KEY_FIELDS}
    raw = [r for k in keys for r in k["raw"]]
    claims = queries.claims_for_keys(engine, raw)
    rel = load_reliability()
    if claims.empty:
        return EstimateView(key, None, [], [], [], [], 0, True, as_of)
    claims = claims.copy()
    for f in KEY_FIELDS:  # pool over the named fields only: the others become missing
        if f not in wanted and f != "unit":
            claims[f] = None
    by_id = {r["claim_id"]: r for r in claims.to_dict("records")}
    frame = prepare(claims, as_of)  # one key now, in publication order
    if frame.empty:
        return EstimateView(key, None, [], [], [], [], 0, True, as_of)
    pairs = with_components(frame, rel)
    est = _pool_group(frame, rel, as_of, pairs)
    i10, i50, i90 = (int(np.argmin(abs(P_GRID - p))) for p in (0.1, 0.5, 0.9))
    points = []
    for row, comp in pairs:
        if comp is None or row["published"] is None:
            continue
        points.append({"date": row["published"].isoformat(), "value": float(comp.xs[i50]),
                       "low": float(comp.xs[i10]), "high": float(comp.xs[i90]),
                       "source": row.get("source"), "source_kind": row.get("source_kind"),
                       "text": row.get("text"), "claim_id": row["claim_id"],
                       "href": href(row["claim_id"], row["doc_id"])})
    # history: the pool after each claim (as orbat estimate --history), or for big keys after
    # the last claim of each of HISTORY_POINTS dates; claims are in date order, so the claims
    # known at a date are a prefix
    dates = [row["published"] for row, _ in pairs]
    n = len(pairs)
    exact = n <= HISTORY_EXACT
    if exact:
        ends = list(range(1, n + 1))
    else:
        last_of = {}
        for i, d in enumerate(dates):
            if d is not None:
                last_of[d] = i + 1
        chosen = sorted(last_of)
        stride = max(1, -(-len(chosen) // HISTORY_POINTS))
        picked = chosen[stride - 1::stride]
        if chosen and (not picked or picked[-1] != chosen[-1]):
            picked.append(chosen[-1])
        ends = [last_of[d] for d in picked]
    hist = []
    for k in ends:
        d = dates[k - 1]
        if d is None:
            continue
        e = _pool_group(frame.iloc[:k], rel, d, pairs[:k])
        if e is not None:
            hist.append({"date": d.isoformat(), "median": e.median, "p10": e.p10, "p90": e.p90,
                         "p05": e.p05, "p95": e.p95})
    if hist:  # carry the last band on a little, so the newest step is visible
        from datetime import timedelta
        first, last = date.fromisoformat(hist[0]["date"]), date.fromisoformat(hist[-1]["date"])
        tail = max(timedelta(days=3), (last - first) / 10)
        hist.append({**hist[-1], "date": (last + tail).isoformat()})
    # weight shares, as claim_weights computes them
    origins_c = origin_components(pairs)
    kept = {cid: (o, len(comps)) for o, comps in origins_c.items() for cid, _ in comps}
    ages = origin_ages([row for row, _ in pairs], as_of)
    weights = origin_weights(origins_c, pool_decay(ages, half_life_for(frame.iloc[0]["measure"], rel)))
    total = sum(weights.values()) or 1.0
    origins: dict[str, dict[str, Any]] = {}
    for row, comp in pairs:
        cid = row["claim_id"]
        share = weights[kept[cid][0]] / kept[cid][1] / total if cid in kept else 0.0
        entry = origins.setdefault(row["origin"], {"origin": row["origin"], "share": 0.0,
                                                   "sources": [], "claims": [],
                                                   "grade": None if comp is None else comp.grade})
        entry["share"] += share
        src = row.get("source") or "(writer)"
        if src not in entry["sources"]:
            entry["sources"].append(src)
        entry["claims"].append({"claim_id": cid, "doc_id": row["doc_id"], "text": row["text"],
                                "published": row["published"], "outlet": row.get("outlet"),
                                "source_kind": row.get("source_kind"),
                                "href": href(cid, row["doc_id"]), "counted": share > 0})
    origin_list = sorted(origins.values(), key=lambda o: -o["share"])
    contra = []
    if n <= CONTRADICTIONS_PAIRWISE:
        rows = contradictions(claims, as_of=as_of, reliability=rel).to_dict("records")
    else:  # pairs of thousands of claims say nothing: only claims outside the pool
        rows = []
        others = f"the pool of {est.n_sources if est is not None else 0} origins"
        for r, c in pairs:
            if c is not None and est is not None and est.n_sources > 1 and not est.p05 <= c.xs[i50] <= est.p95:
                rows.append({"kind": "outside", "claim_id": r["claim_id"], "source": r.get("source"),
                             "value": float(c.xs[i50]), "low": float(c.xs[i10]),
                             "high": float(c.xs[i90]), "other_claim_id": None,
                             "other_source": others, "other_low": est.p05, "other_high": est.p95})
    for r in rows[:MAX_CONTRADICTIONS]:
        a = by_id[r["claim_id"]]
        item = {"kind": r["kind"], "source": r["source"] or "(writer)", "value": r["value"],
                "low": r["low"], "high": r["high"], "text": a["text"],
                "href": href(r["claim_id"], a["doc_id"]), "other_source": r["other_source"] or "(writer)",
                "other_low": r["other_low"], "other_high": r["other_high"], "other_href": None,
                "other_text": None}
        if r["other_claim_id"] is not None and r["other_claim_id"] in by_id:
            b = by_id[r["other_claim_id"]]
            item["other_href"] = href(r["other_claim_id"], b["doc_id"])
            item["other_text"] = b["text"]
        contra.append(item)
    view = EstimateView(key, est, hist, points, origin_list, contra, n, exact, as_of)
    view.n_contradictions = len(rows)
    view.pairwise = n <= CONTRADICTIONS_PAIRWISE
    return view
