"""read_documents: every format, every kind of bad input, and the batch goes on after errors."""
from __future__ import annotations

import json
from datetime import date

import pytest

from orbat.ingest import IngestError, read_documents
from orbat.types import Document

HTML = """<!DOCTYPE html><html><head>
<title>North Korean troops join Kursk push | Example Wire</title>
<meta property="og:title" content="North Korean troops join Kursk push">
<meta property="article:published_time" content="2024-11-11T08:00:00Z">
<meta property="og:site_name" content="Example Wire">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>North Korean troops join Kursk push</h1>
<p>Moscow has massed about 50,000 soldiers near Kursk, two U.S. officials said on Sunday,
and the force includes units sent from Pyongyang.</p>
<p>Ukrainian commanders said they expected an assault within days, though they could not
confirm how many North Korean soldiers had reached the front line.</p>
</article><footer>Copyright Example Wire. All rights reserved.</footer></body></html>
"""


def _items(*paths, **kw):
    return list(read_documents(paths, **kw))


def test_txt_text_is_exact_and_id_is_stem(tmp_path):
    text = "Russia gathered about 50,000 troops.\r\n  Officials said so.\t\n"
    (tmp_path / "wire_01.txt").write_bytes(text.encode("utf-8"))
    [doc] = _items(tmp_path / "wire_01.txt", outlet="Wire", published=date(2024, 11, 11))
    assert isinstance(doc, Document)
    assert doc.id == "wire_01" and doc.text == text
    assert doc.outlet == "Wire" and doc.published == date(2024, 11, 11)


def test_utf8_bom_keeps_offsets_consistent(tmp_path):
    (tmp_path / "b.txt").write_bytes("\ufeffSome 3,000 soldiers.".encode("utf-8"))
    [doc] = _items(tmp_path / "b.txt")
    assert doc.text.lstrip("\ufeff") == "Some 3,000 soldiers."


def test_folder_walked_recursively_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z report")
    (tmp_path / "a.txt").write_text("a report")
    (tmp_path / "notes.md").write_text("ignored in folders")
    ids = [d.id for d in _items(tmp_path)]
    assert ids == ["a", "z"]


def test_jsonl_good_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "r1", "text": "About 10,000 troops.", "url": "https://x.org/1",
                    "title": "T", "outlet": "Wire", "published": "2024-11-05"}),
        "{not json",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "r4"}),
        json.dumps({"id": "r5", "text": 42}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"id": "r8", "text": "x", "published": "yesterday"}),
        json.dumps({"id": "r9", "text": "Dozens of drones."}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    items = _items(path, outlet="Default", published=date(2024, 1, 1))
    docs = [i for i in items if isinstance(i, Document)]
    errors = {i.line: i.message for i in items if isinstance(i, IngestError)}
    assert [d.id for d in docs] == ["r1", "r9"]
    assert docs[0].published == date(2024, 11, 5) and docs[0].outlet == "Wire"
    assert docs[0].url == "https://x.org/1" and docs[0].title == "T"
    assert docs[1].outlet == "Default" and docs[1].published == date(2024, 1, 1)
    assert errors[2].startswith("not valid JSON (")
    assert "missing" in errors[3] and "'id'" in errors[3]
    assert "missing" in errors[4] and "'text'" in errors[4]
    assert "'text'" in errors[5] and "string" in errors[5]
    assert "JSON object" in errors[7]
    assert "ISO date" in errors[8]
    assert set(errors) == {2, 3, 4, 5, 7, 8}
    err = next(i for i in items if isinstance(i, IngestError) and i.line == 2)
    assert str(err) == f"{path}:2: not valid JSON (Expecting property name enclosed in double quotes)"


def test_html_text_title_and_date(tmp_path):
    (tmp_path / "page.html").write_text(HTML)
    [doc] = _items(tmp_path / "page.html")
    assert isinstance(doc, Document), str(doc)
    assert doc.id == "page"
    assert "about 50,000 soldiers" in doc.text
    assert "All rights reserved" not in doc.text and "Home" not in doc.text.split()
    assert doc.title == "North Korean troops join Kursk push"
    assert doc.published == date(2024, 11, 11)


def test_html_without_article_text(tmp_path):
    (tmp_path / "blank.htm").write_text("<html><head><title>x</title></head><body></body></html>")
    [err] = _items(tmp_path / "blank.htm")
    assert isinstance(err, IngestError) and "no article text" in err.message


@pytest.mark.parametrize("name,data,expected", [
    ("bin.txt", b"abc\x00def", ("binary", "NUL")),
    ("latin.txt", "caf\u00e9".encode("latin-1"), ("UTF-8", "offset 3")),
    ("empty.txt", b"", ("empty",)),
    ("blank.jsonl", b"  \n\n", ("empty",)),
    ("report.pdf", b"%PDF-1.4", ("file type", "'.pdf'")),
])
def test_bad_files_give_one_line_errors(tmp_path, name, data, expected):
    (tmp_path / name).write_bytes(data)
    [err] = _items(tmp_path / name)
    assert isinstance(err, IngestError) and err.line is None
    assert all(word in err.message for word in expected), err.message
    assert str(err).startswith(f"{tmp_path / name}: ") and "\n" not in str(err)


def test_nul_byte_deep_in_file_is_binary(tmp_path):
    (tmp_path / "late.txt").write_bytes(b"a" * 100_000 + b"\x00tail")
    [err] = _items(tmp_path / "late.txt")
    assert isinstance(err, IngestError) and "binary" in err.message


def test_missing_path(tmp_path):
    [err] = _items(tmp_path / "nope.txt")
    assert isinstance(err, IngestError) and err.message == "no such file or folder"


def test_size_limit_is_checked_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse 50 MB file: must be refused from its size alone
        fh.truncate(50 * 1024 * 1024)
    [err] = _items(big)
    assert isinstance(err, IngestError) and "50" in err.message and "limit" in err.message
    (tmp_path / "small.txt").write_text("x" * 100)
    [err] = _items(tmp_path / "small.txt", max_bytes=50)
    assert isinstance(err, IngestError) and "limit" in err.message


def test_batch_continues_after_errors(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\xff\xfe bad")
    (tmp_path / "b.txt").write_text("About 3,000 soldiers arrived.")
    (tmp_path / "c.jsonl").write_text('{"id": "c1", "text": "ok"}\nnope\n{"id": "c3", "text": "ok"}\n')
    items = _items(tmp_path, tmp_path / "missing.txt")
    kinds = [(type(i).__name__, getattr(i, "id", None) or getattr(i, "line", None)) for i in items]
    assert kinds == [("IngestError", None), ("Document", "b"), ("Document", "c1"),
                     ("IngestError", 2), ("Document", "c3"), ("IngestError", None)]
