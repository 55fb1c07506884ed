"""Find quantities in news text: numbers, ranges and vague amounts with unit, rate, bound,
actor, measure and location.

Sentences without a digit or number word are skipped by one cheap regex search; the rest go
through compiled regexes built once from the YAML lexicons in ``orbat/resources``
(units.yaml, measures.yaml, gazetteer.yaml). Source, evidentiality and modality are left at
their defaults: ``statements.attribute`` fills them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from orbat.extract.gazetteer import Gazetteer, Mention, lead_pattern, load_gazetteer, trie_pattern
from orbat.extract.lexicon import current
from orbat.extract.numbers import DENOMINATORS, SCALES, SMALL, parse_digits, parse_number
from orbat.extract.sentences import sentence_spans
from orbat.resources import read_yaml
from orbat.types import Quantity


_NUMWORD_SET = frozenset([*SMALL, "hundred", "thousand", "million", "billion", "trillion", "dozen"])
_NUMWORDS = sorted(_NUMWORD_SET, key=len, reverse=True)
_NW = trie_pattern(_NUMWORDS, caseless=True)  # used in IGNORECASE patterns only
_FRAC = trie_pattern(DENOMINATORS, caseless=True)
_SEPS = r"(?:,[\u200b\u2060]?|[ \u00a0\u2009\u202f])"
_DIG = rf"(?:\d{{1,3}}(?:{_SEPS}\d{{3}})+(?!\d)|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion)\b|(?:k|bn|mn|mln|tn|m|b)\b)"
# One number: digits with optional scale, or number words (possibly mixed with digits), or a
# fraction word, or a vague amount. Named groups tell which. The vague and fraction branches are
# guarded by their first letters and shared prefixes are factored, so most word starts ("the")
# are rejected after a character test or two.
_NUMBER = (
    rf"(?=[thsadmb])(?P<vague>tens\s+of\s+(?:thousands|millions|billions)|"
    rf"hundreds(?:\s+of\s+(?:thousands|millions|billions))?|"
    rf"(?:several|a\s+few)\s+(?:hundred|thousand|million|billion|dozen)(?!\s+(?:{_NW})\b)|"
    rf"dozens|thousands|millions|billions|decades)"
    rf"|(?=[aotfsnhqe])(?P<frac>(?:(?:a|an|one|two|three|four|five|seven|nine)[\s-]+)?(?:{_FRAC})"
    rf"(?:\s+an?\s+(?:thousand|million|billion|dozen)\b)?)"
    rf"|(?P<digits>{_DIG}{_SCALE}?)"
    rf"|(?P<words>(?:(?:a|an)\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?(?:{_NW})"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{_NW}|{_DIG})(?![\w]))*)"
)
# first letters any _NUMBER alternative can open with (vague, fraction and number words)
_NUMBER_FIRST = "".join(sorted({w[0] for w in [*_NUMWORDS, *DENOMINATORS, "tens", "hundreds", "several",
                                               "a", "an", "one", "dozens", "decades", "millions",
                                               "billions", "thousands"]}))
_NUMBER_RE = re.compile(rf"(?=[\d{_NUMBER_FIRST}])"
                        rf"(?<![\w.,/:])(?<![A-Za-z]-)(?<![A-Za-z]–)(?:{_NUMBER})(?![\w])(?!/\d)(?!:\d)",
                        re.IGNORECASE)
# A sentence is scanned for numbers only if it holds a digit or a number word: two searches, since a
# lone ``\d`` lets the regex engine skip ahead by character class, far faster than one alternation.
_HAS_DIGIT = re.compile(r"\d")
_PREFILTER_WORDS = [*_NUMWORDS, "dozens", "hundreds", "thousands", "millions", "billions", "decades",
                    "half", "third", "thirds", "quarter", "quarters"]
_HAS_NUMBER_WORD = re.compile(
    rf"{lead_pattern(_PREFILTER_WORDS)}\b(?:{trie_pattern(_PREFILTER_WORDS, caseless=True)})\b", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"(?:\s*(?:-|–|—|to)\s*|\s+(?:to|or)\s+)(?:[$€£]\s?)?", re.IGNORECASE)  # "30 or 40 a day"
_BETWEEN = re.compile(r"(?:between|from)\s+(?:[$€£]\s?)?$", re.IGNORECASE)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|UTC\b|hrs\b|o'clock)", re.IGNORECASE)
_WORD = re.compile(r"\s*([A-Za-z][\w’'.-]*)")
_NOT_AFTER_ONE = re.compile(r"^(?:-[a-z]|\s+of\b|\s+another\b|\s+by\s+one\b)", re.IGNORECASE)
_BEFORE_HALF = re.compile(r"(?:first|second|latter|former|other|the|this|last|next)\s+$",
                          re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;:.!?()\u2014\u2013\"“”]|\d|\b(?:and|but|while|whereas)\b")
# the same, but "the past 24 hours" is a period, not another number
_PERIOD_END = re.compile(r"[,;:.!?()\u2014\u2013\"“”]|(?<!\d)(?!24\s*(?:hours|hrs|h)\b)\d|\b(?:and|but|while|whereas)\b")
# dates written with digits only ("2024-11-03", "24.02.2022", "3/11/2024"): no number inside is a quantity
_DIGIT_DATE = re.compile(r"(?<![\d.,])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?![\d.,]?\d)")
# "in the past 24 hours": a period that makes the figures daily, not a quantity itself
_PAST_DAY = re.compile(r"(?:past|last|previous|preceding|same|\bin|\bwithin)\s+$", re.IGNORECASE)
_ONE_PERIOD = re.compile(r"\s+(?:day|week|month|night)\b(?!\s+of\b)", re.IGNORECASE)
_IN_BEFORE = re.compile(r"\b(?:in|within)\s+$", re.IGNORECASE)
_NOT_RATE = re.compile(r"\s+(?:later|earlier|ago|before|after|of)\b", re.IGNORECASE)
_PLURAL_NOUN = re.compile(r"[a-z]{2,}[a-rt-z]s")
_FRAC_OF_SCALE = re.compile(r"(.+?)\s+an?\s+(thousand|million|billion|dozen)$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:.!?]|\b(?:said|says|according)\b")
_POSSESSIVE = re.compile(r"[’']s\s")
_OF_THE = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+|these\s+|those\s+|its\s+|their\s+|[A-Z][\w\-]*[’']s\s+)?")
_WORD_IS_NAME = re.compile(r"\s+[A-Z]")
_SMALL_OK_BEFORE = re.compile(r"(?:another|a\s+further|an\s+additional|at\s+least|only|just)\s+$",
                              re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_DIGITS_SCALE = re.compile(rf"({_DIG})\s*([a-z]*)$", re.IGNORECASE)
_LETTER_END = re.compile(r"[a-z]$", re.I)
_AND_GAP = re.compile(r"\s+and\s+(?:[$€£]\s?)?")
_OF_GAP = re.compile(r"\s+of\s")
_SCALE_END = re.compile(r"(thousand|million|billion|trillion|k|bn|mn|mln|tn|m|b)\s*$", re.I)
_YEAR = re.compile(r"\d{4}")
_WORDS_AND = re.compile(r"(.+?(?<!hundred)(?<!thousand)(?<!million)(?<!billion))\s+and\s+(.+)", re.I)
_LABEL_AFTER = re.compile(r"[-\u2010\u2011 ](?:years?|months?|weeks?|days?)[-\u2010\u2011 ]olds?\b|"
                          r"-(?:page|point|seat|storey|story|member|nation|country|litre|liter|gallon)\b|"
                          r"(?:\.\d+)?[-\u2010\u2011 ]?mm\b|[-\u2010\u2011 ](?:calibre|caliber)\b|"
                          r"\s+(?:years?|months?|weeks?|days?|hours?)\s+(?:ago|on|earlier|later|previously|beforehand)\b|"
                          r"\s+(?:hotline|helpline)\b|[-\u2010\u2011 ](?:year|month|week)[-\u2010\u2011 ](?:high|low|record)\b|"
                          rf"\s+(?:days?|weeks?)\s+of\s+(?:{_MONTHS})\b",  # "the first three weeks of May": a date
                          re.I)
_ZONE_BEFORE = re.compile(r"(?:GMT|UTC)\s?[+\-\u2212]$")
_DAY_LIST_AFTER = re.compile(rf"\s*(?:,|and|or|&)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.I)
_LIST_ITEM = re.compile(r"\d{1,2}[.)]\s+[A-Z]")
_INLINE_ITEM = re.compile(r"[.)]\s+(?:[a-z]|\d)")
_INLINE_ITEM_BEFORE = re.compile(r"(?::|,|;|\band|\d)\s+$")


def _NAME_WITH_NUMBER(text: str, start: int, end: int) -> bool:
    """A number that opens a gazetteer name ("400 Mawozo")."""
    return any(text.startswith(name, start) and not text[start + len(name):start + len(name) + 1].isalnum()
               for name in _numbered_names())


def _numbered_names() -> tuple[str, ...]:
    gaz = load_gazetteer()
    if id(gaz) not in _NUMBERED:
        _NUMBERED[id(gaz)] = tuple(n for n in (*gaz.actors, *gaz.places) if n[:1].isdigit())
    return _NUMBERED[id(gaz)]


_NUMBERED: dict[int, tuple[str, ...]] = {}  # per gazetteer object (each is cached for the process)


_H24_AFTER = re.compile(r"\s*(?:hours|hrs|h)\b|-hour\b", re.I)
_MONTHS_AFTER = re.compile(r"\s*months\b", re.I)
_DAYS_AFTER = re.compile(r"\s*days\b", re.I)
_PERIOD_TO = re.compile(r"\s*(?:months|days)\s+(?:to|until|ending|through)\s+(?:the\s+end\s+of\s+)?[A-Z0-9]")
_DATE_HINT = re.compile(r"\d[./-]\d")
_DECADE = re.compile(r"\d{4}s")
_CLAUSE_PUNCT = re.compile(r"[,;:.()\u2014]")
_LAST_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z]+)\W*$")  # tried at word starts only: no backtracking in words
_ALPHA_RUN = re.compile(r"[A-Za-z-]+")
_NEXT_WORD = re.compile(r"(?:[’']s)?\s+([A-Za-z]+)")
_BREAK_PUNCT = re.compile(r"[,;:\u2014]")
def _small_count(text: str, end: int, s: int, e: int) -> bool:
    """ "destroyed two Israeli armoured bulldozers", "repelled four counterattacks", "three of
    them were captured": a small number word counting war things in a sentence about fighting."""
    if _OF_THEM.match(text, end, e):
        return True
    m = _COUNTED_AFTER.match(text, end, e)
    return bool(m) and m.group(1).lower() not in _NOT_COUNTED and bool(_WAR_VERB.search(text, s, e))


