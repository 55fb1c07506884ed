"""Split a text into sentence spans, keeping abbreviations ("U.S.", "J.D.", "Gen.") inside sentences."""
from __future__ import annotations

import re
from functools import lru_cache

from orbat.types import Span

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace and
# an upper-case letter, digit or opening quote, or at a blank line / line break.
_BOUNDARY = re.compile(r"""(?=[\s"'”’)\]])(?:(?<=[.!?])["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|\n+)""")
_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}[A-Z]?|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Rep|Sen|Gov|Pres|St|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|vs|etc|approx|est|Inc|Corp|Ltd|Co|"
    r"p|pp|para|paras|fig|vol|ch|sec|tel|ext)\.)$"
)

_NEW_SENTENCE = re.compile(r"(?:The|A|An|In|On|But|However|He|She|They|It|This|That|We)\b")


# Results computed once per text are cached for this many texts: the most one extract_many call
# holds at once (the command's batch for one worker of --dask processes, 32 x 8), since every text
# is read by the regex stage first and finished after the whole batch is parsed.
TEXTS_CACHED = 256


@lru_cache(maxsize=TEXTS_CACHED)
def sentence_spans(text: str) -> tuple[Span, ...]:
    """Sentence ``(start, end)`` spans covering the non-blank text, whitespace trimmed."""
    spans: list[Span] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        cut = m.start() if m.group().startswith("\n") else m.end()
        if not m.group().startswith("\n") and _ABBREV.search(text[max(start, cut - 12):cut]):
            # "U.S. officials" / "Gen. Smith": an abbreviation, not a full stop; but "... the U.S. The"
            nxt = text[m.end():m.end() + 40].lstrip()
            if not _NEW_SENTENCE.match(nxt):
                continue
        _push(text, start, cut, spans)
        start = m.end()
    _push(text, start, len(text), spans)
    return tuple(spans)


MAX_SENTENCE = 1_500  # characters: longer runs with no sentence break are cut (see _push)
_SOFT_BREAK = re.compile(r"[;:,)\]]\s+|\s+(?:and|but|while|whereas|as)\s+|\s+")


def _push(text: str, start: int, end: int, spans: list[Span]) -> None:
    """Add the trimmed span; a run longer than MAX_SENTENCE (text with no full stops, a table
    flattened to one line) is cut at the last clause mark or space before the limit, so every
    later pass works on pieces of bounded length and time grows with the text, not its square."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = None
        for m in _SOFT_BREAK.finditer(text, start + MAX_SENTENCE // 2, start + MAX_SENTENCE):
            cut = m
        stop = cut.start() if cut else start + MAX_SENTENCE
        stop = stop + 1 if cut and text[cut.start()] in ";:,)]" else stop
        spans.append((start, stop))
        start = cut.end() if cut else stop
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))
