"""The ledger: documents and their claims with provenance, in SQLite or PostgreSQL.

Every document is stored together with all its claims in one transaction, keyed by a hash of
its text, with INSERT .. ON CONFLICT DO NOTHING in key order: re-ingesting, or ingesting the
same reports from several processes at once, neither fails, deadlocks nor duplicates anything.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from itertools import islice
from typing import Any

import pandas as pd
from sqlalchemy import Engine, Select, and_, delete, false, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

import orbat
from orbat.errors import mask_url
from orbat.ledger import db
from orbat.ledger.ids import claim_id, document_id, origin_id, origin_key
from orbat.ledger.schema import documents, origins, quantities, sources, statements
from orbat.ledger.sources import normalise_source, source_id, source_kind
from orbat.ledger.workers import extract_batch
from orbat.types import Claim, Document, Quantity, Statement

QUANTITY_COLUMNS = [
    "claim_id", "doc_id", "published", "outlet", "url", "span_start", "span_end", "text",
    "value", "low", "high", "bound", "unit", "per", "actor", "measure", "location", "source",
    "source_kind", "evidential", "modality", "likelihood_low", "likelihood_high", "origin_id",
]
KEY_COLUMNS = ["actor", "measure", "location", "per", "unit"]  # what an estimate pools by
STATEMENT_COLUMNS = [
    "claim_id", "doc_id", "published", "outlet", "url", "span_start", "span_end", "text", "cue",
    "cue_start", "cue_end", "source", "source_kind", "evidential", "modality", "negated",
    "likelihood_low", "likelihood_high", "via",
]


def extractor_version() -> str:
    """The version stamped on claims: the extractor's own if it declares one, else orbat's."""
    from orbat import extract as extract_pkg

    return str(getattr(extract_pkg, "__version__", orbat.__version__))


class Ledger:
    """Documents and claims in a database at ``url`` (default: ``$ORBAT_DB`` or user SQLite).

    Opening a ledger migrates its database to the newest schema. ``readonly`` is for callers
    that only read: a SQLite ledger that cannot be written is then opened read-only. Failing to
    open raises :class:`orbat.errors.LedgerError` (one line, password hidden).
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True,
                 readonly: bool = False) -> None:
        self.url = url or db.default_url()
        self.engine: Engine = db.open_engine(self.url, migrate=migrate, readonly=readonly)

    def __repr__(self) -> str:
        return f"Ledger({self.display_url!r})"

    @property
    def display_url(self) -> str:
        """The URL with any password hidden."""
        return mask_url(self.url)

    def close(self) -> None:
        self.engine.dispose()

    # ---- writing -------------------------------------------------------------------------

    def ingest(self, docs: Iterable[Document], *, batch_size: int = 200,
               progress: Callable[[int], None] | None = None, workers: int = 1,
               dask: str | None = None, extract_options: dict | None = None) -> dict[str, int]:
        """Extract and store new documents; returns counts of what was added and skipped.

        Documents are committed ``batch_size`` at a time; each one with all its claims, so a
        crash loses whole documents only, and a rerun completes the job.

        ``workers`` > 1 extracts batches in that many processes, ``dask`` on a Dask cluster
        (a scheduler address, or "local" for a local cluster of ``workers`` processes). Either
        way this process writes every batch, in order, as above: the ledger ends up the same
        whatever the number of workers. ``extract_options`` go to ``orbat.extract.extract``.
        """
        counts = {"documents": 0, "skipped": 0, "quantities": 0, "statements": 0}

        def add(added: dict[str, int], n: int) -> None:
            for key in counts:
                counts[key] += added[key]
            if progress:
                progress(n)

        if workers <= 1 and dask is None:
            for batch in _chunks(docs, batch_size):
                fresh = self._fresh(batch)
                claims = _extract_many([(did, d.text) for did, d in fresh.items()],
                                       **(extract_options or {}))
                add(self._store(len(batch), fresh, claims), len(batch))
            return counts
        with _executor(workers, dask) as (pool, ahead):
            pending: deque = deque()  # batches being extracted, written in the order sent
            for batch in _chunks(docs, batch_size):
                fresh = self._fresh(batch)
                job = pool.submit(extract_batch, [(did, d.text) for did, d in fresh.items()],
                                  extract_options)
                pending.append((len(batch), fresh, job))
                while len(pending) > ahead:
                    n, fresh, job = pending.popleft()
                    add(self._store(n, fresh, job.result()), n)
            while pending:
                n, fresh, job = pending.popleft()
                add(self._store(n, fresh, job.result()), n)
        return counts

    def _fresh(self, batch: list[Document]) -> dict[str, Document]:
        """The batch's documents by id, once each, leaving out those already stored."""
        unique: dict[str, Document] = {}
        for doc in batch:
            unique.setdefault(document_id(doc.text), doc)
        with self.engine.connect() as conn:
            known = set(conn.scalars(select(documents.c.id).where(documents.c.id.in_(list(unique)))))
            conn.rollback()
        return {i: d for i, d in unique.items() if i not in known}

    def _store(self, n_batch: int, fresh: dict[str, Document],
               claims: list[list[Claim]]) -> dict[str, int]:
        """Write the ``fresh`` documents of a batch of ``n_batch`` with their ``claims`` (one
        list per document, in order) in one transaction."""
        version = extractor_version()
        rows = _Rows()
        doc_rows = []
        now = datetime.now(timezone.utc)
        for (did, doc), found in zip(fresh.items(), claims):
            doc_rows.append(dict(id=did, url=doc.url, title=doc.title, outlet=doc.outlet,
                                 published=doc.published, language=doc.language, path=doc.path,
                                 ingested_at=now, text=doc.text, extractor_version=version,
                                 name=doc.id or None))
            rows.add(did, found, version)
        counts = {"documents": 0, "skipped": n_batch - len(fresh), "quantities": 0,
                  "statements": 0}
        if not doc_rows:
            return counts
        with self.engine.begin() as conn:
            inserted = set(conn.scalars(self._insert_ignore(documents).returning(documents.c.id),
                                        _by_id(doc_rows)))
            counts["skipped"] += len(doc_rows) - len(inserted)
            counts["documents"] = len(inserted)
            counts.update(self._write_claims(conn, rows.only(inserted)))
        return counts

    def _write_claims(self, conn, rows: "_Rows") -> dict[str, int]:
        for table, table_rows in ((sources, list(rows.sources.values())),
                                  (origins, list(rows.origins.values())),
                                  (quantities, rows.quantities), (statements, rows.statements)):
            if table_rows:
                conn.execute(self._insert_ignore(table), _by_id(table_rows))
        return {"quantities": len(rows.quantities), "statements": len(rows.statements)}

    def _insert_ignore(self, table):
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table).on_conflict_do_nothing()

    def reextract(self, *, stale_only: bool = False,
                  progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
        """Run the current extractor again over stored documents and replace their claims.

        Each document's old claims are swapped for new ones in one transaction;
        ``progress(1, total)`` is called after each.
        """
        version = extractor_version()
        query = select(documents.c.id)
        if stale_only:
            query = query.where(documents.c.extractor_version != version)
        with self.engine.connect() as conn:
            ids = list(conn.scalars(query.order_by(documents.c.id)))
            conn.rollback()
        counts = {"documents": 0, "quantities": 0, "statements": 0}
        for did in ids:
            with self.engine.begin() as conn:
                text = conn.scalar(select(documents.c.text).where(documents.c.id == did))
                if text is None:
                    continue
                rows = _Rows()
                rows.add(did, _extract_many([(did, text)])[0], version)
                conn.execute(delete(quantities).where(quantities.c.doc_id == did))
                conn.execute(delete(statements).where(statements.c.doc_id == did))
                added = self._write_claims(conn, rows)
                conn.execute(update(documents).where(documents.c.id == did)
                             .values(extractor_version=version))
            counts["documents"] += 1
            counts["quantities"] += added["quantities"]
            counts["statements"] += added["statements"]
            if progress:
                progress(1, len(ids))
        return counts

    # ---- reading -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many rows each table holds."""
        with self.engine.connect() as conn:
            out = {t.name: conn.scalar(select(func.count()).select_from(t))
                   for t in (documents, sources, quantities, statements, origins)}
            conn.rollback()
        return out

    def docs(self, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """One row per document: id, dates, outlet, title, url and its claim counts; at most
        ``limit`` of them from the ``offset``-th on (in publication order, in SQL)."""
        nq = (select(func.count()).where(quantities.c.doc_id == documents.c.id)
              .scalar_subquery().label("n_quantities"))
        ns = (select(func.count()).where(statements.c.doc_id == documents.c.id)
              .scalar_subquery().label("n_statements"))
        query = select(documents.c.id, documents.c.published, documents.c.outlet,
                       documents.c.title, documents.c.url, documents.c.path,
                       documents.c.language, documents.c.ingested_at,
                       documents.c.extractor_version, documents.c.name, nq, ns
                       ).order_by(documents.c.published, documents.c.id)
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        return self._frame(query)

    def resolve(self, doc: str) -> str:
        """The full id of the one document ``doc`` names: its id, the name it was ingested with
        (file name or JSONL id), or a unique prefix of its id, in that order; KeyError otherwise.
        """
        with self.engine.connect() as conn:
            for cond in (documents.c.id == doc, documents.c.name == doc,
                         documents.c.id.startswith(doc, autoescape=True)):
                found = list(conn.scalars(select(documents.c.id).where(cond)
                                          .order_by(documents.c.id).limit(2)))
                if found:
                    break
            conn.rollback()
        if len(found) != 1:
            raise KeyError(f"{'no' if not found else 'more than one'} document with id or "
                           f"name {doc!r}" + ("; `orbat docs` lists them" if not found else
                                             "; give more of the id"))
        return found[0]

    def document(self, doc: str) -> Document:
        """The stored document whose id is (or uniquely starts with) ``doc``."""
        did = self.resolve(doc)
        with self.engine.connect() as conn:
            row = conn.execute(select(documents).where(documents.c.id == did)).one()
            conn.rollback()
        return Document(id=row.id, text=row.text, url=row.url, title=row.title,
                        outlet=row.outlet, published=row.published, language=row.language,
                        path=row.path)

    def quantities(self, actor: str | None = None, measure: str | None = None,
                   location: str | None = None, source: str | None = None,
                   since: date | str | None = None, until: date | str | None = None,
                   text: str | None = None, per: str | None = None,
                   doc: str | None = None) -> pd.DataFrame:
        """Quantity claims with their document's provenance, filtered; one row per claim.

        ``actor``/``measure``/``location``/``per`` match exactly (case-insensitive), ``source``
        and ``text`` (searched in the claim's sentence) as substrings; ``since``/``until`` bound
        the publication date, inclusive.
        """
        q = quantities
        sentence = func.substr(documents.c.text, q.c.sentence_start + 1,
                               q.c.sentence_end - q.c.sentence_start)
        conds = [_exact(q.c.actor, actor), _exact(q.c.measure, measure),
                 _exact(q.c.location, location), _exact(q.c.per, per)]
        if text:
            conds.append(func.coalesce(sentence, q.c.text).icontains(text, autoescape=True))
        conds += _common_filters(source, since, until, doc and self.resolve(doc))
        return self._frame(_claims_query(q, QUANTITY_COLUMNS, conds))

    def statements(self, source: str | None = None, since: date | str | None = None,
                   until: date | str | None = None, text: str | None = None,
                   cue: str | None = None, doc: str | None = None) -> pd.DataFrame:
        """Attributed statements with their document's provenance, filtered like ``quantities``."""
        s = statements
        conds = [_exact(s.c.cue, cue)]
        if text:
            conds.append(s.c.text.icontains(text, autoescape=True))
        conds += _common_filters(source, since, until, doc and self.resolve(doc))
        return self._frame(_claims_query(s, STATEMENT_COLUMNS, conds))

    def quantity_keys(self, until: date | str | None = None) -> list[tuple[tuple, int]]:
        """The distinct raw (actor, measure, location, per, unit) of quantity claims, each with
        its number of claims (published by ``until`` when given), grouped in the database."""
        q = quantities
        cols = [q.c[name] for name in KEY_COLUMNS]
        query = select(*cols, func.count()).group_by(*cols)
        if until is not None:
            query = (query.select_from(q.join(documents, q.c.doc_id == documents.c.id))
                     .where(documents.c.published <= _as_date(until)))
        with self.engine.connect() as conn:
            out = [(tuple(row[:-1]), int(row[-1])) for row in conn.execute(query)]
            conn.rollback()
        return out

    def quantity_batches(self, columns: list[str] | None = None, keys: list[tuple] | None = None,
                         until: date | str | None = None, by_key: bool = False,
                         batch_size: int = 20_000,
                         measures: list[str | None] | None = None) -> Iterator[list[dict[str, Any]]]:
        """Quantity claims as lists of at most ``batch_size`` row dicts, streamed from one query.

        Only ``columns`` (names from QUANTITY_COLUMNS; all when None) are read; ``keys`` limits
        the claims to those raw (actor, measure, location, per, unit) tuples, ``measures`` to
        those measures (None in it: no measure) and ``until`` to those published by that date,
        all in SQL; ``by_key`` orders them by their key, so claims about one thing arrive
        together and a reader can finish each key as it goes.
        """
        q = quantities
        names = list(columns or QUANTITY_COLUMNS)
        conds = []
        if measures is not None:
            named = [m for m in measures if m is not None]
            conds.append(or_(q.c.measure.in_(named), *([q.c.measure.is_(None)]
                                                        if None in measures else [])))
        if keys is not None:
            conds.append(or_(false(), *[and_(*[q.c[n].is_(None) if v is None else q.c[n] == v
                                               for n, v in zip(KEY_COLUMNS, key)])
                                        for key in keys]))
        if until is not None:
            conds.append(documents.c.published <= _as_date(until))
        order = [q.c[n] for n in KEY_COLUMNS] if by_key else [q.c.id]
        query = _claims_query(q, names, conds, order)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch_size).execute(query)
            for part in result.partitions(batch_size):
                yield [dict(zip(names, row)) for row in part]
            conn.rollback()

    def origins(self) -> pd.DataFrame:
        """Same-origin groups seen in more than one document: the origin and its copies.

        The origin is the earliest published document (ties and undated ones: earliest
        ingested); ``copies`` lists the other documents repeating the claim.
        """
        repeated = (select(quantities.c.origin_id).group_by(quantities.c.origin_id)
                    .having(func.count(quantities.c.doc_id.distinct()) > 1))
        query = (select(quantities.c.origin_id, quantities.c.doc_id,
                        documents.c.published, documents.c.ingested_at, documents.c.outlet,
                        origins.c.measure, origins.c.actor, origins.c.value, origins.c.low,
                        origins.c.high, origins.c.unit, origins.c.per,
                        sources.c.name.label("source"))
                 .select_from(quantities.join(documents, quantities.c.doc_id == documents.c.id)
                              .join(origins, quantities.c.origin_id == origins.c.id)
                              .outerjoin(sources, quantities.c.source_id == sources.c.id))
                 .where(quantities.c.origin_id.in_(repeated)))
        frame = self._frame(query)
        columns = ["origin_id", "origin_doc", "origin_published", "origin_outlet", "copies",
                   "n_docs", "source", "actor", "measure", "value", "low", "high", "unit", "per"]
        if frame.empty:
            return pd.DataFrame(columns=columns)
        frame["_order"] = list(zip(frame["published"].map(_date_key),
                                   frame["ingested_at"].map(str), frame["doc_id"]))
        out = []
        for oid, group in frame.groupby("origin_id", sort=False):
            group = group.sort_values("_order")
            doc_ids = list(dict.fromkeys(group["doc_id"]))
            first = group.iloc[0]
            out.append(dict(origin_id=oid, origin_doc=doc_ids[0],
                            origin_published=first["published"],
                            origin_outlet=first["outlet"], copies=doc_ids[1:],
                            n_docs=len(doc_ids), source=first["source"], actor=first["actor"],
                            measure=first["measure"], value=first["value"], low=first["low"],
                            high=first["high"], unit=first["unit"], per=first["per"]))
        return pd.DataFrame(out, columns=columns)

    def _frame(self, query: Select) -> pd.DataFrame:
        with self.engine.connect() as conn:
            result = conn.execute(query)
            frame = pd.DataFrame(result.all(), columns=list(result.keys()))
            conn.rollback()
        return frame


class _Rows:
    """Rows to insert for a set of documents' claims, with their sources and origins."""

    def __init__(self) -> None:
        self.sources: dict[str, dict[str, Any]] = {}
        self.origins: dict[str, dict[str, Any]] = {}
        self.quantities: list[dict[str, Any]] = []
        self.statements: list[dict[str, Any]] = []

    def add(self, did: str, claims: list[Claim], version: str) -> None:
        nq = ns = 0
        for claim in claims:
            sid, norm = self._source(claim.source)
            low, high = claim.likelihood or (None, None)
            if isinstance(claim, Quantity):
                key = origin_key(claim, norm)
                oid = origin_id(key)
                self.origins.setdefault(oid, dict(zip(origins.c.keys(), [oid, *key])))
                sent = claim.sentence_span or (None, None)
                self.quantities.append(dict(
                    id=claim_id(did, "quantity", nq), doc_id=did, span_start=claim.span[0],
                    span_end=claim.span[1], sentence_start=sent[0], sentence_end=sent[1],
                    text=claim.text, value=claim.value, low=claim.low, high=claim.high,
                    bound=claim.bound, unit=claim.unit, stated_unit=claim.stated_unit,
                    per=claim.per, actor=claim.actor, measure=claim.measure,
                    location=claim.location, source_id=sid, evidential=claim.evidential,
                    modality=claim.modality, likelihood_low=low, likelihood_high=high,
                    extractor_version=version, origin_id=oid))
                nq += 1
            elif isinstance(claim, Statement):
                self.statements.append(dict(
                    id=claim_id(did, "statement", ns), doc_id=did, span_start=claim.span[0],
                    span_end=claim.span[1], text=claim.text, cue=claim.cue,
                    cue_start=claim.cue_span[0], cue_end=claim.cue_span[1], source_id=sid,
                    evidential=claim.evidential, modality=claim.modality,
                    negated=bool(claim.negated), likelihood_low=low, likelihood_high=high,
                    via=claim.via, extractor_version=version))
                ns += 1

    def _source(self, name: str | None) -> tuple[str | None, str | None]:
        norm = normalise_source(name) if name else ""
        if not norm:
            return None, None
        sid = source_id(norm)
        self.sources.setdefault(sid, dict(id=sid, name=name, normalised=norm,
                                          kind=source_kind(name)))
        return sid, norm

    def only(self, doc_ids: set[str]) -> "_Rows":
        """The rows belonging to ``doc_ids`` (the documents this transaction really inserted)."""
        out = _Rows()
        out.quantities = [r for r in self.quantities if r["doc_id"] in doc_ids]
        out.statements = [r for r in self.statements if r["doc_id"] in doc_ids]
        used_s = {r["source_id"] for r in out.quantities + out.statements}
        used_o = {r["origin_id"] for r in out.quantities}
        out.sources = {k: v for k, v in self.sources.items() if k in used_s}
        out.origins = {k: v for k, v in self.origins.items() if k in used_o}
        return out


def _extract_many(items: list[tuple[str, str]], **options: Any) -> list[list[Claim]]:
    """The claims of each (document id, text), parsed together (``orbat.extract.extract_many``)."""
    from orbat.extract.pipeline import extract_many

    return extract_many(items, **options)


@contextmanager
def _executor(workers: int, dask: str | None):
    """A pool to extract in (processes, or a Dask cluster's executor) and how many batches to
    keep in flight ahead of the one being written."""
    if dask is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: this process may hold database connections and threads
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield pool, 2 * workers
        return
    from distributed import Client, LocalCluster

    if dask == "local":
        n = workers if workers > 1 else (os.cpu_count() or 1)
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client.get_executor(pure=False), 2 * n
        return
    try:
        client = Client(dask, timeout="20s")
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ConnectionError(f"--dask {dask}: cannot reach a Dask scheduler there "
                              f"({type(exc).__name__}: {exc}); give its address, e.g. "
                              "tcp://host:8786, or 'local'") from exc
    with client:
        n = max(1, sum(client.nthreads().values()))
        yield client.get_executor(pure=False), 2 * n


def _by_id(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in key order. Every writer takes row locks table by table in this one order, so
    concurrent ingests on PostgreSQL wait for each other instead of deadlocking: two processes
    inserting the same keys in different orders would otherwise each hold a key the other needs.
    """
    return sorted(rows, key=lambda row: row["id"])


def _chunks(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(items)
    while batch := list(islice(it, max(1, size))):
        yield batch


def _claims_query(table, names: list[str], conds: list, order: list | None = None) -> Select:
    """The claims in ``table`` with their document's and source's fields, as columns ``names``.

    Columns come from the claim table unless they are document or source provenance, so the
    column lists above are the one statement of what a claims frame holds.
    """
    provenance = {"claim_id": table.c.id, "published": documents.c.published,
                  "outlet": documents.c.outlet, "url": documents.c.url,
                  "source": sources.c.name, "source_kind": sources.c.kind}
    columns = [provenance[n].label(n) if n in provenance else table.c[n] for n in names]
    return (select(*columns)
            .select_from(table.join(documents, table.c.doc_id == documents.c.id)
                         .outerjoin(sources, table.c.source_id == sources.c.id))
            .where(*[c for c in conds if c is not None])
            .order_by(*(order if order is not None else
                        (documents.c.published, table.c.doc_id, table.c.span_start))))


def _exact(column, value: str | None):
    return None if value is None else func.lower(column) == value.lower()


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _date_key(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else "9999-12-31"


def _common_filters(source: str | None, since: date | str | None, until: date | str | None,
                    doc: str | None) -> list:
    conds = []
    if source:
        conds.append(sources.c.name.icontains(source, autoescape=True))
    if since is not None:
        conds.append(documents.c.published >= _as_date(since))
    if until is not None:
        conds.append(documents.c.published <= _as_date(until))
    if doc:
        conds.append(documents.c.id == doc)
    return conds
