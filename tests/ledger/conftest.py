"""Ledger fixtures: every ledger test runs on SQLite and on a throwaway PostgreSQL server.

The PostgreSQL cluster is made with initdb/pg_ctl (Debian's ``postgresql`` package) in a temp
dir, on a free localhost port, as the ``postgres`` OS user when the tests run as root. Without
the binaries the PostgreSQL half is skipped, unless ORBAT_REQUIRE_POSTGRES=1 makes it fail.
"""
from __future__ import annotations

import os
import subprocess

import pytest

from orbat.ledger import Ledger
from orbat.ledger.pgtemp import PgCluster, pg_bindir


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = pg_bindir()
    if bindir is None:
        reason = ("PostgreSQL binaries not found in /usr/lib/postgresql/*/bin "
                  "(apt-get install postgresql)")
        if os.environ.get("ORBAT_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " and ORBAT_REQUIRE_POSTGRES=1")
        pytest.skip(reason)
    cluster = PgCluster(bindir)
    try:
        cluster.start()
    except subprocess.CalledProcessError as exc:
        log = cluster.base / "log"
        cluster.stop()
        pytest.fail(f"could not start PostgreSQL: {exc.stderr or exc}"
                    f"{log.read_text() if log.exists() else ''}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A URL to a new, empty database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return request.getfixturevalue("pg_cluster").new_database()


@pytest.fixture
def ledger(db_url):
    book = Ledger(db_url)
    yield book
    book.close()
