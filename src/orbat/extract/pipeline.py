"""Run the extractors over one text and attach each quantity to the statement that asserts it."""
from __future__ import annotations

import dataclasses
import re

from orbat.types import Claim

# Letters that re.IGNORECASE matches to ASCII ones but str.lower() keeps apart (dotted and
# dotless i, the long s, the Kelvin sign): the caseless patterns would match "troopſ" and the
# lower-cased lexicon lookups would then miss it. They are read as their ASCII letters, one
# character for one, so every offset still indexes the text as given.
_ODD_CASES = str.maketrans({"\u0130": "I", "\u0131": "i", "\u017f": "s", "\u212a": "K"})
_ODD_RE = re.compile("[\u0130\u0131\u017f\u212a]")


def extract(text: str, doc: str = "doc") -> list[Claim]:
    """All quantities and statements in ``text``, ordered by offset; offsets index ``text`` as given."""
    from orbat.extract.quantities import find_quantities
    from orbat.extract.statements import attribute, find_statements

    read = text.translate(_ODD_CASES) if not text.isascii() and _ODD_RE.search(text) else text
    statements = find_statements(read, doc)
    quantities = attribute(find_quantities(read, doc), statements, read)
    claims = sorted([*quantities, *statements], key=lambda c: (c.span[0], c.kind))
    if read is not text:  # quote the text as given
        claims = [dataclasses.replace(c, text=text[c.span[0]:c.span[1]]) for c in claims]
    return claims
