"""Read-only, paginated queries for the web app and the HTML report.

Everything is built with SQLAlchemy Core from the ledger's tables: values go in as bound
parameters and sort columns come from a fixed whitelist, so no SQL is ever built from strings.
Counts are capped (``COUNT_CAP``) so that a page of a million-claim ledger stays fast.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select

from orbat.ledger.schema import documents, quantities, sources, statements

COUNT_CAP = 10_000


def read_engine(ledger):
    """An engine for reading ``ledger`` from many threads at once.

    The ledger's own SQLite engine starts every transaction with BEGIN IMMEDIATE (the write
    lock, so that concurrent ingests queue instead of deadlocking); pages only read, so they
    get plain read transactions on the same WAL-mode file, with the writer's busy timeout,
    and never hold the write lock. Other databases use the ledger's engine.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    url = make_url(ledger.url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return ledger.engine
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # constants only
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA query_only=ON")
        cur.close()

    return engine


def counts(engine) -> dict[str, int]:
    """Rows per ledger table (as ``Ledger.counts()``)."""
    from orbat.ledger.schema import origins
    with engine.connect() as conn:
        out = {t.name: conn.scalar(select(func.count()).select_from(t))
               for t in (documents, sources, quantities, statements, origins)}
        conn.rollback()
    return out


def resolve(engine, prefix: str) -> str:
    """The one document id starting with ``prefix`` (as ``Ledger.resolve``); KeyError otherwise."""
    with engine.connect() as conn:
        found = list(conn.scalars(select(documents.c.id)
                                  .where(documents.c.id.startswith(prefix, autoescape=True))
                                  .limit(2)))
        conn.rollback()
    if len(found) != 1:
        raise KeyError(f"{'no' if not found else 'more than one'} document with id {prefix!r}")
    return found[0]
PAGE_SIZE = 50

CLAIM_SORTS = {
    "published": documents.c.published, "value": quantities.c.value,
    "actor": quantities.c.actor, "measure": quantities.c.measure,
    "location": quantities.c.location, "source": sources.c.name,
    "source_kind": sources.c.kind, "outlet": documents.c.outlet, "unit": quantities.c.unit,
}
SENTENCE = func.substr(documents.c.text, quantities.c.sentence_start + 1,
                       quantities.c.sentence_end - quantities.c.sentence_start)
CLAIM_FILTERS = ("actor", "measure", "location", "source", "source_kind", "since", "until",
                 "text", "doc", "per", "unit")


@dataclass
class Page:
    """One page of rows, the total (capped at ``COUNT_CAP``; ``more`` when the cap was hit)."""

    rows: list[dict[str, Any]]
    total: int
    more: bool
    page: int
    size: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.more or self.page < self.pages


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def claim_conditions(f: dict[str, Any], vocab: "Vocabulary | None" = None) -> list:
    """WHERE conditions for the claim filters in ``f`` (missing or empty values are ignored).

    With a ``vocab`` (the ledger's stored spellings), exact and source filters become
    ``column IN (spellings)`` so the database can use its indexes; the match is the same
    case-insensitive one either way.
    """
    q = quantities
    conds = []
    for name, col in (("actor", q.c.actor), ("measure", q.c.measure),
                      ("location", q.c.location), ("per", q.c.per), ("unit", q.c.unit)):
        if f.get(name):
            if vocab is not None:
                conds.append(col.in_(vocab.spellings(name, str(f[name]))))
            else:
                conds.append(func.lower(col) == str(f[name]).lower())
    if f.get("source"):
        if vocab is not None:
            conds.append(q.c.source_id.in_(vocab.source_ids(name=str(f["source"]))))
        else:
            conds.append(sources.c.name.icontains(str(f["source"]), autoescape=True))
    if f.get("source_kind"):
        if vocab is not None:
            conds.append(q.c.source_id.in_(vocab.source_ids(kind=str(f["source_kind"]))))
        else:
            conds.append(sources.c.kind == str(f["source_kind"]))
    if f.get("since"):
        conds.append(documents.c.published >= _date(f["since"]))
    if f.get("until"):
        conds.append(documents.c.published <= _date(f["until"]))
    if f.get("text"):  # in the claim's sentence, as Ledger.quantities(text=...)
        conds.append(func.coalesce(SENTENCE, q.c.text).icontains(str(f["text"]), autoescape=True))
    if f.get("doc"):
        conds.append(q.c.doc_id == str(f["doc"]))
    return conds


