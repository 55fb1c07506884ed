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
    return extract_many([(doc, text)], fast=fast, model=model, lexicon=lexicon)[0]


def extract_many(items, fast: bool = False, model: str | None = None, lexicon=None) -> list[list[Claim]]:
    """The claims of each (document id, text) in ``items``, in order, as ``extract`` gives them;
    the sentences of all the texts go through the parser together, in full batches."""
    from orbat.extract.lexicon import Lexicon, active

    lex = lexicon if isinstance(lexicon, Lexicon) or lexicon is None else Lexicon.load(lexicon)
    with active(lex):
        read = [_read(text, doc, fast) for doc, text in items]
        docs = [None] * len(read)
        if not fast:
            from orbat.extract.syntax import parse_many

            docs = parse_many([(r.read, r.spans) for r in read], model)
        return [_finish(r, d, fast, model) for r, d in zip(read, docs)]


_GENERIC_TAILS = frozenset({"gang", "group", "militia", "rebels", "fighters"})


def name_as_written(quantities: list, text: str, gaz, mentions: list) -> list:
    """Armed groups and institutions are named as the report names them most fully ("Tehreek-e-
    Taliban Pakistan", not the gazetteer's spelling; "RSF" where the report says only that);
    states keep their canonical name (the conventions). The estimate stage merges the aliases.
    ``mentions`` are the gazetteer's mentions in ``text``."""
    if not any(q.actor is not None and q.actor not in gaz.places for q in quantities):
        return quantities  # only states named: nothing to rename
    names: dict[str, str] = {}
    for m in mentions:
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


def places_as_written(quantities: list, text: str, gaz, mentions: list) -> list:
    """A place is named as the report spells it ("Mekelle", "Tillabéri" where the gazetteer's
    canonical names are "Mekele" and "Tillaberi"; "Mopti region" is "Mopti"). The estimate
    stage maps every spelling back to one key. ``mentions`` are the gazetteer's mentions in ``text``."""
    written: dict[str, str] = {}
    for m in mentions:
        if m.kind != "place" or m.name in written:
            continue
        w = _PLACE_TAIL.sub("", text[m.start:m.end])
        if w != m.name and gaz.places.get(w) == m.name and (_respelt(w, m.name) or _GEO_TAIL.sub("", m.name) == w):
            written[m.name] = w  # "Mekelle" for "Mekele"; "the Litani" for "Litani River"
    if not written:
        return quantities
    return [dataclasses.replace(q, location=written[q.location]) if q.location in written else q
            for q in quantities]


def _respelt(written: str, name: str) -> bool:
    """Another spelling of the same name ("Mekelle"/"Mekele", "al-Mawasi"/"Mawasi"), not a wider
    or narrower name ("southern Lebanon", "Karabakh", "Jabalia camp")."""
    from difflib import SequenceMatcher

    a, b = _ARTICLE.sub("", written).lower(), _ARTICLE.sub("", name).lower()
    return len(a.split()) == len(b.split()) and SequenceMatcher(None, a, b).ratio() >= 0.75


_ARTICLE = re.compile(r"^(?:al|el|ad|as|ash|an|ar|at|az)[-\s]", re.I)
_GEO_TAIL = re.compile(r"\s+(?:River|Valley|Desert|Mountains|Hills|Plain|Plateau)$")
_PLACE_TAIL = re.compile(r"\s+(?:region|province|oblast|district|governorate|county|zone|area|department|"
                         r"prefecture|raion|rayon|municipality|territory)$")


@dataclasses.dataclass
class _Read:
    """One text after the regex stage: what the parse and the field rules start from."""

    text: str
    read: str  # the text with odd letters and full-width digits read as ASCII (same offsets)
    doc: str
    statements: list
    found: list
    spans: list  # the sentences to parse


def _read(text: str, doc: str, fast: bool) -> _Read:
    from orbat.extract.quantities import find_quantities
    from orbat.extract.statements import find_statements

    read = text.translate(_ODD_CASES) if not text.isascii() and _ODD_RE.search(text) else text
    statements = find_statements(read, doc)
    found = find_quantities(read, doc)
    return _Read(text, read, doc, statements, found, [] if fast else _to_parse(read, found, statements))


def _to_parse(read: str, found: list, statements: list) -> list:
    """The sentences the parse can change: those holding a quantity (the field rules), those
    with a statement the regex gave no source, and those with a reporting verb no regex
    statement has taken (``more_statements``)."""
    from orbat.extract.cues import load_cues
    from bisect import bisect_left

    from orbat.extract.sentences import sentence_spans
    from orbat.extract.syntax import _Spans, statement_hint_re

    spans = {q.sentence_span for q in found if q.sentence_span}
    unsourced = sorted(st.cue_span[0] for st in statements if st.source is None)
    taken = _Spans([st.cue_span for st in statements])
    hint = statement_hint_re(load_cues())
    for s in sentence_spans(read):
        if s in spans:
            continue
        k = bisect_left(unsourced, s[0])
        if k < len(unsourced) and unsourced[k] < s[1]:
            spans.add(s)  # a statement with no source yet: the parse may find its subject
            continue
        for m in hint.finditer(read, *s):
            if not taken.overlaps(*m.span()):
                spans.add(s)
                break
    return sorted(spans)


def _finish(r: _Read, docs: dict | None, fast: bool, model: str | None) -> list[Claim]:
    from orbat.extract.gazetteer import load_gazetteer
    from orbat.extract.quantities import lexicon
    from orbat.extract.statements import attribute, relayed_by_outlets, speak_for_interviewee

    read, statements = r.read, r.statements
    if not fast:
        from orbat.extract.cues import load_cues
        from orbat.extract.syntax import more_statements, sources_from_the_parse

        statements = sorted(sources_from_the_parse(statements, docs) +
                            more_statements(read, r.doc, docs, statements, load_cues()),
                            key=lambda st: st.span[0])
    statements = relayed_by_outlets(read, speak_for_interviewee(read, statements))
    quantities = attribute(r.found, statements, read)
    gaz = load_gazetteer()
    if not fast:  # after attribution: whose "enemy" it is depends on who speaks
        from orbat.extract.syntax import revise
        quantities = revise(quantities, read, gaz, lexicon(), model, docs=docs)
    mentions = gaz.mentions(read, whole=True)  # the names the quantities' sentences were read for
    quantities = name_as_written(quantities, read, gaz, mentions)
    quantities = places_as_written(quantities, r.text, gaz,
                                   mentions if read is r.text else gaz.mentions(r.text, whole=True))
    claims = sorted([*quantities, *statements], key=lambda c: (c.span[0], c.kind))
    if read is not r.text:  # quote the text as given
        claims = [dataclasses.replace(c, text=r.text[c.span[0]:c.span[1]]) for c in claims]
    return claims
