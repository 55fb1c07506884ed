"""`orbat extract`: JSONL and table output, per-file errors on stderr, exit status."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from orbat.cli import app

REPORT = ("North Korea has sent about 3,000 soldiers to Russia, South Korean officials said.\n"
          "Ukrainian commanders said Russia had gathered around 50,000 troops near Kursk.\n")


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart by default
        return CliRunner()


def test_jsonl_offsets_index_the_text_as_read(tmp_path):
    (tmp_path / "wire.txt").write_text(REPORT, encoding="utf-8")
    result = _runner().invoke(app, ["extract", str(tmp_path / "wire.txt")])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records, "no claims printed"
    for rec in records:
        assert rec["doc"] == "wire" and rec["kind"] in ("quantity", "statement")
        start, end = rec["span"]
        assert 0 <= start < end <= len(REPORT)
        if rec["kind"] == "quantity":
            assert REPORT[start:end] == rec["text"]
            assert {"value", "low", "high", "bound", "unit", "per", "actor", "measure",
                    "location", "source", "evidential", "modality"} <= rec.keys()


def test_bad_inputs_reported_and_batch_continues(tmp_path):
    (tmp_path / "a_good.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "c_batch.jsonl").write_text(
        json.dumps({"id": "j1", "text": REPORT}) + "\n{broken\n", encoding="utf-8")
    result = _runner().invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    docs = {json.loads(line)["doc"] for line in result.stdout.splitlines()}
    assert docs == {"a_good", "j1"}
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {tmp_path / 'b_binary.txt'}: ")
    assert errors[1].startswith(f"error: {tmp_path / 'c_batch.jsonl'}:2: not valid JSON")


def test_missing_file_exit_1(tmp_path):
    result = _runner().invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "nope.txt" in result.stderr


def test_table_groups_by_document(tmp_path):
    (tmp_path / "one.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "two.txt").write_text("Nothing numeric here at all.", encoding="utf-8")
    result = _runner().invoke(app, ["extract", "--format", "table", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "one:" in out and "two" in out
    assert out.index("one") < out.index("two")


def test_bad_published_is_a_usage_error(tmp_path):
    (tmp_path / "one.txt").write_text(REPORT, encoding="utf-8")
    result = _runner().invoke(app, ["extract", "--published", "last week", str(tmp_path)])
    assert result.exit_code == 2


def test_bundled_example_report_extracts():
    from importlib.resources import files

    path = files("orbat") / "examples" / "report.txt"
    result = _runner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.stderr
    kinds = {json.loads(line)["kind"] for line in result.stdout.splitlines()}
    assert kinds == {"quantity", "statement"}


def test_dask_processes_print_what_one_process_prints(tmp_path):
    for i in range(40):  # more documents than one worker's share, with a bad file among them
        (tmp_path / f"r{i:02d}.txt").write_text(REPORT.replace("3,000", f"{3000 + i:,}"), encoding="utf-8")
    (tmp_path / "r20_bad.txt").write_bytes(b"\x00\x01\x02")
    for fast in ([], ["--fast"]):
        one = _runner().invoke(app, ["extract", *fast, str(tmp_path)])
        many = _runner().invoke(app, ["extract", *fast, "--dask", "processes", str(tmp_path)])
        assert one.exit_code == many.exit_code == 1  # the bad file, reported by both
        assert many.stdout == one.stdout and many.stdout.count('"doc": "r39"') >= 2
        assert "r20_bad" in many.stderr
    wrong = _runner().invoke(app, ["extract", "--dask", "threads", str(tmp_path)])
    assert wrong.exit_code == 2 and "use processes" in wrong.stderr