class Vocabulary:
    """The values the ledger stores in each key field, and its sources, re-read when the
    number of documents changes (or after ``clear()``)."""

    FIELDS = ("actor", "measure", "location", "per", "unit")

    def __init__(self, engine) -> None:
        import threading

        self.engine = engine
        self._lock = threading.Lock()
        self._version: int | None = None
        self.raw: list[dict[str, Any]] = []
        self._values: dict[str, dict[str, list[str]]] = {}
        self._sources: list[tuple[str, str, str]] = []

    def clear(self) -> None:
        with self._lock:
            self._version = None

    def refresh(self) -> None:
        with self.engine.connect() as conn:
            version = conn.scalar(select(func.count()).select_from(documents))
            conn.rollback()
        with self._lock:
            if version == self._version:
                return
            raw = raw_keys(self.engine)
            values: dict[str, dict[str, list[str]]] = {f: {} for f in self.FIELDS}
            for row in raw:
                for f in self.FIELDS:
                    if row[f] is not None:
                        spelled = values[f].setdefault(str(row[f]).lower(), [])
                        if row[f] not in spelled:
                            spelled.append(row[f])
            with self.engine.connect() as conn:
                srcs = [(r.id, r.name, r.kind) for r in conn.execute(
                    select(sources.c.id, sources.c.name, sources.c.kind))]
                conn.rollback()
            self.raw, self._values, self._sources, self._version = raw, values, srcs, version

    def spellings(self, field_name: str, value: str) -> list[str]:
        self.refresh()
        return list(self._values.get(field_name, {}).get(value.lower(), []))

    def source_ids(self, name: str | None = None, kind: str | None = None) -> list[str]:
        self.refresh()
        out = []
        for sid, sname, skind in self._sources:
            if name is not None and name.lower() not in sname.lower():
                continue
            if kind is not None and skind != kind:
                continue
            out.append(sid)
        return out


CLAIM_COLUMNS = [
    quantities.c.id.label("claim_id"), quantities.c.doc_id, documents.c.published,
    documents.c.outlet, documents.c.url, quantities.c.span_start, quantities.c.span_end,
    quantities.c.text, quantities.c.value, quantities.c.low, quantities.c.high,
    quantities.c.bound, quantities.c.unit, quantities.c.per, quantities.c.actor,
    quantities.c.measure, quantities.c.location, sources.c.name.label("source"),
    sources.c.kind.label("source_kind"), quantities.c.evidential, quantities.c.modality,
    quantities.c.likelihood_low, quantities.c.likelihood_high, quantities.c.origin_id,
]
_CLAIM_FROM = quantities.join(documents, quantities.c.doc_id == documents.c.id).outerjoin(
    sources, quantities.c.source_id == sources.c.id)


def claims_select(f: dict[str, Any], sort: str = "published", desc: bool = False,
                  vocab: Vocabulary | None = None):
    """The filtered, sorted claims query (all rows; add limit/offset for a page)."""
    key = CLAIM_SORTS.get(sort, documents.c.published)
    # missing values first ascending and last descending, on every database
    order = [key.desc().nulls_last() if desc else key.asc().nulls_first(), quantities.c.id.asc()]
    return (select(*CLAIM_COLUMNS).select_from(_CLAIM_FROM).where(*claim_conditions(f, vocab))
            .order_by(*order))


def _capped_count(conn, inner) -> tuple[int, bool]:
    sub = inner.limit(COUNT_CAP + 1).subquery()
    n = conn.scalar(select(func.count()).select_from(sub))
    return min(n, COUNT_CAP), n > COUNT_CAP


def claims_by_id(engine, ids: list[str]) -> list[dict[str, Any]]:
    """The claims with these ids, in the order given."""
    if not ids:
        return []
    query = select(*CLAIM_COLUMNS).select_from(_CLAIM_FROM).where(quantities.c.id.in_(ids))
    with engine.connect() as conn:
        found = {r.claim_id: dict(r._mapping) for r in conn.execute(query)}
        conn.rollback()
    return [found[i] for i in ids if i in found]


