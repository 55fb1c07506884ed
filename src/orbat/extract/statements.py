"""Attributed statements ("X said", "according to X", "is believed to") and who asserts each quantity.

Rules work sentence by sentence on regex hits of the YAML lexicon (``resources/cues.yaml``): a
reporting cue, its source noun phrase to the left ("U.S. officials said") or right ("according
to X", "said X"), negation ("have not confirmed"), relays ("cited by Y"), and the hedges in the
asserted clause. Pronouns and "these officials" refer back to the last fitting source. Only
sentences holding a cue get more than one regex scan, which keeps the extractor fast.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from operator import attrgetter

from orbat.extract.cues import Cues, load_cues
from orbat.extract.gazetteer import load_gazetteer
from orbat.extract.sentences import TEXTS_CACHED, sentence_spans
from orbat.types import Quantity, Span, Statement

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z][a-z]{0,3}\.(?=\s+[A-Z])|[A-Za-z][\w'’\-]*|\d+(?:st|nd|rd|th)\b|\d[\d,.]*\d|\S")
_CLAUSE_BREAK = re.compile(r"(?=[;,\s])(?:;|,?\s+(?:though|although|while|whereas|but)\b|,\s+(?:and|however)\b|"
                           r",\s+(?:up|down)\s+from\b)")
_RELATIVE = re.compile(r"(?:\b(?:who|which|whom)|,\s+(?:a|an|the)\s+[\w\-]+\s+(?:that|which))\s+"
                       r"(?:(?:are|is|was|were|have|has|had|been|be)\s+)*$", re.I)
_CONNECTORS = {"and", "&", "of", "for", "the", "at", "in"}
_POST_LEAD = re.compile(r"""[,”"’'—–-]\s*$""")
_NOT_A_VERB = re.compile(r"\s+tanks?\b|-tanks?\b")  # "a Washington think tank"
def reports_a_figure(word: str, text: str, end: int) -> bool:
    """False for a "put" that does not put a figure ("put the group's strength at 2,000" is a
    report, "put the bag down" is not); True for every other word."""
    return word not in _PUT or bool(_PUT_AT.match(text, end))


_PUT = frozenset({"put", "puts", "putting"})
_PUT_AT = re.compile(r"\s+[^.;:!?]{0,60}?(?:\bat\s+[^.;:!?]{0,30}?(?:[\d$€£]|\b(?:several|dozens|hundreds|thousands|tens|"
                     r"a\s+few|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|"
                     r"fifty|a\s+hundred|a\s+thousand|a\s+third|half|a\s+quarter)\b)|\b(?:higher|lower|"
                     r"as\s+(?:high|low|many|much|few)\s+as|closer\s+to|nearer)\b)", re.I)
_SENTENCE_END = re.compile(r"\s*[.!?]?\s*$")
_CLOSING_LEAD = re.compile(r"(?:[,”\"’—–;:]|\bas)\s*$", re.IGNORECASE)


def _closing_source(left: str, lex: Cues) -> bool:
    """Whether ``left`` ends with a source that closes its sentence ("..., the ministry
    estimates.", "as Reuters reports."): a source phrase right after a comma, quote or "as"."""
    np = _np_left(left.rstrip(), lex)
    return bool(np) and bool(_CLOSING_LEAD.search(left, max(0, np[1] - 10), np[1]))
_DISMISS_HINT = re.compile(r"call|brand|label|dismiss")
_AUX_END = re.compile(r"\s+(?:has|have|had|repeatedly|also|previously|since)(?:\s+(?:repeatedly|also|previously))?\s*$")
_BY_AGENT = re.compile(r"\s*(?:the\s+|an?\s+)?((?:[\w\-]+\s+){0,3}?[\w\-]+)\s+(?:(?:shared|published|released|"
                       r"compiled|issued|provided|collected|gathered|cited)\s+)?(?:by|from)\s+", re.I)
_SAY_LIKE = {"said", "says", "say", "added", "adds", "wrote", "writes", "stated", "states", "noted",
             "notes", "warned", "warns", "claimed", "claims", "explained", "insisted",
             "stressed", "reported", "reports", "confirmed", "announced", "acknowledged"}

_ESTIMATE = re.compile(r"\bestimat|\bprojection", re.I)
_COMMA_LEAD = re.compile(r"\s*,")
_SPACES = re.compile(r"\s+")
_DECLINED = re.compile(r"(?=[dr])\b(?:declined|refused)\s+to\s*$", re.I)
_TO_END = re.compile(r"(?=t)\bto\s*$", re.I)
_NOT_ONLY = re.compile(r"(?=n)\bnot only\b", re.I)
_TO_TAIL = re.compile(r"to\Z", re.I)
_AND_TAIL = re.compile(r"(?:and|but)\Z")
_AND_END = re.compile(r"(?=[ab])\b(?:and|but)\s*$")
_ACRONYM_END = re.compile(r"\s*\([A-Z][A-Za-z.&\-]{1,9}\)\s*$")
_POSSESSIVE_BEFORE = re.compile(r"\b(?:our|their|its|his|her|my|your)\s+(?:[\w.\-]+\s+){0,2}$", re.I)
_PREPOSITION_BEFORE = re.compile(r"\b(?:on|of|from|with|about|upon)\s+(?:[\w.\-]+\s+){0,2}$")
_NOUN_AFTER = re.compile(r"\s*(?:[.,;:]|of\b)")
_RELAY_BEFORE = re.compile(r",?\s+(?:cited|quoted|as\s+reported)\s+by\s+$", re.I)
_TAIL = r"\s+(?:familiar\s+with|close\s+to|briefed\s+on|with\s+(?:direct\s+)?knowledge\s+of)\s+(?:the\s+|its\s+|their\s+)?[\w\-]+"
_NP_TAIL = re.compile(_TAIL, re.I)
_TAIL_HINT = re.compile(r"familiar|close\s+to|briefed|knowledge")
_NP_TAIL_END = re.compile(_TAIL + r"\s*$", re.I)
# "a drone operator near Sudzha said", "a coordinator based in Kaya said": where the source
# stands is not the source
_PLACE_TAIL = re.compile(r"\s+(?:(?:based|stationed|deployed|serving|fighting|speaking)\s+)?(?:(?:in|near|outside|at)"
                         r"\s+(?:the\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,2}|on\s+the\s+[A-Z][\w'’\-]*"
                         r"(?:\s+[A-Z][\w'’\-]*){0,2}\s+(?:front|frontline|front\s+line|border|axis|sector|direction))\s*$")
_CAP_RUN = re.compile(r"[A-Z][\w'’.&\-]*(?:\s+(?:(?:of|for|the|and|on|de|du|des)\s+)*[A-Z][\w'’.&\-]*)*")
_COMMA_END = re.compile(r",\s*$")
_SENTENCE_BREAK = re.compile(r"(?<=[a-z])\.\s")
_QUOTE = re.compile(r"[“”\"]")
_PRE_POST = re.compile(r"[,”\"’—–;:-]")
_INNER_LEAD = re.compile(r"[\w“\"]")
_POSS_END = re.compile(r"['’]s$")
_INTRO = re.compile(r"\s*(?:[A-Z]\w*(?:\s+\w+){0,3},\s*)?")
_PARTICIPLE_INTRO = re.compile(r"\s*(?:Asked|Speaking|Responding|Writing|Questioned|Pressed|Reached|Contacted|"
                               r"Interviewed|Addressing)\b[^,]{0,200},\s*")
_NOT_NEXT = re.compile(r"\s+not\b")
_ASIDE_END = re.compile(r"[,—–(]\s*$")
_HEDGE_BEFORE = re.compile(r"\b(\w+)\s+"
                           r"(?:(?:up\s+to|as\s+many\s+as|as\s+much\s+as|around|about|some|over|more\s+than)\s+)?$")


@dataclass(frozen=True)
class _Source:
    """A resolved source phrase and what kind of referent it is (for later pronouns)."""

    text: str | None
    head: str | None
    person: bool
    plural: bool
    via: str | None = None  # known only through a relay ("officials cited by Reuters")
    at: int = -1  # where the phrase stands in the document
    owner: str | None = None  # "the agency's spokesperson": the organisation named for "agency"


