"""Read reports from files and folders into `Document`s; a bad file becomes an `IngestError`.

Inputs: `.txt` (id = file stem), `.html`/`.htm` (article text taken out with trafilatura, title
and date from the page's metadata), `.jsonl` (one document a line: `id`, `text`, and optional
`url`, `title`, `outlet`, `published`). The text is kept exactly as decoded, so offsets point
into what the user has on disk.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator

from orbat.types import Document

MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}


@dataclass(frozen=True)
class IngestError:
    """A file (or one line of it) that could not be read, and why, in one line."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


def read_documents(paths: Iterable[str | Path], *, outlet: str | None = None,
                   published: date | str | None = None,
                   max_bytes: int = MAX_BYTES) -> Iterator[Document | IngestError]:
    """Documents from every file under ``paths`` (folders walked recursively, sorted)."""
    default_published = _parse_date(published) if isinstance(published, str) else published
    for path in _files(paths):
        if isinstance(path, IngestError):
            yield path
            continue
        yield from _read_file(path, outlet, default_published, max_bytes)


def _files(paths: Iterable[str | Path]) -> Iterator[Path | IngestError]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SUFFIXES:
                    yield child
        elif path.is_file():
            yield path
        else:
            yield IngestError(str(path), None, "no such file or folder")


def _read_file(path: Path, outlet: str | None, published: date | None,
               max_bytes: int) -> Iterator[Document | IngestError]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield IngestError(str(path), None, f"unsupported file type {suffix or '(none)'!r}; "
                          "expected .txt, .html, .htm or .jsonl")
        return
    size = path.stat().st_size
    if size > max_bytes:
        yield IngestError(str(path), None, f"file is {size / 2**20:.1f} MiB, over the "
                          f"{max_bytes / 2**20:g} MiB limit")
        return
    data = path.read_bytes()
    if not data.strip():
        yield IngestError(str(path), None, "empty file")
        return
    if b"\x00" in data:
        yield IngestError(str(path), None, "binary file (contains NUL bytes), not text")
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield IngestError(str(path), None, f"not valid UTF-8 (byte offset {exc.start})")
        return
    if suffix == ".jsonl":
        yield from _read_jsonl(path, text, outlet, published)
    elif suffix in (".html", ".htm"):
        yield _read_html(path, text, outlet, published)
    else:
        yield Document(id=path.stem, text=text, outlet=outlet, published=published, path=str(path))


def _read_jsonl(path: Path, text: str, outlet: str | None,
                published: date | None) -> Iterator[Document | IngestError]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(str(path), number, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield IngestError(str(path), number, "expected a JSON object")
            continue
        problem = _jsonl_problem(record)
        if problem:
            yield IngestError(str(path), number, problem)
            continue
        try:
            when = _parse_date(record["published"]) if record.get("published") else published
        except ValueError as exc:
            yield IngestError(str(path), number, str(exc))
            continue
        yield Document(id=str(record["id"]), text=record["text"], url=record.get("url"),
                       title=record.get("title"), outlet=record.get("outlet") or outlet,
                       published=when, path=f"{path}:{number}")


def _jsonl_problem(record: dict) -> str | None:
    if "id" not in record or record["id"] in (None, ""):
        return "missing field 'id'"
    if not isinstance(record["id"], (str, int)):
        return "field 'id' must be a string"
    if "text" not in record:
        return "missing field 'text'"
    if not isinstance(record["text"], str):
        return "field 'text' must be a string"
    if not record["text"].strip():
        return "field 'text' is empty"
    for key in ("url", "title", "outlet", "published"):
        if record.get(key) is not None and not isinstance(record[key], str):
            return f"field {key!r} must be a string"
    return None


def _read_html(path: Path, html: str, outlet: str | None, published: date | None) -> Document | IngestError:
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True)
    if not body or not body.strip():
        return IngestError(str(path), None, "no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    when = published
    if meta is not None and meta.date:
        try:
            when = _parse_date(meta.date)
        except ValueError:
            pass
    return Document(id=path.stem, text=body, url=getattr(meta, "url", None) if meta else None,
                    title=getattr(meta, "title", None) if meta else None,
                    outlet=outlet or (getattr(meta, "sitename", None) if meta else None),
                    published=when, path=str(path))


def _parse_date(value: str) -> date:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"published {value!r} is not an ISO date (YYYY-MM-DD)") from None


def count_documents(paths: Iterable[str | Path], max_bytes: int = MAX_BYTES) -> int:
    """How many items ``read_documents`` will give for ``paths`` (documents and errors alike),
    without decoding anything: one per file, one per non-blank line of a JSONL file. For
    progress bars; a JSONL line the reader cannot use still counts once."""
    total = 0
    for path in _files(paths):
        if isinstance(path, IngestError) or path.suffix.lower() != ".jsonl":
            total += 1
            continue
        try:
            if path.stat().st_size > max_bytes:
                total += 1
                continue
            with path.open("rb") as fh:
                total += max(1, sum(1 for line in fh if line.strip()))
        except OSError:
            total += 1
    return total
