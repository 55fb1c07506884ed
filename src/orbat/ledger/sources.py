"""Sources: normalise the names the text gives and sort them into kinds (resources/source_kinds.yaml)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from orbat.resources import read_yaml

KINDS = ("government", "military", "intelligence", "analyst", "media", "ngo", "unknown")
_DROP = {"the", "a", "an", "some", "one", "two", "several", "many", "senior", "top"}


@lru_cache(maxsize=65536)
def normalise_source(name: str) -> str:
    """Lower-case content words of a source name: "The U.S. officials" -> "us officials"."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("’", "'")
    text = re.sub(r"(?<=\b\w)\.(?=\w\.)|(?<=\b\w)\.(?=\s|$)", "", text)  # U.S. -> us
    words = re.findall(r"[\w'-]+", text)
    return " ".join(w for w in words if w not in _DROP)


@lru_cache(maxsize=65536)
def source_id(normalised: str) -> str:
    """A stable id for a normalised source name."""
    return hashlib.sha256(normalised.encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    raw = read_yaml(None, "source_kinds.yaml", "source kinds")
    out = []
    for kind, pats in raw["kinds"].items():
        if kind not in KINDS:
            raise ValueError(f"source_kinds.yaml: unknown kind {kind!r} (expected one of {KINDS})")
        out.append((kind, re.compile(r"(?<!\w)(?:" + "|".join(pats) + r")(?!\w)", re.IGNORECASE)))
    return tuple(out)


@lru_cache(maxsize=4096)
def source_kind(name: str) -> str:
    """The first kind whose pattern matches ``name``; "unknown" when none does."""
    for kind, pattern in _patterns():
        if pattern.search(name):
            return kind
    return "unknown"
