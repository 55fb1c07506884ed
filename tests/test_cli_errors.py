"""Every everyday mistake through the real ``orbat`` command: exit status, one line, no traceback.

The cases are those of issue 10 ("Tracebacks", "Scenarios" and the small things): bad --db
URLs, a PostgreSQL server that is down, a read-only ledger (readable), a read-only HOME, output
into missing folders, bad seeds and sample sizes, huge horizons, and scenario files that must be
refused. Each runs ``orbat`` in a subprocess with the environment the autouse fixture gives
(its own HOME and ORBAT_DB), so nothing touches the user's data.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("orbat")
ORBAT = [str(BIN)] if BIN.exists() else [sys.executable, "-c",
                                         "import sys; from orbat.cli import main; main()"]
REPORTS = str(resources.files("orbat") / "examples" / "reports")
KURSK = (resources.files("orbat") / "simulate" / "scenarios" / "kursk.yaml").read_text()


def orbat(*args, env: dict | None = None, prefix: list[str] | None = None,
          timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*(prefix or []), *ORBAT, *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def fails(res: subprocess.CompletedProcess, status: int, *needles: str) -> str:
    """Assert ``res`` failed with ``status`` and exactly one stderr line ``error: ...`` holding
    each of ``needles``, with no traceback anywhere; return that line."""
    assert "Traceback" not in res.stderr + res.stdout, res.stderr[-3000:]
    lines = res.stderr.strip().splitlines()
    assert res.returncode == status, (res.returncode, res.stderr[-3000:])
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr[-3000:]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def works(res: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr[-3000:]
    return res


def closed_port() -> int:
    """A localhost port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _readonly_prefix(folder: Path) -> list[str]:
    """A command prefix that runs a command with ``folder`` read-only. Root ignores file
    modes, so as root the folder is bind-mounted read-only in a private mount namespace."""
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", script, str(folder)]


@pytest.fixture
def readonly(tmp_path):
    """``readonly(folder)`` -> prefix for ``orbat(..., prefix=)``: ``folder`` cannot be written."""
    changed = []

    def make(folder: Path) -> list[str]:
        if os.geteuid() != 0:
            for path in [folder, *folder.rglob("*")]:
                changed.append((path, path.stat().st_mode))
                path.chmod(path.stat().st_mode & ~0o222)
            return []
        if shutil.which("unshare") is None:
            pytest.skip("running as root without unshare: cannot make a read-only folder")
        probe = subprocess.run([*_readonly_prefix(folder), "sh", "-c", f"touch '{folder}/x'"],
                               capture_output=True, text=True)
        if "Read-only" not in probe.stderr:
            pytest.skip(f"cannot mount a folder read-only here: {probe.stderr.strip()}")
        return _readonly_prefix(folder)

    yield make
    for path, mode in reversed(changed):
        path.chmod(mode)


@pytest.fixture(scope="module")
def ledger_dir(tmp_path_factory):
    """A folder holding a ledger of the bundled example reports."""
    folder = tmp_path_factory.mktemp("ledger")
    works(orbat("ingest", REPORTS, "--db", f"sqlite:///{folder / 'orbat.db'}"))
    return folder


# ---- Tracebacks -----------------------------------------------------------------------------

@pytest.mark.parametrize("url, needles", [
    ("notaurl", ["'notaurl' is not a URL", "sqlite:///PATH"]),
    ("foo://bar", ["SQLite or PostgreSQL, not 'foo'"]),
    ("mysql://orbat:s3cret@localhost/orbat", ["SQLite or PostgreSQL, not 'mysql'",
                                               "orbat:***@localhost"]),
])
def test_bad_database_urls(url, needles):
    for command in (["info"], ["claims"], ["ingest", REPORTS]):
        line = fails(orbat(*command, "--db", url), 1, *needles)
        assert "s3cret" not in line


def test_postgresql_server_down_and_password_never_printed(tmp_path):
    url = f"postgresql+psycopg://orbat:s3cret@127.0.0.1:{closed_port()}/orbat"
    line = fails(orbat("info", "--db", url), 1, "cannot connect to the database",
                 "orbat:***@127.0.0.1", "Connection refused", "is the server running?")
    assert "s3cret" not in line
    fails(orbat("estimate", "--db", url), 1, "cannot connect")
    demo = orbat("demo", "--db", url, "--out", tmp_path / "demo", "--draws", "100")
    fails(demo, 1, "cannot connect")
    assert "s3cret" not in demo.stdout + demo.stderr and "orbat:***@" in demo.stdout