class _History(list):
    """The sources named so far (for pronouns and "the agency"), plus the document text so a
    generic noun can also reach organisations named outside any attribution."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text
        self.at = 0  # where the sentence being read starts
        self._orgs: list[tuple[int, str]] | None = None
        self._groups: list[tuple[int, str]] | None = None
        self._names: dict | None = None

    def orgs(self, lex: Cues) -> list[tuple[int, str]]:
        """(offset, name) of capitalised names holding an organisation word ("World Food
        Programme"), found once per document and only when a generic noun needs them."""
        if self._orgs is None:
            self._orgs = []
            for m in _CAP_RUN.finditer(self.text):
                run = _SENTENCE_BREAK.split(m.group())[0].rstrip(".")  # "Service. The" ends at the full stop
                words = run.split()
                while words and words[0].lower() in lex.determiners:
                    words.pop(0)
                if words and any(w.lower() in lex.organisation_words for w in words) and \
                        self.text[m.start() - 1:m.start()] != "(":  # "(OCHA)" repeats the name before
                    self._orgs.append((m.start() + len(run) - len(" ".join(words)), " ".join(words)))
        return self._orgs

    def names_with(self, word: str) -> list[tuple[int, list[str], int]]:
        """(offset, words, position of ``word``) of every capitalised name run holding ``word``,
        each line of a run on its own, indexed once per document."""
        if self._names is None:
            self._names = {}
            for m in _CAP_RUN.finditer(self.text):
                for line in m.group().split("\n"):  # a headline's name ends with its line
                    ws = line.split()
                    for i, w in enumerate(ws):
                        self._names.setdefault(w, []).append((m.start(), ws, i))
        return self._names.get(word, [])

    def armed_groups(self) -> list[tuple[int, str]]:
        """(offset, name as written) of every armed group the gazetteer knows in the document."""
        if self._groups is None:
            gaz = load_gazetteer()
            self._groups = [(m.start, self.text[m.start:m.end]) for m in gaz.mentions(self.text, whole=True)
                            if m.kind == "actor" and m.name in gaz.armed_groups]
        return self._groups


@dataclass
class _Hit:
    """One cue found in a sentence, before its span is fixed."""

    cue: str
    cue_span: Span
    source: _Source | None
    src_span: Span  # where the source phrase stands (== cue_span when there is none)
    post: bool  # the asserted content stands before the cue ("..., officials said")
    modality: str
    negated: bool = False
    via: str | None = None
    passive: bool = False
    reported: bool = False
    aside: bool = False  # ", first reported by X," stands between commas
    remembered: bool = False  # its source is in the history already


def find_statements(text: str, doc: str) -> list[Statement]:
    """Every attributed assertion in ``text``: span, cue, source, evidential, modality, negation."""
    lex = load_cues()
    out: list[Statement] = []
    history = _History(text)
    sents = sentence_spans(text)
    marks = [m.span() for m in lex.any_re.finditer(text)]
    k = 0
    for s, e in sents:
        while k < len(marks) and marks[k][0] < s:
            k += 1
        if k == len(marks) or marks[k][0] >= e:
            continue  # no cue word in this sentence
        sent = text[s:e]
        hits = _hits(sent, s, lex, history, _first_cue(marks, k, s))
        if not hits:
            continue
        _mark_embedded(hits, text)
        for hit, span in zip(hits, _spans(hits, sent, s)):
            span = _extend_quote(text, span, hit)
            out.append(_statement(text, doc, hit, span, (s, e), lex))
            _remember(history, hit)
    out = _participles_share_the_source(out, sents, lex)
    author = document_author(text)
    if author:  # "the statement stated" in an issued statement: its issuer speaks
        out = [replace(st, source=author) if st.source and st.source.split()[-1].lower() in lex.document_nouns
               else st for st in out]
    if author:  # "We assess ..." in an institute's analysis: the institute speaks
        out = [replace(st, source=author) if _FIRST_PERSON_SOURCE.match(text, st.span[0])
               and (st.source is None or st.source.lower().split()[0] in ("we", "our")) else st for st in out]
    return out


_PARTICIPLES = frozenset({"adding", "saying", "noting", "claiming", "warning", "stressing", "insisting",
                          "citing", "arguing", "explaining", "describing", "accusing", "denying"})


def _participles_share_the_source(statements: list[Statement], sents, lex: Cues) -> list[Statement]:
    """ "..., WFP said, adding that it reached 180,000 people": the participle's speaker is the
    one before it in the sentence (never the word the regex finds before it, "May" or "Amman")."""
    out: list[Statement] = []
    starts = [a for a, _ in sents]
    for st in statements:
        prev = out[-1] if out else None
        k = bisect_right(starts, prev.cue_span[0]) - 1 if prev is not None else -1
        same = k >= 0 and st.cue_span[1] <= sents[k][1]  # both in the sentence where prev's cue stands
        if st.cue in _PARTICIPLES and same and prev.source:
            st = replace(st, source=prev.source, via=prev.via, evidential=prev.evidential)
        out.append(st)
    return out


_FIRST_PERSON_SOURCE = re.compile(r"\s*[\"“]?(?:We|Our)\b")
_AUTHOR = re.compile(
    r"\b(?i:statement|communiqu[ée]|press\s+release|press\s+conference|news\s+conference|bulletin|briefing|summary|"
    r"update|analysis|assessment|report|brief|study)\b[^\n:]{0,60}?\b(?i:of|by|from)\s+(?i:the\s+)?"
    r"((?:[A-Z][\w'’&\-]*)(?:[ \t]+(?:[A-Z][\w'’&\-]*|(?:of|for|the|and|OF|FOR|THE|AND)(?=[ \t]+(?:the[ \t]+|THE[ \t]+)?[A-Z])))*)")


# remarks a titled person gave: "a translation of remarks by Balochistan provincial government spokesman
# Farhan Raisani", "a statement read ... by Brigadier General Abdulkarim al-Wazir"
_SPOKEN_BY = re.compile(
    r"\b(?i:remarks|statement|briefing|address|speech|comments)\b[^\n]{0,60}?\bby\s+[^\n.]{0,60}?\b"
    r"(?i:spokes(?:man|woman|person)|minister|commander|governor|chief|director|colonel|general|brigadier|major)"
    r"\s+((?:[A-Z][\w'’\-]+)(?:[ \t]+(?:(?:al|el|ad|as|ash)-)?[A-Z][\w'’\-]+){1,3})")
_PLACE_NOUN_AFTER = re.compile(r"[ \t]+(?:districts?|provinces?|regions?|counties|county|states?|governorates?|"
                               r"villages?|towns?|areas?)\b")


# a headline that leads with its issuer: "Arakan Army statement on ...", "Burkina Faso General Staff: summary of ..."
_AUTHOR_FIRST = re.compile(r"[ \t]*((?:[A-Z][\w'’&\-]*)(?:[ \t]+(?:[A-Z][\w'’&\-]*|of|for|the|and))*?)[ \t]*(?::[ \t]*|[ \t]+)"
                           r"(?i:(?:daily\s+|weekly\s+)?(?:statement|communiqu[ée]|press\s+release|bulletin|summary|"
                           r"operational\s+update|sitrep|situation\s+report|briefing))\b")


# a byline of the document's kind and its issuer: "Research brief, Levant Security Monitor."
_AUTHOR_LABEL = re.compile(r"^[ \t]*(?i:research\s+brief|policy\s+(?:note|brief|paper)|briefing\s+note|analysis|commentary|"
                           r"assessment|situation\s+report|flash\s+update|brief|working\s+paper)[ \t]*[,:\-–—][ \t]*"
                           r"((?:[A-Z][\w'’&\-]*)(?:[ \t]+(?:[A-Z][\w'’&\-]*|of|for|the|and|on)(?=[ \t]+[A-Z]|[ \t]*[.,\n]|$))*)",
                           re.M)


@lru_cache(maxsize=TEXTS_CACHED)
def document_author(text: str) -> str | None:
    """Who issued the report, when it is itself a statement or an analysis ("Statement of the
    Ministry of Defence of the Russian Federation", "An analysis by the Levant Conflict
    Monitor", "COMMUNIQUÉ No. 087 OF THE GENERAL STAFF OF THE ARMIES"): read from its opening."""
    head = text[:400]
    label = _AUTHOR_LABEL.search(head)
    if label and re.search(r"['’]s\s", label.group(1)):
        label = None  # "Assessment: North Korea's Military Support to Russia" is a title, not an issuer
    m = _AUTHOR_FIRST.match(head) or label or _SPOKEN_BY.search(head) or _AUTHOR.search(head)
    if not m or not m.group(1)[:1].isupper():
        return None
    if _PLACE_NOUN_AFTER.match(head, m.end(1)) or m.group(1) in load_gazetteer().places:
        return None  # "Displacement from Chiúre and Ancuabe districts": a place, not an issuer
    name = _POSS_END.sub("", m.group(1).strip())
    if name.isupper():
        name = " ".join(w if w in ("of", "the", "and", "for") else w.title() for w in name.lower().split())
    words = _drop_ranks(name).split()
    while words and words[-1].lower() in ("of", "the", "and", "for", "on"):
        words.pop()
    return " ".join(words) if len(words) >= 2 else None


def _first_cue(marks: list[Span], k: int, s: int) -> int:
    """Where in the sentence starting at ``s`` a reporting verb can first stand: ``any_re`` (whose
    words include every verb) found no cue before ``marks[k]``, so the verb scan may start there,
    unless an earlier cue ran on into this sentence and hid a start from ``any_re``."""
    return marks[k][0] - s if k == 0 or marks[k - 1][1] <= s else 0


_EMBED_GAP = re.compile(r"[\s\w]*")


def _mark_embedded(hits: list[_Hit], text: str) -> None:
    """ "Officials said Israeli commanders believe X": the commanders' belief reaches the writer
    through the officials, so it is reported second-hand."""
    for i, h in enumerate(hits):
        for g in hits[:i]:
            if g.post or g.passive or g.aside or g.source is None or (h.source and g.source.text == h.source.text):
                continue
            if g.cue_span[1] <= h.src_span[0] and _EMBED_GAP.fullmatch(text, g.cue_span[1], h.src_span[0]):
                h.reported = True


def _remember(history: _History, hit: _Hit) -> None:
    """Add a hit's source (and its organisation or relaying outlet) for later back-references, once."""
    if hit.remembered:
        return
    hit.remembered = True
    src = hit.source
    if src and src.owner:  # "it" may refer to the agency, "she" to its spokesperson
        history.append(_Source(src.owner, src.owner.split()[-1].lower(), False, False, at=hit.src_span[0]))
    named = [src if src.at >= 0 else _Source(src.text, src.head, src.person, src.plural, src.via,
                                            hit.src_span[0], src.owner)] if src and src.text else []
    if hit.via:  # "The paper said" later refers to the relaying outlet
        relay = _Source(hit.via, hit.via.split()[-1].lower(), False, False, at=hit.src_span[0])
        # the verb's subject is remembered last, so "it" refers to it: the outlet in "Saba reported,
        # citing a source", the speaker in "the army said in a statement carried by PTV"
        first = history.text.find(hit.via, hit.src_span[0], hit.src_span[1] + 200)
        subject_speaks = bool(named) and 0 <= history.text.find(named[0].text, hit.src_span[0]) < first
        named = [relay, *named] if subject_speaks else [*named, relay]
    history.extend(named)


def _hits(sent: str, base: int, lex: Cues, history: _History, skip: int = 0) -> list[_Hit]:
    """The cues of one sentence with their sources, in order; agentless passives included.
    No reporting verb starts before ``skip``, so the verb scan starts there."""
    history.at = base
    hits = [*_passive_hits(sent, base, lex), *_agent_hits(sent, base, lex, history),
            *_dismissive_hits(sent, base, lex, history), *_according_hits(sent, base, lex, history)]
    taken = [(h.cue_span[0] - base, h.cue_span[1] - base) for h in hits]
    pending = sorted(hits, key=lambda h: h.cue_span[0])
    for m in lex.verb_re.finditer(sent, skip):
        a, b = m.span()
        if any(x < b and a < y for x, y in taken):
            continue
        while pending and pending[0].cue_span[1] <= base + a:
            _remember(history, pending.pop(0))  # "X said ... and they cautioned": X is known to "they"
        hit = _verb_hit(sent, m, base, lex, history, hits)
        if hit:
            hits.append(hit)
            _remember(history, hit)
    hits.sort(key=lambda h: h.cue_span[0])
    return hits


def _passive_hits(sent: str, base: int, lex: Cues) -> list[_Hit]:
    """Agentless passives: "is believed to", "are said to" (source null)."""
    hits = []
    for m in lex.passive_re.finditer(sent):
        a, b = m.span("cue")
        word = m.group("cue").lower()
        kind = lex.passive_modality[word]
        hits.append(_Hit(word, (base + a, base + b), None, (base + a, base + b), False,
                         "probable" if kind == "probable" else "certain", passive=True,
                         reported=kind == "reported"))
    return hits


def _agent_hits(sent: str, base: int, lex: Cues, history: list[_Source]) -> list[_Hit]:
    """Passives with an agent: "first reported by Ukrainian intelligence"."""
    hits = []
    for m in lex.agent_passive_re.finditer(sent) if " by " in sent else ():
        src, src_span, _ = _np_right(sent, m.end(), lex)
        if src is None or not _has_head(src.split(), lex):
            continue
        a, b = m.span("cue")
        hits.append(_Hit(m.group("cue").lower(), (base + a, base + b), _resolve(src, lex, history),
                         (base + a, base + src_span[1]), False, "certain", aside=True))
    return hits


def _dismissive_hits(sent: str, base: int, lex: Cues, history: list[_Source]) -> list[_Hit]:
    """Rejections: "a claim Kyiv called fabricated" (negated)."""
    hits = []
    for m in lex.dismissive_re.finditer(sent) if _DISMISS_HINT.search(sent) else ():
        a, b = m.span("cue")
        np = _np_left(_AUX_END.sub("", sent[:a]), lex)  # "The government has called it exaggerated"
        if np:
            hits.append(_Hit(m.group("cue").lower().split()[0], (base + a, base + b),
                             _resolve(np[0], lex, history), (base + np[1], base + b), True,
                             "certain", negated=True))
    return hits


def _according_hits(sent: str, base: int, lex: Cues, history: list[_Source]) -> list[_Hit]:
    """ "according to X (cited by Y)" and "according to estimates by X" (the agent speaks)."""
    hits = []
    for m in lex.according_re.finditer(sent) if "ccording" in sent else ():
        a, b = m.span()
        src, src_span, _ = _np_right(sent, b, lex)
        by = _BY_AGENT.match(sent, b)
        modality = "certain"
        if by and by.group(1).split()[-1].lower() in lex.document_nouns:
            agent, agent_span, _ = _np_right(sent, by.end(), lex)
            if agent:
                src, src_span = agent, (by.start(1), agent_span[1])
                modality = "probable" if _ESTIMATE.search(by.group(1)) else modality
        if src is None:
            continue
        via, via_end = _relay(sent, src_span[1], lex)
        end = via_end or src_span[1]
        post = a > 0 and (bool(_POST_LEAD.search(sent[:a])) or not _COMMA_LEAD.match(sent, end))
        hits.append(_Hit("according to", (base + a, base + b), _resolve(src, lex, history),
                         (base + src_span[0], base + end), post, modality, via=via))
    return hits


def _verb_hit(sent: str, m: re.Match, base: int, lex: Cues, history: _History,
              earlier: list[_Hit]) -> _Hit | None:
    """A reporting verb with its source on the left ("officials said") or right ("said Smith")."""
    a, b = m.span()
    if not m.group()[0].islower() or _NOT_A_VERB.match(sent, b):
        return None  # "United States", "think tank": not a reporting verb
    word = _SPACES.sub(" ", m.group().lower())
    if not reports_a_figure(word, sent, b):
        return None
    left = sent[:a]
    if word in lex.noun_like and (_POSSESSIVE_BEFORE.search(left, max(0, a - 40)) or (
            _PREPOSITION_BEFORE.search(left, max(0, a - 40)) and _NOUN_AFTER.match(sent, b)) or (
            _SENTENCE_END.match(sent, b) and not _closing_source(left, lex))):
        return None  # "our estimate of", "on Western government estimates", "after receiving
        # intelligence reports.": a noun, not a verb ("..., officials estimate." and "as Reuters reports." are verbs)
    history.at = base + a
    negated = word in lex.denials
    to_end = _may_end(left, _TO_TAIL, False)  # both patterns below end in "to"
    if to_end and _DECLINED.search(left):
        negated, left = True, _DECLINED.sub("", left)
    elif to_end and _TO_END.search(left):
        return None  # "is believed to expect": an infinitive, not a new statement
    trimmed = left
    while True:
        lo = max(0, len(trimmed) - 80)  # the words between source and verb are few: search the tail only
        neg = lex.negation_re.search(trimmed, lo) if _may_end(trimmed, lex.negation_tail_re, False) else None
        btw = lex.between_re.search(trimmed, lo) if _may_end(trimmed, lex.between_tail_re, True) else None
        if neg and neg.start() < len(trimmed):
            negated = negated or not _NOT_ONLY.search(trimmed, neg.start())
            trimmed = trimmed[:neg.start()]
        elif btw and btw.start() < len(trimmed):
            trimmed = trimmed[:btw.start()]
        else:
            break
    modality = lex.verb_modality.get(word, "certain")  # a figure phrase ("put the toll at") is certain
    if trimmed.rstrip().endswith(")"):
        trimmed = _ACRONYM_END.sub("", trimmed)  # "the UN agency (OCHA) said"
    conj = _AND_END.search(trimmed) if _may_end(trimmed, _AND_TAIL, False) else None
    prior = next((h for h in reversed(earlier) if h.source and h.source.text and h.cue_span[0] < base + a),
                 None) if conj else None
    if prior:  # "acknowledged X but denied Y", "said X and accused Y": the earlier verb's subject
        return _Hit(word, (base + a, base + b), prior.source, (base + a, base + b), False, modality,
                    negated, via=prior.via, reported=prior.reported)
    if conj and not _np_left(trimmed[:conj.start()].rstrip(), lex):
        subj = _subject(sent, lex)  # "... estimates that X, and says Y": the same subject
        if subj:
            return _Hit(word, (base + a, base + b), _resolve(subj[0], lex, history),
                        (base + a, base + b), False, modality, negated)
    setting = _SETTING_ASIDE.search(left, max(0, len(left) - 60))
    if setting:  # "AFRICOM, in a separate statement, said": the setting is not the source
        left = trimmed = left[:setting.start()] + " "
    inner_relay = _INNER_RELAY.search(left, max(0, len(left) - 100))
    if inner_relay:  # "The source, quoted by Saba, said" / "Cabo Ligado, citing local accounts, said"
        outer = _np_left(left[:inner_relay.start()].rstrip(), lex)
        other = _strip_determiners(inner_relay.group(2).strip(), lex) or None
        if outer and other:
            speaker, relayer = (other, outer[0]) if inner_relay.group(1).lower() in ("citing", "quoting") \
                else (outer[0], other)
            via = _resolve(relayer, lex, history).text
            return _Hit(word, (base + a, base + b), replace(_resolve(speaker, lex, history), via=via),
                        (base + outer[1], base + b), _is_post(sent, outer[1], b), modality, negated,
                        via=via, reported=True)
    appos = _appositive(trimmed, lex)
    if appos:
        src, start = appos
        source = _resolve(src, lex, history)
        via, _ = _relay(sent, _after_setting(sent, b), lex)
        if via:  # "Saba, the state news agency, reported, citing a military source, that"
            source, via = _resolve(via, lex, history), source.text
        return _Hit(word, (base + a, base + b), source, (base + start, base + b),
                    _is_post(sent, start, b), modality, negated, via=via, reported=bool(via))
    if word.endswith("ing") and _COMMA_END.search(trimmed) and not _np_left(trimmed, lex):
        # "X said, adding that": X goes on speaking; "..., observing that": the subject speaks
        subj = _prior_speaker(trimmed, lex) or _subject(sent, lex)
        if subj is None:
            return None
        src, span = subj
        return _Hit(word, (base + a, base + b), _resolve(src, lex, history),
                    (base + span[0], base + span[1]), False, modality, negated)
    np = _np_left(trimmed, lex)
    if np:
        src, start = np
        if src.lower() in lex.pronouns and lex.pronouns[src.lower()] == "self":
            if _QUOTE.search(sent):
                return None  # "we believe" inside a quote: the quote's speaker is attributed already
            return _Hit(word, (base + a, base + b), _Source(None, None, False, False), (base + start, base + b),
                        False, modality, negated)  # "We assess that ...": the writer's own judgement
        relay = _RELAY_BEFORE.search(trimmed, max(0, start - 30), start) if " by" in trimmed[max(0, start - 20):start] else None
        inner = _np_left(trimmed[:relay.start()], lex) if relay else None
        if inner:  # "two US officials cited by Reuters said": the officials assert, Reuters relays
            outlet = _resolve(src, lex, history).text
            source = replace(_resolve(inner[0], lex, history), via=outlet)
            return _Hit(word, (base + a, base + b), source, (base + inner[1], base + b),
                        _is_post(sent, inner[1], b), modality, negated, via=outlet, reported=True)
        post = _is_post(sent, start, b)
        at = _after_setting(sent, b)
        via, via_end = _relay(sent, at, lex)
        if not via:
            via = _later_relay(sent, at, lex)
        source = _resolve(src, lex, history)
        if via and _CARRIED.match(sent, at + len(sent[at:]) - len(sent[at:].lstrip())):
            via = _resolve(via, lex, history).text  # "said in a statement carried by Saba": Saba relays
        elif via:  # "X reported, citing Y": Y asserts, X relays
            source, via = _resolve(via, lex, history), source.text
        return _Hit(word, (base + a, base + b), source, (base + start, base + b), post, modality,
                    negated, via=via, reported=bool(via))
    if word in _SAY_LIKE and _POST_LEAD.search(left) and a > 0:
        src, span, _ = _np_right(sent, b, lex)  # '..., said the ministry' / '” said Smith'
        if src:
            return _Hit(word, (base + a, base + b), _resolve(src, lex, history),
                        (base + a, base + span[1]), True, modality, negated)
    return None


def _may_end(text: str, tail_re: re.Pattern[str], comma: bool) -> bool:
    """False when no lexicon phrase can close ``text`` (before trailing spaces and, if ``comma``,
    one comma): then the costlier end-anchored search cannot match and is skipped."""
    t = text.rstrip()
    if comma and t.endswith(","):
        t = t[:-1].rstrip()
    words = t.rsplit(None, 1)
    return bool(words) and tail_re.search(words[-1]) is not None


_AFTER_POST = re.compile(
    r"\s*(?:(?:on|in|at|late|early|last|this|earlier|later|yesterday|today|overnight|separately|"
    r"recently)\b[^,;]{0,30})?(?:[.!?”\"]*\s*$|,|;)")


def _is_post(sent: str, src_start: int, cue_end: int) -> bool:
    """True when the asserted content stands before "..., X said (on Monday)." rather than after."""
    if src_start == 0 or not _PRE_POST.search(sent, 0, src_start):
        return False
    return bool(_AFTER_POST.match(sent, cue_end))


def _appositive(left: str, lex: Cues) -> tuple[str, int] | None:
    """The source of "X, a spokesman for Y, said" / "The sources, who spoke ..., said"."""
    if not _COMMA_END.search(left):
        return None
    body = left.rstrip()[:-1]
    comma = body.rfind(",")
    if comma < 0:
        return None
    inner = body[comma + 1:].strip()
    inner_np = _np_left(body, lex)
    if inner_np and inner_np[1] >= comma and not body[comma + 1:inner_np[1]].strip() and \
            _is_person(inner_np[0].split(), lex) and not inner_np[0].split()[-1].lower() in lex.heads:
        return inner_np  # "A spokesman for X, Vladyslav Horun, said" (not "N, press secretary to X, said")
    if not _INNER_LEAD.match(inner):
        return None
    outer = _np_left(body[:comma], lex)
    if outer and inner_np and inner_np[1] >= comma and \
            body[comma + 1:inner_np[1]].strip().lower() in ("", "the"):  # "the human rights group, the RNDDH, reported"
        named = [w for w in inner_np[0].split() if w.lower() not in lex.determiners]
        plain = [w for w in outer[0].split() if w.lower() not in lex.determiners]
        if named and plain and all(w[0].isupper() for w in named) and not any(w[0].isupper() for w in plain) \
                and not _is_person(named, lex):
            at = inner_np[1] + inner_np[0].find(named[0])
            return " ".join(named), at
    if outer and outer[0].lower() not in lex.pronouns:
        return outer
    return inner_np if inner_np and inner_np[1] >= comma else None


def _tokens(text: str) -> list[re.Match]:
    return list(_TOKEN.finditer(text))


def _np_word(w: str, lex: Cues) -> bool:
    lw = w.lower()
    if lw in lex.heads or lw in lex.modifiers:
        return True
    return w[0].isupper() and lw not in lex.not_source and lw not in lex.determiners


def _np_left(left: str, lex: Cues) -> tuple[str, int] | None:
    """The source phrase ending ``left`` ("Some U.S. officials"), determiners dropped, and its start."""
    when = _TIME_TAIL.search(left, max(0, len(left) - 60))
    if when:  # "a report released in July estimated", "the institute, in a June report, estimated"
        return _np_left(left[:when.start()], lex)
    place = _PLACE_TAIL.search(left, max(0, len(left) - 60))
    if place:
        np = _np_left(left[:place.start()], lex)
        if np and np[0].split()[-1].lower() in lex.person_heads:
            return np  # one person; "officials in Kyiv", "the ministry in Berlin" keep the place that says whose
    tail = _NP_TAIL_END.search(left, max(0, len(left) - 60)) if _TAIL_HINT.search(left, max(0, len(left) - 60)) else None
    if tail:  # "people familiar with the matter said": find the head before the tail
        np = _np_left(left[:tail.start()], lex)
        return (left[np[1]:tail.end()].rstrip(), np[1]) if np else None
    # Tokenize only the tail: a source phrase is a few words. Tokens never hold whitespace, so
    # those after a space are the same as in a full tokenization; if the scan reaches the
    # window's first token, the words before it matter and the whole text is tokenized.
    cut = left.rfind(" ", 0, len(left) - _NP_WINDOW) + 1 if len(left) > _NP_WINDOW else 0
    toks = list(_TOKEN.finditer(left, cut))
    if not toks:
        if not cut:
            return None
        cut, toks = 0, _tokens(left)
        if not toks:
            return None
    last = toks[-1].group()
    if last.lower() in lex.pronouns:
        return last, toks[-1].start()
    start, i = _np_start(toks, lex)
    if cut and i <= 0:
        toks = _tokens(left)
        start, i = _np_start(toks, lex)
    if start is None:
        return None
    while start < len(toks) and toks[start].group().lower() in _CONNECTORS - {"the"}:
        start += 1
    words = [t.group() for t in toks[start:] if t.group().lower() not in lex.determiners]
    if not words or not _has_head(words, lex):
        return None
    at = toks[start].start()
    if part := _PART_OF_TAIL.search(left, max(0, at - 30), at):
        at = part.start()  # "One of the officials": those officials, named before (see _resolve)
    return left[at:toks[-1].end()], at


_NP_WINDOW = 50  # characters of ``left`` tokenized first by _np_left
_PART_OF_TAIL = re.compile(r"\b(?:one|some|two|three|four|several|many|most|a\s+few)\s+of\s+(?:the|these|those)\s+$",
                           re.IGNORECASE)
_MONTHS_DAYS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
                r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)")
