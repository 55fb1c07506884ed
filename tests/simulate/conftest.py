"""Helpers for simulate tests: small scenarios built from dicts."""
from __future__ import annotations

import copy

import pytest
import yaml

from orbat.simulate.scenario import parse_scenario

BASE = {
    "name": "duel",
    "horizon_days": 10,
    "step_days": 0.5,
    "sides": ["Red", "Blue"],
    "fronts": {
        "north": {
            "attacker": "Red", "defender": "Blue",
            "initial": {"Red": 1000.0, "Blue": 800.0},
            "attrition": {"law": "lanchester_square", "attacker_coef": 0.01,
                          "defender_coef": 0.02},
        }
    },
}


def make(**changes):
    """Scenario from BASE with top-level keys replaced and front 'north' keys merged."""
    d = copy.deepcopy(BASE)
    north = changes.pop("north", {})
    d["fronts"]["north"].update(north)
    d.update(changes)
    return parse_scenario(yaml.safe_dump(d, sort_keys=False), "test.yaml")


@pytest.fixture
def scenario_factory():
    return make
