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
from pathlib import Path

import yaml

from orbat.extract.gazetteer import Gazetteer, Mention, load_gazetteer
from orbat.extract.numbers import DENOMINATORS, SCALES, SMALL, parse_digits, parse_number
from orbat.extract.sentences import sentence_spans
from orbat.types import Quantity

RESOURCES = Path(__file__).resolve().parents[1] / "resources"

_NUMWORDS = sorted([*SMALL, "hundred", "thousand", "million", "billion", "trillion", "dozen"],
                   key=len, reverse=True)
_NW = "|".join(_NUMWORDS)
_FRAC = "|".join(sorted(DENOMINATORS, key=len, reverse=True))
_SEPS = r"(?:,|[ \u00a0\u2009\u202f])"
_DIG = rf"(?:\d{{1,3}}(?:{_SEPS}\d{{3}})+(?!\d)|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion)\b|(?:k|bn|mn|mln|tn|m|b)\b)"
# One number: digits with optional scale, or number words (possibly mixed with digits), or a
# fraction word, or a vague amount. Named groups tell which.
_NUMBER = (
    rf"(?P<vague>tens\s+of\s+thousands|hundreds\s+of\s+thousands|tens\s+of\s+millions|"
    rf"hundreds\s+of\s+millions|tens\s+of\s+billions|hundreds\s+of\s+billions|"
    rf"(?:several|a\s+few)\s+(?:hundred|thousand|million|billion)(?!\s+(?:{_NW})\b)|"
    rf"dozens|hundreds|thousands|millions|billions|decades)"
    rf"|(?P<frac>(?:(?:a|an|one|two|three|four|five|seven|nine)[\s-]+)?(?:{_FRAC}))"
    rf"|(?P<digits>{_DIG}{_SCALE}?)"
    rf"|(?P<words>(?:(?:a|an)\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?(?:{_NW})"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{_NW}|{_DIG})(?![\w]))*)"
)
_NUMBER_RE = re.compile(rf"(?<![\w.,/:])(?<![A-Za-z]-)(?<![A-Za-z]–)(?:{_NUMBER})(?![\w])(?!/\d)(?!:\d)",
                        re.IGNORECASE)
_PREFILTER = re.compile(rf"\d|\b(?:{_NW}|dozens|hundreds|thousands|millions|billions|decades|"
                        rf"half|third|thirds|quarter|quarters)\b", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to)\s*|\s+to\s+", re.IGNORECASE)
_BETWEEN = re.compile(r"(?:between|from)\s+$", re.IGNORECASE)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|UTC\b|hrs\b|o'clock)", re.IGNORECASE)
_WORD = re.compile(r"\s*([A-Za-z][\w’'.-]*)")
_NOT_AFTER_ONE = re.compile(r"^(?:-[a-z]|\s+of\b|\s+another\b|\s+by\s+one\b)", re.IGNORECASE)
_BEFORE_HALF = re.compile(r"(?:first|second|latter|former|other|the|this|last|next)\s+$",
                          re.IGNORECASE)
