"""Where the ledger lives and how to open it: engine set-up per dialect and migrations to head."""
from __future__ import annotations

import os
import sqlite3
import time
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url

ENV_VAR = "ORBAT_DB"
HEAD = "head"
_PG_MIGRATION_LOCK = 7_020_117  # any fixed advisory-lock key


def default_url() -> str:
    """``$ORBAT_DB`` if set, else SQLite in the user data directory (``orbat info`` shows it)."""
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    path = Path(user_data_dir("orbat")) / "orbat.db"
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and write-locking transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # driver-level setup, constants only
        dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" hook issue BEGIN itself
        cur = dbapi_conn.cursor()
        for pragma in ("PRAGMA busy_timeout=60000", "PRAGMA synchronous=NORMAL",
                       "PRAGMA foreign_keys=ON"):
            cur.execute(pragma)
        _use_wal(cur)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # take the write lock up front: concurrent writers wait, never deadlock
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _use_wal(cur, patience: float = 60.0) -> None:
    """Put the SQLite file in WAL mode (it stays so). Switching needs the file to itself, and
    SQLite answers "database is locked" at once rather than waiting in its busy handler, so
    processes opening a brand-new ledger together retry for up to ``patience`` seconds."""
    deadline = time.monotonic() + patience
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")  # in-memory databases keep "memory"
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.05)


def alembic_config() -> Config:
    """Alembic configured for the migrations shipped inside this package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("orbat.ledger") / "migrations"))
    return cfg


def upgrade(engine: Engine, revision: str = HEAD) -> None:
    """Migrate the database to ``revision`` in one transaction, one process at a time."""
    cfg = alembic_config()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when it has never been migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
