"""The model's own attribute-ruler patterns, applied by dictionary lookup.

spaCy's AttributeRuler maps tags to coarse parts of speech and morphology (and a few hundred
word exceptions) by running a Matcher over every token; on the small English pipeline that is
a fifth of the parse. The patterns here are the loaded model's own, taken from its
attribute_ruler; each token looks up only the patterns its tag or lower-case form can match,
and every match is applied in the ruler's order (later patterns win), with spaCy's own
``set_token_attrs``: the same annotations, without the Matcher.
"""
from __future__ import annotations

import re

_KEYS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}


def _test(spec):
    """A predicate for one token attribute's value spec: a value, {"IN": [...]} or {"REGEX": ...}."""
    if isinstance(spec, dict):
        if set(spec) == {"IN"}:
            allowed = frozenset(spec["IN"])
            return allowed.__contains__
        if set(spec) == {"NOT_IN"}:
            banned = frozenset(spec["NOT_IN"])
            return lambda v: v not in banned
        if set(spec) == {"REGEX"}:
            pattern = re.compile(spec["REGEX"])
            return lambda v: isinstance(v, str) and pattern.search(v) is not None
        raise ValueError(f"attribute pattern not supported: {spec!r}")
    return spec.__eq__


class FastAttributes:
    """A drop-in for a pipeline's attribute_ruler (see the module docstring)."""

    def __init__(self, ruler) -> None:
        from spacy.tokens._retokenize import normalize_token_attrs

        self._rules = []  # (order, [token tests], index, attrs)
        self._by_tag: dict[str, list] = {}
        self._by_lower: dict[str, list] = {}
        self._by_dep: dict[str, list] = {}
        self._space: list = []  # rules for whitespace tokens only
        self._other: list = []
        for order, item in enumerate(ruler.patterns):
            attrs = normalize_token_attrs(ruler.vocab, item["attrs"])
            for pattern in item["patterns"]:
                tests = []
                for tok in pattern:
                    unknown = set(tok) - set(_KEYS)
                    if unknown:
                        raise ValueError(f"attribute pattern key not supported: {sorted(unknown)}")
                    tests.append([(_KEYS[k], _test(v)) for k, v in tok.items()])
                rule = (order, tests, item.get("index", 0), attrs)
                first = pattern[0]  # indexed by the most selective key of its first token
                for key, index in (("LOWER", self._by_lower), ("DEP", self._by_dep), ("TAG", self._by_tag)):
                    spec = first.get(key)
                    values = [spec] if isinstance(spec, str) else spec.get("IN") if isinstance(spec, dict) else None
                    if values is not None:
                        for v in values:
                            index.setdefault(v, []).append(rule)
                        break
                else:
                    (self._space if first.get("IS_SPACE") is True else self._other).append(rule)

    def __call__(self, doc):
        from spacy.tokens._retokenize import set_token_attrs

        n = len(doc)
        matches = []
        by_tag, by_lower, by_dep, space, other = self._by_tag, self._by_lower, self._by_dep, self._space, self._other
        for i, tok in enumerate(doc):
            rules = by_tag.get(tok.tag_, ())
            exceptions, deps = by_lower.get(tok.lower_), by_dep.get(tok.dep_)
            if exceptions or deps or other or tok.is_space:
                rules = (*rules, *(exceptions or ()), *(deps or ()), *other, *(space if tok.is_space else ()))
            for order, tests, index, attrs in rules:
                if len(tests) == 1:
                    if all(test(getattr(tok, attr)) for attr, test in tests[0]):
                        matches.append((order, i + index, attrs))
                elif i + len(tests) <= n and all(test(getattr(doc[i + k], attr)) for k, token_tests in enumerate(tests)
                                                 for attr, test in token_tests):
                    matches.append((order, i + index, attrs))
        matches.sort(key=lambda m: m[0])
        for _, at, attrs in matches:
            set_token_attrs(doc[at], attrs)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)
