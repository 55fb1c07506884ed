"""Actors and places named in text, mapped to canonical names from YAML gazetteers.

The packaged ``resources/gazetteer.yaml`` is loaded once; users can merge their own file with
``load_gazetteer(path)``. Matching is case-sensitive (so "US" is not "us") and prefers the
longest name ("North Korean" before "North Korea").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from orbat.extract.lexicon import current
from orbat.extract.sentences import TEXTS_CACHED
from orbat.resources import read_yaml


@dataclass(frozen=True)
class Mention:
    """One name found in text: where, which canonical entry, and of what kind."""

    start: int
    end: int
    name: str
    kind: str  # actor | place


@dataclass(frozen=True)
class Gazetteer:
    """Compiled actor and place names plus the word lists that judge a mention's role."""

    actors: dict[str, str]
    places: dict[str, str]
    locative_only: frozenset[str]
    locative_prepositions: frozenset[str]
    non_agent_prepositions: frozenset[str]
    source_nouns: frozenset[str]
    parents: dict[str, str]
    names: NameIndex
    adversaries: dict[str, str] = field(default_factory=dict)
    inflicting_re: re.Pattern[str] | None = None
    armed_groups: frozenset[str] = frozenset()  # non-state actors "the group" may refer back to
    not_places: frozenset[str] = frozenset()  # proper names after "in"/"on" that are times ("in January")
    rivals: dict[str, tuple[str, ...]] = field(default_factory=dict)  # every adversary of a side, first the default

    _texts: dict = field(default_factory=dict, compare=False, repr=False)  # text -> _WholeText

    def mentions(self, text: str, start: int = 0, end: int | None = None, whole: bool = False) -> list[Mention]:
        """Every actor or place name in ``text[start:end]``, with absolute offsets. ``whole``:
        the same, read off the mentions of the whole text, found once (for the last
        TEXTS_CACHED texts): for a text read in many windows, its sentences, or more than once."""
        end = len(text) if end is None else end
        if whole:
            read = self._texts.get(text)
            if read is None:
                if len(self._texts) >= TEXTS_CACHED:
                    del self._texts[next(iter(self._texts))]  # the oldest
                read = self._texts[text] = _WholeText(self, text)
            window = read.window(text, start, end)
            if window is not None:
                return window
        out: list[Mention] = []
        for a, b, name in self.names.find(text, start, end):
            self._mention(text, a, b, name, out)
        return out

    def _mention(self, text: str, a: int, b: int, name: str, out: list[Mention]) -> None:
        """Add the mentions of the name found at ``text[a:b]``: as an actor unless it is a
        language, as a place unless it ends a longer name."""
        if name in self.actors and not _a_language(text, a, b):
            out.append(Mention(a, b, self.actors[name], "actor"))
        if name in self.places and not _inside_a_longer_name(text, a):
            out.append(Mention(a, b, self.places[name], "place"))


class _WholeText:
    """The names found in one whole text and their mentions (which depend on the text around a
    name, never on the window it is looked for in)."""

    def __init__(self, gaz: Gazetteer, text: str):
        self.found = gaz.names.find(text)
        self.starts = [a for a, _, _ in self.found]
        self.mentions: list[Mention] = []
        self.first = []  # where each name's mentions begin in self.mentions (and their end)
        for a, b, name in self.found:
            self.first.append(len(self.mentions))
            gaz._mention(text, a, b, name, self.mentions)
        self.first.append(len(self.mentions))

    def window(self, text: str, start: int, end: int) -> list[Mention] | None:
        """The mentions in ``text[start:end]`` as a scan of that window finds them; None where
        the scan could find others: a name of the whole text runs across an edge of the window,
        or the window ends where a name could go on (a cut inside a word)."""
        start, end = max(start, 0), min(end, len(text))
        i, j = bisect_left(self.starts, start), bisect_left(self.starts, end)
        if (i and self.found[i - 1][1] > start or j and self.found[j - 1][1] > end
                or end < len(text) and _word_or_currency(text[end])):
            return None
        return self.mentions[self.first[i]:self.first[j]]


