"""Statements (placeholder until the statement extractor lands)."""
from __future__ import annotations

from orbat.types import Quantity, Statement


def find_statements(text: str, doc: str) -> list[Statement]:
    return []


def attribute(quantities: list[Quantity], statements: list[Statement], text: str) -> list[Quantity]:
    return quantities