def test_read_only_ledger_is_readable_and_refuses_writes_in_one_line(ledger_dir, readonly,
                                                                     tmp_path):
    ro = readonly(ledger_dir)
    db = ["--db", f"sqlite:///{ledger_dir / 'orbat.db'}"]
    assert "documents: 20" in works(orbat("info", *db, prefix=ro)).stdout
    assert "r01" in works(orbat("docs", *db, prefix=ro)).stdout
    works(orbat("show", "r01", *db, prefix=ro))
    assert "Russia" in works(orbat("claims", "--actor", "Russia", "--format", "csv", *db,
                                   prefix=ro)).stdout
    assert "North Korea" in works(orbat("estimate", *db, prefix=ro)).stdout
    sim = works(orbat("simulate", "kursk", "--draws", "200", "--out", tmp_path / "sim", *db,
                      prefix=ro))
    assert "fallback" not in sim.stdout  # the ledger's estimates were read
    fails(orbat("ingest", REPORTS, *db, prefix=ro), 1, "is read-only",
          "commands that only read it work")
    fails(orbat("reextract", *db, prefix=ro), 1, "is read-only")


def test_read_only_home(readonly, tmp_path):
    home = Path(os.environ["HOME"])
    env = {"ORBAT_DB": ""}  # the default ledger, in the (read-only) user data folder
    ro = readonly(home)
    for command in (["info"], ["estimate"], ["ingest", REPORTS]):
        fails(orbat(*command, env=env, prefix=ro), 1, "cannot create the ledger folder",
              "pass --db or set ORBAT_DB")
    sim = works(orbat("simulate", "kursk", "--draws", "200", "--out", tmp_path / "sim",
                      env=env, prefix=ro))
    assert "fallback" in sim.stdout and sim.stderr.strip() == ""  # no matplotlib warnings
    assert (tmp_path / "sim" / "fan_kursk.png").exists()


def test_output_into_a_missing_folder(ledger_dir, tmp_path):
    db = ["--db", f"sqlite:///{ledger_dir / 'orbat.db'}"]
    missing = tmp_path / "no" / "such"
    fails(orbat("claims", *db, "--format", "csv", "-o", missing / "c.csv"), 1,
          f"--output {missing / 'c.csv'}: folder {missing} does not exist")
    fails(orbat("claims", *db, "--format", "parquet", "-o", missing / "c.parquet"), 1,
          "does not exist")
    fails(orbat("sensitivity", "kursk", "--outcome", "territory:kursk@60", "--n", "8",
                "--out", missing / "s.csv"), 1, "does not exist")
    fails(orbat("estimate", *db, "--ucdp", missing / "u.csv"), 1, "does not exist")
    # --out names a folder for the simulation's tables: it is created, parents too
    works(orbat("simulate", "kursk", "--draws", "100", "--out", missing / "sim"))
    assert (missing / "sim" / "percentiles.csv").exists()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    fails(orbat("simulate", "kursk", "--draws", "100", "--out", a_file), 2, "is a file")
    fails(orbat("simulate", "kursk", "--draws", "100", "--out", a_file / "sub"), 1,
          str(a_file))


def test_bad_seed_and_sample_size_are_usage_errors(tmp_path):
    fails(orbat("simulate", "kursk", "--seed", "-1", "--out", tmp_path), 2, "--seed",
          "greater than or equal to 0")
    fails(orbat("sensitivity", "kursk", "--outcome", "territory:kursk@60", "--n", "0"), 2,
          "--n 0", "power of 2")
    fails(orbat("sensitivity", "kursk", "--outcome", "territory:kursk@60", "--n", "-4"), 2,
          "power of 2")


def test_debug_shows_the_traceback():
    res = orbat("--debug", "info", "--db", "foo://bar")
    assert res.returncode == 1 and "Traceback" in res.stderr and "LedgerError" in res.stderr


# ---- Scenarios ------------------------------------------------------------------------------

def _variant(tmp_path, old: str, new: str) -> Path:
    assert old in KURSK, old
    path = tmp_path / "variant.yaml"
    path.write_text(KURSK.replace(old, new, 1))
    return path


def _line_of(path: Path, text: str) -> int:
    """The first line holding ``text`` as whole words ("Ukrain" is not in "Ukraine")."""
    pattern = re.compile(re.escape(text) + r"(?!\w)")
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1)
                if pattern.search(line))


