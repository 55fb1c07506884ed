"""Where the ledger lives by default, and how ORBAT_DB overrides it."""
from __future__ import annotations

from orbat.ledger import db


def test_default_url_is_sqlite_in_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("ORBAT_DB", raising=False)
    monkeypatch.setattr(db, "user_data_dir", lambda app: str(tmp_path / app))
    assert db.default_url() == f"sqlite:///{tmp_path / 'orbat' / 'orbat.db'}"


def test_env_var_overrides_default(monkeypatch):
    monkeypatch.setenv("ORBAT_DB", "postgresql+psycopg://u@localhost/orbat")
    assert db.default_url() == "postgresql+psycopg://u@localhost/orbat"


def test_opening_errors_are_one_line_ledger_errors_without_passwords(tmp_path):
    import socket

    import pytest

    from orbat.errors import LedgerError, mask_url
    from orbat.ledger import Ledger

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for url, words in [("notaurl", "is not a URL"), ("foo://bar", "not 'foo'"),
                       ("mysql://u:pw@h/x", "not 'mysql'"),
                       (f"postgresql+psycopg://u:pw@127.0.0.1:{port}/x", "cannot connect")]:
        with pytest.raises(LedgerError) as err:
            Ledger(url)
        assert words in str(err.value) and "\n" not in str(err.value)
        assert ":pw@" not in str(err.value)
    assert mask_url("postgresql+psycopg://u:pw@h:5432/x") == "postgresql+psycopg://u:***@h:5432/x"
    assert mask_url("not a url u:pw@h") == "not a url u:pw@h"
    assert Ledger(f"sqlite:///{tmp_path / 'a' / 'b.db'}").counts()["documents"] == 0
