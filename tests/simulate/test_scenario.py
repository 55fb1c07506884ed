"""Scenario loading: the bundled file validates, bad files name the line and field."""
from __future__ import annotations

import re

import numpy as np
import pytest
from scipy import stats

from orbat.simulate.params import Input, estimate_grid, make_plan
from orbat.simulate.scenario import ScenarioError, bundled, load_scenario, parse_scenario
from orbat.types import Estimate

from .conftest import make


def test_kursk_is_bundled_and_marks_every_unsourced_number():
    sc = load_scenario("kursk")
    assert "kursk" in bundled()
    plan = make_plan(sc)
    for path, inp in plan.inputs.items():
        if inp.kind == "dist":
            assert inp.note, f"{path} has no assumption note"
    assert plan.inputs["recruitment.Russia.target_per_month"].constant == 25000
    assert plan.inputs["supply_lines.north_korea.rate_per_month"].kind == "fallback"


BAD = """name: x
horizon_days: 10
step_days: 1
sides: [A, B]
fronts:
  f:
    attacker: A
    defender: B
    initial: {A: 10, B: 5}
    attrition:
      law: lanchester_square
      attacker_coef: {dist: triangular, low: 3, mode: 1, high: 2}
"""


def test_error_names_file_line_and_field():
    with pytest.raises(ScenarioError) as err:
        parse_scenario(BAD, "bad.yaml")
    msg = str(err.value)
    assert msg.startswith("bad.yaml:12: fronts.f.attrition.attacker_coef")
    assert "low <= mode <= high" in msg


GOOD = BAD.replace("mode: 1,", "mode: 3.5,").replace("high: 2}", "high: 4}")


def test_good_variant_parses():
    assert parse_scenario(GOOD, "good.yaml").fronts["f"].attacker == "A"


def test_unknown_field_and_unknown_side():
    with pytest.raises(ScenarioError, match=r"^bad.yaml:13: fronts.f.extra_key: unknown key$"):
        parse_scenario(GOOD + "    extra_key: 1\n", "bad.yaml")
    with pytest.raises(ScenarioError, match=r"^bad.yaml:8: fronts.f.defender: unknown side 'C' "
                                            r"\(sides: A, B\)$"):
        parse_scenario(GOOD.replace("defender: B", "defender: C"), "bad.yaml")


def test_a_mistyped_key_gets_a_suggestion_not_a_missing_field():
    with pytest.raises(ScenarioError, match=r"^bad.yaml:7: fronts.f.atacker: unknown key; "
                                            r"did you mean `attacker`\?$"):
        parse_scenario(GOOD.replace("attacker: A", "atacker: A"), "bad.yaml")
    with pytest.raises(ScenarioError, match=r"^bad.yaml:12: fronts.f.attrition.attacker_coef.lw: "
                                            r"unknown key; did you mean `low`\?"):
        parse_scenario(GOOD.replace("{dist: triangular, low: 3", "{dist: triangular, lw: 3, low: 3"),
                       "bad.yaml")
    with pytest.raises(ScenarioError, match=r"^bad.yaml:11: fronts.f.attrition.law: must be one "
                                            r"of .*, not 'lanchester_sqare'; did you mean "
                                            r"`lanchester_square`\?$"):
        parse_scenario(GOOD.replace("law: lanchester_square", "law: lanchester_sqare"), "bad.yaml")


@pytest.mark.parametrize("old, new, message", [
    ("initial: {A: 10, B: 5}", "initial: {A: .inf, B: 5}",
     r"^s.yaml:9: fronts.f.initial.A: must be a finite number, not inf$"),
    ("initial: {A: 10, B: 5}", "initial: {A: .nan, B: 5}",
     r"^s.yaml:9: fronts.f.initial.A: must be a finite number, not nan$"),
    ("initial: {A: 10, B: 5}", "initial: {A: {value: true}, B: 5}",
     r"^s.yaml:9: fronts.f.initial.A.value: must be a number, not true$"),
    ("initial: {A: 10, B: 5}", "initial: {A: 4e300, B: 5}",
     r"^s.yaml:9: fronts.f.initial.A: must be at most 1e\+08 troops \(orbat's stated maximum\), "
     r"not 4e\+300$"),
    ("horizon_days: 10", "horizon_days: 100000000",
     r"^s.yaml:2: horizon_days: must be at most 3653, not 100000000 \(the longest horizon"),
    ("step_days: 1", "step_days: 0.00001",
     r"^s.yaml:3: step_days: 10 days in steps of 1e-05 is 1,000,000 steps; at most 100,000"),
])
def test_numbers_without_physical_sense_are_refused(old, new, message):
    with pytest.raises(ScenarioError, match=message):
        make_plan(parse_scenario(GOOD.replace(old, new), "s.yaml"))


def test_recruitment_shares_must_sum_to_one():
    shares = ("recruitment:\n  A:\n    target_per_month: 100\n    allocation:\n"
              "      f: 0.8\n")
    with pytest.raises(ScenarioError, match=r"^s.yaml:16: recruitment.A.allocation: shares must "
                                            r"sum to 1; they sum to 0.8 "):
        make_plan(parse_scenario(GOOD + shares, "s.yaml"))
    assert make_plan(parse_scenario(GOOD + shares.replace("0.8", "1.0"), "s.yaml"))


