"""Big-ledger paths on SQLite and PostgreSQL: estimates read key by key from the database give
what the in-memory path gives; ingest spread over workers stores the same ledger."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select

from orbat.estimate import claim_weights, contradictions, estimate, estimate_for, history
from orbat.ledger import Ledger
from orbat.ledger.schema import documents, quantities, statements
from orbat.ledger.synthetic import reports


@pytest.fixture
def synthetic(ledger):
    ledger.ingest(reports(150, seed=7), batch_size=40)
    return ledger


def test_estimates_streamed_from_the_ledger_equal_the_in_memory_ones(synthetic):
    frame = synthetic.quantities()
    assert estimate(synthetic) == estimate(frame)
    where = {"actor": "Russia", "measure": "deployed"}
    one = estimate(synthetic, where=where, as_of="2024-10-01")
    assert one and one == estimate(frame, where=where, as_of="2024-10-01")
    assert all(e.actor == "Russia" and e.measure == "deployed" for e in one)
    for fn in (history, contradictions, claim_weights):
        got, want = fn(synthetic, where={"actor": "Ukraine"}), fn(frame, where={"actor": "Ukraine"})
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))
    for key in ({"actor": "Russia", "measure": "casualties"},
                {"actor": "North Korea", "measure": "recruited", "per": "month"}):
        assert estimate_for(synthetic, **key) == estimate_for(frame, **key) is not None


def test_progress_counts_every_claim(synthetic):
    seen = []
    estimate(synthetic, progress=lambda n, total: seen.append((n, total)))
    total = int((synthetic.quantities()["measure"] != "other").sum())  # other: not estimated
    assert sum(n for n, _ in seen) == total and {t for _, t in seen} == {total}


def test_quantity_batches_push_keys_columns_and_dates_into_sql(synthetic):
    keys = [k for k, _ in synthetic.quantity_keys()]
    some = keys[:3]
    rows = [r for batch in synthetic.quantity_batches(columns=["claim_id", "actor", "measure",
                                                                "location", "per", "unit",
                                                                "published"],
                                                       keys=some, until="2024-09-15",
                                                       batch_size=7)
            for r in batch]
    assert rows and all(tuple(r[f] for f in ("actor", "measure", "location", "per", "unit"))
                        in some and r["published"] <= date(2024, 9, 15) for r in rows)
    assert set(rows[0]) == {"claim_id", "actor", "measure", "location", "per", "unit",
                            "published"}
    counted = dict(synthetic.quantity_keys(until="2024-09-15"))
    assert len(rows) == sum(counted.get(k, 0) for k in some)


def test_docs_are_paged_in_sql(synthetic):
    everything = synthetic.docs()
    page = synthetic.docs(limit=10, offset=20)
    assert list(page["id"]) == list(everything["id"][20:30])


def _contents(url: str) -> dict:
    book = Ledger(url)
    with book.engine.connect() as conn:
        out = {t.name: sorted(conn.scalars(select(t.c.id))) for t in (documents, quantities,
                                                                     statements)}
        conn.rollback()
    out["claims"] = book.quantities().sort_values("claim_id").reset_index(drop=True)
    book.close()
    return out


def test_one_or_two_workers_store_the_same_ledger(tmp_path):
    docs = list(reports(120, seed=3)) + list(reports(10, seed=3))  # with repeats
    urls = {}
    for workers in (1, 2):
        urls[workers] = f"sqlite:///{tmp_path / f'w{workers}.db'}"
        counts = Ledger(urls[workers]).ingest(docs, batch_size=16, workers=workers)
        assert counts["documents"] == 120 and counts["skipped"] == 10
    one, two = _contents(urls[1]), _contents(urls[2])
    for table in ("documents", "quantities", "statements"):
        assert one[table] == two[table] and one[table]
    pd.testing.assert_frame_equal(one["claims"], two["claims"])


def test_a_local_dask_cluster_stores_the_same_ledger(tmp_path):
    docs = list(reports(40, seed=5))
    serial, spread = (f"sqlite:///{tmp_path / n}" for n in ("serial.db", "dask.db"))
    Ledger(serial).ingest(docs, batch_size=8)
    counts = Ledger(spread).ingest(docs, batch_size=8, workers=1, dask="local")
    assert counts["documents"] == 40
    a, b = _contents(serial), _contents(spread)
    assert a["quantities"] == b["quantities"] and a["statements"] == b["statements"]
    pd.testing.assert_frame_equal(a["claims"], b["claims"])


def test_reading_measure_by_measure_in_small_queries_changes_nothing(synthetic, monkeypatch):
    import orbat.estimate.pool as pool

    frame = synthetic.quantities()
    whole = estimate(frame)
    monkeypatch.setattr(pool, "CHUNK_CLAIMS", 50)  # one query per measure
    calls = []
    real = synthetic.quantity_batches

    def spy(**kwargs):
        calls.append(kwargs.get("measures"))
        return real(**kwargs)

    monkeypatch.setattr(synthetic, "quantity_batches", spy)
    assert estimate(synthetic) == whole
    assert len(calls) > 3 and all(calls)
    assert estimate(synthetic, where={"actor": "Russia", "per": None}) == \
        estimate(frame, where={"actor": "Russia", "per": None})


def test_reextract_reports_progress_with_its_total(ledger):
    ledger.ingest(reports(6, seed=1))
    seen = []
    counts = ledger.reextract(progress=lambda n, total: seen.append((n, total)))
    assert counts["documents"] == 6 and seen == [(1, 6)] * 6


def test_extract_options_reach_the_extractor(monkeypatch):
    import sys

    import orbat.extract.pipeline  # noqa: F401  (the module patched below)
    from orbat.ledger.workers import extract_batch, extractor_accepts

    seen = []
    monkeypatch.setattr(sys.modules["orbat.extract.pipeline"], "extract_many",
                        lambda items, **options: [seen.append((doc, options)) or [] for doc, _ in items])
    assert extract_batch([("d1", "x"), ("d2", "y")], {"fast": True}) == [[], []]
    assert seen == [("d1", {"fast": True}), ("d2", {"fast": True})]
    assert not extractor_accepts("no_such_option")
