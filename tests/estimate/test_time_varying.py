"""Contradictions for measures that change over time compare only claims close in time."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from orbat.estimate import contradictions, load_reliability
from orbat.estimate.pool import contradiction_window
from tests.estimate.test_estimate import claim


def _territory(cid, value, published, source):
    row = claim(cid, value, "approx", published=published, source=source, measure="territory_held")
    return {**row, "unit": "km2", "actor": "Ukraine"}


def test_territory_held_months_apart_is_not_a_contradiction():
    rows = [_territory(1, 1300, "2024-03-10", "Kyiv"), _territory(2, 600, "2024-08-20", "ISW")]
    assert contradictions(pd.DataFrame(rows)).empty
    rows.append(_territory(3, 1300, "2024-08-25", "Kyiv"))  # five days after ISW's 600
    found = contradictions(pd.DataFrame(rows))
    pairs = found[found.kind == "disjoint"]
    assert [(a, b) for a, b in zip(pairs.claim_id, pairs.other_claim_id)] == [(2, 3)]


def test_the_window_is_the_half_life_or_window_days_and_other_measures_are_not_windowed():
    rel = load_reliability()
    assert "territory_held" in rel.time_varying
    assert contradiction_window("territory_held", rel) == rel.window_days == 30
    halved = dataclasses.replace(rel, half_life_days={"territory_held": 200.0})
    assert contradiction_window("territory_held", halved) == 200
    assert contradiction_window("killed", rel) is None
    rows = [_territory(1, 1300, "2024-03-10", "Kyiv"), _territory(2, 600, "2024-08-20", "ISW")]
    assert len(contradictions(pd.DataFrame(rows), reliability=halved)) > 0
    same = [{**r, "measure": "killed"} for r in rows]  # a running total is not windowed
    assert (contradictions(pd.DataFrame(same)).kind == "disjoint").any()


def test_bad_time_varying_section_is_one_line(tmp_path):
    from importlib import resources

    text = (resources.files("orbat") / "resources" / "reliability.yaml").read_text()
    bad = tmp_path / "rel.yaml"
    bad.write_text(text.replace("window_days: 30", "window_days: -1"))
    with pytest.raises(ValueError, match="time_varying.window_days"):
        load_reliability(bad)
