"""Scenario files: YAML validated with pydantic v2, errors reported as ``file:line: field: problem``.

Any number in a scenario may be a plain number, ``{value: x, assumption: ...}``, a distribution
(``{dist: uniform|triangular|normal|lognormal|pert, ...}``) or a ledger reference
(``{from: {actor: ..., measure: ..., per: ...}, fallback: ...}``). Collections are mappings keyed
by name so every uncertain input has a readable path such as ``fronts.kursk.initial.Russia``.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import (BaseModel, ConfigDict, Discriminator, Field, PrivateAttr, Tag,
                      ValidationError, model_validator)

from orbat.errors import SimulateError

SCENARIO_DIR = Path(__file__).parent / "scenarios"


class ScenarioError(SimulateError, ValueError):
    """A scenario file that cannot be used; the message names the file, line and field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class _Sourced(_Model):
    """A scenario part that says where its numbers come from: a source, or a stated assumption."""

    assumption: str | None = None
    source: str | None = None


class Fixed(_Sourced):
    """A constant with a note on where it comes from."""

    value: float


class Dist(_Sourced):
    """A distribution for one uncertain number; which fields are needed depends on ``dist``."""

    dist: Literal["uniform", "triangular", "normal", "lognormal", "pert"]
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    sigma: float | None = None

    @model_validator(mode="after")
    def _check(self) -> "Dist":
        need = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"),
                "pert": ("low", "mode", "high"), "normal": ("mean", "sd"),
                "lognormal": ("median", "sigma")}[self.dist]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"{self.dist} needs {', '.join(missing)}")
        if self.dist in ("uniform",) and not self.low < self.high:
            raise ValueError("uniform needs low < high")
        if self.dist in ("triangular", "pert") and not (self.low <= self.mode <= self.high
                                                         and self.low < self.high):
            raise ValueError(f"{self.dist} needs low <= mode <= high and low < high")
        if self.dist == "normal" and not self.sd > 0:
            raise ValueError("normal needs sd > 0")
        if self.dist == "lognormal" and not (self.sigma > 0 and self.median > 0):
            raise ValueError("lognormal needs median > 0 and sigma > 0")
        return self


class RefKey(_Model):
    """Which ledger estimate to use: its key, optionally as of a date and with newer claims
    weighted up (an origin's weight halves every ``half_life_days`` of its age)."""

    actor: str | None = None
    measure: str
    location: str | None = None
    per: str | None = None
    as_of: date | None = None
    half_life_days: float | None = Field(None, gt=0)


def _kind(v: Any) -> str:
    """Which kind of value a YAML number-or-mapping is, so errors come from the right branch."""
    if isinstance(v, dict):
        return "ref" if "from" in v or "from_" in v else "dist" if "dist" in v else "fixed"
    if isinstance(v, BaseModel):
        return {"Ref": "ref", "Dist": "dist"}.get(type(v).__name__, "fixed")
    return "number"


Constant = Annotated[Union[Annotated[float, Tag("number")], Annotated[Fixed, Tag("fixed")],
                           Annotated[Dist, Tag("dist")]], Discriminator(_kind)]


class Ref(_Sourced):
    """A number taken from the ledger's reconciled estimate, with a fallback if it is missing."""

    from_: RefKey = Field(alias="from")
    fallback: Constant | None = None


Value = Annotated[Union[Annotated[float, Tag("number")], Annotated[Fixed, Tag("fixed")],
                        Annotated[Dist, Tag("dist")], Annotated[Ref, Tag("ref")]],
                  Discriminator(_kind)]


class Attrition(_Sourced):
    """Loss law on one front.

    lanchester_square: attacker losses/day = defender_advantage * defender_coef * D,
    defender losses/day = attacker_coef * A. lanchester_linear: the same times the other side's
    strength (A*D). fixed: each side loses its own ``*_rate`` fraction of its strength per day.
    """

    law: Literal["lanchester_square", "lanchester_linear", "fixed"]
    attacker_coef: Value = 0.0
    defender_coef: Value = 0.0
    defender_advantage: Value = 1.0
    attacker_rate: Value = 0.0
    defender_rate: Value = 0.0
    start_day: Value = 0.0


class Territory(_Sourced):
    """Area the defender holds; it shrinks at ``k * max(0, A/D - threshold)`` km2 per day."""

    initial_km2: Value
    already_lost_fraction: Value = 0.0
    k: Value = 0.0
    threshold: Value = 1.0


class Front(_Sourced):
    attacker: str
    defender: str
    initial: dict[str, Value]
    attrition: Attrition
    territory: Territory | None = None


class Recruitment(_Sourced):
    """Monthly recruitment target times a fill ratio, split over fronts by (normalised) shares."""

    target_per_month: Value
    fill_ratio: Value = 1.0
    allocation: dict[str, Value]


class SupplyLine(_Sourced):
    """An allied stream of troops into one front from ``start_day`` until ``cap`` is delivered."""

    side: str
    front: str
    rate_per_month: Value
    start_day: Value = 0.0
    cap: Value | None = None


class Deployment(_Sourced):
    """A one-off arrival of ``amount`` troops on ``day``."""

    side: str
    front: str
    day: Value
    amount: Value


class Transfer(_Sourced):
    """A one-off move of up to ``amount`` troops of one side between fronts on ``day``."""

    side: str
    from_front: str
    to_front: str
    day: Value
    amount: Value


class Event(_Model):
    """A condition whose first time of truth is recorded: territory gone, or strength below."""

    kind: Literal["territory_zero", "strength_below"]
    front: str
    side: str | None = None
    threshold: float = 0.0
    within_days: float
    description: str | None = None


