"""Parse numbers as news writes them: digits with separators, scale words and suffixes, words.

``parse_number`` is pure: "50,000", "122 883", "1.5 million", "15k", "ten thousand",
"four-thousand-100", "a dozen", "half", "two-thirds" -> float; anything else -> None.
The word tables here are English number grammar, not a tunable lexicon.
"""
from __future__ import annotations

import re

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
                "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}

# Digit groups separated by comma, space, no-break or thin spaces: "50,000", "122 883".
_DIGITS = re.compile(r"\d{1,3}(?:(?:,|[ \u00a0\u2009\u202f])\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
_SEP = re.compile(r"[,\u00a0\u2009\u202f\u200b\u2060 ]")
_TOKEN = re.compile(
    r"\d{1,3}(?:(?:,|[ \u00a0\u2009\u202f])\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+|[a-z]+")


def parse_digits(text: str) -> float:
    """Value of one digit group as matched by ``_DIGITS`` ("122 883" -> 122883.0)."""
    return float(_SEP.sub("", text))


def parse_number(text: str) -> float | None:
    """The value of a number written in digits and/or words, or None if it is not one."""
    s = text.strip().lower().replace("\u2011", "-").replace("\u2010", "-")
    if not s:
        return None
    tokens = _TOKEN.findall(s)
    # Everything besides tokens must be separators (spaces, hyphens) so "12abc!" is rejected.
    if re.sub(r"[\s\-]+", "", _TOKEN.sub("", s)):
        return None
    return _words_value(tokens)


def _words_value(tokens: list[str]) -> float | None:
    total = 0.0
    current = 0.0
    seen = False
    for i, tok in enumerate(tokens):
        if tok[0].isdigit() or tok[0] == ".":
            current += parse_digits(tok)
            seen = True
        elif tok in SMALL:
            current += SMALL[tok]
            seen = True
        elif tok == "a" or tok == "an":
            if i + 1 >= len(tokens):
                return None
            current += 1
        elif tok == "and":
            continue
        elif tok == "hundred":
            current = (current or 1) * 100
            seen = True
        elif tok == "dozen":
            current = (current or 1) * 12
            seen = True
        elif tok in SCALES:
            if tok in ("k", "m", "mn", "mln", "bn", "b", "tn") and not seen:
                return None
            total += (current or 1) * SCALES[tok]
            current = 0.0
            seen = True
        elif tok in DENOMINATORS:
            if i != len(tokens) - 1:
                return None
            return total + (current or 1) / DENOMINATORS[tok]
        else:
            return None
    if not seen:
        return None
    return total + current
