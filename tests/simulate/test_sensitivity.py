"""Sobol indices pick out the inputs an outcome depends on."""
from __future__ import annotations

import numpy as np
import pytest

from orbat.simulate.params import make_plan
from orbat.simulate.sensitivity import evaluate, sobol

from .conftest import make


def _plan():
    return make_plan(make(horizon_days=10, step_days=1,
                          north={"initial": {"Red": {"dist": "uniform", "low": 500, "high": 1500},
                                             "Blue": {"dist": "uniform", "low": 10, "high": 20}},
                                 "attrition": {"law": "fixed",
                                               "attacker_rate": {"dist": "uniform",
                                                                 "low": 0.0, "high": 0.1}}}))


def test_evaluate_reads_the_outcome_on_the_day():
    plan = _plan()
    u = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    y = evaluate(plan, u, "strength:Red:north@10")
    np.testing.assert_allclose(y, [1000.0, 1500.0], rtol=1e-9)


def test_sobol_finds_the_inputs_that_matter():
    df = sobol(_plan(), "strength:Red:north@10", n=256, seed=1).set_index("input")
    assert df.loc["fronts.north.initial.Blue", "ST"] < 0.01
    # y = R exp(-10 r): both relative variances are about 0.08, so each ST is near one half
    assert 0.3 < df.loc["fronts.north.initial.Red", "ST"] < 0.7
    assert 0.3 < df.loc["fronts.north.attrition.attacker_rate", "ST"] < 0.7


def test_bad_outcome_is_a_clear_error():
    with pytest.raises(ValueError, match="is not on front"):
        sobol(_plan(), "strength:Green:north@5", n=8)
    with pytest.raises(ValueError, match="use strength:SIDE:FRONT@DAY"):
        sobol(_plan(), "morale", n=8)


def test_runs_in_chunks_give_the_same_outcomes_with_progress(monkeypatch):
    import orbat.simulate.sensitivity as sens

    plan = _plan()
    whole = sobol(plan, "strength:Red:north@10", n=64, seed=2)
    monkeypatch.setattr(sens, "CHUNK", 100)
    seen = []
    chunked = sobol(plan, "strength:Red:north@10", n=64, seed=2,
                    progress=lambda k, total: seen.append((k, total)))
    assert chunked.equals(whole)
    assert sum(k for k, _ in seen) == seen[0][1] == 64 * 5 and len(seen) == 4
