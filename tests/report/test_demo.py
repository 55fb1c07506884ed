"""`orbat demo`, the README's main command: every stage on the bundled reports."""
from __future__ import annotations

from typer.testing import CliRunner

from orbat.cli import app


def test_demo_runs_every_stage_and_draws_every_reference_from_the_ledger(tmp_path):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["demo", "--db", db, "--out", str(out), "--draws", "500"])
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())  # Rich wraps long lines
    assert "0 failed" in flat
    for path in ("recruitment.Russia.target_per_month", "supply_lines.north_korea.rate_per_month",
                 "deployments.north_korea_first.amount"):
        assert f"ledger {path}" in flat, path
    assert "fallback" not in flat
    assert (out / "north_korea_kursk_history.png").stat().st_size > 0
    for name in ("percentiles.csv", "events.csv", "inputs.parquet", "fan_kursk.png"):
        assert (out / "kursk" / name).exists(), name
    assert (out / "report.html").stat().st_size > 1_000_000  # Plotly inlined
    assert f"orbat serve --db {db}" in flat


def test_demo_a_second_time_stores_nothing_new(tmp_path):
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    args = ["demo", "--db", db, "--out", str(tmp_path / "out"), "--draws", "200"]
    CliRunner().invoke(app, args)
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "added 0 documents" in " ".join(res.output.split())
