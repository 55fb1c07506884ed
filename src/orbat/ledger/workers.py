"""The extraction a worker process or Dask task does for ``Ledger.ingest``: kept in a module
of its own that loads only the extractor (not pandas or SQLAlchemy), so workers start fast."""
from __future__ import annotations

from orbat.types import Claim


def extract_batch(items: list[tuple[str, str]], options: dict | None = None) -> list[list[Claim]]:
    """The claims of each (document id, text), in order; ``options`` are passed to
    ``orbat.extract.extract_many`` (e.g. ``{"fast": True}`` where the extractor offers it)."""
    from orbat.extract.pipeline import extract_many

    return extract_many(items, **(options or {}))


def extractor_accepts(name: str) -> bool:
    """Whether ``orbat.extract.extract_many`` takes the keyword ``name`` (e.g. "fast")."""
    import inspect

    from orbat.extract.pipeline import extract_many

    return name in inspect.signature(extract_many).parameters
