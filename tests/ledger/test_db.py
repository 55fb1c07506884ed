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
