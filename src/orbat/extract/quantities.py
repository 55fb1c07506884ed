"""Quantities (placeholder until the quantity extractor lands)."""
from __future__ import annotations

from orbat.types import Quantity


def find_quantities(text: str, doc: str) -> list[Quantity]:
    return []
