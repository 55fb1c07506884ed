"""Scenario files: YAML validated with pydantic v2, errors reported as ``file:line: field: problem``.

Any number in a scenario may be a plain number, ``{value: x, assumption: ...}``, a distribution
(``{dist: uniform|triangular|normal|lognormal|pert, ...}``) or a ledger reference
(``{from: {actor: ..., measure: ..., per: ...}, fallback: ...}``). Collections are mappings keyed
by name so every uncertain input has a readable path such as ``fronts.kursk.initial.Russia``.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
import difflib
import math
import re
import typing
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import (BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, PrivateAttr,
                      Tag, ValidationError, model_validator)

from orbat.errors import SimulateError

SCENARIO_DIR = Path(__file__).parent / "scenarios"


class ScenarioError(SimulateError, ValueError):
    """A scenario file that cannot be used; the message names the file, line and field."""


MAX_HORIZON_DAYS = 3653  # ten years
MAX_STEPS = 100_000  # time steps over the horizon (horizon_days / step_days)
MAX_REPORT_POINTS = 1_000  # days at which trajectories are kept (horizon / report_every_days)


class _At(ValueError):
    """A whole-scenario check that failed at one key path (so the error names its line)."""

    def __init__(self, path: tuple, message: str) -> None:
        super().__init__(message)
        self.path = path


def _number(v: Any) -> Any:
    """Refuse what YAML reads as a boolean where a number is wanted (``true`` is not 1)."""
    if isinstance(v, bool):
        raise ValueError(f"must be a number, not {str(v).lower()}")
    return v


Number = Annotated[float, BeforeValidator(_number)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


class _Sourced(_Model):
    """A scenario part that says where its numbers come from: a source, or a stated assumption."""

    assumption: str | None = None
    source: str | None = None


class Fixed(_Sourced):
    """A constant with a note on where it comes from."""

    value: Number


class Dist(_Sourced):
    """A distribution for one uncertain number; which fields are needed depends on ``dist``."""

    dist: Literal["uniform", "triangular", "normal", "lognormal", "pert"]
    low: Number | None = None
    high: Number | None = None
    mode: Number | None = None
    mean: Number | None = None
    sd: Number | None = None
    median: Number | None = None
    sigma: Number | None = None

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
    half_life_days: Number | None = Field(None, gt=0)


def _kind(v: Any) -> str:
    """Which kind of value a YAML number-or-mapping is, so errors come from the right branch."""
    if isinstance(v, dict):
        return "ref" if "from" in v or "from_" in v else "dist" if "dist" in v else "fixed"
    if isinstance(v, BaseModel):
        return {"Ref": "ref", "Dist": "dist"}.get(type(v).__name__, "fixed")
    return "number"


Constant = Annotated[Union[Annotated[Number, Tag("number")], Annotated[Fixed, Tag("fixed")],
                           Annotated[Dist, Tag("dist")]], Discriminator(_kind)]


class Ref(_Sourced):
    """A number taken from the ledger's reconciled estimate, with a fallback if it is missing."""

    from_: RefKey = Field(alias="from")
    fallback: Constant | None = None


