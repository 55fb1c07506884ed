"""An in-memory column index of the ledger's quantity claims, so a filtered, sorted page of a
million claims is a few NumPy masks away instead of a database scan and sort.

It holds, per claim, small integer codes of the filter and sort fields, built from one read of
the claims table; a page is filtered and sorted here, then its 50 rows are read from the
database by id. The SQL query in ``queries.claims_select`` stays the reference: the index gives
the same rows in the same order (tested), and the app falls back to it for text searches, a
single document, and while the index is (re)built after the ledger changed.
"""
from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

from sqlalchemy import func, select

from orbat.ledger.schema import documents, quantities, sources
from orbat.web import queries

EXACT = ("actor", "measure", "location", "per", "unit")
SORTS = {"published": "published", "value": "value", "actor": "actor", "measure": "measure",
         "location": "location", "source": "source", "source_kind": "source_kind",
         "outlet": "outlet", "unit": "unit"}
IN_MEMORY_FILTERS = set(EXACT) | {"source", "source_kind", "since", "until", "text"}


class _Column:
    """Codes of one text column: code order is the values' sort order, -1 is missing."""

    def __init__(self, values: list[Any]) -> None:
        import numpy as np
        import pandas as pd

        codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=True)
        self.values = list(uniques)
        self.codes = np.asarray(codes, dtype=np.int32)

    def matching(self, test) -> list[int]:
        return [i for i, v in enumerate(self.values) if test(v)]


class ClaimIndex:
    def __init__(self, engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._building = False
        self._data: dict[str, Any] | None = None
        self._version: int | None = None
        self.build_seconds: float | None = None

    # ---- building -------------------------------------------------------------------------

    def _current_version(self) -> int:
        with self.engine.connect() as conn:
            n = conn.scalar(select(func.count()).select_from(documents))
            conn.rollback()
        return int(n)

    def build(self) -> None:
        """Read the claims and build the columns (a few seconds for a million claims)."""
        import numpy as np

        t0 = time.perf_counter()
        version = self._current_version()
        q = quantities
        query = (select(q.c.id, q.c.actor, q.c.measure, q.c.location, q.c.per, q.c.unit,
                        q.c.value, q.c.source_id, sources.c.name, sources.c.kind,
                        documents.c.published, documents.c.outlet,
                        func.coalesce(queries.SENTENCE, q.c.text).label("sentence"))
                 .select_from(q.join(documents, q.c.doc_id == documents.c.id)
                              .outerjoin(sources, q.c.source_id == sources.c.id)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            conn.rollback()
        cols = list(zip(*rows)) if rows else [[] for _ in range(13)]
        ids = list(cols[0])
        data: dict[str, Any] = {"ids": ids}
        for name, values in zip(("actor", "measure", "location", "per", "unit"), cols[1:6]):
            data[name] = _Column(list(values))
        data["value"] = np.fromiter((np.nan if v is None else v for v in cols[6]), dtype=float,
                                    count=len(ids))
        data["source"] = _Column(list(cols[8]))
        data["source_kind"] = _Column(list(cols[9]))
        data["published"] = np.fromiter((d.toordinal() if isinstance(d, date) else -1
                                         for d in cols[10]), dtype=np.int64, count=len(ids))
        data["outlet"] = _Column(list(cols[11]))
        data["sentence"] = [str(t).lower() for t in cols[12]]
        order = np.argsort(np.array(ids, dtype=object), kind="stable") if ids else np.array([], int)
        rank = np.empty(len(ids), dtype=np.int64)
        rank[order] = np.arange(len(ids))
        data["id_rank"] = rank
        with self._lock:
            self._data, self._version = data, version
            self.build_seconds = time.perf_counter() - t0

    def _build_in_background(self) -> None:
        with self._lock:
            if self._building:
                return
            self._building = True

        def run():
            try:
                self.build()
            finally:
                with self._lock:
                    self._building = False

        threading.Thread(target=run, daemon=True).start()

    def ready(self) -> bool:
        """True when the index matches the ledger; otherwise starts a rebuild and says False."""
        fresh = self._data is not None and self._version == self._current_version()
        if not fresh:
            self._build_in_background()
        return fresh

    def clear(self) -> None:
        with self._lock:
            self._version = None

    # ---- querying -------------------------------------------------------------------------

    def handles(self, f: dict[str, Any]) -> bool:
        return set(f) <= IN_MEMORY_FILTERS

    def positions(self, f: dict[str, Any], sort: str, desc: bool):
        """Row positions of the claims matching ``f`` in page order."""
        import numpy as np

        data = self._data
        n = len(data["ids"])
        mask = np.ones(n, dtype=bool)
        for name in EXACT:
            if f.get(name):
                wanted = str(f[name]).lower()
                col = data[name]
                mask &= np.isin(col.codes, col.matching(lambda v: str(v).lower() == wanted))
        if f.get("source"):
            part = str(f["source"]).lower()
            col = data["source"]
            mask &= np.isin(col.codes, col.matching(lambda v: part in str(v).lower()))
        if f.get("source_kind"):
            col = data["source_kind"]
            mask &= np.isin(col.codes, col.matching(lambda v: v == str(f["source_kind"])))
        pub = data["published"]
        if f.get("since"):
            mask &= pub >= queries._date(f["since"]).toordinal()
        if f.get("until"):
            mask &= (pub <= queries._date(f["until"]).toordinal()) & (pub >= 0)
        if f.get("since"):
            mask &= pub >= 0
        idx = np.flatnonzero(mask)
        if f.get("text"):  # a substring of the claim's sentence, case-insensitive
            part = str(f["text"]).lower()
            sentences = data["sentence"]
            idx = idx[np.fromiter((part in sentences[i] for i in idx), dtype=bool, count=len(idx))]
        key_name = SORTS.get(sort, "published")
        key = data[key_name]
        key = key.codes if isinstance(key, _Column) else key
        k = key[idx].astype(float)
        missing = np.isnan(k) | (k < 0) if key_name != "value" else np.isnan(k)
        # missing values first when ascending, last when descending (as the SQL query)
        k = np.where(missing, -np.inf, k)
        primary = -k if desc else k
        order = np.lexsort((data["id_rank"][idx], primary))
        return idx[order]

    def page(self, f: dict[str, Any], page: int, size: int, sort: str, desc: bool) -> queries.Page:
        pos = self.positions(f, sort, desc)
        page = max(1, int(page))
        chosen = pos[(page - 1) * size: page * size]
        ids = [self._data["ids"][i] for i in chosen]
        rows = queries.claims_by_id(self.engine, ids)
        return queries.Page(rows, int(len(pos)), False, page, size)
