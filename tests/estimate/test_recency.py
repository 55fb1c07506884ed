"""Recency weighting: hand-computed weights and medians, copies, undated claims, history,
configuration errors, and properties that hold for any two origins."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats

from orbat.estimate import (claim_weights, estimate, history, load_reliability, to_frame,
                            with_half_life)
from tests.estimate.test_estimate import claim, one

OLD, NEW = "2024-09-01", "2024-10-31"  # 60 days apart


def rel(days=None):
    return with_half_life(load_reliability(), days)


def shares(rows, **kw):
    return claim_weights(pd.DataFrame(rows), **kw).set_index("claim_id")


def two_exact():
    return [claim(1, 10000, "exact", published=OLD, source="a"),
            claim(2, 20000, "exact", published=NEW, source="b")]


def test_half_life_60_weights_one_and_a_half_and_the_median_hand_computed():
    rows = two_exact()
    w = shares(rows, as_of=NEW, reliability=rel(60))
    assert list(w["age_days"]) == [60, 0] and list(w["recency"]) == [0.5, 1.0]
    assert w.loc[1, "share"] == pytest.approx(1 / 3) and w.loc[2, "share"] == pytest.approx(2 / 3)
    est = one(rows, as_of=NEW, reliability=rel(60))
    # N(10000, 500) ends (p=0.9999) at 11,860, N(20000, 1000) starts at 16,281, so at the median
    # F = 1/3 * 1 + 2/3 * F_B(m) = 1/2  =>  F_B(m) = 1/4  =>  m = 20000 + 1000 * z(0.25) = 19,325.5
    assert est.median == pytest.approx(20000 + 1000 * stats.norm.ppf(0.25), abs=0.01)
    assert est.median == pytest.approx(19325.5, abs=0.1)
    # and the 25th percentile falls in the old claim: 1/3 * F_A(x) = 1/4 => F_A(x) = 3/4
    assert dict(est.quantiles)[0.25] == pytest.approx(10000 + 500 * stats.norm.ppf(0.75), abs=0.01)


def test_no_half_life_leaves_weights_and_estimate_unchanged():
    rows = two_exact()
    w = shares(rows, as_of=NEW)
    assert list(w["recency"]) == [1.0, 1.0] and w["half_life_days"].isna().all()
    assert list(w["share"]) == [0.5, 0.5]
    plain = one(rows)
    assert dict(plain.quantiles)[0.25] == pytest.approx(10000)  # equal weights: A's median
    assert dict(plain.quantiles)[0.75] == pytest.approx(20000)  # and B's
    other = load_reliability()
    other = type(other)(**{**other.__dict__, "half_life_days": {"territory_held": 30.0}})
    assert one(rows, reliability=other).quantiles == plain.quantiles  # another measure's
    assert to_frame([plain], other).iloc[0]["half_life_days"] is None


def test_a_later_as_of_ages_every_origin_alike_and_changes_nothing():
    rows = two_exact()
    later = "2025-01-29"  # 90 days after NEW
    w = shares(rows, as_of=later, reliability=rel(60))
    assert list(w["recency"]) == pytest.approx([0.5 ** 2.5, 0.5 ** 1.5])
    assert w.loc[1, "share"] == pytest.approx(1 / 3)
    assert (one(rows, as_of=later, reliability=rel(60)).quantiles
            == one(rows, as_of=NEW, reliability=rel(60)).quantiles)


def test_copies_count_once_and_a_late_copy_does_not_refresh_its_origin():
    rows = [claim(1, 10000, "exact", published=OLD, origin="o1", source="a"),
            claim(3, 10000, "exact", published=NEW, origin="o1", source="copy of a"),
            claim(2, 20000, "exact", published=NEW, source="b")]
    w = shares(rows, reliability=rel(60))
    assert w.loc[1, "recency"] == w.loc[3, "recency"] == 0.5  # the origin's date: earliest copy
    assert (w.loc[1, "share"], w.loc[3, "share"]) == (pytest.approx(1 / 3), 0.0)
    est = one(rows, reliability=rel(60))
    assert est.quantiles == one(two_exact(), reliability=rel(60)).quantiles
    assert est.n_sources == 2 and est.n_claims == 3


def test_an_undated_claim_counts_as_old_as_the_oldest_dated_one():
    rows = two_exact() + [claim(3, 15000, "exact", published=None, source="c")]
    w = shares(rows, reliability=rel(60))
    assert list(w.loc[[1, 2, 3], "recency"]) == [0.5, 1.0, 0.5]
    assert list(shares([dict(r, published=None) for r in rows], reliability=rel(60))["recency"]) == [1, 1, 1]


def test_history_weights_each_row_as_of_its_date():
    rows = [claim(1, 3000, "approx", published="2024-10-10", source="Seoul"),
            claim(2, 10000, "at_least", published="2024-11-05", source="Pentagon"),
            claim(3, 11500, "approx", published="2024-12-20", source="Kyiv")]
    hist = history(pd.DataFrame(rows), reliability=rel(30))
    assert list(hist["half_life_days"]) == [30.0] * 3
    for row in hist.itertuples():
        assert row.median == one(rows, as_of=row.date, reliability=rel(30)).median
    assert hist.iloc[-1]["median"] > history(pd.DataFrame(rows)).iloc[-1]["median"]


def test_reliability_yaml_half_lives_and_errors_name_the_file(tmp_path):
    base = (tmp_path / "ok.yaml")
    from importlib import resources
    text = (resources.files("orbat") / "resources" / "reliability.yaml").read_text()
    text = text.replace("half_life_days: {}", "half_life_days: {deployed: 60, territory_held: null}")
    base.write_text(text)
    loaded = load_reliability(base)
    assert loaded.half_life_days == {"deployed": 60.0, "territory_held": None}
    assert one(two_exact(), reliability=loaded).quantiles == one(two_exact(), reliability=rel(60)).quantiles
    for bad in ("0", "-5", "sixty", "true", "[60]", ".nan"):
        path = tmp_path / "bad.yaml"
        path.write_text(text.replace("deployed: 60", f"deployed: {bad}"))
        with pytest.raises(ValueError, match=r"bad.yaml: half_life_days.deployed: must be a positive"):
            load_reliability(path)
    path.write_text(text.replace("half_life_days: {deployed: 60, territory_held: null}",
                                 "half_life_days: [60]"))
    with pytest.raises(ValueError, match="bad.yaml: 'half_life_days' must map"):
        load_reliability(path)


def test_same_day_origins_are_not_reweighted():
    rows = [claim(1, 10000, "approx", source="a"), claim(2, 14000, "range", 12000, 16000, source="b")]
    assert one(rows, reliability=rel(5)).quantiles == one(rows).quantiles


BOUNDS = st.sampled_from(["exact", "approx", "at_least", "up_to", "range", "vague"])


@st.composite
def dated_claim(draw, cid, published):
    bound = draw(BOUNDS)
    v = draw(st.floats(100, 100000))
    w = draw(st.floats(1.1, 5))
    lo, hi = (v, v * w) if bound in ("range", "vague") else (None, None)
    return claim(cid, None if lo else v, bound, lo, hi, source=f"s{cid}", published=published,
                 kind=draw(st.sampled_from(["government", "analyst", None])),
                 modality=draw(st.sampled_from(["certain", "probable", "possible"])))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 400), st.data(), st.floats(1, 1000), st.floats(1, 1000))
def test_two_origins_a_longer_half_life_stays_closer_to_equal_weights(gap, data, h1, h2):
    """With two origins the pool is a F_old + (1 - a) F_new, whose median moves monotonically
    with a; decay only lowers a, and less so the longer the half-life. So the median lies
    between the equal-weights one and the newer origin's own, nearer the former for larger h."""
    short, long_ = sorted((h1, h2))
    new = (pd.Timestamp(OLD) + pd.Timedelta(days=gap)).date().isoformat()
    rows = [data.draw(dated_claim(1, OLD)), data.draw(dated_claim(2, new))]
    m0 = one(rows).median
    m_new = one(rows[1:]).median
    m_short, m_long = (one(rows, reliability=rel(h)).median for h in (short, long_))
    tol = 1e-6 * max(abs(m0), abs(m_new))
    assert abs(m_long - m0) <= abs(m_short - m0) + tol
    for m in (m_short, m_long):
        assert min(m0, m_new) - 1e-3 * abs(m_new) <= m <= max(m0, m_new) + 1e-3 * abs(m_new)