_TIME_TAIL = re.compile(r",?\s+(?:(?:released|published|issued|dated|made\s+public)\s+)?(?:in|on)\s+"
                        r"(?:a\s+|an\s+|its\s+|their\s+|the\s+)?(?:last\s+|early\s+|late\s+|mid-)?" + _MONTHS_DAYS +
                        r"(?:\s+\d{1,2})?(?:,?\s+\d{4})?(?:\s+(?:report|statement|update|assessment|paper|briefing|bulletin))?,?\s*$")


def _np_start(toks: list[re.Match], lex: Cues) -> tuple[int | None, int]:
    """Index of the first token of the source phrase closing ``toks`` (None if there is none),
    and the index where the backward scan stopped."""
    i = len(toks) - 1
    start = None
    loose = 0  # lower-case words taken on trust ("health" in "Hamas-run health ministry")
    while i >= 0:
        w = toks[i].group()
        lw = w.lower()
        if (_np_word(w, lex) and not lw.endswith(("'", "’"))) or _generic_possessive(lw, lex):
            start, loose = i, 0
        elif lw in _NAME_PARTICLES and start is not None and toks[start].group()[:1].isupper() and i > 0 and (
                toks[i - 1].group()[:1].isupper() or toks[i - 1].group().lower() in _NAME_PARTICLES):
            pass  # inside a name: "Vivian van de Perre", "Ursula von der Leyen"
        elif lw in _CONNECTORS and start is not None and not loose and i > 0 and _np_word(toks[i - 1].group(), lex) \
                and not (lw == "the" and toks[i - 1].group().lower() not in ("of", "for")):
            pass
        elif lw == "the" and start is not None and not loose and i > 0 and toks[i - 1].group().lower() in ("of", "for"):
            pass
        elif lw in lex.determiners and start is not None:
            start = i
            break
        elif start is not None and loose < 2 and _loose_word(lw, lex) and toks[i + 1].group()[0].islower():
            loose += 1
        else:
            break
        i -= 1
    return start, i


