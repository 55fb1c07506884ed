"""Estimate stage: claims about one quantity reconciled into an interval, as of any date.

Claims come as a DataFrame of ledger quantities (``Ledger.quantities()``); see docs/estimate.md.
Names load on first use, so that ``orbat --help`` does not pay for pandas and SciPy.
"""
from importlib import import_module

_WHERE = {"Reliability": "distributions", "load_reliability": "distributions",
          "KeyMapping": "keys", "load_mapping": "keys", "with_half_life": "recency",
          **{name: "pool" for name in ("claim_weights", "contradictions", "estimate",
                                       "estimate_for", "history", "to_frame", "to_ucdp")}}

__all__ = ["estimate", "estimate_for", "history", "contradictions", "claim_weights", "to_frame",
           "to_ucdp", "load_mapping", "load_reliability", "with_half_life", "KeyMapping", "Reliability"]


def __getattr__(name):
    if name in _WHERE:
        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(name)