_PLURAL_NOUN = re.compile(r"\s+(?:of\s+)?([a-z]{3,}s)\b")
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


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _yaml(name: str) -> dict:
    path = RESOURCES / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: invalid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at top level")
    return data


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """Load and compile units.yaml and measures.yaml once."""
    units, measures = _yaml("units.yaml"), _yaml("measures.yaml")
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
    rate_adj_of = {str(p).lower(): per for per, ps in units["rate_adjectives"].items() for p in ps}
    bound_of = {str(p).lower(): b for b, ps in measures["bounds"].items() for p in ps}
    cue_measures: dict[str, list[tuple[str, frozenset]]] = {}
    for measure, spec in measures["measures"].items():
        allowed = frozenset(spec.get("units") or [])
        for cue in spec["cues"]:
            cue_measures.setdefault(str(cue).lower(), []).append((measure, allowed))
    unit_alt = _alt(unit_of)
    return _Lexicon(
        unit_re=re.compile(rf"(?:\s*-\s*|\s*)({unit_alt})(?![\w])", re.IGNORECASE),
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
        cue_re=re.compile(rf"(?<![\w])({_alt(cue_measures)})(?![\w])", re.IGNORECASE),
        cue_measures=cue_measures,
        unit_defaults={str(k): str(v) for k, v in measures["unit_defaults"].items()},
        located=frozenset(measures["located_measures"]),
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


def find_quantities(text: str, doc: str) -> list[Quantity]:
    """Every quantity in ``text`` as Quantity records with offsets into ``text`` as given."""
    lex, gaz = lexicon(), load_gazetteer()
    sents = sentence_spans(text)
    hits: list[_Hit] = []
    for i, (s, e) in enumerate(sents):
        if _PREFILTER.search(text, s, e):
            hits.extend(_numbers_in(text, s, e, i, lex))
    if not hits:
        return []
    mentions: dict[int, list[Mention]] = {}
    out: list[Quantity] = []
    prev: list[tuple[_Hit, str]] = []
    for h in hits:
        ms = _sentence_mentions(text, sents, h.sent, gaz, mentions)
        actor = _actor(text, h, sents, gaz, mentions)
        measure = _measure(text, h, sents[h.sent], lex, prev)
        location = _location(text, h, ms, sents, gaz, mentions, measure, lex)
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
        key = re.sub(r"\s+", " ", m.group("vague").lower())
        if key in _VAGUE:
            low, high = _VAGUE[key]
            return None, float(low), float(high), "vague"
        qual, scale = key.split(" ")[0:-1], key.split(" ")[-1]
        mult = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}[scale]
        low, high = (2, 5) if " ".join(qual) == "a few" else (3, 9)
        return None, low * mult, high * mult, "vague"
    for kind in ("frac", "digits", "words"):
        if m.group(kind):
            raw = m.group(kind)
            value = _digits_value(raw) if kind == "digits" else parse_number(raw)
            return value, None, None, kind
    return None, None, None, "none"


def _digits_value(raw: str) -> float | None:
    m = re.match(rf"({_DIG})\s*([a-z]*)$", raw, re.IGNORECASE)
    if not m:
        return None
    value = parse_digits(m.group(1))
    if m.group(2):
        value *= SCALES[m.group(2).lower()]
    return value