_AGE_NOUN = re.compile(r"(?:the\s+)?\d{1,3}-year-old")
_NAME_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "dos", "das", "du", "le", "la", "bin", "ibn", "ben"})
_FRESH = frozenset({"new", "latest", "recent", "fresh"})  # "A new U.S. assessment" names "U.S. assessment"
_FUNCTION = frozenset("""that which who whom is are was were has have had be been being will would to in on at by
with from for of and or but not it its as than then there this these those their his her our we they he
she i you a an the so if when while after before since also very more most less said says say""".split())


def _generic_possessive(lw: str, lex: Cues) -> bool:
    """ "agency's" in "the agency's spokesperson": a generic noun standing for a named body."""
    return _POSS_END.search(lw) is not None and _POSS_END.sub("", lw) in lex.generic_referents


def _loose_word(lw: str, lex: Cues) -> bool:
    """A lower-case word that may stand inside a source phrase even though the lexicon lacks it."""
    lw = _POSS_TAIL.sub("", lw)  # "minister's", "experts'": a possessive inside the phrase
    return lw.replace("-", "").isalpha() and lw not in _FUNCTION and lw not in lex.verb_modality \
        and not lw.endswith("ly")


_POSS_TAIL = re.compile(r"(?<=\w)(?:['’]s|s['’])$")


def _has_head(words: list[str], lex: Cues) -> bool:
    last = words[-1]
    return last.lower() in lex.heads or (last[0].isupper() and (last.lower() not in lex.modifiers or len(words) > 1)) \
        or _POSS_END.sub("", last.lower()) in lex.heads


def _np_right(sent: str, pos: int, lex: Cues) -> tuple[str | None, Span, str]:
    """The source phrase starting at ``pos`` ("according to X ..."), cut before relays and clauses."""
    rest = sent[pos:]
    relay = lex.relay_re.search(rest)
    stop = relay.start() if relay else len(rest)
    toks = [t for t in _tokens(rest[:stop])]
    words: list[re.Match] = []
    lead = None
    for t in toks:
        w = t.group()
        lw = w.lower()
        if not words and lw in lex.determiners:
            lead = lead or t
            continue
        if _np_word(w, lex) or (words and lw in _CONNECTORS) or (words and lw in lex.determiners and
                                                                  words[-1].group().lower() in _CONNECTORS):
            words.append(t)
            continue
        k = toks.index(t)
        ahead = toks[k:k + 3]
        if words and _ORDINAL.fullmatch(lw) and k + 1 < len(toks) and toks[k + 1].group()[:1].isupper():
            words.append(t)  # "a spokesman for the 36th Separate Assault Battalion"
            continue
        if _loose_word(lw, lex) and any(x.group().lower() in lex.heads for x in ahead) and \
                all(_loose_word(x.group().lower(), lex) or x.group().lower() in lex.heads for x in ahead[:next(
                    j for j, x in enumerate(ahead) if x.group().lower() in lex.heads)]):
            words.append(t)
            continue
        break
    while words and words[-1].group().lower() in _CONNECTORS | lex.determiners:
        words.pop()
    if not words:
        return None, (pos, pos), rest
    a, b = pos + (lead or words[0]).start(), pos + words[-1].end()
    tail = _NP_TAIL.match(sent, b)
    if tail and tail.end() <= pos + stop and words[-1].group().lower() in lex.heads:
        b = tail.end()  # "people familiar with the matter"
    return sent[a:b], (a, b), sent[b:]


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_INNER_RELAY = re.compile(r",\s*(quoted\s+by|cited\s+by|carried\s+by|citing|quoting)\s+([^,]{2,80}),\s*$", re.I)
_SETTING = re.compile(r"\s*(?:in|on)\s+(?:a|an|its|their|his|her|the)\s+(?:[\w\-]+\s+){0,2}?(?:statement|post|message|"
                      r"communiqu\S*|interview|report|briefing|video|broadcast)\b")
_SETTING_ASIDE = re.compile(r",\s*(?:in|on)\s+(?:a|an|its|their|his|her|the)\s+(?:[\w\-]+\s+){0,2}?(?:statement|post|message|"
                            r"communiqu\S*|interview|report|briefing|video|broadcast)\s*,\s*$")
_CARRIED = re.compile(r"(?:,\s*)?(?:as\s+)?(?:carried|quoted|cited|broadcast|relayed|reported)\s+by\b", re.I)