_OF_THEM = re.compile(r"\s+of\s+(?:them|whom|these|those)\b", re.I)
_COUNTED_AFTER = re.compile(r"(?:\s+(?:[A-Z][\w.\-]*|[a-z][a-z\-]*|[0-9.]+\s?mm)){0,3}?\s+([a-z]{3,}(?:s|men))\b")
_NOT_COUNTED = frozenset("""sides officials sources times ways years months weeks days hours minutes decades
countries parties things nations states reasons questions issues options points steps rounds stages phases
members governments leaders ministers diplomats analysts experts journalists reporters residents witnesses
children sons daughters brothers sisters wives husbands words pages letters seats shifts terms""".split())
_WAR_VERB = re.compile(r"\b(?:destroy|destroyed|kill|killed|captur|seiz|repel|repuls|shot\s+down|downed|hit|struck|"
                       r"launch|fired|lost|wounded|injured|abduct|attack|ambush|intercept|deploy|sent|dispatch|"
                       r"neutrali[sz]|eliminat|sank|sunk|damag|burn|overr?an|recaptur|took|taken)\w*", re.I)
_SMALL_OK_AFTER = re.compile(r"\s+(?:more\s+)?(?:were|are|have|had|died|others)\b", re.IGNORECASE)
_NOT_MODIFIERS = frozenset("""was were is are be been being has have had will would could should
may might can must did does do not no to in on at by for from with as than that which who
per a an if or but so into over under up down out off about after before since during while
said says say more most less least times percent last next this that these those every each
past previous same first second other another such""".split())
_NOT_NOUNS = frozenset("""was has is this its as us less across always perhaps his hers yours
ours theirs does goes thus whereas unless besides towards afterwards news was previous various
serious famous enormous numerous anonymous process""".split())
_VAGUE = {
    "dozens": (24, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
    "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
    "millions": (2e6, 999e6), "tens of millions": (2e7, 99.9e6),
    "hundreds of millions": (2e8, 999e6), "billions": (2e9, 999e9),
    "tens of billions": (2e10, 99.9e9), "hundreds of billions": (2e11, 999e9),
    "decades": (20, 99),
}


@dataclass(frozen=True)
class _Lexicon:
    """Compiled unit, rate, bound and measure lexicons (from the YAML resources)."""

    unit_re: re.Pattern[str]
    unit_of: dict[str, tuple[str, float]]
    currency_re: re.Pattern[str]
    currency_of: dict[str, str]
    rate_re: re.Pattern[str]
    rate_of: dict[str, str]
    rate_adj_re: re.Pattern[str]
    rate_adj_of: dict[str, str]
    fillers: frozenset[str]
    bound_re: re.Pattern[str]
    bound_of: dict[str, str]
    cue_re: re.Pattern[str]
    cue_measures: dict[str, list[tuple[str, frozenset]]]
    unit_defaults: dict[str, str]
    located: frozenset[str]
    nearby_located: frozenset[str]
    period_re: re.Pattern[str]
    period_of: dict[str, str]
    known_units: frozenset[str]
    currency_units: frozenset[str]
    personnel_measures: frozenset[str]
    name_before_re: re.Pattern[str]
    market_re: re.Pattern[str]
    market_exempt: frozenset[str]
    sideless_units: frozenset[str] = frozenset()
    aid_agency_re: re.Pattern | None = None  # "WFP", "World Food Programme" (case as written)
    source_count_before_re: re.Pattern | None = None  # "citing " before "two residents"
    source_count_noun_re: re.Pattern | None = None  # " residents" (up to two words after the number)


def _alt(words, scan: bool = True) -> str:
    """A trie alternation of ``words`` for the IGNORECASE lexicon patterns below. A pattern that
    scans text (search, finditer) spells each letter's cases out, which makes it faster to run;
    one only tried where a number ends (``scan=False``: match) keeps plain letters, which match
    the same and compile ten times faster (the units' trie: 45 ms at every start, now 4)."""
    return trie_pattern({w.lower() for w in words}, caseless=scan)


def _yaml(path, name: str) -> dict:
    data = read_yaml(path, name, "a units or measures lexicon")
    if not isinstance(data, dict):
        raise ValueError(f"{path or name + ' (bundled)'}: expected a mapping at top level")
    return data


def lexicon() -> _Lexicon:
    """The compiled units.yaml and measures.yaml of the active lexicon (bundled by default)."""
    lex = current()
    return _compiled(lex.file("units.yaml"), lex.file("measures.yaml"))


@lru_cache(maxsize=4)
def _compiled(units_path, measures_path) -> _Lexicon:
    """Load and compile units.yaml and measures.yaml once per pair of files."""
    units, measures = _yaml(units_path, "units.yaml"), _yaml(measures_path, "measures.yaml")
    unit_of: dict[str, tuple[str, float]] = {}
    for key, entry in units["units"].items():
        if isinstance(entry, dict):
            for name in entry["names"]:
                unit_of[str(name).lower()] = (entry["unit"], float(entry.get("factor", 1.0)))
        else:
            for name in entry:
                unit_of[str(name).lower()] = (key, 1.0)
    currency_of = {str(s).lower(): u for u, signs in units["currencies"].items() for s in signs}
    rate_of = {str(p).lower(): per for per, ps in units["rates"].items() for p in ps}
    period_of = {str(p).lower(): per for per, ps in units["rate_periods"].items() for p in ps}
    rate_adj_of = {str(p).lower(): per for per, ps in units["rate_adjectives"].items() for p in ps}
    bound_of = {str(p).lower(): b for b, ps in measures["bounds"].items() for p in ps}
    cue_measures: dict[str, list[tuple[str, frozenset]]] = {}
    for measure, spec in measures["measures"].items():
        allowed = frozenset(spec.get("units") or [])
        for cue in spec["cues"]:
            cue_measures.setdefault(str(cue).lower(), []).append((measure, allowed))
    unit_alt = _alt(unit_of, scan=False)  # matched after a number (also searched in a few short labels)
    return _Lexicon(
        unit_re=re.compile(rf"(?:\s*-\s*|\s*)({unit_alt})(?![\w]|-[a-z])", re.IGNORECASE),
        unit_of=unit_of,
        currency_re=re.compile(rf"({_alt(currency_of)})\s?$", re.IGNORECASE),
        currency_of=currency_of,
        rate_re=re.compile(rf"\s*[-—–,]?\s*({_alt(rate_of)})(?![\w])", re.IGNORECASE),
        rate_of=rate_of,
        rate_adj_re=re.compile(rf"\b({_alt(rate_adj_of)})\b", re.IGNORECASE),
        rate_adj_of=rate_adj_of,
        fillers=frozenset(str(w).lower() for w in units["fillers"]),
        bound_re=re.compile(rf"(?<![\w])({_alt(bound_of)})\s*$", re.IGNORECASE),
        bound_of=bound_of,
        cue_re=re.compile(rf"{lead_pattern(cue_measures)}(?<![\w])({_alt(cue_measures)})(?![\w])", re.IGNORECASE),
        cue_measures=cue_measures,
        unit_defaults={str(k): str(v) for k, v in measures["unit_defaults"].items()},
        located=frozenset(measures["located_measures"]),
        nearby_located=frozenset(measures.get("nearby_located_measures") or []),
        period_re=re.compile(rf"(?=[iodf])\b(?:in|over|during|for)\s+the\s+({_alt(period_of)})\b", re.IGNORECASE),
        period_of=period_of,
        known_units=frozenset({u for u, _ in unit_of.values()} | set(currency_of.values())
                              | {"fraction", "percent"}),
        currency_units=frozenset(currency_of.values()),
        personnel_measures=frozenset(measures.get("personnel_measures") or []),
        market_re=re.compile(rf"(?<![\w&])(?:{trie_pattern(measures.get('market_words') or ['-'])})(?![\w])"),
        market_exempt=frozenset(measures.get("market_exempt_units") or []),
        sideless_units=frozenset(measures.get("sideless_units") or []),
        aid_agency_re=re.compile(rf"(?<![\w&])(?:{trie_pattern(measures.get('aid_agencies') or ['-'])})(?![\w])"),
        name_before_re=re.compile(rf"(?<![\w&])(?:{trie_pattern(units.get('names_before_numbers') or ['-'])})\s*$"),
        source_count_before_re=re.compile(
            rf"(?<![\w])(?:{_alt(units.get('source_count_before') or ['-'])})\s+(?:[^,.;:\d]{{1,50}}?\s+(?:and|or)\s+)?"
            r"(?:at\s+least\s+|some\s+|more\s+than\s+|about\s+|nearly\s+)?$", re.IGNORECASE),
        source_count_noun_re=re.compile(
            rf"(?:\s+[a-z\-]+){{0,2}}?\s+(?:{_alt(units.get('source_count_nouns') or ['-'], scan=False)})(?![\w])",
            re.IGNORECASE),
    )


@dataclass
class _Hit:
    """A number found in a sentence, before actor/measure/location are assigned."""

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    bound: str
    unit: str | None
    stated_unit: str | None
    per: str | None
    unit_start: int
    unit_end: int
    sent: int
    num_end: int = 0


def find_quantities(text: str, doc: str) -> list[Quantity]:
    """Every quantity in ``text`` as Quantity records with offsets into ``text`` as given."""
    lex, gaz = lexicon(), load_gazetteer()
    sents = sentence_spans(text)
    hits: list[_Hit] = []
    for i, (s, e) in enumerate(sents):
        if _HAS_DIGIT.search(text, s, e) or _HAS_NUMBER_WORD.search(text, s, e):
            hits.extend(_numbers_in(text, s, e, i, lex))
    if not hits:
        return []
    _carry_same_period(hits)
    _carry_list_rates(text, hits)
    _carry_sentence_period(text, hits, sents)
    _carry_antecedent_units(text, hits)
    by_sent: dict[int, list[_Hit]] = {}  # the numbers of each sentence, grouped once
    for h in hits:
        by_sent.setdefault(h.sent, []).append(h)
    market = {k for k in {h.sent for h in hits} if lex.market_re.search(text, *sents[k])}
    if market:  # a sentence about markets counts no conflict quantity but people, troops, gear
        hits = [h for h in hits if h.sent not in market or h.unit in lex.market_exempt]
    cache: dict = {}  # per-sentence lookups of this document: mentions, measure cues, regions
    out: list[Quantity] = []
    prev: list[tuple[_Hit, str]] = []
    for h in hits:
        ms = _sentence_mentions(text, sents, h.sent, gaz, cache)
        actor = _actor(text, h, sents, gaz, cache)
        measure = _measure(text, h, sents, lex, prev, by_sent[h.sent], cache)
        location = _location(text, h, ms, sents, gaz, cache, measure, lex)
        if measure == "strength" and _abroad(actor, location, gaz):
            measure = "deployed"  # "Germany has stationed 5,000 troops in Lithuania"
        if h.unit == "people" and measure in lex.personnel_measures:
            h.unit = "personnel"
        prev.append((h, measure))
        out.append(Quantity(
            doc=doc, span=(h.start, h.end), text=text[h.start:h.end], value=h.value, low=h.low,
            high=h.high, bound=h.bound, unit=h.unit, per=h.per, actor=actor, measure=measure,
            location=location, stated_unit=h.stated_unit, sentence_span=sents[h.sent]))
    return out


# --- numbers -------------------------------------------------------------------------------

def _value_of(m: re.Match[str]) -> tuple[float | None, float | None, float | None, str]:
    """(value, low, high, kind) of one _NUMBER_RE match; kind is vague/frac/digits/words."""
    if m.group("vague"):
        key = _SPACES.sub(" ", m.group("vague").lower())
        if key in _VAGUE:
            low, high = _VAGUE[key]
            return None, float(low), float(high), "vague"
        qual, scale = key.split(" ")[0:-1], key.split(" ")[-1]
        mult = {"dozen": 12, "hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}[scale]
        low, high = (2, 5) if " ".join(qual) == "a few" else (3, 9)
        return None, low * mult, high * mult, "vague"
    if m.group("frac") and (fm := _FRAC_OF_SCALE.match(m.group("frac"))):
        fraction, scale = parse_number(fm.group(1)), parse_number(fm.group(2))
        value = fraction * scale if fraction is not None and scale is not None else None
        return value, None, None, "words"  # "half a million"
    for kind in ("frac", "digits", "words"):
        if m.group(kind):
            raw = m.group(kind)
            value = _digits_value(raw) if kind == "digits" else parse_number(raw)
            return value, None, None, kind
    return None, None, None, "none"


def _digits_value(raw: str) -> float | None:
    m = _DIGITS_SCALE.match(raw)
    if not m:
        return None
    value = parse_digits(m.group(1))
    if m.group(2):
        value *= SCALES[m.group(2).lower()]
    return value


_LIST_SEP = re.compile(r"[^\d.;:!?()]{0,60}?(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)$")


def _carry_list_rates(text: str, hits: list[_Hit]) -> None:
    """A list under one period shares its rate: "over the past day Russian forces lost 1,090
    personnel, 5 tanks and 9 armoured vehicles" makes every item daily."""
    for prev, h in zip(hits, hits[1:]):
        if h.per is None and prev.per in ("day", "week") and prev.sent == h.sent and \
                _LIST_SEP.fullmatch(text, prev.end, h.start) and (h.unit or "") not in ("percent", "fraction"):
            h.per = prev.per


_SENTENCE_PERIOD = re.compile(
    r"\b(?:(?:in|over|during|within|for)\s+(?:the\s+)?(?:past|last|previous|preceding|same)\s+"
    r"(?:(?P<h1>24[-\s]hours?(?:\s+period)?)|(?P<p1>day|week|month))"
    r"|in\s+(?:a|one|a\s+single)\s+(?P<p2>day|week|month)\b(?!\s+of\b)|in\s+(?P<h2>24\s+hours)|during\s+the\s+(?P<p3>day)\b"
    r"|(?P<h3>24-hour\s+period)|(?P<p4>daily|weekly|monthly)\s+(?:[\w\-]+\s+){0,2}(?:casualties|losses|toll|deaths))",
    re.I)
_NO_PERIOD_UNITS = frozenset({"km", "km2", "percent", "fraction", "usd", "eur", "gbp", "years", "months",
                              "weeks", "days", "hours"})
_CUMULATIVE = re.compile(r"\b(?:since|so\s+far|in\s+total|total|overall|cumulative|to\s+date|bringing|brings|"
                         r"raising|took|taking)\b", re.I)
_ADJECTIVE_PERIOD = {"daily": "day", "weekly": "week", "monthly": "month"}


def _carry_sentence_period(text: str, hits: list[_Hit], sents) -> None:
    """ "... lost 1,340 personnel, 9 tanks ... in the past 24 hours", "killed 280 troops in one
    day": a period the sentence names makes its counts rates (the conventions' "24 hours"),
    but not a running total in the same sentence ("bringing the toll to 51,266", "since 2022")."""
    by_sent: dict[int, list[_Hit]] = {}
    for h in hits:
        if h.per is None and (h.unit or "") not in _NO_PERIOD_UNITS:
            by_sent.setdefault(h.sent, []).append(h)
    for k, group in by_sent.items():
        s, e = sents[k]
        m = _SENTENCE_PERIOD.search(text, s, e)
        if not m:
            continue
        if m.group("h1") or m.group("h2") or m.group("h3"):
            per = "day"
        elif m.group("p4"):
            per = _ADJECTIVE_PERIOD[m.group("p4").lower()]
        else:
            per = (m.group("p1") or m.group("p2") or m.group("p3")).lower()
            if per != "day" and not _LOSS_WORD.search(text, s, e):
                continue  # "10,000 reservists were moved in over the past month": a total, not a rate
        for h in group:
            lo = max(s, min(h.start, m.start()) - 60)
            if _CUMULATIVE.search(text, lo, h.start) or _CUMULATIVE.match(text, h.end, min(e, h.end + 40)) \
                    or _CUMULATIVE_AFTER.match(text, h.end, e):
                continue
            h.per = per


_LOSS_WORD = re.compile(r"\b(?:killed|lost|losses|casualties|wounded|injured|destroyed|shot\s+down|downed|"
                        r"neutrali[sz]ed|dead|deaths)\b", re.I)
_TALLY_LABEL = re.compile(r"(?:^|\n)[ \t]*(?:[-\u2022*]|\d{1,2}[.)])?[ \t]*([A-Za-z][^:\n\d]{1,60}?)[ \t]*(?::|[ \t][-\u2013\u2014])"
                          r"[ \t]*(?:about|around|approximately|some|over|more\s+than|up\s+to)?[ \t]*$", re.I)
_CUMULATIVE_AFTER = re.compile(r"[^.;]{0,40}?\b(?:since|so\s+far|to\s+date)\b", re.I)


def _carry_same_period(hits: list[_Hit]) -> None:
    """'in the same period' takes the rate of the nearest earlier figure that has one."""
    last = None
    for h in hits:
        if h.per == "same":
            h.per = last
        if h.per:
            last = h.per


def _numbers_in(text: str, s: int, e: int, i: int, lex: _Lexicon) -> list[_Hit]:
    """Numbers of one sentence joined into ranges, with bound, unit and rate; dates dropped."""
    dates = [d.span() for d in _DIGIT_DATE.finditer(text, s, e)] if _DATE_HINT.search(text, s, e) else ()
    found = [(m, *_value_of(m)) for m in _NUMBER_RE.finditer(text, s, e)
             if not any(a <= m.start() < b for a, b in dates)]
    hits: list[_Hit] = []
    j = 0
    while j < len(found):
        m, value, low, high, kind = found[j]
        start, end = m.start(), m.end()
        bound = "vague" if kind == "vague" else "exact"
        raw_scale = m.group("digits") and _LETTER_END.search(m.group("digits"))
        if kind == "words" and m.group("words") and (wm := _WORDS_AND.fullmatch(m.group("words"))) and \
                (between := _BETWEEN.search(text, max(s, start - 9), start)):
            # "between eight and ten thousand": a range, not 18,000
            lo, hi = parse_number(wm.group(1)), parse_number(wm.group(2))
            if lo is not None and hi is not None:
                if lo * _shared_scale(wm.group(2)) <= hi:
                    lo *= _shared_scale(wm.group(2))
                if hi > lo:
                    low, high, value, bound, start = lo, hi, None, "range", between.start()
        # a ratio: "one in three children", "four in ten" -> a fraction
        ratio = None
        if kind in ("digits", "words") and j + 1 < len(found) and value is not None and \
                _IN_GAP.fullmatch(text, end, found[j + 1][0].start()) and found[j + 1][1]:
            denominator = found[j + 1][1]
            um = lex.unit_re.match(text, found[j + 1][0].end())
            after = lex.unit_of.get(um.group(1).lower(), (None,))[0] if um else None
            if found[j + 1][4] in ("digits", "words") and 0 < value < denominator <= 1000 and \
                    after in (None, "people", "personnel"):  # not "3 in 10 days"
                ratio, value, end = value / denominator, value / denominator, found[j + 1][0].end()
                kind = "ratio"
                j += 1
        # ranges: "10,000 to 12,000", "846-1,523", "between 8,000 and 10,000"
        if ratio is None and kind in ("digits", "words") and j + 1 < len(found):
            m2, v2, _, _, kind2 = found[j + 1]
            gap = text[end:m2.start()]
            between = _BETWEEN.search(text, max(s, start - 9), start)
            joined = (_RANGE_JOIN.fullmatch(gap) or (between and _AND_GAP.fullmatch(gap)))
            if joined and kind2 in ("digits", "words") and value is not None and v2 is not None:
                if not raw_scale and kind == "digits" or kind == "words" and not _SCALE_END.search(m.group()):
                    scaled = value * _shared_scale(m2.group())
                    value = scaled if scaled <= v2 else value
                if v2 > value:
                    low, high, value, bound = value, v2, None, "range"
                    end = m2.end()
                    if between:
                        start = between.start()
                    j += 1
        j += 1
        if value is None and low is None:
            continue
        if bound != "range" and _is_date_or_time(text, start, end, value, kind, s):
            continue
        if bound == "range" and high is not None and high <= 31 and _MONTH_AFTER.match(text[end:end + 14]):
            continue  # "between 9 and 11 August", "1-15 March": dates
        if bound == "range" and low is not None and 1900 <= low <= 2100 and high is not None and high != int(low) and \
                _MONTH_BEFORE.search(text, max(s, start - 12), start) and (to := _RANGE_TO.search(text, start, end)):
            start, value, low, high, bound = to.end(), high, None, None, "exact"  # "since 8 October 2023 to 2,141 dead"
        if value == 24 and _H24_AFTER.match(text, end) and _PAST_DAY.search(text, max(s, start - 12), start):
            continue  # "in the past 24 hours" makes the other figures daily; it counts nothing itself
        if (value == 12 and _MONTHS_AFTER.match(text, end) or value == 7 and _DAYS_AFTER.match(text, end)) and (
                _PAST_DAY.search(text, max(s, start - 12), start) or _PERIOD_TO.match(text, end)):
            continue  # "in the past 12 months", "in the 12 months to April": the period of a rate
        if value == 1 and kind == "words" and _ONE_PERIOD.match(text, end) and \
                _IN_BEFORE.search(text, max(s, start - 8), start) and len(found) > 1:
            continue  # "280 troops killed in one day": the period of the other figure
        if kind == "frac" and _MONTH_AFTER.match(text[end:end + 14]):
            continue  # "the Fourth of July"
        if kind == "digits" and lex.name_before_re.search(text, max(s, start - 24), start):
            continue  # "the S&P 500", "Fortune 100": part of a name
        if _LABEL_AFTER.match(text, end) or _NAME_WITH_NUMBER(text, start, end):
            continue  # "a 58-year-old captain", "a 36-page assessment", "the 400 Mawozo gang"
        if _is_label(text, start, end, s, e, kind, value, low, high, bound, lex):
            continue
        if kind == "frac" and _ORDINAL_FRACTION.match(m.group("frac")) and \
                _ORDINAL_NEXT.match(text, end, e) and not _FRAC_NEXT_OK.match(text, end, e):
            continue  # "a third division": an ordinal, not a fraction
        # currency before: "$5 billion"
        unit = stated = None
        factor = 1.0
        cm = lex.currency_re.search(text, max(s, m.start() - 6), m.start())
        if cm and not text[m.start() - 1:m.start()].isalpha():
            unit, stated = lex.currency_of[cm.group(1).lower()], cm.group(1)
            start = min(start, cm.start(1))  # "between $700,000 and $1 million" keeps "between"
        # bound words before: "around", "more than", "as many as"
        prefix = text[max(s, start - 24):start]
        if bound == "exact" and (bm := lex.bound_re.search(prefix)):
            bound = lex.bound_of[bm.group(1).lower()]
            start -= len(prefix) - bm.start(1)
        if bound == "exact" and kind != "frac" and (am := _BOUND_AFTER.match(text, end, e)):
            bound = _BOUND_AFTER_OF[am.group(1).lower()]  # "1,500 or so drones", "200 or more"
            end = am.end()
        if kind == "ratio":
            unit = "fraction"
        elif kind == "frac":
            unit = "fraction"
            if _BEFORE_HALF.search(text, max(s, start - 12), start):
                continue
        elif m.group("vague") and "decades" in m.group("vague").lower():
            unit, stated = "years", "decades"
        u_start = u_end = end
        if unit is None:
            found_unit = _unit_after(text, end, e, lex)
            if found_unit:
                u_start, u_end, stated, unit, factor = found_unit
        if unit is None and (lm := _TALLY_LABEL.search(text, max(0, start - 80), start)):
            for um in lex.unit_re.finditer(lm.group(1)):  # "Terrorists arrested: 212", "tanks - 10,906 (+3)"
                unit, stated = lex.unit_of[um.group(1).lower()][0], um.group(1)
                break
        if unit is None and hits and hits[-1].unit and hits[-1].stated_unit != "strong" and \
                start - hits[-1].unit_end < 80 and kind != "frac" and \
                not _CLAUSE_BREAK.search(text, hits[-1].unit_end, start):
            # elliptical: "87 aid trucks ..., far below the 500 a day" -> trucks
            prev_hit = hits[-1]
            if prev_hit.unit not in lex.currency_units and (
                    prev_hit.unit not in ("km2", "km") or prev_hit.stated_unit is None):
                unit, stated = prev_hit.unit, prev_hit.stated_unit
        if unit is None and _GROUP_OF.search(text, max(s, start - 20), start):
            unit = "personnel"  # "an advance party of 500"
        if unit is None and (nm := _NUMBER_OF.search(text, max(s, start - 70), start)):
            for um in lex.unit_re.finditer(nm.group(1)):  # "put the number of personnel killed at 231"
                unit, stated = lex.unit_of[um.group(1).lower()][0], um.group(1)
        if kind == "words" and value is not None and value <= 10 and unit not in lex.known_units and \
                bound == "exact" and not (_SMALL_OK_BEFORE.search(text, max(s, start - 14), start)
                                          or _SMALL_OK_AFTER.match(text, end, e) or _small_count(text, end, s, e)):
            continue  # "the two sides", "one of", "one-off": small words need a unit noun
        if kind == "words" and value == 1 and _NOT_AFTER_ONE.match(text[end:end + 12]):
            continue
        num_end = end
        if kind == "vague" and _OF_GAP.match(text[end:u_start]) and u_end > end:
            end = u_end  # "hundreds of square kilometers" is one noun phrase
        if factor != 1.0:
            value, low, high = (None if x is None else round(x * factor, 6) for x in (value, low, high))
        elif unit is not None and stated is not None and stated.lower() == unit:
            stated = None
        per = _rate(text, start, u_end, s, e, lex)
        if per is None and text.endswith("(+", 0, start):
            per = "day"  # a daily tally's increment: "tanks - 10,906 (+3)"
        if unit == "%":
            unit = "percent"
        hits.append(_Hit(start, end, value, low, high, bound, unit, stated, per, u_start, u_end, i,
                         num_end))
    return hits


_LABEL_BEFORE = re.compile(r"\b(?:page|pages|p\.|pp\.|box|no\.|nos\.|flight|route|room|chapter|section|"
                           r"article|paragraph|resolution|platform|gate|exit|highway|line|tel\.?|phone|"
                           r"fax|ext\.?|aged|age\s+of|magnitude|ages\s+of|week)\s*$|#\s*$", re.IGNORECASE)
# an age, not a count: "children as young as 13", "children under five", "men over 60"
_AGE_CONTEXT = re.compile(r"(?:\bas\s+(?:young|old)\s+as|\b(?:children|child|boys|girls|kids|minors|infants|"
                          r"babies|men|women|people|those|adults|ones)\s+(?:(?:are|were|is|was)\s+)?(?:under|over|below|"
                          r"above|aged|older\s+than|younger\s+than|of\s+age|of)|\b(?:aged|(?:boys|girls|children|men|"
                          r"women)\s+(?:of|aged|under|over))\s+\d{1,3}(?:\s*,\s*\d{1,3})*"
                          r"\s*(?:,\s*)?(?:and|or|to|-))\s*$", re.IGNORECASE)  # also "aged 41 and 58"
_PHONE = re.compile(r"(?:\+\d{1,3}[\s.\-]?)?\(?\b0\d{1,4}\)?(?:[\s.\-]\d{2,5}){1,3}\b"
                    r"|\+\d{1,3}(?:[\s.\-]\d{1,5}){2,4}\b")
_DIGIT_GROUP_BEFORE = re.compile(r"\d[\s.\-]$")
_AGE_BEFORE = re.compile(r"(?:[A-Z][\w'’\-]*[a-zà-ÿ]|\b(?:cousin|brother|sister|son|daughter|father|mother|wife|husband|"
                         r"uncle|aunt|nephew|niece|grandson|granddaughter|grandfather|grandmother|neighbour|neighbor|"
                         r"friend|man|woman|boy|girl|farmer|teacher|nurse|driver|trader|herder|student|mechanic)),\s+$")
# "Jean-Robert Désir, 52, has been mayor", "I buried a cousin, 34, who was shot"
# a person's age said with a verb: "I am 58", "when he was 31", "my uncle is 81 now"
_AGE_COPULA = re.compile(r"(?:\b(?:I|he|she|we|who)\s+(?:am|was|is|turned|turns|will\s+be)|\bI[’']m|"
                         r"\b(?:uncle|aunt|father|mother|grandfather|grandmother|grandson|granddaughter|son|"
                         r"daughter|brother|sister|wife|husband|cousin|friend|classmate|neighbour|neighbor)"
                         r"\s+(?:is|was|turned|turns))\s+$", re.IGNORECASE)
_AGE_AT = re.compile(r"\b(?:who|he|she|I),?\s+at\s+$", re.IGNORECASE)
_AGE_AT_AFTER = re.compile(r",?\s+(?:is|was|am|has|had|became|becomes|remains)\b")
# the size of one thing, not a count of things: "a 50 kg sack", "a 43-inch television"
_SIZE_OF_A_THING = re.compile(r"(?:\s*|-)(?:kg|kilogram|kilo|lb|pound|inch|foot|ft|litre|liter|gallon|tonne|ton)"
                              r"[-\s]+(?:[a-z]+\s+)?[a-z]+(?<!s)\b", re.IGNORECASE)
_A_BEFORE = re.compile(r"\b(?:a|an|per|each|one)\s+$", re.IGNORECASE)
_PHONE_LIST = re.compile(r"\b(?:hotlines?|helplines?|(?:phone|telephone|contact|emergency|free|toll-free|hotline)\s+numbers|(?:free|phone|telephone|toll-free|emergency|hot)\s+lines?)"
                         r"(?:\s+(?:is|are|on)|\s*,)?\s+"
                         r"(?:\d+(?:\s*,|\s+or|\s+and)?\s+)*$", re.IGNORECASE)
_ACRONYM_NUMBER = re.compile(r"\(\s*[A-Z]{2,6}\s+$")
_YEAR_DASH = re.compile(r"\b(?:19|20)\d\d[-–/]$")
# a unit's number before its name: "a soldier of the 12 Field Regiment" (not "12 Brigade soldiers")
_UNIT_NAME_AFTER = re.compile(r"(?:\s+[A-Z][a-z]+){0,3}\s+(?:Regiment|Brigade|Battalion|Division|Corps|Squadron|"
                              r"Battery|Flotilla)\b(?!\s+[a-z]+s\b)")
_AGE_AFTER = re.compile(r"\s*(?:,|\.(?:\s|$)|;)")
_MODEL_BEFORE = re.compile(r"\S(\s+)([A-Z][a-zA-Z]+)[\s\-]$")
_ORDINAL_FRACTION = re.compile(r"(?:(?:a|the)\s+)?(?:third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth)$",
                               re.IGNORECASE)
_ORDINAL_NEXT = re.compile(r"\s+[a-z]")
_FRAC_NEXT_OK = re.compile(r"\s+(?:of|more|less|fewer|higher|lower|larger|smaller|as|than|were|was|are|is|"
                           r"had|have|has|remain|remained|now|already|still|in|on|at|by|and|or)\b")


def _is_label(text: str, start: int, end: int, s: int, e: int, kind: str, value, low, high,
              bound: str, lex: _Lexicon) -> bool:
    """Numbers that label rather than count: page, box and flight numbers ("page 119"), phone
    numbers, a year range ("from 1992 to 1999"), an age after a name ("Ellison, 62,") or said with
    a verb ("I was 26 when"), the size of one thing ("a 50 kg sack"), a unit's number ("the 12 Field
    Regiment") and a model number after a name ("Leopard 1 tanks")."""
    if value is not None and value < 100 and _AGE_CONTEXT.search(text, max(s, start - 30), start) and \
            not lex.unit_re.match(text, end):
        return True
    if lex.source_count_before_re is not None and lex.source_count_before_re.search(text, max(s, start - 80), start) \
            and lex.source_count_noun_re.match(text, end, e):
        return True  # "citing two residents", "interviews with 23 people": who speaks, not a claim
    if value is not None and value < 20 and _CHILD_OF.search(text, max(s, start - 30), start):
        return True  # "a boy of about ten"
    if kind != "digits":
        return False
    raw = text[start:end]
    if _LABEL_BEFORE.search(text, max(s, start - 12), start) or _PHONE_LIST.search(text, max(s, start - 40), start):
        return True  # "page 119", "the free numbers 1010 and 16 17"
    if len(raw) == 2 and _YEAR_DASH.search(text, max(s, start - 5), start):
        return True  # "the 2024-25 season"
    if raw[:1] == "0" and raw[1:2].isdigit() or text[start - 1:start] in ("+", "(") or \
            _DIGIT_GROUP_BEFORE.search(text, max(s, start - 2), start):
        return any(pm.start() <= start < pm.end() for pm in _PHONE.finditer(text, max(s, start - 20), e))
    if bound == "range":
        return all(v is not None and v == int(v) and 1800 <= v <= 2100 for v in (low, high)) and \
            bool(_YEAR_RANGE.fullmatch(raw)) and not lex.unit_re.match(text, end)
    if value is not None and value < 130 and _AGE_AFTER.match(text, end) and \
            _AGE_BEFORE.search(text, max(s, start - 30), start):
        return True  # "Margaret Ellison, 62, who covered ..."
    if value is not None and value < 120 and not lex.unit_re.match(text, end) and (
            _AGE_COPULA.search(text, max(s, start - 40), start) or
            _AGE_AT.search(text, max(s, start - 12), start) and _AGE_AT_AFTER.match(text, end)):
        return True  # "I was 26 when", "my uncle is 81 now", "who at 37 is"
    if _SIZE_OF_A_THING.match(text, end) and _A_BEFORE.search(text, max(s, start - 6), start):
        return True  # "a 50 kg sack", "per 40-foot container": the size of one thing, not a count
    if kind == "digits" and value is not None and value < 1000 and _UNIT_NAME_AFTER.match(text, end):
        return True
    if _ACRONYM_NUMBER.search(text, max(s, start - 10), start) and text[end:end + 1] == ")":
        return True  # "(BIR 14)": a unit's or a model's designation
    if kind == "digits" and _STREET_AFTER.match(text, end):
        return True  # "the transit centre at 14 Akademika Pavlova Street": an address
    if _PAGES_OR_READ.match(text, end) or _SAMPLE_SIZE.search(text, max(s, start - 4), start) or \
            _PER_CURRENCY.match(text, end):
        return True  # "Policy brief, 14 pages", "6 min read", "(n=212)", "steady at 63.9 to the dollar"
    if _MEETING_LENGTH.match(text, end):
        return True  # "after the 90-minute session": how long people talked, not the war
    if _SHARE_OF_GDP.match(text, end):
        return True  # "2% of GDP": an economy's share, not a claim about the fighting
    return _model_number(text, start, s, value)


_PAGES_OR_READ = re.compile(r"\s*(?:pages?\b|pp\.|min(?:ute)?s?\s+read\b)", re.I)
_SAMPLE_SIZE = re.compile(r"\b[nN]\s*=\s*$")
_PER_CURRENCY = re.compile(r"\s+(?:to|per|against)\s+the\s+(?:US\s+|U\.S\.\s+)?(?:dollar|euro|pound|yuan|rouble|ruble|yen)\b",
                           re.I)
_CHILD_OF = re.compile(r"\b(?:boy|girl|child|son|daughter|baby|toddler)\s+(?:of|aged)\s+(?:about\s+|around\s+|roughly\s+|"
                       r"perhaps\s+|maybe\s+|just\s+)?$", re.I)
_STREET_AFTER = re.compile(r"(?:\s+[A-Z][\w'’\-]+){1,3}\s+(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.?|Lane|Square|"
                           r"Prospekt|Avenida|Rue|Strasse|Straße|vulytsia|Vulytsia)\b")
_MEETING_LENGTH = re.compile(r"-(?:minute|hour|day)\s+(?:closed-door\s+|private\s+|televised\s+|phone\s+|video\s+)?"
                             r"(?:session|meeting|hearing|briefing|call|interview|speech|address|talks|conversation|"
                             r"press\s+conference|debate|summit|visit)\b", re.I)
_SHARE_OF_GDP = re.compile(r"\s*(?:%|per\s*cent|percent)?\s+(?:of\s+(?:its\s+|their\s+|the\s+)?(?:GDP|gross\s+domestic\s+product|"
                           r"national\s+(?:income|output)|economic\s+output))\b", re.I)


_IN_GAP = re.compile(r"\s+in(?:\s+every)?\s+")
_BOUND_AFTER = re.compile(r"\s+or\s+(so|thereabouts|more|fewer|less)\b", re.I)
_BOUND_AFTER_OF = {"so": "approx", "thereabouts": "approx", "more": "at_least", "fewer": "at_most", "less": "at_most"}
_RANGE_TO = re.compile(r"\s*(?:to|-|–|—|and)\s*")
_YEAR_RANGE = re.compile(r"(?:from\s+|between\s+)?\d{4}\s*(?:-|–|—|to|and)\s*\d{4}", re.IGNORECASE)


def _model_number(text: str, start: int, s: int, value) -> bool:
    """ "Leopard 1", "Patriot 3": a small number right after a capitalised name inside the sentence."""
    if value is None or value >= 100 or not text[start - 2:start - 1].isalpha():
        return False
    mm = _MODEL_BEFORE.search(text, max(s, start - 40), start)
    if not mm:
        return False
    word = mm.group(2)
    if _TITLE_CASE_NEXT.match(text, text.find(" ", start)) or word.lower() in _WEEKDAYS:
        return False  # "Russia Loses 12 Tanks" (a title-case headline), "on Monday 12 soldiers"
    gaz = load_gazetteer()
    return word not in gaz.actors and word not in gaz.places and word.lower() not in lexicon().bound_of \
        and not _MONTH_BEFORE.search(word + " ") and word.lower() not in _NUMWORD_SET


_TITLE_CASE_NEXT = re.compile(r" [A-Z]")
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


def _shared_scale(raw: str) -> float:
    """Scale a bare lower range end by the upper end's scale word ("1.5 to 2 million")."""
    m = _SCALE_END.search(raw)
    return SCALES[m.group(1).lower()] if m else 1.0


def _is_date_or_time(text: str, start: int, end: int, value: float | None, kind: str, s: int) -> bool:
    """Years ("in 2024"), days of months ("March 3", "3 March") and clock times."""
    if kind != "digits" or value is None:
        return False
    raw = text[start:end]
    after = text[end:end + 14]
    if _CLOCK_AFTER.match(after) or _ZONE_BEFORE.search(text, max(s, start - 5), start):
        return True  # "at 06:30 GMT", "GMT+3"
    if value == int(value) and 1 <= value <= 31 and (
            _MONTH_BEFORE.search(text, max(s, start - 12), start) or _MONTH_AFTER.match(after)
            or _DAY_LIST_AFTER.match(text, end)):
        return True  # "on 16 and 17 March": each is a day
    if _LIST_ITEM.match(text, start) and (start == 0 or text[start - 1] == "\n"):
        return True  # "1. Terrorists killed: 47": a list item's number
    if value < 30 and _INLINE_ITEM.match(text, end) and _INLINE_ITEM_BEFORE.search(text, max(s, start - 6), start):
        return True  # "three factors: 1. a shortage ..., 2. a wait", "recovered: 61 6. 7.62mm guns"
    if _YEAR.fullmatch(raw) and 1800 <= value <= 2100:
        return not lexicon().unit_re.match(text, end) or _MONTH_BEFORE.search(text, max(s, start - 12), start)
    if _DECADE.fullmatch(raw):
        return True
    return False


def _unit_after(text: str, pos: int, e: int, lex: _Lexicon
                ) -> tuple[int, int, str, str, float] | None:
    """(start, end, as written, unit, factor) of the unit noun after a number, skipping up to
    four filler, adjective or name words and a partitive "of the 42" ("37 of the 42 drones").
    A lexicon unit is normalised; a demonym ("1.5 million Russians") counts people; another
    plural noun is kept as a plain unit ("a dozen new battalions")."""
    om = _OF_THE.match(text, pos, e)
    if om and (nm := _NUMBER_RE.match(text, om.end(), e)):
        pos = nm.end()
    actors = load_gazetteer().actors
    compound = name = False
    for _ in range(5):
        if name and (mm := _MODEL_NO.match(text, pos, e)):
            pos = mm.end()  # "40 Leopard 1 tanks": the model number is part of the name
        um = lex.unit_re.match(text, pos, e)
        if um:
            stated = um.group(1)
            unit, factor = lex.unit_of[stated.lower()]
            stated = "strong" if stated.lower() in ("strong", "-strong") else stated
            return um.start(1), um.end(1), stated, unit, factor
        wm = _WORD.match(text, pos, e)
        if not wm:
            return None
        word = wm.group(1).rstrip(".")  # "40 targets." ends the sentence, not the word
        name = word[0].isupper()
        if word in actors and word[-1] == "s" and not _WORD_IS_NAME.match(text, wm.end(), e):
            return wm.start(1), wm.start(1) + len(word), word, "people", 1.0
        if word.lower() not in lex.fillers and not word[0].isupper() and "-" not in word:
            if _PLURAL_NOUN.fullmatch(word) and word not in _NOT_NOUNS:
                return wm.start(1), wm.start(1) + len(word), word, word, 1.0
            if compound or word.lower() in _NOT_MODIFIERS:
                return None
            compound = True  # "87 aid trucks": one noun modifier may stand before the unit
        pos = wm.end()
    return None


def _rate(text: str, start: int, pos: int, s: int, e: int, lex: _Lexicon) -> str | None:
    """'per month', 'a day', '/week', 'monthly' after the unit, or 'monthly target of' before."""
    rm = lex.rate_re.match(text, pos, e)
    if rm:
        return lex.rate_of[rm.group(1).lower()]
    # "... servicemen were recruited each week": a rate later in the same clause, before any
    # other number, unless it dates an event ("a day later").
    tail = _CLAUSE_END.split(text[pos:min(e, pos + 45)], maxsplit=1)[0]
    for rm in lex.rate_re.finditer(tail):
        if rm.start(1) > 0 and tail[rm.start(1) - 1] == " " and not _NOT_RATE.match(tail, rm.end()):
            return lex.rate_of[rm.group(1).lower()]
    clause = _CLAUSE_PUNCT.split(text[max(s, start - 50):start])[-1]
    am = None
    for am in lex.rate_adj_re.finditer(clause):
        pass
    if am:
        return lex.rate_adj_of[am.group(1).lower()]
    # "losses over the past day amounted to 1,340", "killed 300 ... over the past 24 hours"
    after = _PERIOD_END.split(text[pos:min(e, pos + 60)], maxsplit=1)[0]
    pm = lex.period_re.search(clause) or lex.period_re.search(after)
    if pm:
        return lex.period_of[pm.group(1).lower()]
    # "destroyed 12 tanks, 28 guns and 47 drones in the same period": scopes the whole list
    pm = lex.period_re.search(text, pos, e)
    return "same" if pm and lex.period_of[pm.group(1).lower()] == "same" else None


# --- actor, measure, location ---------------------------------------------------------------

def _sentence_mentions(text: str, sents, k: int, gaz: Gazetteer, cache: dict) -> list[Mention]:
    if k not in cache:
        cache[k] = gaz.mentions(text, *sents[k], whole=True)
    return cache[k]


def _word_before(text: str, pos: int) -> str:
    m = _LAST_WORD.search(text[max(0, pos - 20):pos])
    return m.group(1).lower() if m else ""


def _words_after(text: str, pos: int, n: int = 2) -> list[str]:
    """The next ``n`` words ("Ukrainian military intelligence" -> military, intelligence)."""
    return [w.lower() for w in _ALPHA_RUN.findall(text[pos:pos + 40])[:n]]


def _word_after(text: str, pos: int) -> str:
    m = _NEXT_WORD.match(text[pos:pos + 30])
    return m.group(1).lower() if m else ""


def _agent(text: str, m: Mention, gaz: Gazetteer) -> bool:
    """An actor mention that can own a quantity: not after 'for/to/in...' (unless it owns the loss
    noun after it: "an estimate of Russian losses"), not a source."""
    if m.kind != "actor":
        return False
    after = _words_after(text, m.end)
    if after and after[0] in _LOSS_NOUNS:
        return True
    if _MAKER_AFTER.match(text, m.end) or _MADE_IN.search(text, max(0, m.start - 30), m.start):
        return False  # who made or supplied a weapon does not own it: "US-made", "made in France"
    return _word_before(text, m.start) not in gaz.non_agent_prepositions and not gaz.source_nouns.intersection(after)


_MAKER_AFTER = re.compile(r"-(?:made|built|designed|manufactured|supplied|donated|provided|produced)\b")
_MADE_IN = re.compile(r"\b(?:made|produced|manufactured|built|designed)\s+in\s+(?:the\s+)?$")


_LOSS_NOUNS = frozenset({"losses", "casualties", "dead", "deaths", "toll", "fatalities"})
_ENEMY = re.compile(r"\benemy\b|\badversary\b", re.IGNORECASE)
_FROM_ACTOR = re.compile(r"\s+(?:from|of)\s+(?:the\s+)?$")


def _actor(text: str, h: _Hit, sents, gaz: Gazetteer, cache: dict) -> str | None:
    """Whose quantity: a demonym on the unit ("10,000 North Korean troops"), else the nearest
    agent before the number in the sentence, else the last agent of the previous two sentences."""
    ms = _sentence_mentions(text, sents, h.sent, gaz, cache)
    for m in ms:
        if m.kind == "actor" and h.num_end <= m.start < h.unit_end:
            return m.name  # "10,000 North Korean troops"
    for m in ms:
        if m.kind == "actor" and h.unit_end > h.num_end and m.start > h.unit_end and \
                not text[h.unit_end:m.start].strip() and _word_after(text, m.end) not in gaz.source_nouns:
            return m.name  # "the 42 drones Russia launched"
        if m.kind == "actor" and h.unit == "personnel" and m.start > h.unit_end and \
                _FROM_ACTOR.fullmatch(text, h.unit_end, m.start):
            return m.name  # "3,000 fighters from Russia's Africa Corps"
    before = [m for m in ms if m.end <= h.start and _agent(text, m, gaz)]
    if before:
        return _loser(text, before[-1], h, gaz)
    s, e = sents[h.sent]
    if text.find("nem", s, e) >= 0 and _ENEMY.search(text, s, e):
        # "According to Russia's defence ministry, its units inflicted losses on the enemy": the
        # speaker's side is the first warring party named in the sentence
        side = next((m.name for m in ms if m.kind == "actor" and m.name in gaz.adversaries), None)
        if side:
            return gaz.adversaries[side]
    inflicted = _inflicted(text, s, h, gaz)
    # a loss inflicted with no agent named keeps the perspective of the report's side further back
    for k in range(h.sent - 1, max(-1, h.sent - (6 if inflicted else 3)), -1):
        agents = [m for m in _sentence_mentions(text, sents, k, gaz, cache) if _agent(text, m, gaz)]
        if agents:
            name = agents[-1].name
            return gaz.adversaries.get(name, name) if inflicted or _ENEMY.search(text, s, e) else name
    return None


def _loser(text: str, m: Mention, h: _Hit, gaz: Gazetteer) -> str:
    """The agent, or its adversary when a verb between them inflicts the loss
    ("Ukrainian forces destroyed 12 tanks" -> Russia's tanks)."""
    if m.name in gaz.adversaries and (_inflicted(text, m.end, h, gaz) or (
            text.find("nem", m.end, h.unit_end + 20) >= 0 and _ENEMY.search(text, m.end, h.unit_end + 20))):
        return gaz.adversaries[m.name]  # "... inflicted losses of up to 480 servicemen on the enemy"
    return m.name


def _inflicted(text: str, a: int, h: _Hit, gaz: Gazetteer) -> bool:
    """An inflicting verb between ``a`` and the number with no other number before it ("forces
    destroyed 12 tanks"; not "600,000 killed and wounded, of whom 200,000 died")."""
    vm = gaz.inflicting_re.search(text, a, h.start) if gaz.inflicting_re is not None else None
    return vm is not None and not _HAS_DIGIT.search(text, a, vm.start())


def _abroad(actor: str | None, location: str | None, gaz: Gazetteer) -> bool:
    """A state's forces in another, non-enemy country are sent there, not just present."""
    return bool(actor and location and location in gaz.actors.values() and location != actor
                and actor not in gaz.armed_groups and gaz.adversaries.get(actor) != location
                and gaz.parents.get(location) is None)


def _cue_distance(h: _Hit, cm: re.Match[str]) -> float:
    """Characters between a cue and a quantity; cues after the quantity count 1.5x."""
    if cm.end() <= h.start:
        return h.start - cm.end()
    if cm.start() >= h.unit_end:
        return (cm.start() - h.unit_end) * 1.5
    return 30.0  # the unit noun itself ("hostages") is a weak cue


def _measure(text: str, h: _Hit, sents, lex: _Lexicon, prev: list[tuple[_Hit, str]],
             siblings: list[_Hit], cache: dict) -> str:
    """The nearest cue compatible with the unit and not nearer to another number of the
    sentence; else a unit default (years -> duration); else the measure of an earlier
    quantity with the same unit in this or the previous sentence; else the last cue of the
    previous sentence ("... units were deployed. Seoul put the number at 11,000")."""
    s, e = sents[h.sent]
    unit = h.unit if h.unit in lex.known_units else None
    best: tuple[float, str] | None = None
    for cm in _sentence_cues(text, sents, h.sent, lex, cache):
        if h.start <= cm.start() < h.end:
            continue
        dist = _cue_distance(h, cm)
        if dist > 160:
            continue  # too far to decide (only cues within 120, or a verb bound to the figure, do)
        if any(o is not h and o.unit_start <= cm.start() < o.unit_end for o in siblings):
            continue  # "600,000 killed and wounded, of whom 200,000 died": another number's noun
        own_unit = h.unit_start <= cm.start() < h.unit_end
        bound_verb = cm.start() >= h.unit_end and _VERB_GAP.fullmatch(text, h.unit_end, cm.start())
        measure = _cue_measure(cm, unit, lex)
        if (own_unit and measure in _TOLL_MEASURES) or bound_verb:
            dist = 0.0  # "11 dead", "9 people were killed": the noun or its verb names the measure
        elif not own_unit and any(o is not h and _cue_distance(o, cm) < dist
                                  and not (o.start <= cm.start() < o.end) for o in siblings):
            continue
        if measure and (best is None or dist < best[0]):
            best = (dist, measure)
    if best is not None and best[0] == 0:
        return best[1]  # the figure's own noun or verb
    if h.unit == "personnel" and _HAS_FORCE.search(text, max(s, h.start - 30), h.start):
        return "strength"  # "the mission has about 10,000 troops drawn from 50 countries"
    if prev and (last := prev[-1])[0].sent == h.sent and last[0].unit == h.unit and h.unit and \
            _LIST_GAP.fullmatch(text, last[0].unit_end, h.start):
        return last[1]  # "deliver 40 tanks and 2 air defence systems": one verb, one list
    if prev and prev[-1][0].sent == h.sent and _INCLUDING.search(text, max(s, h.start - 14), h.start):
        return prev[-1][1]  # "1,100 people have been killed, including 87 children"
    if best is not None and best[0] <= 120:
        return best[1]
    if h.unit in lex.unit_defaults and lex.unit_defaults[h.unit] != "strength":
        return lex.unit_defaults[h.unit]
    for ph, pm in reversed(prev):
        if ph.sent < h.sent - 1:
            break  # the hits come in order: none further back is in this or the previous sentence
        if ph.unit == h.unit and pm != "other":
            return pm
    if h.sent > 0 and h.unit is None and not _in_sentence(prev, h.sent - 1):
        for cm in reversed(_sentence_cues(text, sents, h.sent - 1, lex, cache)):
            if measure := _cue_measure(cm, unit, lex):
                return measure
    return lex.unit_defaults.get(h.unit or "", "other")


def _in_sentence(prev: list, k: int) -> bool:
    """A hit of sentence ``k`` is among ``prev`` (in text order), looked up from the end."""
    for ph, _ in reversed(prev):
        if ph.sent <= k:
            return ph.sent == k
    return False


_MODEL_NO = re.compile(r"[\s\-]\d{1,3}[A-Za-z]?(?![\w,.\-])")
_NUMBER_OF = re.compile(r"\b(?:number|toll|total|count|tally)\s+of\s+((?:[\w\-]+\s+){1,4}?)(?:at|as|to)\s+$",
                        re.IGNORECASE)
_GROUP_OF = re.compile(r"\b(?:force|contingent|party|detachment|garrison|group|team|column|unit)\s+of\s+$",
                       re.IGNORECASE)
_ANTECEDENT = re.compile(r"(?:\b(?:the|its|their|that)\s+(?:[a-z]+\s+)?(?:number|figure|toll|total|tally|count|"
                         r"estimate)(?:\s+(?:at|as|to))?|\b(?:put|puts|estimated|estimates|estimate|putting)\s+"
                         r"(?:it|them)\s+at|\bof\s+whom)\s+$", re.IGNORECASE)
_ANTECEDENT_UNITS = frozenset({"personnel", "people", "equipment"})


def _carry_antecedent_units(text: str, hits: list[_Hit]) -> None:
    """A bare number that restates an earlier count takes its unit: "... 110,000 soldiers. An
    official estimated it at closer to 90,000", "the figure as 15,000, of whom 6,000"."""
    for k, h in enumerate(hits):
        if h.unit is not None or h.value is None and h.low is None:
            continue
        if not _ANTECEDENT.search(text, max(0, h.start - 40), h.start):
            continue
        prior = next((o for o in reversed(hits[:k]) if o.unit in _ANTECEDENT_UNITS and o.sent >= h.sent - 2), None)
        if prior:
            h.unit, h.stated_unit = prior.unit, prior.stated_unit


_HAS_FORCE = re.compile(r"\b(?:has|have|had|fields?|fielded|musters?|mustered|maintains?|keeps?|kept|"
                        r"numbers?|numbered|counts?)\s+$", re.IGNORECASE)
_INCLUDING = re.compile(r"\b(?:including|among\s+them)\s+$", re.IGNORECASE)
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as\s+well\s+as|plus)\s+)")
_VERB_GAP = re.compile(r"(?:,[^,;.]{1,40},)?\s+(?:(?:were|was|are|is|have|has|had|been|being|reportedly|also|all|later|since|"
                       r"may|might|could|would|will|probably|likely|possibly|"
                       r"were\s+later|had\s+been|have\s+been|has\s+been)\s+)*")
