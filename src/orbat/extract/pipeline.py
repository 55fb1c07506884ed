"""Run the extractors over one text and attach each quantity to the statement that asserts it."""
from __future__ import annotations

import dataclasses
import re

from orbat.types import Claim

# Letters that re.IGNORECASE matches to ASCII ones but str.lower() keeps apart (dotted and
# dotless i, the long s, the Kelvin sign), and full-width digits: the caseless patterns would match "troopſ" and the
# lower-cased lexicon lookups would then miss it. They are read as their ASCII letters, one
# character for one, so every offset still indexes the text as given.
_ODD_CASES = str.maketrans({"\u0130": "I", "\u0131": "i", "\u017f": "s", "\u212a": "K",
                            # full-width digits and separators ("１２，０００") read as ASCII ones
                            **{chr(0xFF10 + d): str(d) for d in range(10)}, "\uff0c": ",", "\uff0e": "."})
_ODD_RE = re.compile("[\u0130\u0131\u017f\u212a\uff0c\uff0e\uff10-\uff19]")


def extract(text: str, doc: str = "doc", fast: bool = False, model: str | None = None,
            lexicon=None) -> list[Claim]:
    """All quantities and statements in ``text``, ordered by offset; offsets index ``text`` as given.

    By default the sentences holding a quantity are parsed with spaCy (``model``, or
    ``ORBAT_MODEL``) and the fields are read from the parse (``orbat.extract.syntax``);
    ``fast=True`` keeps the regex reading alone, with no parse, for bulk triage. ``lexicon``
    (an ``orbat.extract.lexicon.Lexicon`` or a folder) replaces or extends the bundled word lists."""
    from orbat.extract.lexicon import Lexicon, active

    lex = lexicon if isinstance(lexicon, Lexicon) or lexicon is None else Lexicon.load(lexicon)
    with active(lex):
        return _extract(text, doc, fast, model)


_GENERIC_TAILS = frozenset({"gang", "group", "militia", "rebels", "fighters"})


def name_as_written(quantities: list, text: str, gaz) -> list:
    """Armed groups and institutions are named as the report names them most fully ("Tehreek-e-
    Taliban Pakistan", not the gazetteer's spelling; "RSF" where the report says only that);
    states keep their canonical name (the conventions). The estimate stage merges the aliases."""
    names: dict[str, str] = {}
    for m in gaz.mentions(text):
        if m.kind == "actor" and m.name not in gaz.places:
            written = text[m.start:m.end]
            if written.rsplit(" ", 1)[-1].lower() in _GENERIC_TAILS and " " in written:
                continue  # "400 Mawozo gang": the name is "400 Mawozo"
            if " " not in written and not written.isupper():
                continue  # a one-word form ("Houthi", "Freedonian") may be a demonym: not a name
            if len(written) > len(names.get(m.name, "")):
                names[m.name] = written
    if not names:
        return quantities
    return [dataclasses.replace(q, actor=names[q.actor]) if q.actor in names else q for q in quantities]


def _extract(text: str, doc: str, fast: bool, model: str | None) -> list[Claim]:
    from orbat.extract.gazetteer import load_gazetteer
    from orbat.extract.quantities import find_quantities, lexicon
    from orbat.extract.statements import attribute, find_statements, relayed_by_outlets, speak_for_interviewee

    read = text.translate(_ODD_CASES) if not text.isascii() and _ODD_RE.search(text) else text
    statements = find_statements(read, doc)
    found = find_quantities(read, doc)
    docs = None
    if not fast:  # parse the sentences that hold a quantity or a reporting cue, once
        from orbat.extract.cues import load_cues
        from orbat.extract.sentences import sentence_spans
        from orbat.extract.syntax import more_statements, parse

        cues = load_cues()
        spans = {q.sentence_span for q in found if q.sentence_span}
        spans |= {s for s in sentence_spans(read) if cues.any_re.search(read, *s)}
        docs = parse(read, spans, model)
        statements = sorted(statements + more_statements(read, doc, docs, statements, cues),
                            key=lambda st: st.span[0])
    statements = relayed_by_outlets(read, speak_for_interviewee(read, statements))
    quantities = attribute(found, statements, read)
    if not fast:  # after attribution: whose "enemy" it is depends on who speaks
        from orbat.extract.syntax import revise
        quantities = revise(quantities, read, load_gazetteer(), lexicon(), model, docs=docs)
    quantities = name_as_written(quantities, read, load_gazetteer())
    claims = sorted([*quantities, *statements], key=lambda c: (c.span[0], c.kind))
    if read is not text:  # quote the text as given
        claims = [dataclasses.replace(c, text=text[c.span[0]:c.span[1]]) for c in claims]
    return claims