SCENARIOS = [  # (old, new, text on the line to be named, words in the message)
    ("horizon_days: 365", "horizon_days: 100000000", "horizon_days:",
     "horizon_days: must be at most 3653, not 100000000"),
    ("initial_km2: {value: 15000", "initial_km2: {value: .inf", "initial_km2: {value: .inf",
     "fronts.east.territory.initial_km2.value: must be a finite number, not inf"),
    ("low: 35000", "low: .nan", "low: .nan",
     "fronts.kursk.initial.Russia.low: must be a finite number, not nan"),
    ("Russia: {dist: uniform, low: 400000, high: 550000,", "Russia: {value: 4e300,",
     "Russia: {value: 4e300", "fronts.east.initial.Russia: must be at most 1e+08 troops"),
    ("defender_advantage: {value: 1.0", "defender_advantage: {value: true",
     "defender_advantage: {value: true",
     "fronts.east.attrition.defender_advantage.value: must be a number, not true"),
    ("east: {value: 0.9, assumption: \"Moscow", "east: {value: 1.5, assumption: \"Moscow",
     "east: {value: 1.5", "recruitment.Russia.allocation.east: must be in [0, 1], not 1.5"),
    ("kursk: {value: 0.1,", "kursk: {value: 0.7,", "allocation:",
     "recruitment.Russia.allocation: shares must sum to 1; they sum to 1.6"),
    ("  east:\n    attacker: Russia\n    defender: Ukraine",
     "  east:\n    attacker: Russia\n    defender: Ukrain", "defender: Ukrain",
     "fronts.east.defender: unknown side 'Ukrain' (sides: Russia, Ukraine); did you mean "
     "`Ukraine`?"),
    ("  east:\n    attacker: Russia", "  east:\n    atacker: Russia", "atacker: Russia",
     "fronts.east.atacker: unknown key; did you mean `attacker`?"),
]


@pytest.mark.parametrize("old, new, on_line, message", SCENARIOS,
                         ids=[s[3].split(":")[0].rsplit(".", 1)[-1] + "-" + s[1].split()[-1]
                              for s in SCENARIOS])
def test_scenarios_that_must_be_refused(tmp_path, old, new, on_line, message):
    path = _variant(tmp_path, old, new)
    line = _line_of(path, on_line)
    fails(orbat("simulate", path, "--draws", "100", "--out", tmp_path / "out"), 1,
          f"error: {path}:{line}: {message}")
    assert not (tmp_path / "out").exists()


# ---- the small things -----------------------------------------------------------------------

def test_as_of_errors_name_as_of_and_an_empty_filter_says_so(ledger_dir):
    db = ["--db", f"sqlite:///{ledger_dir / 'orbat.db'}"]
    fails(orbat("estimate", *db, "--as-of", "2024-99-01"), 2,
          "--as-of: expected a date YYYY-MM-DD, got '2024-99-01'")
    res = works(orbat("estimate", *db, "--actor", "Atlantis"))
    assert "no claims matching --actor 'Atlantis'" in res.stderr


def test_tables_are_not_cut_when_piped(ledger_dir):
    db = ["--db", f"sqlite:///{ledger_dir / 'orbat.db'}"]
    out = works(orbat("estimate", *db, env={"COLUMNS": ""})).stdout
    assert "2024-12-" in out or "2025-" in out  # the "as of" dates whole, not "202"
    assert max(map(len, out.splitlines())) > 80
    docs = works(orbat("docs", *db, env={"COLUMNS": ""})).stdout
    assert "Kursk front nearly closed" in docs


def test_help_loads_no_heavy_library():
    """`orbat --help`, the real command: Python's import log shows what it loaded."""
    res = works(orbat("--help", env={"PYTHONPROFILEIMPORTTIME": "1"}))
    loaded = {line.split("|")[-1].strip() for line in res.stderr.splitlines() if "|" in line}
    assert "orbat.cli" in loaded
    for heavy in ("numpy", "pandas", "scipy", "numba", "spacy", "sqlalchemy", "matplotlib"):
        assert heavy not in loaded, heavy
    for command in ("simulate", "estimate", "ingest", "show"):
        res = works(orbat(command, "--help", env={"PYTHONPROFILEIMPORTTIME": "1"}))
        loaded = {line.split("|")[-1].strip() for line in res.stderr.splitlines() if "|" in line}
        assert not loaded & {"numpy", "pandas", "scipy", "numba", "spacy"}, command
