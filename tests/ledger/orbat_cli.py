"""Run the ``orbat`` CLI in a subprocess for the fault tests.

Until ``orbat.ingest.read_documents`` lands, a minimal ``.txt`` reader stands in for it here
(test-only), so the ledger's ingest command can be exercised end to end.
"""
from __future__ import annotations

import sys
from pathlib import Path


def install_reader_if_missing() -> None:
    import orbat.ingest as ingest

    if hasattr(ingest, "read_documents"):
        return
    from orbat.types import Document

    class IngestError:
        def __init__(self, path, line, message):
            self.path, self.line, self.message = path, line, message

        def __str__(self):
            return f"{self.path}: {self.message}"

    def read_documents(paths, outlet=None, published=None):
        for path in map(Path, paths):
            files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
            for file in files:
                try:
                    text = file.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    yield IngestError(str(file), None, str(exc).splitlines()[0])
                    continue
                yield Document(id=file.stem, text=text, outlet=outlet, published=published,
                               path=str(file))

    ingest.IngestError, ingest.read_documents = IngestError, read_documents


if __name__ == "__main__":
    install_reader_if_missing()
    from orbat.cli import app

    app(args=sys.argv[1:], prog_name="orbat")
