"""Stable ids: documents by their text, claims by document and position, origins by claim content."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from orbat.types import Quantity


def document_id(text: str) -> str:
    """sha256 of the NFC-normalised, whitespace-collapsed text; first 16 hex digits."""
    canon = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]


def claim_id(doc_id: str, kind: str, index: int) -> str:
    """``<doc>-q0003`` / ``<doc>-s0001``: the n-th quantity or statement of a document."""
    return f"{doc_id}-{kind[0]}{index:04d}"


def origin_key(quantity: Quantity, source_norm: str | None) -> list:
    """What makes two quantities the same claim, whatever the wording around them."""
    return [source_norm, _num(quantity.value), _num(quantity.low), _num(quantity.high),
            quantity.measure, quantity.actor, quantity.unit, quantity.per]


def _num(value: float | None) -> float | None:
    return None if value is None else float(value)


def origin_id(key: list) -> str:
    """A stable id for an origin key (migration 0002 keeps a frozen copy of this function)."""
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:16]
