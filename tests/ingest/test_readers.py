"""Reading reports: good inputs become Documents, every bad input a one-line error, batch goes on."""
from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from orbat.cli import app
from orbat.ingest import IngestError, read_documents

REPORT = "Officials said about 3,000 troops moved to the border, according to the ministry.\n"
HTML = """<html><head><title>Border build-up</title>
<meta property="article:published_time" content="2024-11-05T08:00:00Z"></head>
<body><article><h1>Border build-up</h1>
<p>Ukrainian officials said on Tuesday that around 11,000 North Korean soldiers had arrived in the
Kursk region over the previous two weeks, a sharp rise from earlier estimates.</p>
<p>The officials added that the troops were training with Russian marines and airborne units
near the front line, and that more could follow before the end of the year.</p>
</article></body></html>"""


def _split(items):
    docs = [i for i in items if not isinstance(i, IngestError)]
    errors = [i for i in items if isinstance(i, IngestError)]
    return docs, errors


def test_txt_keeps_text_exactly(tmp_path):
    text = "Café — “quoted” 1 200 troops.\r\nSecond line.\n"
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8"))
    [doc] = list(read_documents([tmp_path / "a.txt"], outlet="Wire", published="2024-10-01"))
    assert doc.text == text and doc.id == "a"
    assert doc.outlet == "Wire" and doc.published == date(2024, 10, 1)


def test_bad_files_each_give_one_line_error_and_batch_goes_on(tmp_path):
    (tmp_path / "1_good.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "2_binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 10)
    (tmp_path / "3_latin1.txt").write_bytes("caf\xe9 12 troops".encode("latin-1"))
    (tmp_path / "4_empty.txt").write_bytes(b"")
    (tmp_path / "5_good.txt").write_text(REPORT, encoding="utf-8")
    docs, errors = _split(list(read_documents([tmp_path])))
    assert [d.id for d in docs] == ["1_good", "5_good"]
    messages = {e.path.rsplit("/", 1)[-1]: e.message for e in errors}
    assert "binary" in messages["2_binary.txt"]
    assert "UTF-8" in messages["3_latin1.txt"] and "byte offset 3" in messages["3_latin1.txt"]
    assert "empty" in messages["4_empty.txt"]
    assert all("\n" not in str(e) for e in errors)


def test_oversized_file_is_refused_quickly(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    [err] = list(read_documents([big]))
    assert isinstance(err, IngestError) and "50.0 MiB" in err.message and "limit" in err.message


def test_jsonl_good_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "r1", "text": REPORT, "outlet": "Wire", "published": "2024-11-05"}),
        "{not json",
        json.dumps({"id": "r2"}),
        json.dumps({"id": "r3", "text": 42}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "r4", "text": REPORT, "published": "last Tuesday"}),
        "",
        json.dumps({"id": "r5", "text": REPORT, "url": "https://example.org/r5"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    docs, errors = _split(list(read_documents([path])))
    assert [d.id for d in docs] == ["r1", "r5"]
    assert docs[0].published == date(2024, 11, 5) and docs[1].url == "https://example.org/r5"
    assert [(e.line, e.message.split(" (")[0]) for e in errors] == [
        (2, "not valid JSON"), (3, "missing field 'text'"), (4, "field 'text' must be a string"),
        (5, "expected a JSON object"), (6, "published 'last Tuesday' is not an ISO date")]
    assert str(errors[0]).startswith(f"{path}:2: not valid JSON")


def test_html_article_text_and_metadata(tmp_path):
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    [doc] = list(read_documents([tmp_path / "page.html"]))
    assert not isinstance(doc, IngestError), str(doc)
    assert "around 11,000 North Korean soldiers" in doc.text
    assert "<p>" not in doc.text
    assert doc.title == "Border build-up" and doc.published == date(2024, 11, 5)


def test_missing_path_and_unknown_type(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    errors = list(read_documents([tmp_path / "nope.txt", tmp_path / "x.pdf"]))
    assert [e.message.split(" ")[0] for e in errors] == ["no", "unsupported"]


def test_extract_cli_exit_status_and_output(tmp_path):
    (tmp_path / "good.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00")
    result = CliRunner().invoke(app, ["extract", "--format", "jsonl", str(tmp_path)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert records and {r["doc"] for r in records} == {"good"}
    quantity = next(r for r in records if r["kind"] == "quantity")
    assert REPORT[quantity["span"][0]:quantity["span"][1]] == quantity["text"]
    assert "error:" in result.stderr and "bad.txt" in result.stderr

    ok = CliRunner().invoke(app, ["extract", str(tmp_path / "good.txt")])
    assert ok.exit_code == 0 and "quantity" in ok.stdout
