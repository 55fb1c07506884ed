"""The simulate commands end to end through Typer."""
from __future__ import annotations

import typer
from typer.testing import CliRunner

from orbat.simulate.cli import register


def _app():
    app = typer.Typer()
    register(app)
    return app


def test_simulate_writes_tables_and_charts(tmp_path):
    res = CliRunner().invoke(_app(), ["simulate", "kursk", "--draws", "500", "--seed", "4",
                                      "--out", str(tmp_path), "--db", "sqlite:///nowhere.db"])
    assert res.exit_code == 0, res.output
    assert "fallback" in res.output and "conservation check" in res.output
    for name in ("percentiles.csv", "events.parquet", "fan_kursk.png", "fan_east.png"):
        assert (tmp_path / name).exists()


def test_bad_scenario_file_names_its_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nhorizon_days: -1\nstep_days: 1\nsides: [A]\nfronts: {}\n")
    res = CliRunner().invoke(_app(), ["simulate", str(bad), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    flat = "".join(res.output.split())  # Rich wraps long lines
    assert "bad.yaml:2:horizon_days:Inputshouldbegreaterthan0" in flat


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
    bad = CliRunner().invoke(_app(), [*args, "--out", str(tmp_path / "b"), "--dask", "gpu"])
    assert bad.exit_code == 2 and "use threads or processes" in bad.output
