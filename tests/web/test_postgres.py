"""The app's pages on PostgreSQL too (a throwaway server, as the ledger tests use)."""
from __future__ import annotations

import os

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402


@pytest.fixture(scope="module")
def pg_url():
    from orbat.ledger.pgtemp import PgCluster, pg_bindir

    bindir = pg_bindir()
    if bindir is None:
        if os.environ.get("ORBAT_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL binaries not found and ORBAT_REQUIRE_POSTGRES=1")
        pytest.skip("PostgreSQL binaries not found (apt-get install postgresql)")
    cluster = PgCluster(bindir)
    cluster.start()
    yield cluster.new_database()
    cluster.stop()


def test_every_page_works_on_postgresql(pg_url):
    from orbat.ingest import read_documents
    from orbat.ledger import Ledger
    from orbat.web.app import create_app
    from importlib import resources

    ledger = Ledger(pg_url)
    ledger.ingest(read_documents([str(resources.files("orbat") / "examples" / "reports")]))
    app = create_app(pg_url)
    index = app.state.claim_index
    index.build()
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        for url in ("/", "/documents?q=Kursk&since=2024-10-01", "/claims?actor=north+korea&sort=value&dir=desc",
                    "/claims?text=kursk", "/claims?doc=x", "/claims.csv?measure=deployed", "/estimates",
                    "/estimate?actor=North+Korea&measure=deployed&location=Kursk&per=&unit=personnel"):
            assert c.get(url).status_code == 200, url
        doc = ledger.docs().iloc[0]["id"]
        assert c.get(f"/documents/{doc}").status_code == 200
        page = index.page({"actor": "North Korea"}, 1, 50, "published", False)
        from orbat.web import queries
        sql = queries.claims_page(queries.read_engine(ledger), {"actor": "North Korea"}, 1, 50)
        assert page.rows == sql.rows
    ledger.close()
