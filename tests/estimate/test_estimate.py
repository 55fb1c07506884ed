"""Estimate stage: hand-computed cases, properties, time, contradictions, CLI plot."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from orbat.estimate import (claim_weights, contradictions, estimate, history, load_mapping,
                            to_frame, to_ucdp)
from orbat.estimate.keys import KeyMapping


def claim(cid, value=None, bound="exact", low=None, high=None, source="US officials",
          kind="government", origin=None, published="2024-11-01", modality="certain",
          measure="deployed", location="Kursk", per=None, evidential="direct"):
    return dict(claim_id=cid, doc_id=f"d{cid}", published=published, outlet="x", url=None,
                span_start=0, span_end=1, text="t", value=value, low=low, high=high, bound=bound,
                unit="personnel", per=per, actor="North Korea", measure=measure,
                location=location, source=source, source_kind=kind, evidential=evidential,
                modality=modality, likelihood_low=None, likelihood_high=None, origin_id=origin)


def one(rows, **kw):
    ests = estimate(pd.DataFrame(rows), **kw)
    assert len(ests) == 1
    return ests[0]


def test_one_exact_claim_median_is_value():
    est = one([claim(1, 11000)])
    assert est.median == pytest.approx(11000, rel=1e-9)
    assert est.p05 < est.p10 < est.median < est.p90 < est.p95
    assert (est.n_claims, est.n_sources) == (1, 1)
    assert len(est.quantiles) == 99


def test_at_least_and_up_to_from_two_sources():
    rows = [claim(1, 10000, "at_least", source="US officials"),
            claim(2, 15000, "up_to", source="analyst", kind="analyst")]
    est = one(rows)
    # "over 10,000" sits at 10,000..15,000 (95%); "up to 15,000" at 3,750..15,000
    assert 3750 < est.p05 < 10000 and 10000 < est.p95 <= 15000 * 1.0001
    w = claim_weights(pd.DataFrame(rows)).set_index("claim_id")
    assert w.loc[1, "share"] == pytest.approx(0.8 / 1.4)  # B grade vs C grade
    assert est.n_sources == 2


def test_ten_copies_of_one_origin_equal_one_claim_exactly():
    single = one([claim(1, 10000, "approx", origin="o1")])
    copies = one([claim(i, 10000, "approx", origin="o1", source=f"outlet {i}")
                  for i in range(1, 11)])
    assert copies.quantiles == single.quantiles
    assert copies.median == single.median and copies.n_sources == 1 and copies.n_claims == 10


def test_contradiction_flagged_with_both_sources():
    rows = [claim(1, 11000, "approx", source="US officials"),
            claim(2, 3000, "approx", source="Russian MoD", kind="military")]
    found = contradictions(pd.DataFrame(rows))
    pair = found[found.kind == "disjoint"].iloc[0]
    assert {pair.source, pair.other_source} == {"US officials", "Russian MoD"}
    agree = [claim(1, 11000, "approx"), claim(2, 11500, "approx", source="ISW")]
    assert contradictions(pd.DataFrame(agree)).empty


def test_outlier_outside_pooled_interval():
    rows = [claim(i, 11000, "approx", source=f"s{i}") for i in range(1, 6)]
    rows.append(claim(9, 100000, "approx", source="blog", kind="blogger"))
    found = contradictions(pd.DataFrame(rows))
    out = found[found.kind == "outside"]
    assert list(out.claim_id) == [9] and "s1" in out.iloc[0].other_source


def test_as_of_and_history():
    rows = [claim(1, 3000, "approx", published="2024-10-10", source="Seoul"),
            claim(2, 10000, "at_least", published="2024-11-05", source="Pentagon"),
            claim(3, 11500, "approx", published="2024-12-20", source="Kyiv")]
    frame = pd.DataFrame(rows)
    early = one(rows, as_of="2024-10-31")
    assert early.median == pytest.approx(3000) and str(early.as_of) == "2024-10-31"
    assert estimate(frame, as_of="2024-01-01") == []
    hist = history(frame)
    assert list(hist.claim_id) == [1, 2, 3] and list(hist.n_claims) == [1, 2, 3]
    assert hist.iloc[-1]["median"] == pytest.approx(one(rows).median)


def test_mapping_merges_locations_and_ignores_location():
    rows = [claim(1, 11000, location="Kursk region"), claim(2, 11000, location="Kursk")]
    assert one(rows).location == "Kursk"
    rec = [claim(1, 30000, measure="recruited", location="Moscow", per="month"),
           claim(2, 25000, measure="recruited", location=None, per="month")]
    est = one(rec)
    assert est.location is None and est.n_sources == 2
    split = KeyMapping({"location": {}}, frozenset())
    assert len(estimate(pd.DataFrame(rows), mapping=split)) == 2


def test_mapping_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "keys.yaml"
    bad.write_text("location: [a, b]\n")
    with pytest.raises(ValueError, match="keys.yaml"):
        load_mapping(bad)


def test_hedged_claim_is_wider_and_lighter():
    sure = one([claim(1, 100000, "up_to")])
    maybe = one([claim(1, 100000, "up_to", modality="possible")])
    assert maybe.p95 - maybe.p05 > sure.p95 - sure.p05


def test_frames_and_ucdp():
    ests = estimate(pd.DataFrame([claim(1, 11000, "approx")]))
    assert to_frame(ests).iloc[0]["median"] == pytest.approx(11000)
    u = to_ucdp(ests).iloc[0]
    assert u.low < u.best < u.high


BOUNDS = st.sampled_from(["exact", "approx", "at_least", "up_to", "range", "vague"])


@st.composite
def claims_st(draw):
    n = draw(st.integers(1, 4))
    rows = []
    for i in range(n):
        bound = draw(BOUNDS)
        v = draw(st.floats(100, 100000))
        w = draw(st.floats(1.1, 5))
        lo, hi = (v, v * w) if bound in ("range", "vague") else (None, None)
        rows.append(claim(i, None if lo else v, bound, lo, hi, source=f"s{i}",
                          kind=draw(st.sampled_from(["government", "analyst", "media", None])),
                          modality=draw(st.sampled_from(["certain", "probable", "possible"])),
                          origin=draw(st.sampled_from([None, "a", "b"]))))
    return rows


@settings(max_examples=40, deadline=None)
@given(claims_st(), st.data())
def test_adding_a_copy_never_changes_the_estimate(rows, data):
    base = one(rows)
    src = rows[data.draw(st.integers(0, len(rows) - 1))]
    origin = src["origin_id"] or f"solo{src['claim_id']}"
    rows2 = [dict(r, origin_id=origin) if r is src else r for r in rows]
    before = one(rows2)
    assert before.quantiles == base.quantiles
    copy = dict(src, claim_id=999, origin_id=origin, source="another outlet", doc_id="copy")
    after = one(rows2 + [copy])
    assert after.quantiles == before.quantiles and after.n_sources == before.n_sources


@settings(max_examples=40, deadline=None)
@given(claims_st(), st.floats(0.01, 0.9))
def test_interval_contains_median(rows, _):
    est = one(rows)
    assert est.p05 <= est.p10 <= est.median <= est.p90 <= est.p95
    xs = [x for _, x in est.quantiles]
    assert xs == sorted(xs)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(1000, 50000), st.floats(1.05, 3)), min_size=1, max_size=4),
       st.integers(0, 3), st.floats(1.0, 50000))
def test_widening_one_claim_never_narrows_the_interval(specs, pick, extra):
    rows = [claim(i, None, "range", v, v * w, source=f"s{i}") for i, (v, w) in enumerate(specs)]
    i = pick % len(rows)
    wide = dict(rows[i], low=max(1.0, rows[i]["low"] - extra / 2))
    wide["high"] = rows[i]["high"] + (rows[i]["low"] - wide["low"])  # same midpoint
    old = one(rows)
    new = one(rows[:i] + [wide] + rows[i + 1:])
    assert new.p95 - new.p05 >= (old.p95 - old.p05) * (1 - 1e-6)


def test_pooled_cdf_equals_the_whole_grid_sum_to_the_bit():
    """Interpolating each component only inside its range gives exactly the sums of one
    interpolation per component over the whole grid (point masses and repeated values too)."""
    import numpy as np

    from orbat.estimate import pool
    from orbat.estimate.distributions import P_GRID, background_quantiles

    def whole_grid(parts, probs):
        grid = np.unique(np.concatenate([xs[pool._SUB] for _, xs in parts]))
        if len(grid) > pool.MAX_GRID:
            grid = grid[np.unique(np.linspace(0, len(grid) - 1, pool.MAX_GRID).round().astype(int))]
        cdf = np.zeros_like(grid)
        for w, xs in parts:
            if xs[-1] - xs[0] <= 0:
                f = (grid >= xs[0]).astype(float)
            elif np.all(xs[1:] > xs[:-1]):
                f = np.interp(grid, xs, P_GRID, left=0.0, right=1.0)
            else:
                uniq, idx = np.unique(xs, return_index=True)
                f = np.interp(grid, uniq, P_GRID[idx], left=0.0, right=1.0)
            cdf += w * f
        return pool._invert(grid, np.maximum.accumulate(cdf), np.asarray(probs, dtype=float))

    rng = np.random.default_rng(3)
    parts = []
    for i in range(80):
        centre = float(rng.uniform(10, 5000))
        xs = centre + centre * 0.2 * (P_GRID - 0.5) * (1 + i % 3)
        if i % 7 == 0:
            xs = np.full_like(P_GRID, centre)  # a point mass
        if i % 11 == 0:
            xs = np.maximum.accumulate(np.round(xs, -2))  # repeated values
        parts.append((float(rng.uniform(0.1, 2)), xs))
        if i % 5 == 0:
            parts.append((0.3, background_quantiles(centre, 10.0)))
    probs = pool.OUT_P + pool.SUMMARY
    assert np.array_equal(pool.pooled_quantiles(parts, probs), whole_grid(parts, probs))


def test_streaming_from_a_ledger_leaves_garbage_collection_as_it_was(tmp_path):
    """Estimating from a ledger freezes old objects out of collection only while it reads."""
    import gc

    from orbat.ledger import Ledger
    from orbat.ledger.synthetic import reports

    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    ledger.ingest(reports(20, seed=1), extract_options={"fast": True})
    assert estimate(ledger) and gc.get_freeze_count() == 0
    ledger.close()