def claims_page(engine, f: dict[str, Any], page: int = 1, size: int = PAGE_SIZE,
                sort: str = "published", desc: bool = False,
                vocab: Vocabulary | None = None) -> Page:
    page = max(1, int(page))
    query = claims_select(f, sort, desc, vocab).limit(size).offset((page - 1) * size)
    counted = select(quantities.c.id).select_from(_CLAIM_FROM).where(*claim_conditions(f, vocab))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        total, more = _capped_count(conn, counted)
        conn.rollback()
    return Page(rows, total, more, page, size)


def claims_frame(engine, f: dict[str, Any], sort: str = "published", desc: bool = False,
                 vocab: Vocabulary | None = None):
    """Every claim matching ``f`` as a DataFrame (the download)."""
    import pandas as pd

    query = claims_select(f, sort, desc, vocab)
    with engine.connect() as conn:
        result = conn.execute(query)
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
        conn.rollback()
    return frame


def claims_for_keys(engine, raw_keys: list[tuple], limit: int | None = None):
    """Claims whose raw (actor, measure, location, per, unit) is one of ``raw_keys``, as a
    DataFrame shaped like ``Ledger.quantities()`` (plus source_kind)."""
    import pandas as pd

    q = quantities

    def eq(col, v):
        return col.is_(None) if v is None else col == v

    conds = [and_(eq(q.c.actor, a), eq(q.c.measure, m), eq(q.c.location, loc), eq(q.c.per, p),
                  eq(q.c.unit, u)) for a, m, loc, p, u in raw_keys]
    if not conds:
        return pd.DataFrame(columns=[c.name for c in CLAIM_COLUMNS])
    query = (select(*CLAIM_COLUMNS).select_from(_CLAIM_FROM).where(or_(*conds))
             .order_by(documents.c.published, q.c.id))
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        result = conn.execute(query)
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
        conn.rollback()
    return frame


def raw_keys(engine) -> list[dict[str, Any]]:
    """Every distinct raw claim key with its number of claims."""
    q = quantities
    query = (select(q.c.actor, q.c.measure, q.c.location, q.c.per, q.c.unit,
                    func.count().label("n"))
             .group_by(q.c.actor, q.c.measure, q.c.location, q.c.per, q.c.unit))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        conn.rollback()
    return rows


def distinct_values(engine, column: str, limit: int = 200) -> list[str]:
    """Up to ``limit`` most common values of a claim field, for filter suggestions."""
    col = {"actor": quantities.c.actor, "measure": quantities.c.measure,
           "location": quantities.c.location, "source_kind": sources.c.kind,
           "outlet": documents.c.outlet}[column]
    query = (select(col, func.count().label("n")).select_from(_CLAIM_FROM)
             .where(col.is_not(None)).group_by(col).order_by(func.count().desc()).limit(limit))
    if column == "outlet":
        query = (select(col, func.count().label("n")).where(col.is_not(None)).group_by(col)
                 .order_by(func.count().desc()).limit(limit))
    with engine.connect() as conn:
        out = [r[0] for r in conn.execute(query)]
        conn.rollback()
    return out


def documents_page(engine, q: str | None = None, outlet: str | None = None,
                   since: Any = None, until: Any = None, page: int = 1,
                   size: int = PAGE_SIZE) -> Page:
    """Documents matching a text search, outlet and date range, newest first."""
    d = documents
    conds = []
    if q:
        conds.append(or_(d.c.text.icontains(q, autoescape=True),
                         d.c.title.icontains(q, autoescape=True)))
    if outlet:
        conds.append(d.c.outlet.icontains(outlet, autoescape=True))
    if since:
        conds.append(d.c.published >= _date(since))
    if until:
        conds.append(d.c.published <= _date(until))
    page = max(1, int(page))
    nq = (select(func.count()).where(quantities.c.doc_id == d.c.id).scalar_subquery()
          .label("n_quantities"))
    ns = (select(func.count()).where(statements.c.doc_id == d.c.id).scalar_subquery()
          .label("n_statements"))
    query = (select(d.c.id, d.c.published, d.c.outlet, d.c.title, d.c.url,
                    func.substr(d.c.text, 1, 160).label("snippet"), nq, ns)
             .where(*conds).order_by(d.c.published.desc(), d.c.id)
             .limit(size).offset((page - 1) * size))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        total, more = _capped_count(conn, select(d.c.id).where(*conds))
        conn.rollback()
    return Page(rows, total, more, page, size)


