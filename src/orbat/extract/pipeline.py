"""Run the extractors over one text and attach each quantity to the statement that asserts it."""
from __future__ import annotations

from orbat.types import Claim


def extract(text: str, doc: str = "doc") -> list[Claim]:
    """All quantities and statements in ``text``, ordered by offset; offsets index ``text`` as given."""
    from orbat.extract.quantities import find_quantities
    from orbat.extract.statements import attribute, find_statements

    statements = find_statements(text, doc)
    quantities = attribute(find_quantities(text, doc), statements, text)
    return sorted([*quantities, *statements], key=lambda c: (c.span[0], c.kind))
