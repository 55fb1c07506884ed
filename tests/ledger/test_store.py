"""Ledger API on SQLite and PostgreSQL: ingest, dedupe, queries, origins, re-extraction."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import event

from orbat.extract import extract
from orbat.ledger import QUANTITY_COLUMNS, STATEMENT_COLUMNS
from orbat.ledger.ids import document_id
from orbat.ledger.sources import normalise_source, source_kind
from orbat.ledger.synthetic import reports
from orbat.types import Document, Quantity

FIRST = Document(id="a", outlet="Frontline Wire", published=date(2024, 11, 2), text=(
    "Moscow has gathered around 50,000 soldiers in Kursk, U.S. officials said on Monday. "
    "Ukraine says it still holds about 600 square kilometers there."))
COPY = Document(id="b", outlet="Eastern Courier", published=date(2024, 11, 4), text=(
    "According to U.S. officials, roughly 50,000 Russian soldiers are now massed in Kursk."))
EARLY_COPY_TEXT = "Russia has about 50,000 troops in the Kursk region, US officials said."


def test_document_id_ignores_whitespace_and_normalisation():
    assert document_id("a  b\n c") == document_id(" a b c ")
    assert document_id("Cafe\u0301") == document_id("Caf\u00e9")
    assert document_id("a b") != document_id("a c")
    assert len(document_id("x")) == 16


def test_ingest_stores_documents_and_claims_once(ledger):
    counts = ledger.ingest([FIRST, COPY, FIRST])
    assert counts["documents"] == 2 and counts["skipped"] == 1
    expected = sum(c.kind == "quantity" for d in (FIRST, COPY) for c in extract(d.text))
    assert counts["quantities"] == expected > 0
    again = ledger.ingest([FIRST, COPY])
    assert again == {"documents": 0, "skipped": 2, "quantities": 0, "statements": 0}
    assert ledger.counts()["documents"] == 2
    assert ledger.counts()["quantities"] == expected


def test_quantities_columns_and_provenance(ledger):
    ledger.ingest([FIRST])
    frame = ledger.quantities()
    assert list(frame.columns) == QUANTITY_COLUMNS
    row = frame[frame["value"] == 50000].iloc[0]
    assert FIRST.text[row.span_start:row.span_end] == row.text
    assert row.doc_id == document_id(FIRST.text)
    assert row.outlet == "Frontline Wire" and row.published == date(2024, 11, 2)
    assert row.measure == "strength" and row.actor == "Russia" and row.location == "Kursk"


def test_quantity_filters(ledger):
    ledger.ingest([FIRST, COPY])
    assert set(ledger.quantities(measure="strength")["measure"]) == {"strength"}
    assert set(ledger.quantities(actor="russia")["actor"]) == {"Russia"}
    assert ledger.quantities(location="Kursk").shape[0] >= 2
    assert ledger.quantities(since="2024-11-03")["doc_id"].nunique() == 1
    assert ledger.quantities(until=date(2024, 11, 2))["doc_id"].nunique() == 1
    assert ledger.quantities(since="2025-01-01").empty
    assert ledger.quantities(text="massed")["doc_id"].tolist() == [document_id(COPY.text)]
    assert ledger.quantities(text="100%_").empty  # wildcards are escaped, not interpreted


def test_same_origin_groups_copies_with_earliest_as_origin(ledger):
    ledger.ingest([FIRST, COPY])
    frame = ledger.quantities(measure="strength")
    if frame["source"].isna().any():
        pytest.skip("extractor does not attribute sources yet")
    assert frame["origin_id"].nunique() == 1
    early = Document(id="c", text=EARLY_COPY_TEXT, published=date(2024, 10, 30))
    ledger.ingest([early])
    groups = ledger.origins()
    group = groups[groups["measure"] == "strength"].iloc[0]
    assert group.origin_doc == document_id(EARLY_COPY_TEXT)
    assert set(group.copies) == {document_id(FIRST.text), document_id(COPY.text)}


def _strength(doc: str, text: str, value: float, source: str | None) -> Quantity:
    start = text.index(f"{value:,.0f}")
    return Quantity(doc=doc, span=(start, start + 6), text=text[start:start + 6], value=value,
                    low=None, high=None, bound="approx", unit="personnel", per=None,
                    actor="Russia", measure="strength", location="Kursk", source=source)


def test_repeats_share_origin_earliest_first(ledger, monkeypatch):
    """Origin grouping on its own, with claims fixed here rather than by the extractor."""
    docs = [("Some 30,000 Russian soldiers are now in Kursk, U.S. officials say.", 3, "U.S. officials"),
            ("Russia has 30,000 soldiers in Kursk, American officials said.", 1, "US officials"),
            ("Kursk holds 30,000 Russian soldiers, the officials said.", 5, "The U.S. officials"),
            ("Russia has 30,000 soldiers in Kursk, a blogger said.", 2, "a blogger"),
            ("Russia has 40,000 soldiers in Kursk, U.S. officials said.", 4, "U.S. officials")]
    sources = {text: src for text, _, src in docs}
    values = {text: float(re.search(r"(\d+),000", text).group(1)) * 1000 for text, _, _ in docs}
    monkeypatch.setattr("orbat.ledger.store._extract_many", lambda items: [
        [_strength(did, text, values[text], sources[text])] for did, text in items])
    ledger.ingest([Document(id=str(day), text=text, published=date(2024, 9, day))
                   for text, day, _ in docs])
    frame = ledger.quantities()
    assert frame["origin_id"].nunique() == 3  # US officials 30k; blogger 30k; US officials 40k
    groups = ledger.origins()
    assert len(groups) == 1  # only one claim is repeated across documents
    group = groups.iloc[0]
    assert group.origin_doc == document_id(docs[1][0])  # the earliest published
    assert group.origin_published == date(2024, 9, 1)
    assert group.copies == [document_id(docs[0][0]), document_id(docs[2][0])]
    assert group.n_docs == 3


def test_origin_separates_different_values(ledger):
    other = Document(id="d", text="Moscow has gathered around 40,000 soldiers in Kursk.")
    same = Document(id="e", text="Russia keeps around 40,000 soldiers in Kursk.")
    ledger.ingest([FIRST, other, same])
    frame = ledger.quantities(measure="strength")
    by_value = frame.groupby("value")["origin_id"].nunique()
    assert by_value[40000] == 1 and by_value[50000] == 1
    assert frame["origin_id"].nunique() == 2


def test_statements_frame_has_columns(ledger):
    ledger.ingest([FIRST, COPY])
    assert list(ledger.statements().columns) == STATEMENT_COLUMNS


def test_docs_and_document_roundtrip(ledger):
    ledger.ingest([FIRST, COPY])
    frame = ledger.docs()
    assert len(frame) == 2 and frame["n_quantities"].sum() == ledger.counts()["quantities"]
    did = document_id(COPY.text)
    doc = ledger.document(did[:6])
    assert doc.text == COPY.text and doc.outlet == COPY.outlet and doc.published == COPY.published
    with pytest.raises(KeyError):
        ledger.document("zzzz")


def test_reextract_replaces_claims_without_duplicates(ledger):
    ledger.ingest([FIRST, COPY])
    before = ledger.quantities()
    counts = ledger.reextract()
    assert counts["documents"] == 2
    after = ledger.quantities()
    assert sorted(after["claim_id"]) == sorted(before["claim_id"])
    assert ledger.counts()["quantities"] == len(before)


def test_many_synthetic_reports_in_batches(ledger):
    docs = list(reports(120, seed=3))
    counts = ledger.ingest(docs, batch_size=16)
    assert counts["documents"] == len({document_id(d.text) for d in docs})
    total = sum(c.kind == "quantity" for d in docs for c in extract(d.text))
    assert ledger.counts()["quantities"] == total
    assert ledger.ingest(docs, batch_size=50)["documents"] == 0


def test_every_insert_writes_rows_in_key_order(ledger):
    """One lock order for all writers, so concurrent PostgreSQL ingests cannot deadlock."""
    inserts: list[tuple[str, list[str]]] = []

    @event.listens_for(ledger.engine, "before_execute")
    def _record(conn, clause, multiparams, params, options):
        if getattr(clause, "is_insert", False) and isinstance(multiparams, list):
            inserts.append((clause.table.name, [row["id"] for row in multiparams]))

    docs = sorted(reports(40, seed=8), key=lambda d: document_id(d.text), reverse=True)
    ledger.ingest(docs, batch_size=20)
    ledger.reextract()
    assert {"documents", "sources", "origins", "quantities", "statements"} <= {
        table for table, _ in inserts}
    for table, ids in inserts:
        assert ids == sorted(ids), table


@pytest.mark.parametrize("name, kind", [
    ("U.S. officials", "government"), ("South Korea's National Intelligence Service", "intelligence"),
    ("Ukraine's General Staff", "military"), ("analysts at ISW", "analyst"),
    ("Reuters", "media"), ("UN monitors", "ngo"), ("Baros", "unknown")])
def test_source_kinds(name, kind):
    assert source_kind(name) == kind


def test_normalise_source():
    assert normalise_source("The U.S. officials") == normalise_source("U.S. Officials") == "us officials"
