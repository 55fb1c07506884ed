"""Simulate: a Monte Carlo force model (fronts, recruitment, supply lines, losses, territory).

Load a scenario (``load_scenario``), resolve its numbers (``make_plan``, optionally with a
ledger resolver), ``run`` many draws, then write tables and charts (``results.write_outputs``)
or compute Sobol indices (``sensitivity.sobol``).
"""
from .params import make_plan
from .runner import run
from .scenario import ScenarioError, load_scenario

__all__ = ["ScenarioError", "load_scenario", "make_plan", "run"]