class Scenario(_Model):
    name: str
    description: str = ""
    horizon_days: float = Field(gt=0)
    step_days: float = Field(gt=0)
    integration: Literal["exact", "euler"] = "exact"
    sides: list[str]
    fronts: dict[str, Front] = Field(min_length=1)
    recruitment: dict[str, Recruitment] = {}
    supply_lines: dict[str, SupplyLine] = {}
    deployments: dict[str, Deployment] = {}
    transfers: dict[str, Transfer] = {}
    events: dict[str, Event] = {}
    report_every_days: float | None = None
    source: str | None = None
    assumption: str | None = None
    _origin: str = PrivateAttr("<scenario>")  # the file, and the line of each key path in it,
    _lines: dict = PrivateAttr(default_factory=dict)  # so later checks can name the line

    @property
    def steps(self) -> int:
        """Number of time steps over the horizon."""
        return int(round(self.horizon_days / self.step_days))

    def locate(self, path: str) -> str:
        """``file:line`` of a dotted input path such as ``fronts.kursk.initial.Russia``."""
        return f"{self._origin}:{_line_for(tuple(path.split('.')), self._lines)}"

    @model_validator(mode="after")
    def _names(self) -> "Scenario":
        sides, fronts = set(self.sides), set(self.fronts)
        for fname, f in self.fronts.items():
            for s in (f.attacker, f.defender):
                if s not in sides:
                    raise ValueError(f"front {fname!r}: unknown side {s!r}")
            if f.attacker == f.defender:
                raise ValueError(f"front {fname!r}: attacker and defender are the same")
            if set(f.initial) != {f.attacker, f.defender}:
                raise ValueError(f"front {fname!r}: initial must give exactly "
                                 f"{f.attacker!r} and {f.defender!r}")
        units = {(f.attacker, n) for n, f in self.fronts.items()} | {
            (f.defender, n) for n, f in self.fronts.items()}
        for side, r in self.recruitment.items():
            for front in r.allocation:
                if (side, front) not in units:
                    raise ValueError(f"recruitment {side!r}: side not on front {front!r}")
        checks = [(f"supply line {k!r}", v.side, v.front) for k, v in self.supply_lines.items()]
        checks += [(f"deployment {k!r}", v.side, v.front) for k, v in self.deployments.items()]
        checks += [(f"transfer {k!r}", v.side, fr) for k, v in self.transfers.items()
                   for fr in (v.from_front, v.to_front)]
        for what, side, front in checks:
            if (side, front) not in units:
                raise ValueError(f"{what}: side {side!r} is not on front {front!r}")
        for k, e in self.events.items():
            if e.front not in fronts:
                raise ValueError(f"event {k!r}: unknown front {e.front!r}")
            if e.kind == "territory_zero" and self.fronts[e.front].territory is None:
                raise ValueError(f"event {k!r}: front {e.front!r} has no territory")
            if e.kind == "strength_below" and (e.side, e.front) not in units:
                raise ValueError(f"event {k!r}: side {e.side!r} is not on front {e.front!r}")
        if self.step_days > self.horizon_days:
            raise ValueError("step_days is longer than horizon_days")
        return self


def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict:
    """Map every key path in a composed YAML tree to its 1-based line number."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, val in node.value:
            sub = path + (key.value,)
            out[sub] = key.start_mark.line + 1
            _line_map(val, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, val in enumerate(node.value):
            _line_map(val, path + (i,), out)
    return out


def _line_for(loc: tuple, lines: dict) -> int:
    """Line of the deepest YAML path that is a prefix of a pydantic error location."""
    by_text = {tuple(str(p) for p in k): v for k, v in lines.items()}
    for n in range(len(loc), -1, -1):
        key = tuple(str(p) for p in loc[:n])
        if key in by_text:
            return by_text[key]
    return 1


_UNION_LABELS = {"number", "fixed", "dist", "ref"}


def _clean_parts(loc: tuple) -> tuple:
    """Drop pydantic's union-branch labels (``float``, ``Dist``...) from an error location."""
    return tuple(p for p in loc if str(p) not in _UNION_LABELS
                 and not str(p).startswith("function-after"))


def parse_scenario(text: str, origin: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; raise ScenarioError naming origin, line and field."""
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ScenarioError(f"{origin}:{line}: not valid YAML: "
                            f"{getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{origin}:1: a scenario must be a YAML mapping")
    lines = _line_map(node)
    try:
        scenario = Scenario.model_validate(data)
        scenario._origin, scenario._lines = origin, lines
        return scenario
    except ValidationError as exc:
        err = min(exc.errors(), key=lambda e: len(e["loc"]))
        parts = _clean_parts(err["loc"])
        line = _line_for(parts, lines)
        where = ".".join(str(p) for p in parts) or "scenario"
        raise ScenarioError(f"{origin}:{line}: {where}: {err['msg']}") from None


def bundled() -> dict[str, Path]:
    """Scenario names shipped with orbat mapped to their files."""
    return {p.stem: p for p in sorted(SCENARIO_DIR.glob("*.yaml"))}


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a bundled scenario by name or a scenario file by path."""
    path = Path(name_or_path)
    if not path.exists():
        shipped = bundled()
        if str(name_or_path) not in shipped:
            raise ScenarioError(f"{name_or_path}: no such scenario file or bundled scenario "
                                f"(bundled: {', '.join(shipped) or 'none'})")
        path = shipped[str(name_or_path)]
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_scenario(text, str(path))