Value = Annotated[Union[Annotated[Number, Tag("number")], Annotated[Fixed, Tag("fixed")],
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
    """Monthly recruitment target times a fill ratio, split over fronts by shares that sum to 1."""

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
    threshold: Number = 0.0
    within_days: Number = Field(gt=0, le=MAX_HORIZON_DAYS)
    description: str | None = None


class Scenario(_Model):
    name: str
    description: str = ""
    horizon_days: Number = Field(gt=0, le=MAX_HORIZON_DAYS)
    step_days: Number = Field(gt=0)
    integration: Literal["exact", "euler"] = "exact"
    sides: list[str]
    fronts: dict[str, Front] = Field(min_length=1)
    recruitment: dict[str, Recruitment] = {}
    supply_lines: dict[str, SupplyLine] = {}
    deployments: dict[str, Deployment] = {}
    transfers: dict[str, Transfer] = {}
    events: dict[str, Event] = {}
    report_every_days: Number | None = Field(None, gt=0)
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
        known = ", ".join(self.sides)
        for fname, f in self.fronts.items():
            for role, s in (("attacker", f.attacker), ("defender", f.defender)):
                if s not in sides:
                    raise _At(("fronts", fname, role), f"unknown side {s!r} (sides: {known})"
                              + _did_you_mean(s, self.sides))
            if f.attacker == f.defender:
                raise _At(("fronts", fname, "defender"), "attacker and defender are the same")
            if set(f.initial) != {f.attacker, f.defender}:
                raise _At(("fronts", fname, "initial"), f"must give exactly {f.attacker!r} "
                          f"and {f.defender!r}")
        units = {(f.attacker, n) for n, f in self.fronts.items()} | {
            (f.defender, n) for n, f in self.fronts.items()}
        for side, r in self.recruitment.items():
            if side not in sides:
                raise _At(("recruitment", side), f"unknown side {side!r} (sides: {known})"
                          + _did_you_mean(side, self.sides))
            for front in r.allocation:
                if (side, front) not in units:
                    raise _At(("recruitment", side, "allocation", front),
                              f"side {side!r} is not on front {front!r}")
        checks = [(("supply_lines", k, "front"), v.side, v.front)
                  for k, v in self.supply_lines.items()]
        checks += [(("deployments", k, "front"), v.side, v.front)
                   for k, v in self.deployments.items()]
        checks += [(("transfers", k, key), v.side, fr) for k, v in self.transfers.items()
                   for key, fr in (("from_front", v.from_front), ("to_front", v.to_front))]
        for path, side, front in checks:
            if side not in sides:
                raise _At(path[:2] + ("side",), f"unknown side {side!r} (sides: {known})"
                          + _did_you_mean(side, self.sides))
            if front not in fronts:
                raise _At(path, f"unknown front {front!r} (fronts: {', '.join(fronts)})"
                          + _did_you_mean(front, fronts))
            if (side, front) not in units:
                raise _At(path, f"side {side!r} is not on front {front!r}")
        for k, e in self.events.items():
            if e.front not in fronts:
                raise _At(("events", k, "front"), f"unknown front {e.front!r} (fronts: "
                          f"{', '.join(fronts)})" + _did_you_mean(e.front, fronts))
            if e.kind == "territory_zero" and self.fronts[e.front].territory is None:
                raise _At(("events", k, "front"), f"front {e.front!r} has no territory")
            if e.kind == "strength_below" and (e.side, e.front) not in units:
                raise _At(("events", k, "side"), f"side {e.side!r} is not on front {e.front!r}")
        if self.step_days > self.horizon_days:
            raise _At(("step_days",), "is longer than horizon_days")
        if self.horizon_days / self.step_days > MAX_STEPS:
            raise _At(("step_days",), f"{self.horizon_days:g} days in steps of "
                      f"{self.step_days:g} is {self.horizon_days / self.step_days:,.0f} steps; "
                      f"at most {MAX_STEPS:,} (use longer steps)")
        every = self.report_every_days or self.step_days
        if self.horizon_days / every > MAX_REPORT_POINTS:
            raise _At(("report_every_days",) if self.report_every_days else ("step_days",),
                      f"trajectories kept every {every:g} days over {self.horizon_days:g} days "
                      f"is {self.horizon_days / every:,.0f} report days; at most "
                      f"{MAX_REPORT_POINTS:,} (set report_every_days to at least "
                      f"{math.ceil(self.horizon_days / MAX_REPORT_POINTS)})")
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
        # the shallowest problem first; of two at one depth an unknown key (a typo) before
        # the required key it was meant to be
        err = min(exc.errors(), key=lambda e: (len(_clean_parts(e["loc"])),
                                               e["type"] != "extra_forbidden"))
        located = (err.get("ctx") or {}).get("error")
        parts = located.path if isinstance(located, _At) else _clean_parts(err["loc"])
        line = _line_for(parts, lines)
        where = ".".join(str(p) for p in parts) or "scenario"
        raise ScenarioError(f"{origin}:{line}: {where}: {_message(err)}") from None


def _did_you_mean(word: str, choices) -> str:
    """'; did you mean `x`?' for the closest of ``choices`` to a mistyped ``word``, or ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


_TAG_MODELS = {"fixed": Fixed, "dist": Dist, "ref": Ref}


def _unwrap(t: Any) -> Any:
    """The model, dict or list type inside Annotated[...] and X | None (else ``t``)."""
    while True:
        if typing.get_origin(t) is Annotated:
            t = typing.get_args(t)[0]
            continue
        if typing.get_origin(t) in (Union, getattr(__import__("types"), "UnionType", Union)):
            args = [a for a in typing.get_args(t) if a is not type(None)]
            if len(args) == 1:
                t = args[0]
                continue
        return t


def _allowed_keys(loc: tuple) -> list[str]:
    """The keys the mapping holding the last element of a pydantic error location may have."""
    t: Any = Scenario
    for part in loc[:-1]:
        if str(part) in _TAG_MODELS:
            t = _TAG_MODELS[str(part)]
            continue
        t = _unwrap(t)
        if isinstance(t, type) and issubclass(t, BaseModel):
            fields = {f.alias or n: f for n, f in t.model_fields.items()}
            field = fields.get(str(part)) or t.model_fields.get(str(part))
            if field is None:
                return []
            t = field.annotation
        elif typing.get_origin(t) in (dict, list):
            t = typing.get_args(t)[-1]
        else:
            return []
    t = _unwrap(t)
    if isinstance(t, type) and issubclass(t, BaseModel):
        return [f.alias or n for n, f in t.model_fields.items()]
    return []


def _message(err: dict) -> str:
    """A pydantic error in orbat's words."""
    kind, ctx, given = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "extra_forbidden":
        return "unknown key" + _did_you_mean(err["loc"][-1], _allowed_keys(err["loc"]))
    if kind == "missing":
        return "is required but missing"
    if kind == "finite_number":
        return f"must be a finite number, not {given}"
    if kind in ("float_parsing", "float_type"):
        return f"must be a number, not {given!r}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        word = {"greater_than": "more than", "greater_than_equal": "at least",
                "less_than": "less than", "less_than_equal": "at most"}[kind]
        bound = next(iter(ctx.values()))
        days = err["loc"][-1:] in (("horizon_days",), ("within_days",))
        return f"must be {word} {bound:g}, not {given}" + (
            f" (the longest horizon orbat runs is {MAX_HORIZON_DAYS:,} days, ten years)"
            if kind == "less_than_equal" and days else "")
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return (f"must be one of {ctx.get('expected')}, not {given!r}"
                + _did_you_mean(str(given), choices))
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be a mapping of keys to values, not {given!r}"
    if kind == "list_type":
        return f"must be a list, not {given!r}"
    if kind == "too_short":
        return "must have at least one entry"
    if kind == "string_type":
        return f"must be text, not {given!r}"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", err["msg"]))
    return err["msg"]


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

