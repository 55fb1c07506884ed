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

HISTORY_EXACT = 150  # up to this many claims, the history is re-pooled after every claim
HISTORY_POINTS = 40  # beyond it, the estimate as of this many dates


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
    """Canonical keys of the ledger with their raw spellings and claim counts, cached for
    ``ttl`` seconds (``clear()`` after the app writes to the ledger)."""

    def __init__(self, engine, ttl: float = 30.0) -> None:
        self.engine, self.ttl = engine, ttl
        self._lock = threading.Lock()
        self._at = 0.0
        self._keys: list[dict[str, Any]] = []

    def clear(self) -> None:
        with self._lock:
            self._at = 0.0

    def keys(self) -> list[dict[str, Any]]:
        with self._lock:
            if time.monotonic() - self._at > self.ttl:
                mapping = load_mapping()
                merged: dict[tuple, dict[str, Any]] = {}
                for row in queries.raw_keys(self.engine):
                    canon = key_of(row, mapping)
                    entry = merged.setdefault(canon, {**dict(zip(KEY_FIELDS, canon)),
                                                      "n": 0, "raw": []})
                    entry["n"] += row["n"]
                    entry["raw"].append(tuple(row[f] for f in ("actor", "measure", "location",
                                                                "per", "unit")))
                self._keys = sorted(merged.values(), key=lambda k: (-k["n"], key_label(k)))
                self._at = time.monotonic()
            return self._keys

    def matching(self, wanted: dict[str, str | None]) -> list[dict[str, Any]]:
        """Keys whose fields equal each ``wanted`` one (canonicalised; None = missing)."""
        from orbat.estimate.keys import canonical

        mapping = load_mapping()
        target = {f: canonical(f, v, mapping) for f, v in wanted.items()}
        return [k for k in self.keys() if all(k[f] == v for f, v in target.items())]


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


def wanted_from(params: dict[str, str]) -> dict[str, str | None]:
    """The key fields a query names: present and empty means "missing" (None)."""
    return {f: (params[f] or None) for f in KEY_FIELDS if f in params}


def claim_href(claim_id: str, doc_id: str) -> str:
    return f"/documents/{doc_id}?claim={claim_id}#c-{claim_id}"


def estimate_view(engine, index: KeyIndex, wanted: dict[str, str | None],
                  as_of: date | None = None, href=claim_href) -> EstimateView:
    """Everything the estimate page of the key ``wanted`` shows. Fields not named are pooled
    (as a simulation reference pools locations), and the most-claimed unit is used."""
    import numpy as np

    from orbat.estimate import claim_weights, contradictions, estimate, history, load_reliability
    from orbat.estimate.distributions import P_GRID, component
    from orbat.estimate.pool import prepare

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
        if "unit" not in wanted:
            key["unit"] = keys[0]["unit"]
    raw = [r for k in keys for r in k["raw"]]
    claims = queries.claims_for_keys(engine, raw)
    rel = load_reliability()
    if claims.empty:
        return EstimateView(key, None, [], [], [], [], 0, True, as_of)
    # pool over the named fields only: the others become the key's (missing) value
    claims = claims.copy()
    for f in KEY_FIELDS:
        if f not in wanted and f != "unit":
            claims[f] = None
    by_id = claims.set_index("claim_id")
    ests = estimate(claims, as_of=as_of, reliability=rel)
    est = ests[0] if ests else None
    frame = prepare(claims, as_of)
    i10, i50, i90 = (int(np.argmin(abs(P_GRID - p))) for p in (0.1, 0.5, 0.9))
    points = []
    for row in frame.to_dict("records"):
        comp = component(row, rel)
        if comp is None or row["published"] is None:
            continue
        points.append({"date": row["published"].isoformat(), "value": float(comp.xs[i50]),
                       "low": float(comp.xs[i10]), "high": float(comp.xs[i90]),
                       "source": row.get("source"), "source_kind": row.get("source_kind"),
                       "text": row.get("text"), "claim_id": row["claim_id"],
                       "href": href(row["claim_id"], row["doc_id"])})
    exact = len(frame) <= HISTORY_EXACT
    if exact:
        hist_frame = history(claims, as_of=as_of, reliability=rel)
        hist = [{"date": str(r["date"]), "median": r["median"], "p10": r["p10"],
                 "p90": r["p90"], "p05": r["p05"], "p95": r["p95"]}
                for r in hist_frame.to_dict("records") if r["date"] is not None]
    else:
        dates = sorted({d for d in frame["published"] if d is not None})
        step = max(1, len(dates) // HISTORY_POINTS)
        chosen = dates[step - 1::step]
        if dates and chosen[-1] != dates[-1]:
            chosen.append(dates[-1])
        hist = []
        for d in chosen:
            e = estimate(claims, as_of=d, reliability=rel)
            if e:
                hist.append({"date": d.isoformat(), "median": e[0].median, "p10": e[0].p10,
                             "p90": e[0].p90, "p05": e[0].p05, "p95": e[0].p95})
    if hist:  # carry the last band on a little, so the newest step is visible
        from datetime import timedelta
        first, last = date.fromisoformat(hist[0]["date"]), date.fromisoformat(hist[-1]["date"])
        tail = max(timedelta(days=3), (last - first) / 10)
        hist.append({**hist[-1], "date": (last + tail).isoformat()})
    weights = claim_weights(claims, as_of=as_of, reliability=rel)
    origins: dict[str, dict[str, Any]] = {}
    for row in weights.to_dict("records"):
        cid = row["claim_id"]
        c = by_id.loc[cid]
        entry = origins.setdefault(row["origin"], {"origin": row["origin"], "share": 0.0,
                                                   "sources": [], "claims": [], "grade": row["grade"]})
        share = row["share"]
        if share == share:
            entry["share"] += share
        src = row["source"] or "(writer)"
        if src not in entry["sources"]:
            entry["sources"].append(src)
        entry["claims"].append({"claim_id": cid, "doc_id": c["doc_id"], "text": c["text"],
                                "published": c["published"], "outlet": c["outlet"],
                                "source_kind": c["source_kind"], "href": href(cid, c["doc_id"]),
                                "counted": share == share and share > 0})
    origin_list = sorted(origins.values(), key=lambda o: -o["share"])
    contra = []
    cframe = contradictions(claims, as_of=as_of, reliability=rel)
    for r in cframe.to_dict("records"):
        a = by_id.loc[r["claim_id"]]
        item = {"kind": r["kind"], "source": r["source"] or "(writer)", "value": r["value"],
                "low": r["low"], "high": r["high"], "text": a["text"],
                "href": href(r["claim_id"], a["doc_id"]), "other_source": r["other_source"] or "(writer)",
                "other_low": r["other_low"], "other_high": r["other_high"], "other_href": None,
                "other_text": None}
        if r["other_claim_id"] is not None and r["other_claim_id"] in by_id.index:
            b = by_id.loc[r["other_claim_id"]]
            item["other_href"] = href(r["other_claim_id"], b["doc_id"])
            item["other_text"] = b["text"]
        contra.append(item)
    return EstimateView(key, est, hist, points, origin_list, contra, len(frame), exact, as_of)
