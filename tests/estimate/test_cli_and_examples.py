"""The `orbat estimate` command (against a stand-in ledger), estimate_for, and the bundled reports."""
from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from orbat.estimate import estimate_for
from orbat.estimate.cli import register
from tests.estimate.test_estimate import claim


class FakeLedger:
    """Stands in for orbat.ledger.Ledger: only `quantities()` is used by the estimate stage."""

    def __init__(self, url=None, readonly=False):
        self.url = url

    def quantities(self, **_):
        return pd.DataFrame([
            claim(1, 3000, "approx", published="2024-10-18", source="NIS", kind="intelligence"),
            claim(2, 10000, "at_least", published="2024-11-05", source="US officials", origin="o2"),
            claim(3, 10000, "at_least", published="2024-11-06", source="US officials", origin="o2"),
            claim(4, None, "range", 11000, 12000, published="2024-12-16", source="NIS",
                  kind="intelligence", location="Kursk region"),
            claim(5, 15000, "up_to", published="2024-12-03", source="Baros", kind="analyst",
                  per="month", location=None),
        ])


@pytest.fixture()
def app(monkeypatch):
    import orbat.ledger
    monkeypatch.setattr(orbat.ledger, "Ledger", FakeLedger)
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command keeps `estimate` a sub-command
    return app


def root(args):
    """The root ``orbat`` command in process, where stage errors become one line."""
    import contextlib
    import io
    from types import SimpleNamespace

    from orbat.cli import run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args))
    return SimpleNamespace(exit_code=code, output=out.getvalue() + err.getvalue())


