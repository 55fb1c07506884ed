"""Monte Carlo runs: seeded, chunk-independent, identical under Dask, bounded summaries."""
from __future__ import annotations

import numpy as np
import pytest

from orbat.simulate.params import make_plan
from orbat.simulate.results import event_table, write_outputs
from orbat.simulate.runner import BLOCK, run
from orbat.simulate.scenario import load_scenario

from .conftest import make


@pytest.fixture(scope="module")
def kursk():
    plan = make_plan(load_scenario("kursk"))
    plan.scenario.horizon_days = 120
    return plan


def _files(out):
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.csv"))}


def test_same_seed_gives_byte_identical_csv(kursk, tmp_path):
    a = write_outputs(run(kursk, 3000, seed=11), tmp_path / "a")
    write_outputs(run(kursk, 3000, seed=11), tmp_path / "b")
    write_outputs(run(kursk, 3000, seed=12), tmp_path / "c")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a")["percentiles.csv"] != _files(tmp_path / "c")["percentiles.csv"]
    assert set(a) == {"percentiles", "events", "time_to_event", "inputs"}
    assert (tmp_path / "a" / "fan_kursk.png").stat().st_size > 1000
    assert (tmp_path / "a" / "percentiles.parquet").exists()


def test_results_do_not_depend_on_chunking(kursk):
    draws = 2 * BLOCK + 123
    one = run(kursk, draws, seed=5, chunk=4 * BLOCK)
    many = run(kursk, draws, seed=5, chunk=BLOCK)
    np.testing.assert_array_equal(one.sample, many.sample)
    np.testing.assert_array_equal(one.event_steps, many.event_steps)
    np.testing.assert_allclose(one.mean, many.mean, rtol=1e-12)


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_dask_agrees_exactly_with_one_process(kursk, scheduler):
    draws = 3 * BLOCK
    here = run(kursk, draws, seed=3, chunk=BLOCK)
    there = run(kursk, draws, seed=3, chunk=BLOCK, dask=scheduler)
    np.testing.assert_array_equal(here.mean, there.mean)
    np.testing.assert_array_equal(here.sample, there.sample)
    np.testing.assert_array_equal(here.event_steps, there.event_steps)


def test_sample_is_bounded_but_events_count_every_draw(kursk):
    r = run(kursk, 2 * BLOCK, seed=1, sample=1000)
    assert r.sample.shape[2] == 1000
    assert r.event_steps.sum(axis=1).tolist() == [2 * BLOCK] * len(kursk.scenario.events)
    assert r.conservation_error < 1e-9


def _draining(horizon: float, within: float):
    """Red's strength is uniform on [0, 2000] and never changes; Blue holds 100 km2, which
    drains at k * (Red/1000 - 1) km2 a day, so it is gone by day d iff R >= 1000 (1 + 1/d)."""
    return make(horizon_days=horizon, step_days=1,
                north={"initial": {"Red": {"dist": "uniform", "low": 0, "high": 2000},
                                   "Blue": 1000.0},
                       "attrition": {"law": "fixed"},
                       "territory": {"initial_km2": 100.0, "k": 100.0, "threshold": 1.0}},
                events={"gone": {"kind": "territory_zero", "front": "north",
                                 "within_days": within}})


def test_event_probability_matches_a_known_split():
    r = run(make_plan(_draining(10, 10)), 40_000, seed=2)
    # gone within 10 days iff 10 * 100 * (R/1000 - 1) >= 100, i.e. R >= 1100: P = 0.45
    p = r.event_steps[0, :-1].sum() / r.draws
    assert p == pytest.approx(0.45, abs=0.01)


def test_event_timing_counts_only_draws_inside_the_window():
    r = run(make_plan(_draining(20, 5)), 40_000, seed=3)  # a 5-day window in a 20-day run
    row = event_table(r).iloc[0]
    assert row.probability == pytest.approx(0.40, abs=0.01)  # R >= 1200
    assert row.probability_by_horizon == pytest.approx(0.475, abs=0.01)  # R >= 1050
    # inside the window, P(day <= d | day <= 5) = P(R >= 1000 (1 + 1/d)) / 0.40:
    # 0.625 for d = 2, 0.833 for d = 3, 0.9375 for d = 4 (the first day is 2: R <= 2000)
    assert (row.days_p10, row.days_p50, row.days_p90) == (2.0, 2.0, 4.0)


@pytest.mark.parametrize("scheduler", [None, "threads"])
def test_progress_reports_every_draw_once(kursk, scheduler):
    seen = []
    run(kursk, 3 * BLOCK + 5, seed=1, chunk=BLOCK, dask=scheduler, progress=seen.append)
    assert sorted(seen) == [5, BLOCK, BLOCK, BLOCK]