class NameIndex:
    """Finds names in text case-sensitively, the longest at each place first, never inside a
    word: a name starts after neither a word character nor a dot, and ends before neither a
    word character nor a currency sign ("US" is not in "USA" nor in "US$"). Scanning goes on
    after each name found.

    A regex finds the first words of names; the names that open with the word found are then
    tried, longest first. One regex alternation of all the names finds the same, but compiling
    it took three times as long at every start of the program."""

    _FIRST_WORD = re.compile(r"\w*")

    def __init__(self, names):
        names = {n for n in names if n}
        by_word: dict[str, list[str]] = {}
        for name in names:
            by_word.setdefault(self._FIRST_WORD.match(name).group(), []).append(name)
        # for each first word, its names and their lengths, longest first: the first length
        # at which the text holds one of the names (and no word goes on) is the name found
        self.by_word = {w: (frozenset(ns), sorted({len(n) for n in ns}, reverse=True)) for w, ns in by_word.items()}
        # Where a name can start: a name's first word as a whole word, as a trie (a few thousand
        # words, not the names: compiled in a third of the time); or, for names that open with
        # another character ("(...)"), that character, and "" for the first word.
        words = [w for w in by_word if w]
        starts = [f"(?:{trie_body(words, re.escape)})(?!\\w)"] if words else []
        if "" in by_word:
            starts.append(f"(?=[{''.join(re.escape(n[0]) for n in sorted(by_word['']))}])")
        self.starts = re.compile(rf"{lead_pattern(names)}(?<![\w.])(?:{'|'.join(starts) or '(?!x)x'})")

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, name) of each name in ``text[start:end]``, in order, with absolute
        offsets; whether a name starts at ``start`` depends on the character before it. Like a
        regex's pos and endpos, the window is clipped to the text."""
        start, end = max(start, 0), len(text) if end is None else min(end, len(text))
        out = []
        after = start  # where the last name found ends
        for m in self.starts.finditer(text, start, end):
            a = m.start()
            if a < after:
                continue  # inside the name found last
            names, lengths = self.by_word[m.group()]
            for n in lengths:
                b = a + n
                if b <= end and text[a:b] in names and (b == end or not _word_or_currency(text[b])):
                    out.append((a, b, text[a:b]))
                    after = b
                    break
        return out


def _word_or_currency(ch: str) -> bool:
    """Whether ``ch`` matches the regex ``[\\w$€£]`` (a word character is alphanumeric or "_")."""
    return ch.isalnum() or ch in "_$€£"


def _a_language(text: str, start: int, end: int) -> bool:
    """ "conducted in Spanish.", "translated from the French)": a language, not a side."""
    word = text[start:end]
    if " " in word or not _LANGUAGE_END.search(word):
        return False
    return bool(_LANGUAGE_BEFORE.search(text, max(0, start - 20), start)) and bool(_LANGUAGE_AFTER.match(text, end))


_LANGUAGE_END = re.compile(r"(?:ish|ese|ian|ic|ench|utch|ew|ali|ahili|arsi|ashto|rdu|indi|ai|ean)$")
_LANGUAGE_BEFORE = re.compile(r"\b(?:in|from|into)\s+(?:the\s+)?$")
_LANGUAGE_AFTER = re.compile(r"\s*(?:[,.;:)\]]|and\s|or\s|$)")


def _inside_a_longer_name(text: str, start: int) -> bool:
    """ "Lyman" in "Krasnyi Lyman", "Mayo" in "Hosere Mayo": a place name right after another
    capitalised word (not a direction, article or sentence start) is the end of a longer name
    the gazetteer does not know."""
    if start < 2 or text[start - 1] != " ":
        return False
    m = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if not m or not m.group(2)[0].isupper() or m.group(2).lower() in _NAME_LEADERS:
        return False
    lead, mark = m.group(1), m.group(1).strip()[-1:]
    if m.start(2) == 0 or "\n" in lead or mark and mark in ".!?:\"“(-–—":
        return False  # the capital starts a sentence, line or quote
    return True


_WORD_BEFORE = re.compile(r"(\W*)\b([A-Za-z][a-z]+)\s$")
_NAME_LEADERS = frozenset({"the", "in", "at", "near", "of", "and", "from", "to", "by", "on", "into", "outside",
                           "north", "south", "east", "west", "northern", "southern", "eastern", "western",
                           "central", "upper", "lower", "greater", "occupied", "liberated", "besieged", "new",
                           "old", "around", "across", "inside", "toward", "towards", "via", "for", "with",
                           "as", "that", "this", "while", "when", "but", "or", "after", "before", "since",
                           "during", "until", "against", "between", "over", "under", "if", "whether"})


BUNDLED = ("gazetteer.yaml", "gazetteer_world.yaml", "gazetteer_regions.yaml")


def _read(path: Path | str | None, bundled: str = "gazetteer.yaml") -> dict:
    """A gazetteer file (the packaged ``bundled`` one when ``path`` is None), checked for its shape."""
    data = read_yaml(path, bundled, "a gazetteer")
    path = path if path is not None else f"{bundled} (bundled)"
    if not isinstance(data, dict):
        raise ValueError(f"{path}: gazetteer must be a mapping with 'actors' and/or 'places'")
    for key in ("actors", "places"):
        section = data.get(key) or {}
        if not isinstance(section, dict) or not all(isinstance(v, list) for v in section.values()):
            raise ValueError(f"{path}: '{key}' must map each canonical name to a list of names")
    return data


