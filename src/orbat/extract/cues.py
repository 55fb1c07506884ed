"""Attribution lexicon: reporting verbs, hedges, likelihood bands and source words, read from YAML.

The packaged ``resources/cues.yaml`` is read once and compiled into regexes, so the statement
extractor does one cheap scan per text. A malformed file raises one clear line naming the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from orbat.extract.gazetteer import caseless_char, lead_pattern, trie_body
from orbat.extract.lexicon import current
from orbat.resources import read_yaml

MODALITIES = ("certain", "probable", "possible", "improbable")


@dataclass(frozen=True)
class Cues:
    """The compiled lexicon: word -> modality maps, word sets and the scanning regexes."""

    verb_modality: dict[str, str]
    denials: frozenset[str]
    passive_modality: dict[str, str]  # participle -> probable | reported
    clause_hedges: dict[str, str]
    phrase_hedges: dict[str, str]
    likelihood: dict[str, tuple[float, float]]
    heads: frozenset[str]
    person_heads: frozenset[str]
    modifiers: frozenset[str]
    determiners: frozenset[str]
    titles: frozenset[str]
    not_source: frozenset[str]
    pronouns: dict[str, str]
    evidential_markers: frozenset[str]
    document_nouns: frozenset[str]
    generic_referents: dict[str, str]  # "agency" -> body | armed: what kind of name it stands for
    organisation_words: frozenset[str]  # words that make a capitalised name an organisation's
    noun_like: frozenset[str]  # reporting verbs that are also nouns ("estimates", "report")
    verb_re: re.Pattern[str]
    any_re: re.Pattern[str]  # every cue word: sentences without a hit are skipped
    passive_re: re.Pattern[str]
    according_re: re.Pattern[str]
    relay_re: re.Pattern[str]
    negation_re: re.Pattern[str]
    between_re: re.Pattern[str]
    between_tail_re: re.Pattern[str]  # a between word's last token ending a string (cheap prefilter)
    negation_tail_re: re.Pattern[str]  # likewise for negators
    hedge_re: re.Pattern[str]
    evidential_re: re.Pattern[str]
    dismissive_re: re.Pattern[str]  # "called fabricated": group "cue" is the verb
    agent_passive_re: re.Pattern[str]  # "first reported by": the agent follows
    media_words: frozenset[str] = frozenset()  # words that make a source a news outlet


# "X put the monthly toll nearer 9,000", "put the number of personnel killed at 231": X gives the
# figure. Lexicon phrases ("put the number at") win; this catches the ones with words between.
_FIGURE_VERBS = ["put", "puts", "putting", "placed", "places"]
_FIGURE_PHRASE = (rf"(?=[pP])\b(?:{'|'.join(_FIGURE_VERBS)})\s+(?:the|its|their|his|her)\s+(?:[\w\-]+\s+){{0,6}}?"
                  r"(?:at|nearer|closer\s+to|as\s+high\s+as|as\s+low\s+as)\b")


def _alt(words, caseless: bool = True) -> str:
    """A regex matching any of ``words`` (spaces match any whitespace), factored as a trie so the
    engine rejects a position after one or two characters instead of trying every word.
    ``caseless`` (for IGNORECASE patterns) spells each letter's cases out, see caseless_char."""
    char = caseless_char if caseless else re.escape
    body = trie_body({w.lower() for w in words}, lambda ch: r"\s+" if ch == " " else char(ch))
    return f"(?-i:{body})" if caseless else body


def _words(data: dict, key: str, path: Path) -> list[str]:
    val = data.get(key)
    if not isinstance(val, list) or not all(isinstance(w, str) for w in val):
        raise ValueError(f"{path}: '{key}' must be a list of strings")
    return [w.lower() for w in val]


def _by_modality(data: dict, key: str, path: Path, allowed=MODALITIES) -> dict[str, str]:
    section = data.get(key)
    if not isinstance(section, dict):
        raise ValueError(f"{path}: '{key}' must map a modality to a list of words")
    out: dict[str, str] = {}
    for modality, words in section.items():
        if modality not in allowed:
            raise ValueError(f"{path}: '{key}' has unknown modality {modality!r}")
        for w in _words(section, modality, path):
            out.setdefault(w, modality)
    return out


