"""parse_number: digits with separators, scale words and suffixes, number words, fractions."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orbat.extract.numbers import parse_number
from orbat.extract.quantities import find_quantities

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _below_1000(n: int) -> list[str]:
    words: list[str] = []
    if n >= 100:
        words += [_ONES[n // 100], "hundred"]
        n %= 100
        if n:
            words.append("and")
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ONES[n])
    return words


def to_words(n: int) -> str:
    """English words for 0 <= n < 10**12 ("one billion two hundred and five")."""
    if n == 0:
        return "zero"
    parts: list[str] = []
    for scale, name in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"), (1, "")):
        chunk, n = divmod(n, scale)
        if chunk:
            parts += _below_1000(chunk) + ([name] if name else [])
    return " ".join(parts)


def group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@pytest.mark.parametrize("text,value", [
    ("50,000", 50000), ("1.5 million", 1.5e6), ("15k", 15000), ("122 883", 122883),
    ("122\u2009883", 122883), ("ten thousand", 10000), ("four-thousand-100", 4100),
    ("a dozen", 12), ("half", 0.5), ("two-thirds", 2 / 3), ("a third", 1 / 3),
    ("three quarters", 0.75), ("2.5bn", 2.5e9), ("a hundred", 100),
    ("twenty-five thousand", 25000), ("one hundred and twenty", 120),
])
def test_known_values(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "soldiers", "11th", "one-off!", "12abc", "a", "k", "bn"])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=999_999_999_999),
       st.sampled_from([",", "\u2009", "\u202f", " ", "\u00a0", ""]))
def test_digits_with_any_separator_parse_back(n: int, sep: str) -> None:
    assert parse_number(group(n, sep)) == n


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_words_parse_back(n: int) -> None:
    assert parse_number(to_words(n)) == n


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_random_text_never_raises(text: str) -> None:
    for q in find_quantities(text, "random"):
        assert 0 <= q.span[0] < q.span[1] <= len(text)
        assert text[q.span[0]:q.span[1]] == q.text


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(
    ["about", "over", "10,000", "to", "troops", "half", "of", "the", "Kursk", "Russia", "per",
     "month", "-", "$", "%", "between", "and", "2024", "March", "3", "thousands", "a", "dozen",
     "square", "miles", "killed", ",", ".", "one-off", "11th", "1.5", "million", "—"]),
    max_size=40))
def test_number_heavy_text_never_raises(words: list[str]) -> None:
    text = " ".join(words)
    for q in find_quantities(text, "random"):
        assert text[q.span[0]:q.span[1]] == q.text
        assert q.bound in {"exact", "approx", "at_least", "at_most", "up_to", "range", "vague"}
