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


ODD_CASES = {"s": "\u017f", "i": "\u0131", "I": "\u0130", "k": "\u212a"}  # re.IGNORECASE folds


@given(st.sampled_from([
    "Russia lost 300 square kilometres in a month, officials said.",
    "About 5,000 troops and 40 tanks were destroyed, U.S. officials said.",
    "Some 2 million people fled, the UN said, adding that thousands more may follow.",
    "Up to 15,000 soldiers a month could be sent, Kyiv reportedly says.",
]), st.lists(st.booleans(), min_size=80, max_size=80))
@SETTINGS
def test_letters_that_only_fold_to_ascii_never_break_lexicon_lookups(sentence, flips):
    """The long s, dotless and dotted i and the Kelvin sign match ASCII letters under
    re.IGNORECASE, so a caseless regex can match a word a plain lower() lookup would miss."""
    text = "".join(ODD_CASES.get(c, c) if flip else c for c, flip in zip(sentence, flips + [
        False] * len(sentence)))
    _check(text)


def test_text_without_sentence_breaks_is_cut_into_bounded_pieces():
    """A 200 KB run with no full stop becomes pieces of at most MAX_SENTENCE characters, cut at
    spaces or clause marks, so later passes stay linear in the length of the text."""
    from orbat.extract.sentences import MAX_SENTENCE, sentence_spans

    text = " ".join(["the army said 1,200 troops were sent to Kursk, officials reported"] * 3000)
    spans = sentence_spans(text)
    assert max(b - a for a, b in spans) <= MAX_SENTENCE
    assert all(a < b for a, b in spans) and all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")
    from orbat.extract import extract
    assert sum(c.kind == "quantity" for c in extract(text[:20_000], fast=True)) > 100
