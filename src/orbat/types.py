"""Frozen records shared by the stages: documents, quantity claims, statement claims, estimates.

Claims serialise to the claims JSONL format v1 (see ``../shared/eval/README.md``) with
``to_dict()``; unknown values are ``None`` and never omitted.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

Span = tuple[int, int]


@dataclass(frozen=True)
class Document:
    """One report as read: ``id`` names it, ``text`` is exactly what offsets point into."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    language: str = "en"
    path: str | None = None


@dataclass(frozen=True)
class Quantity:
    """A number or vague amount said about the conflict, with what it counts and who says so."""

    doc: str
    span: Span
    text: str
    value: float | None
    low: float | None
    high: float | None
    bound: str  # exact approx at_least at_most up_to range vague
    unit: str | None
    per: str | None  # day week month year
    actor: str | None
    measure: str
    location: str | None
    source: str | None = None
    evidential: str = "direct"  # direct | reported
    modality: str = "certain"  # certain probable possible improbable
    likelihood: tuple[float, float] | None = None
    stated_unit: str | None = None  # the unit as written, before normalising ("square miles")
    sentence_span: Span | None = None
    kind: str = field(default="quantity", init=False)

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


@dataclass(frozen=True)
class Statement:
    """An attributed assertion: who says it, with which reporting cue, and how sure."""

    doc: str
    span: Span
    text: str
    cue: str
    cue_span: Span
    source: str | None
    evidential: str = "direct"
    modality: str = "certain"
    negated: bool = False
    likelihood: tuple[float, float] | None = None
    via: str | None = None  # the outlet or party that relays it ("cited by The New York Times")
    kind: str = field(default="statement", init=False)

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


Claim = Quantity | Statement


@dataclass(frozen=True)
class Estimate:
    """Claims about one key reconciled: median, intervals and the pooled distribution.

    ``quantiles`` is the pooled distribution as (probability, value) pairs in increasing order,
    so later stages (the simulation) can sample it by inverse-CDF interpolation.
    """

    actor: str | None
    measure: str
    location: str | None
    unit: str | None
    per: str | None
    median: float
    p05: float
    p10: float
    p90: float
    p95: float
    n_claims: int
    n_sources: int
    quantiles: tuple[tuple[float, float], ...] = ()
    as_of: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)


_NAMES: dict[type, tuple[str, ...]] = {}  # each record type's field names, read once


def _to_dict(record: Any) -> dict[str, Any]:
    # the records are flat: read the fields directly (dataclasses.asdict deep-copies every value)
    names = _NAMES.get(type(record))
    if names is None:
        names = _NAMES[type(record)] = tuple(f.name for f in fields(record))
    out = {name: getattr(record, name) for name in names}
    for key, val in out.items():
        if isinstance(val, tuple):
            out[key] = list(val)
        elif isinstance(val, date):
            out[key] = val.isoformat()
    kind = out.pop("kind", None)
    return {"kind": kind, **out} if kind else out