def _numbers_in(text: str, s: int, e: int, i: int, lex: _Lexicon) -> list[_Hit]:
    """Numbers of one sentence joined into ranges, with bound, unit and rate; dates dropped."""
    found = [(m, *_value_of(m)) for m in _NUMBER_RE.finditer(text, s, e)]
    hits: list[_Hit] = []
    j = 0
    while j < len(found):
        m, value, low, high, kind = found[j]
        start, end = m.start(), m.end()
        bound = "vague" if kind == "vague" else "exact"
        raw_scale = m.group("digits") and re.search(r"[a-z]$", m.group("digits"), re.I)
        # ranges: "10,000 to 12,000", "846-1,523", "between 8,000 and 10,000"
        if kind in ("digits", "words") and j + 1 < len(found):
            m2, v2, _, _, kind2 = found[j + 1]
            gap = text[end:m2.start()]
            between = _BETWEEN.search(text, max(s, start - 9), start)
            joined = (_RANGE_JOIN.fullmatch(gap) or (between and re.fullmatch(r"\s+and\s+", gap)))
            if joined and kind2 in ("digits", "words") and value is not None and v2 is not None:
                if not raw_scale and kind == "digits":
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
        # currency before: "$5 billion"
        unit = stated = None
        factor = 1.0
        cm = lex.currency_re.search(text, max(s, start - 6), start)
        if cm and not text[start - 1:start].isalpha():
            unit, stated = lex.currency_of[cm.group(1).lower()], cm.group(1)
            start = cm.start(1)
        # bound words before: "around", "more than", "as many as"
        prefix = text[max(s, start - 24):start]
        if bound == "exact" and (bm := lex.bound_re.search(prefix)):
            bound = lex.bound_of[bm.group(1).lower()]
            start -= len(prefix) - bm.start(1)
        if kind == "frac":
            unit = "fraction"
            if _BEFORE_HALF.search(text, max(s, start - 12), start):
                continue
        elif m.group("vague") and "decades" in m.group("vague").lower():
            unit, stated = "years", "decades"
        u_start = u_end = end
        if unit is None:
            found_unit = _unit_after(text, end, e, lex)
            if found_unit:
                u_start, u_end, stated = found_unit
                unit, factor = lex.unit_of[stated.lower()]
                if stated.lower() in ("strong", "-strong"):
                    stated = "strong"
        if kind == "words" and value is not None and value <= 10 and unit is None and bound == "exact":
            continue  # "the two sides", "one of", "one-off": small words need a unit noun
        if kind == "words" and value == 1 and _NOT_AFTER_ONE.match(text[end:end + 12]):
            continue
        if unit is None and kind in ("digits", "words", "vague"):
            pm = _PLURAL_NOUN.match(text, end, e)
            if pm and pm.group(1) not in _NOT_NOUNS:
                unit, stated = pm.group(1), pm.group(1)
                u_start, u_end = pm.start(1), pm.end(1)
        if factor != 1.0:
            value, low, high = (None if x is None else round(x * factor, 6) for x in (value, low, high))
        elif unit is not None and stated is not None and stated.lower() == unit:
            stated = None
        per = _rate(text, start, u_end, s, e, lex)
        if unit == "%":
            unit = "percent"
        hits.append(_Hit(start, end, value, low, high, bound, unit, stated, per, u_start, u_end, i))
    return hits


def _shared_scale(raw: str) -> float:
    """Scale a bare lower range end by the upper end's scale word ("1.5 to 2 million")."""
    m = re.search(r"(thousand|million|billion|trillion|k|bn|mn|mln|tn|m|b)\s*$", raw, re.I)
    return SCALES[m.group(1).lower()] if m else 1.0


def _is_date_or_time(text: str, start: int, end: int, value: float | None, kind: str, s: int) -> bool:
    """Years ("in 2024"), days of months ("March 3", "3 March") and clock times."""
    if kind != "digits" or value is None:
        return False
    raw = text[start:end]
    after = text[end:end + 14]
    if _CLOCK_AFTER.match(after):
        return True
    if value == int(value) and 1 <= value <= 31 and (
            _MONTH_BEFORE.search(text, max(s, start - 12), start) or _MONTH_AFTER.match(after)):
        return True
    if re.fullmatch(r"\d{4}", raw) and 1800 <= value <= 2100:
        return not lexicon().unit_re.match(text, end) or _MONTH_BEFORE.search(text, max(s, start - 12), start)
    if re.fullmatch(r"\d{4}s", raw):
        return True
    return False


def _unit_after(text: str, pos: int, e: int, lex: _Lexicon) -> tuple[int, int, str] | None:
    """The unit noun after a number, skipping up to four filler/adjective/name words."""
    for _ in range(5):
        um = lex.unit_re.match(text, pos, e)
        if um:
            return um.start(1), um.end(1), um.group(1)
        wm = _WORD.match(text, pos, e)
        if not wm:
            return None
        word = wm.group(1)
        if word.lower() not in lex.fillers and not word[0].isupper():
            return None
        pos = wm.end()
    return None


def _rate(text: str, start: int, pos: int, s: int, e: int, lex: _Lexicon) -> str | None:
    """'per month', 'a day', '/week', 'monthly' after the unit, or 'monthly target of' before."""
    rm = lex.rate_re.match(text, pos, e)
    if rm:
        return lex.rate_of[rm.group(1).lower()]
    clause = re.split(r"[,;:.()\u2014]", text[max(s, start - 50):start])[-1]
    am = None
    for am in lex.rate_adj_re.finditer(clause):
        pass
    return lex.rate_adj_of[am.group(1).lower()] if am else None


