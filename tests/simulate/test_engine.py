"""The engine against closed forms, and conservation in every draw."""
from __future__ import annotations

import numpy as np
import pytest

from orbat.simulate.engine import DAYS_PER_MONTH, simulate
from orbat.simulate.params import make_plan
from orbat.simulate.runner import block_uniforms
from orbat.simulate.scenario import load_scenario

from .conftest import make


def _run(sc, n=1, u=None):
    plan = make_plan(sc)
    u = np.full((n, len(plan.uncertain)), 0.5) if u is None else u
    return simulate(plan, plan.values(u), n)


def _rel(a, b):
    return np.max(np.abs(np.asarray(a) - b) / np.maximum(np.abs(b), 1e-300))


def test_lanchester_square_invariant_and_closed_form():
    alpha, beta, A0, D0, T = 0.01, 0.02, 1000.0, 600.0, 10.0
    st = _run(make(north={"initial": {"Red": A0, "Blue": D0},
                          "attrition": {"law": "lanchester_square", "attacker_coef": alpha,
                                        "defender_coef": beta}}))
    A, D = st.strength[:, 0]
    inv0 = alpha * A0 ** 2 - beta * D0 ** 2
    assert _rel(alpha * A ** 2 - beta * D ** 2, inv0) < 1e-6
    w = np.sqrt(alpha * beta)
    exact_A = A0 * np.cosh(w * T) - np.sqrt(beta / alpha) * D0 * np.sinh(w * T)
    exact_D = D0 * np.cosh(w * T) - np.sqrt(alpha / beta) * A0 * np.sinh(w * T)
    assert _rel(A, exact_A) < 1e-6 and _rel(D, exact_D) < 1e-6
    assert A < A0 and D < D0


def test_defender_advantage_scales_attacker_losses():
    base = {"law": "lanchester_square", "attacker_coef": 0.01, "defender_coef": 0.01}
    one = _run(make(north={"attrition": base}))
    two = _run(make(north={"attrition": {**base, "defender_advantage": 2.0}}))
    plain = _run(make(north={"attrition": {**base, "defender_coef": 0.02}}))
    assert two.losses[0, 0] > one.losses[0, 0]
    assert _rel(two.strength[:, 0], plain.strength[:, 0]) < 1e-12


def test_lanchester_linear_invariant():
    alpha, beta = 2e-5, 3e-5
    st = _run(make(north={"attrition": {"law": "lanchester_linear", "attacker_coef": alpha,
                                        "defender_coef": beta}}))
    A, D = st.strength[:, 0]
    assert _rel(alpha * A - beta * D, alpha * 1000 - beta * 800) < 1e-6
    assert A < 1000 and D < 800


@pytest.mark.parametrize("scheme", ["exact", "euler"])
def test_stock_with_constant_inflow_and_proportional_loss(scheme):
    inflow, r, S0, dt, T = 40.0, 0.05, 500.0, 0.5, 10.0
    sc = make(integration=scheme, horizon_days=T, step_days=dt,
              north={"initial": {"Red": S0, "Blue": 100.0},
                     "attrition": {"law": "fixed", "attacker_rate": r, "defender_rate": 0.0}},
              recruitment={"Red": {"target_per_month": inflow * DAYS_PER_MONTH,
                                   "allocation": {"north": 1.0}}})
    S = _run(sc).strength[0, 0]
    n = int(T / dt)
    if scheme == "euler":  # S' = I - r S, Euler: S_n = I/r + (S0 - I/r) (1 - r dt)^n
        exact = inflow / r + (S0 - inflow / r) * (1 - r * dt) ** n
    else:  # inflow added, then exact decay: fixed point S* = I dt q / (1 - q), q = e^{-r dt}
        q = np.exp(-r * dt)
        star = inflow * dt * q / (1 - q)
        exact = star + (S0 - star) * q ** n
    assert _rel(S, exact) < 1e-6


def test_capped_supply_line_delivers_rate_then_stops_at_cap():
    rate, start, cap = 3000.0, 2.0, 10000.0
    sc = make(horizon_days=150, step_days=1,
              north={"attrition": {"law": "fixed"}},
              supply_lines={"ally": {"side": "Red", "front": "north", "start_day": start,
                                     "rate_per_month": rate, "cap": cap}})
    plan = make_plan(sc)
    seen = {}
    st = simulate(plan, plan.values(np.zeros((1, 0))), 1,
                  lambda k, d, s: seen.__setitem__(d, s.strength[0, 0]))
    per_day = rate / DAYS_PER_MONTH
    assert seen[2.0] == 1000.0
    assert _rel(seen[12.0], 1000 + 10 * per_day) < 1e-12
    assert _rel(st.strength[0, 0], 1000 + cap) < 1e-12
    assert _rel(st.delivered[0, 0], cap) < 1e-12


