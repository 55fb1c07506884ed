"""Estimate stage: claims about one quantity reconciled into an interval, as of any date.

Claims come as a DataFrame of ledger quantities (``Ledger.quantities()``); see docs/estimate.md.
"""
from orbat.estimate.distributions import Reliability, load_reliability
from orbat.estimate.keys import KeyMapping, load_mapping
from orbat.estimate.pool import (claim_weights, contradictions, estimate, estimate_for, history,
                                 to_frame, to_ucdp)
from orbat.estimate.recency import with_half_life

__all__ = ["estimate", "estimate_for", "history", "contradictions", "claim_weights", "to_frame",
           "to_ucdp", "load_mapping", "load_reliability", "with_half_life", "KeyMapping", "Reliability"]
