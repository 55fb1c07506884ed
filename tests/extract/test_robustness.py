"""Property tests: extract() never raises on arbitrary text, and its spans point into that text."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orbat.extract import extract

PIECES = st.sampled_from([
    "1", "10", "1,000", "50,000", "3.5", "½", "-", "–", "—", "to", "about", "around", "over",
    "up to", "between", "and", "dozens", "hundreds", "thousands of", "tens of", "one", "two",
    "eleven", "twenty-five", "half", "a third", "million", "billion", "%", "percent", "km",
    "square kilometres", "troops", "soldiers", "per month", "a day", "said", "according to",
    "Russia", "North Korea", "Kursk", "officials", "not", "\"", "'", "“", "”", "’", "(", ")",
    ",", ".", ";", ":", "?", "!", "\n", "\n\n", "\t", " ", "  ", "$", "U.S.", "No.", "11th",
    "2024", "10:30", "\u00a0", "\u200b", "é", "中文", "🙂",
])
MIXED = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=60).map(" ".join)
SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    claims = extract(text, doc="prop")
    for claim in claims:
        start, end = claim.span
        assert 0 <= start <= end <= len(text), (claim, text)
        assert claim.doc == "prop"
        if claim.kind == "quantity":
            assert text[start:end] == claim.text, (claim, text)
        else:
            c0, c1 = claim.cue_span
            assert 0 <= c0 <= c1 <= len(text)


@SETTINGS
@given(st.text())
def test_arbitrary_unicode_never_raises(text):
    _check(text)


@SETTINGS
@given(MIXED)
def test_number_soup_never_raises(text):
    _check(text)