# --- actor, measure, location ---------------------------------------------------------------

def _sentence_mentions(text: str, sents, k: int, gaz: Gazetteer, cache: dict) -> list[Mention]:
    if k not in cache:
        cache[k] = gaz.mentions(text, *sents[k])
    return cache[k]


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z]+)\W*$", text[max(0, pos - 20):pos])
    return m.group(1).lower() if m else ""


def _word_after(text: str, pos: int) -> str:
    m = re.match(r"(?:[’']s)?\s+([A-Za-z]+)", text[pos:pos + 30])
    return m.group(1).lower() if m else ""


def _agent(text: str, m: Mention, gaz: Gazetteer) -> bool:
    """An actor mention that can own a quantity: not after 'for/to/in...', not a source."""
    return (m.kind == "actor" and _word_before(text, m.start) not in gaz.non_agent_prepositions
            and _word_after(text, m.end) not in gaz.source_nouns)


def _actor(text: str, h: _Hit, sents, gaz: Gazetteer, cache: dict) -> str | None:
    """Whose quantity: a demonym on the unit ("10,000 North Korean troops"), else the nearest
    agent before the number in the sentence, else the last agent of the previous two sentences."""
    ms = _sentence_mentions(text, sents, h.sent, gaz, cache)
    for m in ms:
        if m.kind == "actor" and h.end <= m.start < h.unit_start:
            return m.name
    before = [m for m in ms if m.end <= h.start and _agent(text, m, gaz)]
    if before:
        return before[-1].name
    for k in range(h.sent - 1, max(-1, h.sent - 3), -1):
        agents = [m for m in _sentence_mentions(text, sents, k, gaz, cache) if _agent(text, m, gaz)]
        if agents:
            return agents[-1].name
    return None


def _measure(text: str, h: _Hit, sent, lex: _Lexicon, prev: list[tuple[_Hit, str]]) -> str:
    """The nearest cue compatible with the unit; else a unit default (years -> duration), else
    the measure of an earlier quantity with the same unit in this or the previous sentence."""
    s, e = sent
    best: tuple[float, str] | None = None
    for cm in lex.cue_re.finditer(text, s, e):
        if h.start <= cm.start() < h.end:
            continue
        dist = h.start - cm.end() if cm.end() <= h.start else (cm.start() - h.unit_end) * 1.5
        if dist < 0:
            dist = 0.5
        for measure, allowed in lex.cue_measures[cm.group(1).lower()]:
            if h.unit in allowed or (h.unit not in lex.unit_defaults and h.unit is None and None in allowed):
                if best is None or dist < best[0]:
                    best = (dist, measure)
                break
    if best is not None and best[0] <= 120:
        return best[1]
    if h.unit in lex.unit_defaults and lex.unit_defaults[h.unit] != "strength":
        return lex.unit_defaults[h.unit]
    for ph, pm in reversed(prev):
        if ph.sent >= h.sent - 1 and ph.unit == h.unit and pm != "other":
            return pm
    return lex.unit_defaults.get(h.unit or "", "other")


def _location(text: str, h: _Hit, ms: list[Mention], sents, gaz: Gazetteer, cache: dict,
              measure: str, lex: _Lexicon) -> str | None:
    """The place named nearest the number in its sentence; territory measures may take the
    latest place named in the five sentences before."""
    def places(mentions: list[Mention]) -> list[Mention]:
        out = [m for m in mentions if m.kind == "place" and (
            m.name not in gaz.locative_only
            or _word_before(text, m.start) in gaz.locative_prepositions)]
        specific = [m for m in out if m.name not in gaz.locative_only]
        return specific or out

    here = places(ms)
    if here:
        return min(here, key=lambda m: abs(m.start - h.start)).name
    if measure in lex.located:
        for k in range(h.sent - 1, max(-1, h.sent - 6), -1):
            found = places(_sentence_mentions(text, sents, k, gaz, cache))
            if found:
                return found[-1].name
    return None