def test_deployment_and_transfer_land_on_their_day():
    sc = make(horizon_days=5, step_days=1,
              fronts={"north": {"attacker": "Red", "defender": "Blue",
                                "initial": {"Red": 100.0, "Blue": 50.0},
                                "attrition": {"law": "fixed"}},
                      "south": {"attacker": "Red", "defender": "Blue",
                                "initial": {"Red": 10.0, "Blue": 50.0},
                                "attrition": {"law": "fixed"}}},
              deployments={"d": {"side": "Red", "front": "south", "day": 2, "amount": 500}},
              transfers={"t": {"side": "Red", "from_front": "north", "to_front": "south",
                               "day": 3, "amount": 1000}})
    st = _run(sc)
    assert list(st.strength[:, 0]) == [0.0, 50.0, 610.0, 50.0]
    assert list(st.transfer_net[:, 0]) == [-100.0, 0.0, 100.0, 0.0]


def test_territory_falls_with_force_ratio_above_threshold():
    sc = make(horizon_days=10, step_days=1,
              north={"initial": {"Red": 3000.0, "Blue": 1000.0},
                     "attrition": {"law": "fixed"},
                     "territory": {"initial_km2": 100, "already_lost_fraction": 0.5,
                                   "k": 2.0, "threshold": 1.0}},
              events={"gone": {"kind": "territory_zero", "front": "north", "within_days": 10}})
    st = _run(sc)
    # rate = 2 * (3 - 1) = 4 km2/day from 50 km2: 10 days later 10 km2 left, never zero
    assert st.territory[0, 0] == pytest.approx(10.0)
    assert np.isinf(st.event_day[0, 0])
    st = _run(make(horizon_days=20, step_days=1, north=sc.fronts["north"].model_dump(),
                   events={"gone": {"kind": "territory_zero", "front": "north",
                                    "within_days": 20}}))
    assert st.event_day[0, 0] == 13.0  # 50 / 4 = 12.5 -> reached zero at the end of day 13


@pytest.mark.parametrize("scheme", ["exact", "euler"])
def test_conservation_in_every_draw(scheme):
    plan = make_plan(load_scenario("kursk"))
    plan.scenario.integration = scheme
    u = block_uniforms(plan, 7, 0, 2000)
    st = simulate(plan, plan.values(u), len(u))
    lhs = st.strength
    rhs = st.initial + st.inflow - st.losses + st.transfer_net
    assert np.all(st.strength >= 0)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-9, atol=1e-6)
    assert np.all(st.losses >= 0)


@pytest.mark.parametrize("scheme", ["exact", "euler"])
def test_a_draw_does_not_depend_on_the_draws_run_beside_it(scheme):
    """The kernel takes draws through the steps in blocks: blocks and their ragged end must not
    leak into each other, so each draw alone gives bit-identical results."""
    from orbat.simulate.engine import CACHE_BLOCK as BLOCK

    plan = make_plan(load_scenario("kursk"))
    plan.scenario.integration = scheme
    n = 2 * BLOCK + 37
    u = np.random.default_rng(5).random((n, len(plan.uncertain)))
    together = simulate(plan, plan.values(u), n)
    for i in (0, BLOCK - 1, BLOCK, n - 1):
        alone = simulate(plan, plan.values(u[i:i + 1]), 1)
        for name in ("strength", "losses", "inflow", "territory", "delivered", "event_day"):
            assert np.array_equal(getattr(alone, name)[:, 0], getattr(together, name)[:, i]), name


@pytest.mark.parametrize("scheme, expected", [("euler", 1000.0), ("exact", 1000 * np.exp(-0.1))])
def test_one_off_arrivals_and_the_step_they_land_in(scheme, expected):
    """Exact integration lands a deployment at the start of its step, so the step's losses act on
    it; Euler takes rates at the start of the step and lands it at the end."""
    sc = make(integration=scheme, horizon_days=1, step_days=1,
              north={"initial": {"Red": 0.0, "Blue": 100.0},
                     "attrition": {"law": "fixed", "attacker_rate": 0.1}},
              deployments={"d": {"side": "Red", "front": "north", "day": 0, "amount": 1000}})
    st = _run(sc)
    assert st.strength[0, 0] == pytest.approx(expected, rel=1e-12)
    assert st.inflow[0, 0] == 1000.0
