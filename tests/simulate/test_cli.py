"""The simulate commands end to end through Typer."""
from __future__ import annotations

from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from orbat.simulate.cli import register


def _app():
    app = typer.Typer()
    register(app)
    return app


def _orbat(capsys, *argv):
    """Exit status and output of the root ``orbat`` command (errors mapped as on the shell)."""
    from orbat.cli import run

    status = run([str(a) for a in argv])
    out = capsys.readouterr()
    return status, out.out + out.err


def test_simulate_writes_tables_and_charts(tmp_path):
    empty = tmp_path / "empty-ledger.db"  # a ledger with no estimates: references fall back
    res = CliRunner().invoke(_app(), ["simulate", "kursk", "--draws", "500", "--seed", "4",
                                      "--out", str(tmp_path), "--db", f"sqlite:///{empty}"])
    assert res.exit_code == 0, res.output
    assert "fallback" in res.output and "conservation check" in res.output
    for name in ("percentiles.csv", "events.parquet", "fan_kursk.png", "fan_east.png"):
        assert (tmp_path / name).exists()


def test_bad_scenario_file_names_its_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nhorizon_days: -1\nstep_days: 1\nsides: [A]\nfronts: {}\n")
    status, output = _orbat(capsys, "simulate", bad, "--out", tmp_path / "o")
    assert status == 1
    assert output == f"error: {bad}:2: horizon_days: must be more than 0, not -1\n"


def test_scenarios_and_sensitivity_commands():
    runner = CliRunner()
    assert "kursk" in runner.invoke(_app(), ["scenarios"]).output
    res = runner.invoke(_app(), ["sensitivity", "kursk", "--outcome", "territory:kursk@60",
                                 "--n", "16"])
    assert res.exit_code == 0, res.output
    assert "fronts.kursk" in res.output


def test_dask_threads_from_the_command_line_gives_the_same_tables(tmp_path):
    args = ["simulate", "kursk", "--draws", "9000", "--seed", "2"]
    one = CliRunner().invoke(_app(), [*args, "--out", str(tmp_path / "one")])
    threads = CliRunner().invoke(_app(), [*args, "--out", str(tmp_path / "t"), "--dask", "threads"])
    assert one.exit_code == 0 and threads.exit_code == 0, threads.output
    for name in ("percentiles.csv", "events.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "t" / name).read_bytes()

def test_unknown_dask_scheduler_is_a_usage_error(tmp_path, capsys):
    status, output = _orbat(capsys, "simulate", "kursk", "--out", tmp_path / "b", "--dask", "gpu")
    assert status == 2 and output == "error: --dask gpu: use threads or processes\n"


def test_ledger_reference_as_of_a_date_and_with_a_half_life(tmp_path):
    """A reference can ask for the estimate as of a date, with newer claims weighted up: the
    resolver hands both to the estimate stage, so it gets exactly what `orbat estimate` gives."""
    from importlib import resources

    from orbat.estimate import estimate_for, load_reliability, with_half_life
    from orbat.ingest.readers import read_documents
    from orbat.ledger import Ledger
    from orbat.simulate.cli import ledger_resolver

    db = f"sqlite:///{tmp_path / 'l.db'}"
    ledger = Ledger(db)
    ledger.ingest(d for d in read_documents([resources.files("orbat") / "examples" / "reports"])
                  if not isinstance(d, Exception))
    key = {"actor": "North Korea", "measure": "deployed", "location": "Kursk"}
    resolve = ledger_resolver(db)
    plain = resolve(key)
    early = resolve({**key, "as_of": date(2024, 12, 1)})
    decayed = resolve({**key, "half_life_days": 14.0})
    assert early.n_claims < plain.n_claims
    assert early == estimate_for(ledger, as_of=date(2024, 12, 1), **key)
    assert decayed == estimate_for(ledger, reliability=with_half_life(load_reliability(), 14.0),
                                   **key)
    assert decayed.median != plain.median


def test_reference_fields_are_validated():
    from orbat.simulate.scenario import ScenarioError, parse_scenario

    bad = ("name: x\nhorizon_days: 10\nstep_days: 1\nsides: [A, B]\nfronts:\n  f:\n"
           "    attacker: A\n    defender: B\n    initial:\n      A: {from: {measure: deployed,"
           " half_life_days: -3}, fallback: 5}\n      B: 1\n    attrition: {law: fixed}\n")
    with pytest.raises(ScenarioError, match="half_life_days"):
        parse_scenario(bad, "x.yaml")