def test_yaml_syntax_error_has_line():
    with pytest.raises(ScenarioError, match=r"^bad.yaml:3: not valid YAML"):
        parse_scenario("name: x\nsides: [A\nfoo: : :\n", "bad.yaml")


@pytest.mark.parametrize("spec,ref", [
    ({"dist": "uniform", "low": 2, "high": 5}, stats.uniform(2, 3)),
    ({"dist": "normal", "mean": 1, "sd": 2}, stats.norm(1, 2)),
    ({"dist": "lognormal", "median": 3, "sigma": 0.4}, stats.lognorm(0.4, scale=3)),
    ({"dist": "triangular", "low": 0, "mode": 1, "high": 4}, stats.triang(0.25, 0, 4)),
    ({"dist": "pert", "low": 0, "mode": 1, "high": 4}, stats.beta(2, 4, 0, 4)),
])
def test_distribution_ppf_matches_scipy(spec, ref):
    u = np.linspace(0.01, 0.99, 41)
    got = Input("x", "dist", dist=spec).ppf(u)
    np.testing.assert_allclose(got, ref.ppf(u), rtol=1e-9)


def _estimate(quantiles):
    return Estimate(actor="North Korea", measure="deployed", location=None, unit="troops",
                    per="month", median=8000, p05=1000, p10=2000, p90=14000, p95=15000,
                    n_claims=2, n_sources=2, quantiles=quantiles)


def test_ledger_reference_samples_estimate_quantiles():
    seen = []

    def resolver(ref):
        seen.append(ref)
        return _estimate(((0.0, 0.0), (0.5, 8000.0), (1.0, 15000.0)))

    plan = make_plan(load_scenario("kursk"), resolver)
    inp = plan.inputs["supply_lines.north_korea.rate_per_month"]
    assert inp.kind == "ledger"
    assert {"actor": "North Korea", "measure": "deployed", "per": "month"} in seen
    np.testing.assert_allclose(inp.ppf(np.array([0.25, 0.5, 0.75])), [4000, 8000, 11500])


def test_estimate_without_quantiles_uses_named_percentiles():
    grid = estimate_grid(_estimate(()))
    assert grid[0] == (0.05, 1000.0) and grid[2] == (0.5, 8000.0)


def test_unresolved_reference_falls_back_and_says_why():
    def resolver(ref):
        raise LookupError("no such key")

    plan = make_plan(load_scenario("kursk"), resolver)
    inp = plan.inputs["deployments.north_korea_first.amount"]
    assert inp.kind == "fallback" and "LookupError: no such key" in inp.note
    assert inp.dist["dist"] == "uniform"


def test_reference_without_fallback_is_an_error():
    sc = make(north={"initial": {"Red": {"from": {"measure": "deployed", "actor": "Red"}},
                                 "Blue": 800}})
    with pytest.raises(ValueError, match="fronts.north.initial.Red: ledger reference"):
        make_plan(sc, lambda ref: None)


def test_a_scenario_needs_a_front():
    with pytest.raises(ScenarioError, match="x.yaml:5: fronts: must have at least one entry"):
        parse_scenario("name: x\nhorizon_days: 10\nstep_days: 1\nsides: [A]\nfronts: {}\n",
                       "x.yaml")


@pytest.mark.parametrize("north, where, problem", [
    ({"initial": {"Red": -5.0, "Blue": 800.0}}, "fronts.north.initial.Red",
     "must be at least 0, not -5"),
    ({"attrition": {"law": "fixed", "attacker_rate": 1.5}},
     "fronts.north.attrition.attacker_rate", "must be in [0, 1], not 1.5"),
    ({"initial": {"Red": {"dist": "normal", "mean": 100, "sd": 200}, "Blue": 800.0}},
     "fronts.north.initial.Red", "more than 1% of the distribution is not"),
])
def test_numbers_outside_their_range_are_refused(north, where, problem):
    with pytest.raises(ScenarioError, match=rf"^test\.yaml:\d+: {re.escape(where)}: ") as err:
        make_plan(make(north=north))
    assert problem in str(err.value)


def test_range_error_points_at_the_line():
    text = ("name: x\nhorizon_days: 10\nstep_days: 1\nsides: [A, B]\nfronts:\n  f:\n"
            "    attacker: A\n    defender: B\n    initial:\n      A: 10\n"
            "      B: {dist: normal, mean: 5, sd: 50}\n    attrition: {law: fixed}\n")
    with pytest.raises(ScenarioError, match=r"^s\.yaml:11: fronts\.f\.initial\.B: must be"):
        make_plan(parse_scenario(text, "s.yaml"))


def test_a_thin_tail_outside_the_range_is_clipped_not_refused():
    plan = make_plan(make(north={"initial": {
        "Red": {"dist": "normal", "mean": 1000, "sd": 400}, "Blue": 800.0}}))
    u = np.linspace(0.0, 1.0, 10_001)[:, None]
    red = plan.values(u)["fronts.north.initial.Red"]
    assert red.min() == 0.0 and (red == 0).mean() < 0.01
    assert red.max() > 2000
