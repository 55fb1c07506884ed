"""The ledger commands, run in-process with Typer's test runner on both backends."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from orbat.cli import app
from orbat.ledger import QUANTITY_COLUMNS
from orbat.ledger.ids import document_id

TEXT = ("Around 50,000 Russian soldiers are in Kursk, officials said. Kyiv says it lost "
        "more than 400 square kilometers near Pokrovsk.")


@pytest.fixture
def reports_dir(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "one.txt").write_text(TEXT, encoding="utf-8")
    (folder / "two.txt").write_text("North Korea sent 10,000 troops to Kursk.", encoding="utf-8")
    return folder


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_ingest_info_docs_show_claims(db_url, reports_dir, tmp_path):
    result = run("ingest", str(reports_dir), "--db", db_url, "--published", "2024-11-02")
    assert result.exit_code == 0, result.output
    assert "added 2 documents" in result.output
    again = run("ingest", str(reports_dir), "--db", db_url)
    assert "added 0 documents" in again.output and "2 already stored" in again.output

    info = run("info", "--db", db_url)
    assert "documents: 2" in info.output and "schema:   0003" in info.output
    assert document_id(TEXT) in run("docs", "--db", db_url).output
    shown = run("show", document_id(TEXT)[:8], "--db", db_url)
    assert shown.exit_code == 0 and "Pokrovsk" in shown.output and "50,000" in shown.output
    assert run("show", "nope", "--db", db_url).exit_code == 1
    by_name = run("show", "one", "--db", db_url)  # the name it was ingested with (file name)
    assert by_name.exit_code == 0 and "Pokrovsk" in by_name.output
    assert "one" in run("docs", "--db", db_url).output

    lines = run("claims", "--db", db_url, "--format", "jsonl", "--location", "Kursk").output
    records = [json.loads(line) for line in lines.splitlines()]
    assert records and all(r["location"] == "Kursk" for r in records)
    assert list(records[0]) == QUANTITY_COLUMNS and records[0]["published"] == "2024-11-02"

    csv = tmp_path / "claims.csv"
    assert run("claims", "--db", db_url, "--format", "csv", "-o", str(csv)).exit_code == 0
    assert list(pd.read_csv(csv).columns) == QUANTITY_COLUMNS
    parquet = tmp_path / "claims.parquet"
    assert run("claims", "--db", db_url, "--format", "parquet", "-o", str(parquet),
               "--since", "2024-01-01").exit_code == 0
    assert list(pd.read_parquet(parquet).columns) == QUANTITY_COLUMNS
    assert len(pd.read_parquet(parquet)) > len(records)  # unfiltered by place: Pokrovsk too
    assert "Kursk" in run("claims", "--db", db_url).output
    assert run("claims", "--db", db_url, "--format", "xml").exit_code != 0
    assert run("claims", "--db", db_url, "--since", "yesterday").exit_code != 0


def test_bad_file_is_reported_and_skipped(db_url, reports_dir):
    missing = reports_dir / "missing.txt"
    result = CliRunner().invoke(
        app, ["ingest", str(reports_dir / "one.txt"), str(missing), "--db", db_url])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "missing.txt" in line]
    assert len(errors) == 1
    assert "added 1 documents" in result.stdout