def _after_setting(sent: str, pos: int) -> int:
    """Where a relay may start after a reporting verb: past "in a statement" ("said in a
    statement carried by Saba")."""
    m = _SETTING.match(sent, pos)
    return m.end() if m else pos


def _later_relay(sent: str, pos: int, lex: Cues) -> str | None:
    """The relayed source further on in the reporting verb's clause ("X reported 17 deaths on
    Monday, citing a senior military source"): the first ", citing Y" / ", quoting Y" after the
    verb, with no other reporting verb between."""
    m = _CITING.search(sent, pos)
    if m is None or lex.verb_re.search(sent[:m.start()], pos):
        return None
    src, _, _ = _np_right(sent, m.end(), lex)
    return src


_CITING = re.compile(r",\s*(?:citing|quoting)\s+")


def _relay(sent: str, pos: int, lex: Cues) -> tuple[str | None, int | None]:
    """The relaying party right after ``pos`` ("cited by The New York Times", ", citing officials")."""
    m = lex.relay_re.match(sent, pos + len(sent[pos:]) - len(sent[pos:].lstrip()))
    if not m:
        return None, None
    src, span, _ = _np_right(sent, m.end(), lex)
    return (src, span[1]) if src else (None, None)


def _prior_speaker(left: str, lex: Cues) -> tuple[str, Span] | None:
    """The source of the reporting verb that closes ``left`` ("a NATO official said,"), if any."""
    clause = _COMMA_END.sub("", left)
    verb = None
    for verb in lex.verb_re.finditer(clause, max(0, len(clause) - 40)):
        pass
    if verb is None or verb.end() != len(clause):
        return None
    np = _np_left(clause[:verb.start()].rstrip(), lex)
    if np is None:
        return None
    src, start = np
    return src, (start, verb.start())


def _subject(sent: str, lex: Cues) -> tuple[str, Span] | None:
    """The subject phrase opening a sentence, after an introductory "However,"."""
    m = _PARTICIPLE_INTRO.match(sent) or _INTRO.match(sent)  # "Asked about the claim, the spokesman said"
    pos = m.end() if m else 0
    src, span, _ = _np_right(sent, pos, lex)
    if src is None and pos:
        src, span, _ = _np_right(sent, 0, lex)
    if src is None or not _has_head(src.split(), lex):
        return None
    return src, span


def _strip_determiners(src: str, lex: Cues) -> str:
    words = src.split()
    while len(words) > 1 and (words[0].lower() in lex.determiners or words[0].lower() in _FRESH):
        words.pop(0)
    return " ".join(words)


def _resolve(src: str, lex: Cues, history: _History) -> _Source:
    """Name the source: pronouns and "these officials" refer back to the last fitting source;
    "the agency" (or "the agency's spokesperson") to the last organisation of that kind named."""
    if len(src.split()) > 1 and _POSS_END.search(src):  # "the Russian Defence Ministry's (daily briefing)"
        src = _POSS_END.sub("", src)
    if src.lower() in _NOBODY:  # "some say 5,000", "nobody knows": no one in particular
        return _Source(None, None, False, True)
    if (part := _PART_OF.match(src)) and part.end() < len(src):  # "one of the officials": those officials
        whole = _resolve(src[part.end():], lex, history)
        if whole.text:
            return whole
    words = src.split()
    lw = [w.lower() for w in words]
    if ("'" in src or "’" in src) and 2 <= len(lw) <= 3:  # "the agency's spokesperson"
        k = len(lw) - 2
        if (k == 0 or lw[0] in _BACK_REFERENCE) and _generic_possessive(lw[k], lex):
            owner = _antecedent(_POSS_END.sub("", lw[k]), lex, history)
            if owner:
                return _Source(f"{owner} {words[-1]}", lw[-1], lw[-1] in lex.person_heads, False, owner=owner)
    post = next((i for i, w in enumerate(lw) if i and w in ("of", "for")), len(lw))
    core = lw[:post]  # "a spokesman for the 36th Battalion": its head is "spokesman"
    head = _POSS_END.sub("", core[-1])
    kind = lex.pronouns.get(lw[0]) if len(lw) == 1 else None
    if _AGE_NOUN.fullmatch(" ".join(lw)):
        kind = "person"  # "the 47-year-old said": the person named before
    if kind == "person":
        for h in reversed(history):
            if h.person:
                return replace(h, text=_strip_titles(h.text, lex))
        return _Source(None, None, True, False)
    if kind in ("plural", "thing"):
        want_plural = kind == "plural"
        if (subject := _last_subject(lex, history, want_plural)) is not None:
            return subject
        for h in reversed(history):
            if h.person or not h.text:  # not an agentless "is believed"
                continue
            if h.plural == want_plural or not want_plural and h.text.split()[-1][:1].isupper():
                return h  # "it" may be a named body that looks plural ("Inter-Services Public Relations")
        return _Source(None, None, False, want_plural)
    if any(w.endswith("-based") for w in lw[1:]):  # "the Britain-based monitor" is still "the monitor"
        keep = [i for i, w in enumerate(lw) if not w.endswith("-based")]
        words, lw = [words[i] for i in keep], [lw[i] for i in keep]
    core_lw = [w for w in lw if w not in _DOC_MODIFIERS]
    if core_lw and len(core_lw) <= 2 and core_lw[0] in _BACK_REFERENCE | {"its", "their"} and \
            head in lex.document_nouns and len(lw) > 2 and history:
        for h in reversed(history):  # "according to the same bulletin", "its daily report": the issuer
            if not h.person and h.head not in lex.document_nouns:
                return h
    if core_lw and len(core_lw) == 1 and len(lw) > 1 and head in lex.document_nouns | _AGENTLESS_NOUNS:
        for h in reversed(history):  # "according to preliminary estimates": whoever issues them
            if h.text and not h.person and h.head not in lex.document_nouns:
                return h
        return _Source(None, None, False, True)
    if len(lw) <= 2 and lw[0] in _BACK_REFERENCE and head in lex.heads:
        stem = head.rstrip("s")
        for h in reversed(history):
            if h.head and h.head.rstrip("s") == stem:
                return h
        if head in lex.generic_referents and not any(w[0].isupper() for w in words[1:]):
            owner = _antecedent(head, lex, history)
            if owner:
                return _Source(owner, owner.split()[-1].lower(), False, False)
        if head in lex.document_nouns and history:  # "The statement said": its issuer speaks
            for h in reversed(history):
                if not h.person:
                    return h
    if len(lw) == 3 and lw[0] in _BACK_REFERENCE and head in lex.generic_referents and words[1][:1].islower():
        # "the paramilitary group", "the doctors' group": the body named before, by its modifier
        # when a name holds it ("Sudan Doctors Network"), else the last of the noun's kind
        owner = _latest_name_holding(_POSS_END.sub("", lw[1]), lex, history) or (
            _antecedent(head, lex, history) if lw[1] in _ARMED_ADJECTIVES or head in _KIND_HEADS
            else None)  # "the spy agency": the agency named before; not "the defence ministry" (another one)
        if owner:
            return _Source(owner, owner.split()[-1].lower(), False, False)
    clean = _strip_determiners(src, lex)
    person = _is_person(clean.split()[:len(clean.split()) - (len(lw) - post)] or clean.split(), lex)
    if len(lw) == 2 and lw[0] in ("its", "their") and lw[1] in lex.person_heads | lex.heads:
        for h in reversed(history):  # "Its spokesperson added": the organisation speaks
            if h.text and not h.person:
                return h
    if len(lw) == 2 and lw[0] in _BACK_REFERENCE and (lw[1] in lex.titles or lw[1] in lex.person_heads):
        for h in reversed(history):  # "The general said": the person named before
            if h.text and h.person:
                return h
    fuller = _fuller_name(clean, lw, history, lex) if lw[0] in _BACK_REFERENCE else None
    if fuller is not None:  # "the General Staff said" after "Ukraine's General Staff said"
        return fuller
    plural = head.endswith("s") and not person and head not in {"news", "times", "analysis"}
    return _Source(clean, head, person, plural)


def _fuller_name(clean: str, lw: list[str], history: _History, lex: Cues) -> _Source | None:
    """The latest earlier source whose name ends with this one's words and says more ("the
    ministry" -> "the region's health ministry"; "the source" -> "a military source in the
    Ministry of Defence"), else the fullest earlier name in the text that this one begins ("the
    General Staff" -> "The General Staff of the Armies informs ..."): the conventions name a
    source fully."""
    words = clean.lower().split()  # the head stays even when it can be a modifier ("the same official")
    tail = [w for w in words[:-1] if w not in _DOC_MODIFIERS] + words[-1:]
    if not tail:
        return None
    found = None
    for h in history[:-_LOOK_BACK - 1:-1]:  # the latest sources (a long text's history is long)
        if not h.text or h.person and not tail[-1].islower():
            continue  # a person is named back by a common noun ("the same official"), not by a name
        words = h.text.lower().split()
        head = words[:next((i for i, w in enumerate(words) if i and w in _POSTMODIFIERS), len(words))]
        if len(words) > len(tail) and (words[-len(tail):] == tail or head[-len(tail):] == tail):
            found = h
            break
        if len(tail) == 1 and tail[0] in words[:-1]:  # "the broadcaster" after "state broadcaster Tele Tchad"
            named_after = h.text.split()[words.index(tail[0]) + 1]
            if named_after[:1].isupper():
                found = h
                break
    named = clean.split()
    if not named or not all(w[0].isupper() for w in named):
        return found
    best = found.text.split() if found else None
    n = len(named)
    for at, ws, i in history.names_with(named[0]):  # "Communique of the General Staff of the Armed Forces"
        if at < history.at and len(ws) > i + n and ws[i:i + n] == named and ws[i + n] in ("of", "for") and \
                (best is None or len(ws) - i > len(best)):
            best = ws[i:]
    if found is not None and best == found.text.split():
        return found
    return _Source(" ".join(best), best[-1].lower(), False, False) if best else None


_KIND_HEADS = frozenset({"agency", "service", "organisation", "organization", "body", "monitor", "network",
                         "observatory", "watchdog", "charity"})
_LOOK_BACK = 200  # earlier sources a back-reference is matched against
_ARMED_ADJECTIVES = frozenset({"paramilitary", "rebel", "armed", "militant", "jihadist", "extremist", "insurgent",
                               "separatist", "islamist", "criminal", "terrorist", "guerrilla", "resistance"})
_PART_OF = re.compile(r"(?:one|some|two|three|four|several|many|most|a\s+few)\s+of\s+(?=(?:the|these|those)\s|them\b)",
                      re.IGNORECASE)
