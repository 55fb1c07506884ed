"""`orbat ingest --workers`, the ingest total, and `orbat docs` pages (SQLite)."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from orbat.cli import app
from orbat.ingest.readers import count_documents
from orbat.ledger import Ledger
from orbat.ledger.synthetic import reports


def _jsonl(path, n):
    with path.open("w", encoding="utf-8") as fh:
        for doc in reports(n, seed=11):
            fh.write(json.dumps({"id": doc.id, "text": doc.text,
                                 "published": doc.published.isoformat()}) + "\n")
        fh.write("\n")  # blank lines are not documents
    return path


def test_count_documents_counts_files_and_jsonl_lines(tmp_path):
    _jsonl(tmp_path / "a.jsonl", 7)
    (tmp_path / "b.txt").write_text("North Korea sent 10,000 troops to Kursk.")
    (tmp_path / "c.md").write_text("skipped: not a report suffix")
    assert count_documents([tmp_path]) == 8
    assert count_documents([tmp_path / "c.md", tmp_path / "missing.txt"]) == 2


def test_ingest_with_workers_then_docs_pages(tmp_path):
    src = _jsonl(tmp_path / "r.jsonl", 30)
    url1, url2 = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    one = CliRunner().invoke(app, ["ingest", str(src), "--db", url1, "--batch-size", "7"])
    two = CliRunner().invoke(app, ["ingest", str(src), "--db", url2, "--batch-size", "7",
                                   "--workers", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    assert "added 30 documents" in two.output
    assert one.output.splitlines()[-1] == two.output.splitlines()[-1]
    ids = [sorted(Ledger(u).quantities()["claim_id"]) for u in (url1, url2)]
    assert ids[0] == ids[1] and ids[0]
    page = CliRunner().invoke(app, ["docs", "--db", url2, "--limit", "5", "--offset", "10"])
    assert page.exit_code == 0 and "documents 11-15 of 30" in page.output
    assert sum(line.startswith("│") for line in page.output.splitlines()) >= 5
    everything = CliRunner().invoke(app, ["docs", "--db", url2, "--limit", "0"])
    assert "of 30" not in everything.output
