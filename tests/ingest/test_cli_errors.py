"""Every kind of bad input through `orbat extract`: one stderr line each, batch goes on, exit 1."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from orbat.cli import app

BAD = {
    "binary.txt": b"PK\x03\x04\x00\x00",
    "latin1.txt": "Kyiv caf\u00e9".encode("latin-1"),
    "empty.txt": b"",
    "slides.pptx": b"not a report",
    "lines.jsonl": b'{"id": "ok", "text": "About 3,000 soldiers arrived."}\n[1, 2]\n{"id": "x"}\n{"text": "t"}\n{"id": "y", "text": 5}\n',
}


def _run(args):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(app, ["extract", *args])


def test_each_bad_input_one_error_line(tmp_path):
    for name, data in BAD.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text("Russia sent about 50,000 troops, officials said.")
    files = [str(tmp_path / name) for name in [*BAD, "good.txt"]]
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    result = _run([*files, str(big)])
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert all(line.startswith("error: ") for line in errors)
    assert len(errors) == 4 + 4 + 1  # four bad files, four bad JSONL lines, the big file
    assert sum(":2: " in e or ":3: " in e or ":4: " in e or ":5: " in e for e in errors) == 4
    docs = {json.loads(line)["doc"] for line in result.stdout.splitlines()}
    assert docs == {"ok", "good"}


def test_all_good_exit_0(tmp_path):
    (tmp_path / "good.txt").write_text("Russia sent about 50,000 troops, officials said.")
    assert _run([str(tmp_path)]).exit_code == 0