_POSTMODIFIERS = frozenset({"in", "of", "at", "from", "with", "for"})


_BACK_REFERENCE = frozenset({"the", "these", "those", "this", "that"})
_NOBODY = frozenset({"nobody", "no one", "some", "others", "many", "few", "everyone", "everybody", "someone",
                     "somebody", "people"})
_AGENTLESS_NOUNS = frozenset({"information", "findings", "indications"})  # "according to preliminary information"
_DOC_MODIFIERS = frozenset({"same", "latest", "new", "daily", "weekly", "monthly", "recent", "official",
                            "earlier", "previous", "updated", "preliminary", "final", "evening", "morning"})


_STAMP = re.compile(r"^\s*(?:\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?|[A-Z]{2,4})?\s*[-–—:|]?\s*)?")


def _sentence_start(text: str, pos: int) -> int:
    return max(text.rfind(". ", 0, max(0, pos)) + 2, text.rfind("\n", 0, max(0, pos)) + 1, 0)


def _last_subject(lex: Cues, history: _History, plural: bool) -> _Source | None:
    """The body that opens the sentence before, when no source has been named since ("Gaza's
    health ministry has updated its figures. It says ..."): "it" and "they" refer to it."""
    text = history.text
    at = _sentence_start(text, history.at)  # history.at is the reporting verb's offset
    start = _sentence_start(text, at - 1)
    if at - start > 400 or any(h.text and h.at >= start for h in history):
        return None
    prev = _STAMP.sub("", text[start:at])  # a live blog's "15:45 - "
    found = _subject(prev, lex)
    if found is None:
        return None
    words = found[0].split()
    head = _POSS_END.sub("", words[-1].lower())
    if head not in lex.heads or head in lex.person_heads or head in lex.document_nouns or \
            head.endswith("s") != plural or len(words) < 2 and words[0].islower():
        return None
    return _resolve(found[0], lex, history)


def _antecedent(noun: str, lex: Cues, history: _History) -> str | None:
    """The organisation a generic noun ("the agency", "the group") stands for: the latest one
    named before it whose name holds the noun ("the alliance" -> "Three Brotherhood Alliance"),
    else the latest of the right kind: armed groups for "group", other bodies for "agency"."""
    gaz = load_gazetteer()
    at = history.at
    named = _names_before(lex, history)
    found = _latest_name_holding(noun, lex, history, named)
    if found:
        return found
    if lex.generic_referents[noun] == "armed":
        groups = [name for pos, name in history.armed_groups() if pos < at]
        return groups[-1] if groups else None  # as written: "RSF"
    for pos, name in sorted(named, reverse=True):
        if name not in gaz.actors:  # not a state or armed group itself ("Moscow", "Rapid Support Forces")
            return name
    return None


def _names_before(lex: Cues, history: _History) -> list[tuple[int, str]]:
    """(offset, name) of the organisations named as sources before ``history.at``."""
    at = history.at
    named = [(h.at, h.text) for h in history if h.text and not h.person and 0 <= h.at < at
             and any(w[0].isupper() for w in h.text.split())]
    named += [(pos, name) for pos, name in history.orgs(lex) if pos < at]
    if not named:  # "Médecins Sans Frontières" looks like a person's name to _is_person
        named = [(h.at, h.text) for h in history if h.text and 0 <= h.at < at and len(h.text.split()) > 2
                 and not set(h.text.lower().split()) & lex.titles and h.head not in lex.person_heads]
    return named


def _latest_name_holding(noun: str, lex: Cues, history: _History, named=None) -> str | None:
    """The latest organisation named before whose name holds ``noun`` ("the alliance" -> "Three
    Brotherhood Alliance"; "doctors" -> "Sudan Doctors Network"), from the noun on after a connector."""
    for pos, name in sorted(_names_before(lex, history) if named is None else named, reverse=True):
        ws = name.split()
        k = next((i for i, w in enumerate(ws) if _POSS_END.sub("", w.lower()) == noun), None)
        if k is not None:  # "Summary of the Ministry of Defence" -> "Ministry of Defence"
            return " ".join(ws[k:]) if k and ws[k - 1].lower() in _CONNECTORS else name
    return None


def _is_person(words: list[str], lex: Cues) -> bool:
    lw = [w.lower() for w in words]
    if lw[-1] in lex.person_heads:
        return True
    if lw[-1] in lex.heads or not words[-1][0].isupper():
        return False
    if any(w in lex.titles for w in lw[:-1]):
        return True
    if _is_agency(" ".join(words)):
        return False  # "Médecins Sans Frontières" looks like a person's name
    names = [w for w in words if w.lower() not in _NAME_PARTICLES]  # "Vivian van de Perre"
    parts = {p for w in lw for p in w.split("-")}  # "Inter-Services Public Relations" is a body
    return 2 <= len(names) <= 3 and len(words) - len(names) <= 2 and all(_NAME_WORD.fullmatch(w) for w in names) \
        and not any(w in lex.heads for w in lw) and not parts & (lex.organisation_words | _BODY_WORDS)


def _is_agency(name: str) -> bool:
    """Whether ``name`` is an aid agency of the units lexicon or an actor of the gazetteer."""
    from orbat.extract.quantities import lexicon

    agencies = lexicon().aid_agency_re
    return name in load_gazetteer().actors or bool(agencies is not None and agencies.fullmatch(name))


_BODY_WORDS = frozenset({"services", "relations", "affairs", "operations", "staff", "police", "army", "guard",
                         "resistance", "brigade", "brigades", "corps", "directorate", "media", "news"})


_NAME_WORD = re.compile(r"(?:[a-z]{1,3}-)?[A-Z][a-zà-ÿ]*(?:['’\-][A-Za-zà-ÿ]+)*")  # "Jean-Pierre", "al-Ahdal", "O'Brien"


def _strip_titles(src: str | None, lex: Cues) -> str | None:
    if not src:
        return src
    words = src.split()
    while len(words) > 1 and words[0].lower() in lex.titles and words[1][:1].isupper():
        words.pop(0)  # "General Ivan Petrov" -> "Ivan Petrov"; "spokesman for the ministry" stays
    return " ".join(words)


def _spans(hits: list[_Hit], sent: str, base: int) -> list[Span]:
    """Split a sentence among its statements at clause breaks; post-cue statements end at their source."""
    end = base + len(sent)
    spans: list[Span] = []
    for i, h in enumerate(hits):
        nxt = next((x for x in hits[i + 1:] if not (x.post or x.passive or x.aside)), None)
        stop = end
        if nxt is not None:
            lo = max(h.cue_span[1], h.src_span[1]) - base
            breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sent, lo, nxt.src_span[0] - base)]
            commas = [m.start() for m in re.finditer(r",", sent[lo:nxt.src_span[0] - base])]
            if breaks:
                stop = base + breaks[-1]
            elif commas:
                stop = base + lo + commas[-1]
        if h.post:
            prev = spans[-1][1] if spans and not hits[i - 1].post and i > 0 else base
            start = prev if prev < h.src_span[0] else base
            spans.append((start, max(h.src_span[1], h.cue_span[1]) if nxt else end))
        elif h.passive:
            after = [m.start() for m in _CLAUSE_BREAK.finditer(sent, h.cue_span[1] - base)]
            spans.append((_clause_start(sent, h, base), min(stop, base + after[0]) if after else stop))
        else:
            src_at = min(h.src_span[0], h.cue_span[0])
            opening = not _CLAUSE_BREAK.search(sent, 0, src_at - base) and not any(
                not (x.passive or x.aside) for x in hits[:i])
            start = base if opening else src_at  # "However, officials believe ..." is one statement
            spans.append((start, stop))
    return [(a, _rstrip(sent, base, a, b)) for a, b in spans]


def _clause_start(sent: str, h: _Hit, base: int) -> int:
    breaks = [m.end() for m in re.finditer(r",\s+|" + _CLAUSE_BREAK.pattern, sent[:h.cue_span[0] - base])]
    return base + (breaks[-1] if breaks else 0)


def _rstrip(sent: str, base: int, a: int, b: int) -> int:
    while b > a and sent[b - base - 1] in " ,;":
        b -= 1
    return b


def _extend_quote(text: str, span: Span, hit: _Hit) -> Span:
    """Widen a statement to the whole quotation it attributes when the quote spans sentences."""
    a, b = span
    inside = text[a:b]
    if hit.post and "”" in inside and "“" not in inside[: inside.find("”")]:
        para = text.rfind("\n", 0, a) + 1
        prev_para = text.rfind("\n", 0, max(para - 1, 0)) + 1
        opening = text.rfind("“", prev_para, a)
        if opening >= 0 and "”" not in text[opening:a]:
            return opening, b
    if not hit.post and inside.count("“") > inside.count("”"):
        closing = text.find("”", b)
        if closing >= 0 and "\n" not in text[b:closing]:
            return a, closing + 1
    return a, b


def _statement(text: str, doc: str, hit: _Hit, span: Span, sent: Span, lex: Cues) -> Statement:
    """Build the record: the content's hedges set modality and likelihood, markers the evidential."""
    cut = (max(span[0], sent[0]), min(span[1], sent[1]))
    skip = (min(hit.src_span[0], hit.cue_span[0]), max(hit.src_span[1], hit.cue_span[1]))
    content = [(cut[0], max(cut[0], min(skip[0], cut[1]))), (max(skip[1], cut[0]), cut[1])]
    if hit.post:  # "..., and 10 million fled, according to the UN": the last clause is asserted
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, content[0][0], content[0][1])]
        content[0] = (breaks[-1] if breaks else content[0][0], content[0][1])
    hedge = None
    for a, b in ([] if hit.aside else content):
        hedge = hedge or _first_hedge(text, a, b, lex)
    modality, likelihood = hit.modality, None
    if hedge:
        word, hmod = hedge
        if hit.modality == "certain" or hmod == "improbable" or hit.passive or word in lex.likelihood:
            modality = hmod if not hit.passive or hmod != "certain" else hit.modality
            likelihood = lex.likelihood.get(word)
    relayed = hit.via or (hit.source.via if hit.source else None)
    reported = hit.reported or bool(relayed) or any(_governing_marker(text, a, b, lex) for a, b in content)
    source = hit.source.text if hit.source else None
    return Statement(doc=doc, span=span, text=text[span[0]:span[1]], cue=hit.cue, cue_span=hit.cue_span,
                     source=source, evidential="reported" if reported else "direct",
                     modality=modality, negated=hit.negated, likelihood=likelihood, via=relayed)


