"""Cut a document's text into segments at claim boundaries, so templates can mark them up.

Each segment carries the ids of the quantities and statements (and statement cues) covering
it; the template escapes the text itself (Jinja2 autoescape), so nothing here builds HTML.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    quantities: tuple[str, ...]
    statements: tuple[str, ...]
    cue: bool

    @property
    def claim(self) -> str | None:
        """The claim a click on this segment opens: the quantity, else the statement."""
        if self.quantities:
            return self.quantities[0]
        return self.statements[-1] if self.statements else None


def segments(text: str, quantities: list[dict[str, Any]],
             statements: list[dict[str, Any]]) -> list[Segment]:
    n = len(text)

    def span(a, b):
        a, b = max(0, min(n, int(a))), max(0, min(n, int(b)))
        return (a, b) if b > a else None

    q_spans = [(s, r["claim_id"]) for r in quantities if (s := span(r["span_start"], r["span_end"]))]
    s_spans = [(s, r["claim_id"]) for r in statements if (s := span(r["span_start"], r["span_end"]))]
    cues = [s for r in statements if r.get("cue_start") is not None
            and (s := span(r["cue_start"], r["cue_end"]))]
    cuts = {0, n}
    for (a, b), _ in q_spans + s_spans:
        cuts |= {a, b}
    for a, b in cues:
        cuts |= {a, b}
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:]):
        qs = tuple(cid for (x, y), cid in q_spans if x <= a and b <= y)
        ss = tuple(cid for (x, y), cid in s_spans if x <= a and b <= y)
        cue = any(x <= a and b <= y for x, y in cues)
        out.append(Segment(text[a:b], qs, ss, cue))
    return out
