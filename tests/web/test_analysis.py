"""The estimate page shows what the estimate stage computes (one key, all its figures)."""
from __future__ import annotations

import math

import pytest

from orbat.estimate import claim_weights, contradictions, estimate, history
from orbat.estimate.keys import key_mask, load_mapping, with_keys
from orbat.ledger import Ledger
from orbat.web import analysis

KEY = {"actor": "North Korea", "measure": "deployed", "location": "Kursk", "per": None,
       "unit": "personnel"}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    from tests.web.conftest import demo_ledger

    ledger = Ledger(demo_ledger(tmp_path_factory.mktemp("an") / "ledger.db"))
    yield ledger
    ledger.close()


def _stage_claims(ledger):
    claims = ledger.quantities()
    mapping = load_mapping()
    return claims[key_mask(with_keys(claims, mapping), KEY, mapping)]


@pytest.mark.parametrize("as_of", [None, "2024-12-01"])
def test_the_page_figures_are_the_estimate_stage_figures(book, as_of, monkeypatch):
    from datetime import date
    cutoff = date.fromisoformat(as_of) if as_of else None
    claims = _stage_claims(book)
    want = estimate(claims, as_of=cutoff)[0]
    index = analysis.KeyIndex(book.engine)
    view = analysis.estimate_view(book.engine, index, dict(KEY), cutoff)
    got = view.estimate
    for f in ("median", "p05", "p10", "p90", "p95", "n_claims", "n_sources"):
        assert math.isclose(getattr(got, f), getattr(want, f), rel_tol=1e-12), f
    hist = history(claims, as_of=cutoff)
    assert [h["median"] for h in view.history[:-1]] == pytest.approx(list(hist["median"]))
    weights = claim_weights(claims, as_of=cutoff)
    assert sum(o["share"] for o in view.origins) == pytest.approx(1.0)
    by_origin = weights.groupby("origin")["share"].sum().to_dict()
    assert {o["origin"]: o["share"] for o in view.origins} == pytest.approx(by_origin)
    assert len(view.contradictions) == len(contradictions(claims, as_of=cutoff))


def test_big_keys_are_pooled_at_a_few_dates(book, monkeypatch):
    monkeypatch.setattr(analysis, "HISTORY_EXACT", 1)
    monkeypatch.setattr(analysis, "HISTORY_POINTS", 2)
    index = analysis.KeyIndex(book.engine)
    view = analysis.estimate_view(book.engine, index, dict(KEY))
    assert not view.history_exact and 2 <= len(view.history) <= 4
    assert view.history[-2]["median"] == pytest.approx(view.estimate.median)


def test_a_reference_without_location_pools_every_location_like_the_simulation(book):
    from orbat.estimate import estimate_for

    want = estimate_for(book, actor="North Korea", measure="deployed")
    index = analysis.KeyIndex(book.engine)
    view = analysis.estimate_view(book.engine, index, {"actor": "North Korea",
                                                       "measure": "deployed", "per": None})
    assert view.estimate.median == pytest.approx(want.median)
    assert view.estimate.n_claims == want.n_claims


def test_the_view_cache_sees_new_documents(book):
    from orbat.types import Document

    index = analysis.KeyIndex(book.engine)
    cache = analysis.ViewCache(book.engine, index)
    first = cache.get(dict(KEY), None)
    assert cache.get(dict(KEY), None) is first
    book.ingest([Document(id="n", text="U.S. officials said 30,000 North Korean troops were deployed in Kursk.\n",
                          published=__import__("datetime").date(2025, 1, 2))])
    again = cache.get(dict(KEY), None)
    assert again is not first and again.n_claims == first.n_claims + 1


def test_highlight_segments_cover_the_text_exactly():
    from orbat.web.highlight import segments

    text = "Officials said about 3,000 troops left."
    qs = [{"claim_id": "q", "span_start": 15, "span_end": 26}]
    ss = [{"claim_id": "s", "span_start": 0, "span_end": 39, "cue_start": 10, "cue_end": 14}]
    segs = segments(text, qs, ss)
    assert "".join(s.text for s in segs) == text
    assert [s.text for s in segs if s.quantities] == ["about 3,000"]
    assert [s.text for s in segs if s.cue] == ["said"]
    assert all(s.claim == "s" for s in segs if not s.quantities and s.text.strip())
