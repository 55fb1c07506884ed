"""The extraction a worker process or Dask task does for ``Ledger.ingest``: kept in a module
of its own that loads only the extractor (not pandas or SQLAlchemy), so workers start fast."""
from __future__ import annotations

from orbat.types import Claim


def extract_batch(items: list[tuple[str, str]]) -> list[list[Claim]]:
    """The claims of each (document id, text), in order."""
    from orbat.extract import extract

    return [extract(text, doc=did) for did, text in items]