def build_cues(data: dict, path: Path) -> Cues:
    """Compile the parsed YAML ``data`` (read from ``path``) into a :class:`Cues`."""
    verbs = _by_modality(data, "reporting_verbs", path)
    denials = frozenset(_words(data, "denial_verbs", path))
    for w in denials:
        verbs.setdefault(w, "certain")
    passive = _by_modality(data, "passive_verbs", path, ("probable", "reported"))
    hedges = data.get("hedges") or {}
    clause = _by_modality(hedges, "clause", path)
    phrase = _by_modality(hedges, "phrase", path)
    bands = {}
    for word, band in (data.get("likelihood") or {}).items():
        if not (isinstance(band, list) and len(band) == 2 and 0 <= band[0] <= band[1] <= 1):
            raise ValueError(f"{path}: likelihood band for {word!r} must be [low, high] in 0..1")
        bands[str(word).lower()] = (float(band[0]), float(band[1]))
    pronouns = {w: kind for kind, ws in (data.get("pronouns") or {}).items() for w in ws}
    markers = _words(data, "evidential_markers", path)
    hedge_words = [*clause, *phrase, *bands]
    negators = _words(data, 'negators', path)
    between = _words(data, 'between_words', path)
    # the match opens on whitespace, a comma or a between word's first letter
    between_firsts = "".join(re.escape(c) for c in sorted({w[0] for w in between if w}))
    between_lead = f"(?=[\\s,{between_firsts}])" if between else ""
    any_words = [*verbs, *passive, 'according', 'called', 'calls', 'branded', 'brands', 'labelled', 'labeled',
                 *_FIGURE_VERBS]
    return Cues(
        media_words=frozenset(str(w) for w in data.get("media_words") or []),
        verb_modality=verbs,
        denials=denials,
        passive_modality=passive,
        clause_hedges=clause,
        phrase_hedges=phrase,
        likelihood=bands,
        heads=frozenset(_words(data, "source_heads", path)),
        person_heads=frozenset(_words(data, "person_heads", path)),
        modifiers=frozenset(_words(data, "source_modifiers", path)),
        determiners=frozenset(_words(data, "determiners", path)),
        titles=frozenset(_words(data, "titles", path)),
        not_source=frozenset(_words(data, "not_source_words", path)),
        pronouns=pronouns,
        evidential_markers=frozenset(markers),
        document_nouns=frozenset(_words(data, "document_nouns", path)),
        generic_referents={w: kind for kind in ("body", "armed")
                           for w in _words(data.get("generic_referents") or {}, kind, path)},
        organisation_words=frozenset(_words(data, "organisation_words", path)),
        noun_like=frozenset(_words(data, "noun_like_verbs", path)),
        verb_re=re.compile(rf"(?:{lead_pattern(verbs)}\b(?:{_alt(verbs)})\b)|{_FIGURE_PHRASE}", re.I),
        any_re=re.compile(rf"{lead_pattern(any_words)}\b(?:{_alt(any_words)})\b", re.I),
        passive_re=re.compile(
            rf"(?=[iawb])\b(?:is|are|was|were|been|be)\s+(?:(?:widely|also|now|generally|still|further|commonly|"
            rf"usually|often|variously|conservatively|roughly)\s+)?"
            rf"(?P<cue>{_alt(passive)})\s+(?:to|that|at)\b", re.I),
        according_re=re.compile(r"\baccording\s+to\b", re.I),
        relay_re=re.compile(rf"(?:,\s*)?\b(?:{_alt(_words(data, 'relay_markers', path))})\b", re.I),
        negation_re=re.compile(rf"{lead_pattern(negators)}\b(?:{_alt(negators)})\s*$", re.I),
        between_tail_re=re.compile(rf"(?:{_alt({w.split()[-1] for w in between if w.split()})})\Z", re.I),
        negation_tail_re=re.compile(rf"(?:{_alt({w.split()[-1] for w in negators if w.split()})})\Z", re.I),
        between_re=re.compile(rf"{between_lead}(?:\s*,?\s*\b(?:{_alt(between)}))+\s*,?\s*$", re.I),
        hedge_re=re.compile(rf"{lead_pattern(hedge_words)}\b(?:{_alt(hedge_words, caseless=False)})\b"),
        evidential_re=re.compile(rf"{lead_pattern(markers)}\b(?:{_alt(markers)})\b", re.I),
        dismissive_re=re.compile(
            rf"\b(?P<cue>called|calls|branded|brands|labelled|labeled|dismissed\s+as)\s+(?:it\s+|them\s+|this\s+|"
            rf"(?:the|those|these|such)\s+(?:[\w\-]+\s+){{1,2}}?)?"
            rf"(?:{_alt(_words(data, 'dismissive_words', path))})\b", re.I),
        agent_passive_re=re.compile(
            r"\b(?:first\s+|originally\s+|also\s+)?(?P<cue>reported|confirmed|estimated|announced|claimed|"
            r"assessed|disclosed|revealed|described)\s+by\s+", re.I),
    )


def load_cues(path: str | Path | None = None) -> Cues:
    """The attribution lexicon from ``path`` (default: the active lexicon's ``cues.yaml``, else
    the packaged one)."""
    if path is None:
        path = current().file("cues.yaml")
    return _load_cues(path)


@lru_cache(maxsize=4)
def _load_cues(path: str | Path | None) -> Cues:
    data = read_yaml(path, "cues.yaml", "the attribution lexicon")
    p = Path(path) if path else Path("cues.yaml (bundled)")
    if not isinstance(data, dict):
        raise ValueError(f"{p}: expected a mapping of cue lists at the top level")
    return build_cues(data, p)