def test_cli_json_csv_ucdp_and_plot(app, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["estimate", "--format", "json", "--actor", "North Korea"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    kursk = [r for r in rows if r["location"] == "Kursk"][0]
    assert kursk["n_claims"] == 4 and kursk["n_sources"] == 3
    res = runner.invoke(app, ["estimate", "--format", "csv", "--history", "--per", "month"])
    assert res.exit_code == 0 and res.output.splitlines()[0].startswith("date,")
    ucdp, png = tmp_path / "u.csv", tmp_path / "t.png"
    res = runner.invoke(app, ["estimate", "--location", "Kursk", "--as-of", "2024-11-30",
                              "--ucdp", str(ucdp), "--plot", str(png)])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(ucdp)
    assert list(frame.columns[-4:]) == ["best", "low", "high", "n_sources"]
    assert png.stat().st_size > 5000


def test_cli_contradictions(app):
    res = CliRunner().invoke(app, ["estimate", "--contradictions", "--location", "Kursk",
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    pairs = {(r["source"], r["other_source"]) for r in json.loads(res.output)}
    assert ("NIS", "US officials") in pairs  # 3,000 in October vs over 10,000 in November
    res = CliRunner().invoke(app, ["estimate", "--contradictions"])
    assert res.exit_code == 0 and "contradiction(s)" in res.output


def test_cli_bad_input_is_one_line(app, tmp_path, capsys):
    from orbat.cli import run  # the root command, where errors become one line

    bad = tmp_path / "rel.yaml"
    bad.write_text("grades: {A: {weight: 1}}\n")
    assert run(["estimate", "--reliability", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "rel.yaml" in err and err.count("\n") == 1
    assert run(["estimate", "--format", "xml"]) == 2
    assert capsys.readouterr().err == "error: --format must be table, json or csv, not 'xml'\n"
    assert run(["estimate", "--as-of", "2024-99-01"]) == 2
    assert "--as-of" in capsys.readouterr().err


def test_estimate_for_stock_rate_and_date():
    ledger = FakeLedger()
    stock = estimate_for(ledger, "North Korea", "deployed", location="Kursk")
    assert stock.n_claims == 4 and stock.per is None
    rate = estimate_for(ledger, "North Korea", "deployed", per="month")
    assert rate.n_claims == 1 and rate.p95 <= 15000 * 1.0001
    early = estimate_for(ledger, "North Korea", "deployed", as_of=date(2024, 10, 31))
    assert early.median == pytest.approx(3000)
    assert estimate_for(ledger, "Ukraine", "deployed") is None


def test_bundled_reports_are_well_formed():
    path = resources.files("orbat") / "examples" / "reports" / "reports.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert 12 <= len(rows) <= 20 and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == {"id", "text", "url", "title", "outlet", "published"}
        assert "2024-08-01" <= r["published"] <= "2025-03-31"
    assert len({r["outlet"] for r in rows}) >= 4


def test_cli_half_life_in_json_csv_and_history(app):
    runner = CliRunner()
    kursk = {}
    for extra in ([], ["--half-life", "30"]):
        res = runner.invoke(app, ["estimate", "--format", "json", "--location", "Kursk", *extra])
        assert res.exit_code == 0, res.output
        kursk[bool(extra)] = json.loads(res.output)[0]
    assert kursk[False]["half_life_days"] is None and kursk[True]["half_life_days"] == 30.0
    # the newest claim (11,000-12,000 in December) gains on October's 3,000
    assert kursk[True]["median"] > kursk[False]["median"]
    res = runner.invoke(app, ["estimate", "--format", "csv", "--history", "--half-life", "30",
                              "--location", "Kursk"])
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0].split(",")[-1] == "half_life_days" and lines[-1].endswith(",30.0")
    res = runner.invoke(app, ["estimate", "--half-life", "30"])
    assert "recency half-life: deployed 30 days" in " ".join(res.output.split())


def test_cli_half_life_from_yaml_and_bad_values_are_one_line(app, tmp_path):
    bundled = (resources.files("orbat") / "resources" / "reliability.yaml").read_text()
    good = tmp_path / "rel.yaml"
    good.write_text(bundled.replace("half_life_days: {}", "half_life_days: {deployed: 30}"))
    runner = CliRunner()
    by_file = runner.invoke(app, ["estimate", "--format", "json", "--reliability", str(good)])
    by_flag = runner.invoke(app, ["estimate", "--format", "json", "--half-life", "30"])
    assert by_file.exit_code == 0 and json.loads(by_file.output) == json.loads(by_flag.output)
    for bad in ("0", "-2", "abc", "nan"):
        res = root(["estimate", "--half-life", bad])
        assert res.exit_code == 1 and res.output.strip().count("\n") == 0, res.output
        assert "--half-life: must be a positive number of days" in res.output
    broken = tmp_path / "a-rather-long-directory-name-for-wrapping" / "broken-reliability.yaml"
    broken.parent.mkdir()
    broken.write_text(bundled.replace("half_life_days: {}", "half_life_days: {deployed: -60}"))
    res = root(["estimate", "--reliability", str(broken)])
    assert res.exit_code == 1 and res.output.strip().count("\n") == 0, res.output
    assert f"{broken}: half_life_days.deployed: must be a positive number of days" in res.output


def test_cli_keys_are_canonicalised_once_like_the_api(app, tmp_path):
    """Aliases are looked up once: with Kursk region -> Kursk -> Kursk Oblast, a "Kursk region"
    claim stays "Kursk" in the CLI exactly as in estimate() (filtering must not map it twice)."""
    from orbat.estimate import estimate, load_mapping
    chain = tmp_path / "keys.yaml"
    chain.write_text("location: {Kursk region: Kursk, Kursk: Kursk Oblast}\n")
    res = CliRunner().invoke(app, ["estimate", "--format", "json", "--keys", str(chain),
                                   "--actor", "North Korea"])
    assert res.exit_code == 0, res.output
    by_cli = {(r["location"], r["n_claims"]) for r in json.loads(res.output)}
    by_api = {(e.location, e.n_claims) for e in estimate(FakeLedger().quantities(),
                                                         mapping=load_mapping(chain))}
    assert by_cli == by_api and ("Kursk", 1) in by_cli
