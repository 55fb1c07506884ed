"""The in-memory claim index gives the same pages as the SQL query, filter by filter."""
from __future__ import annotations

import itertools

import pytest

from orbat.ledger import Ledger
from orbat.ledger.synthetic import reports
from orbat.types import Document
from orbat.web import queries
from orbat.web.claimindex import ClaimIndex

FILTERS = [
    {}, {"actor": "russia"}, {"actor": "North Korea", "location": "Kursk"},
    {"measure": "deployed", "since": "2024-09-15"}, {"until": "2024-09-01"},
    {"source": "officials"}, {"source_kind": "military", "measure": "killed"},
    {"location": "Pokrovsk", "source_kind": "analyst", "since": "2024-08-10", "until": "2024-10-01"},
    {"actor": "Nobody"}, {"unit": "km2"}, {"per": "month", "actor": "Ukraine"},
    {"text": "KURSK"}, {"text": "100%_"}, {"text": "about", "measure": "deployed"},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    ledger = Ledger(f"sqlite:///{tmp_path_factory.mktemp('ci') / 'ledger.db'}")
    ledger.ingest(reports(300, seed=5))
    ledger.ingest([Document(id="undated", text="Officials said 4,000 Russian troops left Kursk.\n"),
                   Document(id="vague", text="Several thousand troops were seen, analysts said.\n")])
    yield queries.read_engine(ledger)
    ledger.close()


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_pages_match_the_sql_query(engine, f):
    index = ClaimIndex(engine)
    index.build()
    assert index.ready()
    for sort, desc in itertools.product(queries.CLAIM_SORTS, (False, True)):
        want = [r["claim_id"] for r in queries.claims_frame(engine, f, sort, desc).to_dict("records")]
        got = [index._data["ids"][i] for i in index.positions(f, sort, desc)]
        assert got == want, (sort, desc)
    page = index.page(f, 2, 7, "value", True)
    sql = queries.claims_page(engine, f, 2, 7, "value", True)
    assert page.rows == sql.rows and page.total == sql.total


def test_the_index_goes_stale_when_documents_arrive(engine, tmp_path):
    index = ClaimIndex(engine)
    index.build()
    assert index.ready()
    index._version -= 1
    assert not index.ready()