def statements_of(engine, doc_id: str) -> list[dict[str, Any]]:
    s = statements
    query = (select(s.c.id.label("claim_id"), s.c.span_start, s.c.span_end, s.c.text, s.c.cue,
                    s.c.cue_start, s.c.cue_end, sources.c.name.label("source"),
                    sources.c.kind.label("source_kind"), s.c.evidential, s.c.modality,
                    s.c.negated, s.c.likelihood_low, s.c.likelihood_high, s.c.via)
             .select_from(s.outerjoin(sources, s.c.source_id == sources.c.id))
             .where(s.c.doc_id == doc_id).order_by(s.c.span_start))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        conn.rollback()
    return rows


def quantities_of(engine, doc_id: str) -> list[dict[str, Any]]:
    query = (select(*CLAIM_COLUMNS, quantities.c.sentence_start, quantities.c.sentence_end,
                    quantities.c.stated_unit)
             .select_from(_CLAIM_FROM).where(quantities.c.doc_id == doc_id)
             .order_by(quantities.c.span_start))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        conn.rollback()
    return rows


def origin_groups(engine, origin_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For each origin id, the documents repeating it, earliest published first (the origin;
    ties and undated ones by ingestion time, then id), as the ledger orders them."""
    if not origin_ids:
        return {}
    query = (select(quantities.c.origin_id, quantities.c.doc_id, quantities.c.id.label("claim_id"),
                    documents.c.published, documents.c.ingested_at, documents.c.outlet,
                    documents.c.title)
             .select_from(quantities.join(documents, quantities.c.doc_id == documents.c.id))
             .where(quantities.c.origin_id.in_(sorted(set(origin_ids)))))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        conn.rollback()
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["origin_id"], []).append(row)
    for oid, group in out.items():
        group.sort(key=lambda r: (r["published"].isoformat() if r["published"] else "9999-12-31",
                                  str(r["ingested_at"]), r["doc_id"]))
        seen, uniq = set(), []
        for r in group:
            if r["doc_id"] not in seen:
                seen.add(r["doc_id"])
                uniq.append(r)
        out[oid] = uniq
    return out


def document_row(engine, doc_id: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
        conn.rollback()
    return dict(row._mapping) if row else None


def claim_sentences(engine, claim_ids: list[str]) -> dict[str, dict[str, Any]]:
    """For each quantity claim id: its document's provenance and the sentence around it, cut
    into (before, claim, after) so a template can mark the claim up without building HTML."""
    if not claim_ids:
        return {}
    q = quantities
    query = (select(q.c.id, q.c.doc_id, q.c.span_start, q.c.span_end, q.c.sentence_start,
                    q.c.sentence_end, q.c.text, documents.c.text.label("doc_text"),
                    documents.c.title, documents.c.outlet, documents.c.published, documents.c.url,
                    sources.c.name.label("source"))
             .select_from(_CLAIM_FROM).where(q.c.id.in_(sorted(set(claim_ids)))))
    out = {}
    with engine.connect() as conn:
        for r in conn.execute(query):
            text = r.doc_text
            a = r.sentence_start if r.sentence_start is not None else max(0, r.span_start - 200)
            b = r.sentence_end if r.sentence_end is not None else min(len(text), r.span_end + 200)
            out[r.id] = {"claim_id": r.id, "doc_id": r.doc_id, "title": r.title,
                         "outlet": r.outlet, "published": r.published, "url": r.url,
                         "source": r.source, "before": text[a:r.span_start],
                         "claim": text[r.span_start:r.span_end], "after": text[r.span_end:b]}
        conn.rollback()
    return out