def _first_hedge(text: str, a: int, b: int, lex: Cues) -> tuple[str, str] | None:
    """The first estimative word governing the clause text[a:b] (not in a relative clause or aside)."""
    if a >= b:
        return None  # an empty part of a statement: nothing to scan
    for m in lex.hedge_re.finditer(text, a, b):
        word = _SPACES.sub(" ", m.group())
        before = text[a:m.start()]
        if _RELATIVE.search(before) or _NOT_NEXT.match(text[m.end():m.end() + 5]) or _not_hedge(text, m):
            continue
        if word in lex.phrase_hedges and word not in lex.clause_hedges:
            if _ASIDE_END.search(before):
                continue  # ", potentially involving ...": an aside about one phrase
            return word, lex.phrase_hedges[word]
        mod = lex.clause_hedges.get(word) or _band_modality(lex.likelihood.get(word))
        if mod:
            return word, mod
    return None


def _band_modality(band: tuple[float, float] | None) -> str | None:
    if band is None:
        return None
    mid = sum(band) / 2
    return "certain" if mid >= 0.95 else "probable" if mid > 0.55 else "possible" if mid >= 0.45 else "improbable"


def _governing_marker(text: str, a: int, b: int, lex: Cues) -> bool:
    """True when "reportedly" (or the like) stands in the main clause of text[a:b]."""
    if a >= b or not _may_hold_marker(text, lex):
        return False
    for m in lex.evidential_re.finditer(text, a, b):
        if not _RELATIVE.search(text[a:m.start()]):
            return True
    return False


# Non-ASCII letters that IGNORECASE matches to ASCII ones (İ ı ſ and the Kelvin sign): str.lower()
# folds them differently, so a text holding one gets no substring shortcut.
_FOLD_TO_ASCII = "\u0130\u0131\u017f\u212a"
_MARKER_MEMO: list = [(None, None, True)]  # one (text, lexicon, may it hold a marker), swapped whole


def _may_hold_marker(text: str, lex: Cues) -> bool:
    """False when no evidential marker can stand anywhere in ``text``: one substring test per
    marker's first word, done once per text, spares the per-clause regex scans (most texts
    have no "reportedly")."""
    memo = _MARKER_MEMO[0]
    if memo[0] is not text or memo[1] is not lex:
        firsts = {w.split()[0] for w in lex.evidential_markers if w.split()}
        low = text.lower()
        memo = (text, lex, not all(w.isascii() for w in firsts)
                or any(c in text for c in _FOLD_TO_ASCII) or any(w in low for w in firsts))
        _MARKER_MEMO[0] = memo
    return memo[2]


def attribute(quantities: list[Quantity], statements: list[Statement], text: str) -> list[Quantity]:
    """Each quantity with source, evidential, modality and likelihood from the statement covering it
    (the smallest one) and the hedges that govern it in its own clause."""
    lex = load_cues()
    sents = sentence_spans(text)
    starts = [a for a, _ in sents]
    out = []
    speaker: list[str | None] = []  # the interviewee, found once when an answer needs it
    smallest_covering = _smallest_covering(statements)
    author = document_author(text)
    lists = _list_blocks(statements, text)
    by_sentence: dict = {}
    for st in statements:
        k = bisect_right(starts, st.cue_span[0]) - 1
        if k >= 0:
            by_sentence.setdefault(sents[k], []).append(st)
    for q in quantities:
        st = smallest_covering(q.span) or next((st for a, b, st in lists if a <= q.span[0] < b), None)
        i = bisect_right(starts, q.span[0]) - 1
        sent = sents[i] if i >= 0 and q.span[0] < sents[i][1] else (0, len(text))
        if st is not None and st.source is None and not st.negated:
            st = _said_by_the_sentence(st, q, by_sentence.get(sent, ()), text, lex)
        one = _attribute_one(q, st, text, sent, lex)
        if st is None and in_answer(text, q.span[0]):
            if not speaker:
                speaker.append(_interviewee(text, lex))
            one = replace(one, source=speaker[0])  # "A: On a bad day, 30 or 40": the interviewee's
        elif st is None and author and one.source is None:
            one = replace(one, source=author)  # a ministry's own statement: the ministry says so
        out.append(one)
    return out


def _said_by_the_sentence(st: Statement, q: Quantity, same: list, text: str, lex: Cues) -> Statement:
    """An agentless "is believed" inside what a named source says ("Pyongyang is believed to
    have sent 11,000 troops, the lawmakers told reporters"; "Israeli officials say 59 hostages
    are held, of whom about 24 are believed to be alive"): that source says it, as believed."""
    if st.cue not in lex.passive_modality or not _BE_BEFORE.search(text, max(0, st.cue_span[0] - 30), st.cue_span[0]):
        return st
    for o in same:
        if o is st or not o.source or o.negated:
            continue
        covers = o.span[0] <= q.span[0] and q.span[1] <= o.span[1] and o.cue_span[1] <= st.cue_span[0]
        closes = o.cue_span[0] > q.span[1] and _CLOSING_SOURCE.match(text, q.span[1], o.cue_span[0]) and \
            not _NEW_CLAUSE.search(text, q.span[1], o.cue_span[0])  # "..., and 10 million have fled, according to"
        if covers or closes:  # "..., the lawmakers told reporters": the source closing the sentence
            return replace(st, source=o.source, via=o.via)
    return st


_BE_BEFORE = re.compile(r"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+|also\s+|now\s+|still\s+)?$", re.I)
_NEW_CLAUSE = re.compile(r",\s*(?:and|but|while|whereas)\s", re.I)
_CLOSING_SOURCE = re.compile(r"[^;]*,\s*(?!(?:although|though|but|while|whereas|as|and|because|after|when|since|if|"
                             r"even|yet|with)\b)(?:[\w.'’\-]+\s+){0,6}$", re.I)


def _list_blocks(statements: list[Statement], text: str) -> list[tuple[int, int, Statement]]:
    """The lines a statement ending in a colon introduces ("... the General Staff reported:" and
    the tally below it, up to the next blank line): its source speaks them too."""
    out = []
    for st in statements:
        if not text.endswith(":", 0, st.span[1]) or text.find("\n", st.span[1], st.span[1] + 3) < 0:
            continue
        a = st.span[1]
        while a < len(text) and text[a] in " \t\n":
            a += 1
        b = text.find("\n\n", a)
        out.append((a, len(text) if b < 0 else b, st))
    return out


def _smallest_covering(statements: list[Statement]):
    """A lookup of the shortest statement whose span holds a given span (the first such in
    ``statements`` on a tie), or None. Only statements starting at most the longest statement's
    length before the span can hold it, so each lookup scans a few neighbours, not the document."""
    order = sorted(range(len(statements)), key=lambda i: statements[i].span[0])
    starts = [statements[i].span[0] for i in order]
    longest = max((st.span[1] - st.span[0] for st in statements), default=0)

    def lookup(span: Span) -> Statement | None:
        best = None
        for j in range(bisect_left(starts, span[1] - longest), bisect_right(starts, span[0])):
            a, b = statements[order[j]].span
            if span[1] <= b and (best is None or (b - a, order[j]) < best):
                best = (b - a, order[j])
        return statements[best[1]] if best else None

    return lookup


_ANSWER = re.compile(r"[ \t]*(?:A|Answer)\s*[:.]\s")
_INTERVIEW_WITH = re.compile(r"\binterview(?:ed)?\s+with\s+((?:[A-Z][\w'’.\-]*[ \t]*)+)")


def _interviewee(text: str, lex: Cues) -> str | None:
    """The person a Q&A interview is with ("interview with Colonel Andriy Hnatiuk, ..."), else the
    first titled name of the introduction before the first question ("Colonel A. B. Warsame, 47,
    commands ..."), titles dropped."""
    m = _INTERVIEW_WITH.search(text)
    if m:
        return _strip_titles(m.group(1).strip(), lex)
    q = first_question(text)
    intro = text[:q] if q is not None else ""
    for m in _TITLED_NAME.finditer(intro):
        words = [m.group(1), *m.group(2).split()]  # "Divisional Inspector Ronald Jean-Baptiste"
        at = next((i for i, w in enumerate(words[:-1]) if w.lower() in lex.titles or w.lower() in _RANKS), None)
        if at is not None and words[at + 1:] and not _BYLINE.search(intro, max(0, m.start() - 4), m.start() + 3):
            return _drop_ranks(" ".join(words[at + 1:]))
    for m in _INTRO_NAME.finditer(intro):  # "Bo Thura, a former schoolteacher, commands ..."
        if m.group(1).startswith("By "):
            continue  # the byline: who asks, not who answers
        name = _drop_ranks(m.group(1))
        if name and " " in name or name and m.group(1) != name:
            return name
    m = _SPOKE_TO.search(intro)  # "we spoke to a senior staff officer of the UN force (UNIFIL)"
    if m and (named := _NAME_AFTER.match(intro, m.end(1))):
        return _drop_ranks(named.group(1))  # "We spoke to the county commissioner, Abdikadir Hussein Omar,"
    return m.group(1).strip() if m else None


_BYLINE = re.compile(r"(?:^|\n)[ \t]*By\b")
_NAME_AFTER = re.compile(r"\s*,\s+((?:[A-Z][\w'’.\-]+[ \t]+){1,3}[A-Z][\w'’\-]+)\s*[,.(]")


_SPOKE_TO = re.compile(r"\b(?:[Ww]e|I|(?:[Oo]ur|[Tt]he|[Aa])\s+(?:correspondent|reporter|journalist))\s+(?:spoke|talked)(?:\s+(?:by|on|over|via)\s+[\w\s]{1,20}?\w)?\s+(?:to|with)\s+(?:an?\s+|the\s+)?"
                       r"([^,.;(\n]{4,80}?)\s*(?:\(|,|\.|;| at | by | from )")


def relayed_by_outlets(text: str, statements: list[Statement]) -> list[Statement]:
    """ "X said ..., the Armenpress news agency reported": when a news outlet reports later in the
    sentence, the earlier sources' words reach the reader through it (evidential reported, via
    the outlet), as the conventions have it for relays."""
    lex = load_cues()
    outlets = {src: _is_outlet(src, lex) for src in {st.source for st in statements if st.source}}
    media = [st for st in statements if st.source and outlets[st.source]]
    if not media:
        return statements
    sents = sentence_spans(text)
    starts = [a for a, _ in sents]
    media.sort(key=lambda m: m.cue_span[0])
    media_at = [m.cue_span[0] for m in media]
    out = []
    for st in statements:
        if st.source and not outlets[st.source] and st.evidential == "direct":
            k = bisect_right(starts, st.cue_span[0]) - 1
            sent = sents[k] if k >= 0 and st.cue_span[0] < sents[k][1] else None
            j = bisect_left(media_at, st.cue_span[1])  # the first outlet's cue after this one
            outlet = media[j] if sent and j < len(media) and media_at[j] < sent[1] else None
            if outlet is not None:
                st = replace(st, evidential="reported", via=st.via or outlet.source)
        out.append(st)
    return out


