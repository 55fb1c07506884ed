"""Simulate: a Monte Carlo force model (fronts, recruitment, supply lines, losses, territory).

Load a scenario (``load_scenario``), resolve its numbers (``make_plan``, optionally with a
ledger resolver), ``run`` many draws, then write tables and charts (``results.write_outputs``)
or compute Sobol indices (``sensitivity.sobol``).
"""
__all__ = ["ScenarioError", "load_scenario", "make_plan", "run"]
_WHERE = {"ScenarioError": "scenario", "load_scenario": "scenario", "make_plan": "params",
          "run": "runner"}


def __getattr__(name):  # loaded on first use, so `orbat --help` does not pay for NumPy and Numba
    if name in _WHERE:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(name)
