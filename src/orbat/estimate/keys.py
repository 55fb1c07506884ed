"""Keys: which claims are about the same quantity (actor, measure, location, per, unit).

Values are canonicalised (spaces collapsed, matched case-insensitively against a YAML mapping)
so that "Kursk region" and "Kursk" pool together, and a measure can ignore location.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from orbat.resources import read_yaml

KEY_FIELDS = ("actor", "measure", "location", "per", "unit")


@dataclass(frozen=True)
class KeyMapping:
    """Aliases per key field (lower-cased alias -> canonical) and measures pooled across places."""

    aliases: dict[str, dict[str, str | None]]
    ignore_location: frozenset[str]
    not_estimated: frozenset[str] = frozenset()  # measures whose claims are never pooled


def load_mapping(path: str | Path | None = None) -> KeyMapping:
    """Read a key-mapping YAML (the bundled default when ``path`` is None); bad files raise."""
    name = str(path) if path is not None else "keys.yaml (bundled)"
    data = read_yaml(path, "keys.yaml", "key mapping")
    if not isinstance(data, dict):
        raise ValueError(f"{name}: key mapping must be a YAML mapping")
    aliases: dict[str, dict[str, str | None]] = _gazetteer_aliases()
    for fld in KEY_FIELDS:
        table = data.get(fld) or {}
        if not isinstance(table, dict):
            raise ValueError(f"{name}: '{fld}' must map aliases to canonical names")
        aliases.setdefault(fld, {}).update({_fold(str(k)): (None if v is None else str(v)) for k, v in table.items()})
    unknown = set(data) - set(KEY_FIELDS) - {"ignore_location", "not_estimated"}
    if unknown:
        raise ValueError(f"{name}: unknown section(s) {sorted(unknown)}")
    ignore = data.get("ignore_location") or []
    if not isinstance(ignore, list):
        raise ValueError(f"{name}: 'ignore_location' must be a list of measures")
    skip = data.get("not_estimated") or []
    if not isinstance(skip, list):
        raise ValueError(f"{name}: 'not_estimated' must be a list of measures")
    return KeyMapping(aliases, frozenset(str(m) for m in ignore),
                      frozenset(str(m) for m in skip))


def _gazetteer_aliases() -> dict[str, dict[str, str | None]]:
    """The extraction gazetteer's names as key aliases: claims name an armed group as their
    report writes it ("TTP", "Tehreek-e-Taliban Pakistan"), and a place as written ("Kursk
    region"); estimates pool them under one canonical name. keys.yaml entries override these."""
    from orbat.extract.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    return {"actor": {_fold(k): v for k, v in gaz.actors.items()},
            "location": {_fold(k): v for k, v in gaz.places.items()}}


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def clean(value: Any) -> str | None:
    """None for missing values (None, NaN, empty); else the text with spaces collapsed."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = " ".join(str(value).split())
    return text or None


def canonical(field_name: str, value: Any, mapping: KeyMapping) -> str | None:
    """The canonical value of one key field under ``mapping``."""
    text = clean(value)
    if text is None:
        return None
    table = mapping.aliases.get(field_name, {})
    folded = _fold(text)
    if folded in table:
        return table[folded]
    if field_name == "per":
        return folded
    return text


def key_of(row: dict, mapping: KeyMapping) -> tuple[str | None, ...]:
    """The canonical (actor, measure, location, per, unit) key of one claim row."""
    vals = {f: canonical(f, row.get(f), mapping) for f in KEY_FIELDS}
    if vals["measure"] in mapping.ignore_location:
        vals["location"] = None
    return tuple(vals[f] for f in KEY_FIELDS)


def with_keys(claims: pd.DataFrame, mapping: KeyMapping) -> pd.DataFrame:
    """A copy of ``claims`` whose key columns hold canonical values."""
    out = claims.copy()
    for col in KEY_FIELDS:
        if col not in out.columns:
            out[col] = None
    keys = [key_of(row, mapping) for row in out[list(KEY_FIELDS)].to_dict("records")]
    for i, col in enumerate(KEY_FIELDS):
        out[col] = pd.Series([k[i] for k in keys], index=out.index, dtype=object)
    return out


def key_mask(frame: pd.DataFrame, wanted: dict[str, Any], mapping: KeyMapping) -> pd.Series:
    """Which rows of a canonically keyed frame have each ``wanted`` field (canonicalised) equal
    to the value given; None asks for a missing value."""
    mask = pd.Series(True, index=frame.index)
    for name, value in wanted.items():
        target = canonical(name, value, mapping)
        mask &= frame[name].map(lambda v, t=target: v == t)
    return mask