def _is_outlet(source: str, lex: Cues) -> bool:
    words = source.replace("’s", "").replace("'s", "").split()
    return any(w in lex.media_words or w.lower() in lex.media_words for w in words) or \
        any(" ".join(words[i:i + 2]) in lex.media_words for i in range(len(words) - 1))


def speak_for_interviewee(text: str, statements: list[Statement]) -> list[Statement]:
    """In a Q&A interview, what an answer says in the first person ("I think", "Our intelligence
    says", an unnamed source) is the interviewee's."""
    if first_question(text) is None:
        return statements
    lex = load_cues()
    who = _interviewee(text, lex)
    if not who:
        return statements
    out = []
    for st in statements:
        line = text.rfind("\n", 0, st.cue_span[0]) + 1
        passive = st.source is None and st.cue in lex.passive_modality  # "is believed": nobody's
        first_person = not passive and (st.source is None or st.source.split()[0].lower() in ("i", "we", "our", "my"))
        out.append(replace(st, source=who) if first_person and in_answer(text, line) else st)
    return out


def first_question(text: str) -> int | None:
    """Where a Q&A interview's first question starts: a "Q:" line, or else the first of two or
    more lines that are a question alone (interviews printed without Q/A labels); None if none."""
    at = _first_question_line(text)
    if at is not None:
        return at
    bare = _bare_questions(text)
    return bare[0][0] if bare else None


def in_answer(text: str, pos: int) -> bool:
    """``pos`` stands in an interview's answer: an "A:" line, or a paragraph after a question
    line printed without labels."""
    line = text.rfind("\n", 0, pos) + 1
    if _ANSWER.match(text, line):
        return True
    if _first_question_line(text) is not None:  # "Question: ..." then "Colonel Arbeláez: ...": the paragraph after a question
        if _QUESTION.match(text, line):
            return False
        j = line
        while j > 0 and text[j - 1] in " \t\r\n":
            j -= 1  # back over the blank lines to the paragraph before (no copy of the text)
        return j > 0 and bool(_QUESTION.match(text, text.rfind("\n", 0, j) + 1))
    bare = _bare_questions(text)
    if not bare or pos < bare[0][1]:
        return False
    return not any(a <= pos < b for a, b in bare)


def question_before(text: str, pos: int) -> tuple[int, int] | None:
    """The span of the question an interview answer at ``pos`` replies to: the nearest "Q:" line
    (or bare question line) before the answer's line, within 800 characters; None if none."""
    line = text.rfind("\n", 0, pos) + 1
    found = None
    for m in _QUESTION.finditer(text, max(0, line - 800), line):
        found = m.start()
    if found is None:
        bare = [a for a, b in _bare_questions(text) if line - 800 <= a < line]
        found = bare[-1] if bare else None
    if found is None:
        return None
    end = text.find("\n", found)
    return found, end if 0 <= end <= line else line


@lru_cache(maxsize=TEXTS_CACHED)
def _first_question_line(text: str) -> int | None:
    """Where the text's first "Q:" / "Question:" line starts, or None (read once per text)."""
    m = _QUESTION.search(text)
    return m.start() if m else None


@lru_cache(maxsize=TEXTS_CACHED)
def _bare_questions(text: str) -> list[tuple[int, int]]:
    """The lines of ``text`` that are a question alone, when there are two or more (read once per text)."""
    if "?" not in text:
        return []
    found = [m.span() for m in _BARE_QUESTION.finditer(text)]
    return found if len(found) >= 2 else []


_BARE_QUESTION = re.compile(r"^[ \t]*[A-Z][^\n?]{8,220}\?[ \t]*$", re.M)


def _drop_ranks(name: str) -> str:
    """ "Divisional Commissioner Jean-Robert Pierre-Louis" -> "Jean-Robert Pierre-Louis"."""
    words = name.split()
    while len(words) > 1 and words[1].lower() != "staff" and (words[0].lower().rstrip(".") in _RANKS or words[0].lower().endswith("al")
                              and words[1].lower() in _RANKS):
        words = words[1:]
    return " ".join(words)


_INTRO_NAME = re.compile(r"^[ \t]*((?:[A-Z][\w'’\-]+[ \t]+){0,4}[A-Z][\w'’\-]+),[ \t]", re.M)


_QUESTION = re.compile(r"^[ \t]*(?:Q|Question)\s*[:.]\s", re.M)
_TITLED_NAME = re.compile(r"(?<![\w\-])([A-Z][a-z]+\.?)[ \t]+((?:[A-Z][\w'’\-]+[ \t]+){1,3}[A-Z][\w'’\-]+)")
_RANKS = frozenset("""colonel general major captain commander lieutenant brigadier sergeant admiral
marshal dr dr. mr mr. ms ms. mrs mrs. professor commissioner inspector chief governor""".split())


def _attribute_one(q: Quantity, st: Statement | None, text: str, sent: Span, lex: Cues) -> Quantity:
    clause_a = sent[0]
    for m in _CLAUSE_BREAK.finditer(text, sent[0], q.span[0]):
        clause_a = m.end()
    if st is not None and st.span[0] > clause_a and st.span[0] <= q.span[0]:
        clause_a = st.span[0]
    hedge = _local_hedge(text, clause_a, q.span[0], lex) or _clause_hedge(text, clause_a, q.span[0], lex) \
        or _predicate_hedge(text, q.span[1], sent[1], lex)
    modality, likelihood = "certain", None
    if hedge:
        modality, likelihood = hedge[1], lex.likelihood.get(hedge[0])
    elif st is not None and not (_is_post_statement(st) and q.span[0] > st.cue_span[1]):
        modality = lex.verb_modality.get(st.cue, "certain") if st.source or st.cue == "according to" \
            else st.modality  # an agentless passive's own modality
    reported = _governing_marker(text, clause_a, q.span[0], lex) or bool(st and st.evidential == "reported")
    changes = {"source": st.source if st else None, "evidential": "reported" if reported else "direct",
               "modality": modality, "likelihood": likelihood}
    return Quantity(**dict(zip(_QUANTITY_KEPT, _kept_fields(q))), **changes)


# dataclasses.replace without its per-call field introspection: attribution sets the four
# _ATTRIBUTION fields of Quantity; the other init fields are copied, read by one attrgetter call
_ATTRIBUTION = ("source", "evidential", "modality", "likelihood")
_QUANTITY_KEPT = tuple(f.name for f in fields(Quantity) if f.init and f.name not in _ATTRIBUTION)
_kept_fields = attrgetter(*_QUANTITY_KEPT)


def _is_post_statement(st: Statement) -> bool:
    """True when the cue closes the statement ("..., officials said"): content stands before it."""
    return st.cue_span[0] > st.span[0] + (st.span[1] - st.span[0]) // 2


_NEW_SUBJECT = re.compile(r"[.;:\d]|\b(?:whom|which|who|whose|that|half|third|quarter)\b", re.I)
_PREDICATE_HINT = re.compile(r"(?=[mctbea])\b(?:may|might|could|thought|believed|estimated|expected|assessed)\b", re.I)
_MODAL_AFTER = re.compile(r"(?:[\s,]+[\w'’\-]+){0,3}?\s+(may|might|could)\s+(?:well\s+)?(?:have|be)\b", re.I)
_PASSIVE_AFTER = re.compile(r"(?:[\s,]+[\w'’\-]+){0,12}?[\s,]+(?:are|is|were|was)\s+(?:widely\s+|now\s+)?"
                            r"(thought|believed|estimated|expected|assessed)\s+to\b", re.I)


def _predicate_hedge(text: str, pos: int, end: int, lex: Cues) -> tuple[str, str] | None:
    """A hedge in the quantity's own predicate after it: "200,000 may have died", "3,000 fighters
    ... are thought to be deployed"."""
    hint = _PREDICATE_HINT.search(text, pos, min(end, pos + 90))
    if hint is None:
        return None  # the cheap scan: most figures have no hedge after them
    m = _MODAL_AFTER.match(text, pos, end) or _PASSIVE_AFTER.match(text, pos, end)
    if m is None or _not_hedge(text, m) or _NEW_SUBJECT.search(text, pos, m.start(1)):
        return None  # "100 hostages remain, a third of whom are thought to be dead": not the 100
    word = m.group(1).lower()
    mod = lex.clause_hedges.get(word) or lex.passive_modality.get(word)
    return (word, mod) if mod in ("possible", "probable") else None


def _local_hedge(text: str, a: int, pos: int, lex: Cues) -> tuple[str, str] | None:
    """A hedge adverb right before the quantity: "perhaps up to 15,000", "possibly as many as"."""
    window = text[max(a, pos - 30):pos]
    m = _HEDGE_BEFORE.search(window)
    if m and m.group(1).lower() in lex.phrase_hedges:
        return m.group(1).lower(), lex.phrase_hedges[m.group(1).lower()]
    return None


def _clause_hedge(text: str, a: int, pos: int, lex: Cues) -> tuple[str, str] | None:
    """The last clause-level hedge before the quantity in its clause ("might deploy 100,000")."""
    found = None
    for m in lex.hedge_re.finditer(text, a, pos):
        word = _SPACES.sub(" ", m.group())
        mod = lex.clause_hedges.get(word) or _band_modality(lex.likelihood.get(word))
        if mod and (word not in lex.phrase_hedges or word in lex.clause_hedges) \
                and not _NOT_NEXT.match(text[m.end():m.end() + 5]) and not _not_hedge(text, m):
            found = (word, mod)
    return found


_AN_BEFORE = re.compile(r"\b(?:an|the)\s+$", re.I)
_CHECK_AFTER = re.compile(r"\s+(?:not\s+)?(?:be\s+)?(?:independently\s+)?(?:confirm|verif|comment)", re.I)


def _not_hedge(text: str, m: re.Match) -> bool:
    """Words that look estimative but are not: "an estimated 70" is a bound on the number, and
    "could (not) confirm/verify" speaks of checking, not of likelihood."""
    word = m.group().lower()
    if word == "estimated":
        return bool(_AN_BEFORE.search(text, max(0, m.start() - 5), m.start()))
    return word in ("could", "can", "may") and bool(_CHECK_AFTER.match(text, m.end()))