_TOLL_MEASURES = frozenset({"killed", "wounded", "casualties"})


def _sentence_cues(text: str, sents, k: int, lex: _Lexicon, cache: dict) -> list[re.Match[str]]:
    """Measure-cue matches of sentence ``k``, found once per document (kept in ``cache``)."""
    key = ("cues", k)
    if key not in cache:
        cache[key] = list(lex.cue_re.finditer(text, *sents[k]))
    return cache[key]


def _cue_measure(cm: re.Match[str], unit: str | None, lex: _Lexicon) -> str | None:
    """The first measure of a cue that applies to quantities of ``unit``."""
    for measure, allowed in lex.cue_measures[cm.group(1).lower()]:
        if unit in allowed:
            return measure
    return None


def _location(text: str, h: _Hit, ms: list[Mention], sents, gaz: Gazetteer, cache: dict,
              measure: str, lex: _Lexicon) -> str | None:
    """The place named nearest the number in its sentence; territory measures may take the
    latest place named in the five sentences before."""
    def places(mentions: list[Mention]) -> list[Mention]:
        return [m for m in mentions if m.kind == "place" and (
            m.name not in gaz.locative_only
            or (_word_before(text, m.start) in gaz.locative_prepositions
                and not _POSSESSIVE.match(text, m.end)))]  # not "in Russia's Kursk region"

    def widen(m: Mention, mentions: list[Mention]) -> str:
        """'Sudzha in the Kursk region' -> Kursk: climb to a parent named right after."""
        name, end = m.name, m.end
        while True:
            parent = next((p for p in mentions if p.kind == "place" and p.name == gaz.parents.get(name)
                           and 0 <= p.start - end <= 30 and p.name not in gaz.locative_only), None)
            if parent is None:
                return name
            name, end = parent.name, parent.end

    here = places(ms) or [m for m in ms if m.kind == "place" and _word_before(text, m.start)
                          in gaz.locative_prepositions]  # "in Syria's coastal provinces", no other place
    if here:
        best = min(here, key=lambda m: _place_distance(text, h, m)
                   + (20 if m.name in gaz.locative_only else 0))
        return widen(best, ms)
    region = _named_region(text, sents, h.sent, gaz, cache)
    if region:
        return region
    back = 5 if measure in lex.located else 1 if measure in lex.nearby_located else 0
    for k in range(h.sent - 1, max(-1, h.sent - 1 - back), -1):
        if "\n\n" in text[sents[k][1]:sents[k + 1][0]]:
            break  # a place is not carried across a paragraph break (a headline's town is not the totals')
        mentions = _sentence_mentions(text, sents, k, gaz, cache)
        found = places(mentions)
        if found:
            return widen(found[0], mentions)
        region = _named_region(text, sents, k, gaz, cache)
        if region:
            return region
    return None


_REGION = re.compile(r"(?=[inato])\b(?:in|near|around|across|outside|throughout|inside)\s+(?:the\s+)?"
                     r"((?:[A-Z][\w'’\-]+\s+){0,2}?[A-Z][\w'’\-]+)\s+(?:region|province|provinces|state|zone|"
                     r"district|oblast|governorate|county|area|camp|valley|corridor|sector|enclave)\b")


def _named_region(text: str, sents, k: int, gaz: Gazetteer, cache: dict) -> str | None:
    """A place the gazetteer lacks, known by the noun after it: "in the Amhara region" -> Amhara
    (looked up once per sentence)."""
    key = ("region", k)
    if key not in cache:
        m = _REGION.search(text, *sents[k])
        cache[key] = m.group(1) if m and m.group(1) not in gaz.actors else None
    return cache[key]


def _place_distance(text: str, h: _Hit, m: Mention) -> float:
    """Characters between a quantity and a place, plus a penalty when a clause break lies between."""
    lo, hi = (m.end, h.start) if m.end <= h.start else (h.unit_end, m.start)
    between = text[lo:hi] if hi > lo else ""
    return max(0, hi - lo) + (100 if _BREAK_PUNCT.search(between) else 0)