def _index(section: dict[str, list]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, names in section.items():
        index[str(canonical)] = str(canonical)
        for name in names:
            index[str(name)] = str(canonical)
    return index


def build_gazetteer(datas: list[dict]) -> Gazetteer:
    """Merge parsed gazetteer mappings (later ones extend/override earlier ones) and compile."""
    actors: dict[str, str] = {}
    places: dict[str, str] = {}
    parents: dict[str, str] = {}
    adversaries: dict[str, str] = {}
    rivals: dict[str, tuple[str, ...]] = {}
    verbs: set[str] = set()
    lists: dict[str, set[str]] = {k: set() for k in ("locative_only", "locative_prepositions",
                                                     "non_agent_prepositions", "source_nouns",
                                                     "armed_groups", "not_places")}
    for data in datas:
        actors.update(_index(data.get("actors") or {}))
        places.update(_index(data.get("places") or {}))
        parents.update({str(k): str(v) for k, v in (data.get("parents") or {}).items()})
        for k, v in (data.get("adversaries") or {}).items():  # a side's adversary, or a list of them
            names = tuple(str(x) for x in (v if isinstance(v, list) else [v]))
            if names:
                rivals[str(k)] = names
                adversaries[str(k)] = names[0]
        verbs.update(str(w) for w in data.get("inflicting_verbs") or [])
        for key, acc in lists.items():
            acc.update(str(w) for w in data.get(key) or [])
        for country in data.get("countries") or []:  # a state is also a place, after "in"/"near"...
            places.setdefault(str(country), str(country))
            lists["locative_only"].add(str(country))
    return Gazetteer(actors, places, frozenset(lists["locative_only"]),
                     frozenset(lists["locative_prepositions"]),
                     frozenset(lists["non_agent_prepositions"]), frozenset(lists["source_nouns"]),
                     parents, NameIndex([*actors, *places]), adversaries,
                     re.compile(rf"{lead_pattern(verbs)}\b(?:{trie_pattern(verbs, caseless=True)})\b", re.IGNORECASE)
                     if verbs else None,
                     frozenset(lists["armed_groups"]), frozenset(lists["not_places"]), rivals)


def load_gazetteer(extra: str | Path | None = None) -> Gazetteer:
    """The packaged gazetteer, extended by the user's YAML file at ``extra`` when given, else by
    the active lexicon's ``gazetteer.yaml`` (see ``orbat.extract.lexicon``)."""
    if extra is None:
        lex = current()
        if lex.folder is None:
            return _load_gazetteer(None)
        extra = lex.file("gazetteer.yaml")
    return _load_gazetteer(extra)


@lru_cache(maxsize=8)
def _load_gazetteer(extra: str | Path | None) -> Gazetteer:
    datas = [_read(None, name) for name in BUNDLED] + ([_read(extra)] if extra is not None else [])
    return build_gazetteer(datas)


# What re.IGNORECASE matches for an ASCII letter besides its two cases (Unicode simple case
# folding): dotted and dotless i, the Kelvin sign, the long s.
_FOLDS = {"i": "iI\u0130\u0131", "k": "kK\u212a", "s": "sS\u017f"}


def caseless_char(ch: str) -> str:
    """``ch`` as a case-sensitive regex matching exactly what it matches under re.IGNORECASE.
    In an IGNORECASE trie the engine must enter every branch to compare a folded letter; with
    the cases spelled out as a class ("[sS\u017f]") it skips a wrong branch with one test."""
    low = ch.lower()
    if "a" <= low <= "z" and len(low) == 1:
        return "[" + _FOLDS.get(low, low + low.upper()) + "]"
    return re.escape(ch) if ch.isascii() else f"(?i:{re.escape(ch)})"


def lead_pattern(words) -> str:
    """A lookahead for the first characters of ``words``, put before an alternation so the regex
    engine skips other positions with one character test; empty when it cannot help."""
    firsts = {w[0] for w in words if w}
    if not firsts or any(c.isspace() for c in firsts):
        return ""
    return "(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])"


def trie_pattern(words, caseless: bool = False) -> str:
    """A regex alternation of ``words`` arranged as a character trie, so matching a large
    lexicon costs about one pass per position instead of one try per word; longest first.
    ``caseless`` (for IGNORECASE patterns) spells each letter's cases out, see caseless_char."""
    body = trie_body(words, caseless_char if caseless else re.escape) or r"(?!x)x"
    return f"(?-i:{body})" if caseless else body


def trie_body(words, char) -> str:
    """The bare trie alternation of ``words``, each character written as ``char(ch)``; empty
    for no words."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(trie, char)


def _emit(node: dict, char) -> str:
    ends = "" in node
    branches = [char(ch) + _emit(child, char) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body
