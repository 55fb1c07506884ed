"""Schema upgrades: a ledger made at revision 0001, holding data, upgrades to head losslessly."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from orbat.ledger import Ledger, db
from orbat.ledger.ids import origin_id, origin_key
from orbat.ledger.sources import normalise_source
from orbat.types import Quantity


def test_upgrade_from_0001_keeps_data_and_backfills_origins(db_url):
    engine = db.make_engine(db_url)
    db.upgrade(engine, "0001")
    assert db.current_revision(engine) == "0001"
    meta = sa.MetaData()
    meta.reflect(engine)
    assert "origins" not in meta.tables
    docs, srcs, qs = meta.tables["documents"], meta.tables["sources"], meta.tables["quantities"]
    now = datetime.now(timezone.utc)
    rows = [dict(id=f"q{i}", doc_id=f"d{i}", span_start=0, span_end=6, text="50,000",
                 value=50000.0, low=None, high=None, bound="approx", unit="personnel",
                 per=None, actor="Russia", measure="strength", location="Kursk",
                 source_id="s1", evidential="direct", modality="certain",
                 extractor_version="old") for i in range(2)]
    with engine.begin() as conn:
        conn.execute(sa.insert(docs), [dict(id=f"d{i}", text=f"text {i}", ingested_at=now,
                                            extractor_version="old") for i in range(2)])
        conn.execute(sa.insert(srcs), [dict(id="s1", name="U.S. officials",
                                            normalised="us officials", kind="government")])
        conn.execute(sa.insert(qs), rows)
    engine.dispose()

    ledger = Ledger(db_url)  # opening upgrades to head
    assert db.current_revision(ledger.engine) == "0003"
    assert ledger.counts()["documents"] == 2 and ledger.counts()["quantities"] == 2
    frame = ledger.quantities()
    assert sorted(frame["claim_id"]) == ["q0", "q1"]
    assert set(frame["source"]) == {"U.S. officials"}
    expected = origin_id(origin_key(
        Quantity(doc="d0", span=(0, 6), text="50,000", value=50000, low=None, high=None,
                 bound="approx", unit="personnel", per=None, actor="Russia",
                 measure="strength", location="Kursk", source="U.S. officials"),
        normalise_source("U.S. officials")))
    assert set(frame["origin_id"]) == {expected}
    assert ledger.origins().iloc[0]["n_docs"] == 2
    ledger.close()


def test_reopening_at_head_is_a_no_op(db_url):
    Ledger(db_url).close()
    ledger = Ledger(db_url)
    assert db.current_revision(ledger.engine) == "0003"
    ledger.close()


def test_0003_adds_document_names_and_keeps_rows(db_url):
    engine = db.make_engine(db_url)
    db.upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO documents (id, text, ingested_at, extractor_version) "
                             "VALUES ('d1', 'text', :now, 'old')"),
                     {"now": datetime.now(timezone.utc)})
    engine.dispose()
    ledger = Ledger(db_url)
    assert db.current_revision(ledger.engine) == "0003"
    assert ledger.docs()["name"].tolist() == [None]  # older documents have no name
    ledger.close()
    engine = db.make_engine(db_url)
    db.upgrade(engine, "0003")
    from alembic import command
    cfg = db.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    assert "name" not in {c["name"] for c in sa.inspect(engine).get_columns("documents")}
    engine.dispose()
