"""The shared spaCy pipeline: a blank English tokenizer (no model download), built once."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language


@lru_cache(maxsize=1)
def blank_english() -> Language:
    """spaCy's rule-based English tokenizer; a statistical pipeline is never required."""
    return spacy.blank("en")
