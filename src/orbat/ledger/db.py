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
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from orbat.errors import LedgerError, mask_url

ENV_VAR = "ORBAT_DB"
HEAD = "head"
_PG_MIGRATION_LOCK = 7_020_117  # any fixed advisory-lock key


def default_url() -> str:
    """``$ORBAT_DB`` if set, else SQLite in the user data directory (``orbat info`` shows it)."""
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    path = Path(user_data_dir("orbat")) / "orbat.db"
    return f"sqlite:///{path}"


BACKENDS = ("sqlite", "postgresql")
_HOW = ("use sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB (password too, if "
        "needed) in --db or ORBAT_DB")


def open_engine(url: str, *, migrate: bool = True, readonly: bool = False) -> Engine:
    """An engine for the ledger at ``url``, migrated to the newest schema when ``migrate``.

    With ``readonly`` (commands that only read) a SQLite ledger that cannot be written (a
    read-only file or folder) is opened read-only instead of failing; it must already be at the
    newest schema. Anything that stops the ledger from opening raises one-line LedgerError,
    with any password in the URL hidden.
    """
    shown = mask_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise LedgerError(f"database URL {shown!r} is not a URL; {_HOW}") from None
    backend = parsed.get_backend_name()
    if backend not in BACKENDS:
        raise LedgerError(f"database URL {shown}: orbat stores ledgers in SQLite or PostgreSQL, "
                          f"not {backend!r}; {_HOW}")
    path = _sqlite_path(parsed) if backend == "sqlite" else None
    try:
        if path is not None and readonly and not _writable(path) and path.exists():
            engine = _readonly_engine(path)
            at = current_revision(engine)
            if at != head_revision():
                raise LedgerError(f"ledger {path} cannot be written and is at schema {at}, not "
                                  f"{head_revision()}: open it once where it can be written")
            return engine
        if path is not None and path.exists() and not _writable(path):
            raise LedgerError(f"ledger {path} is read-only (the file or its folder cannot be "
                              f"written): commands that only read it work (info, docs, show, "
                              f"claims, estimate, simulate), this one writes")
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LedgerError(f"cannot create the ledger folder {path.parent}: "
                                  f"{exc.strerror}; pass --db or set ORBAT_DB to a writable "
                                  f"place") from None
        engine = make_engine(url)
        if migrate and not (readonly and current_revision(engine) == head_revision()):
            upgrade(engine)
        return engine
    except LedgerError:
        raise
    except (ImportError, NoSuchModuleError) as exc:
        raise LedgerError(f"database URL {shown}: its driver is not installed ({exc}); "
                          f"for PostgreSQL use postgresql+psycopg://...") from None
    except DBAPIError as exc:
        raise LedgerError(describe_db_error(exc, shown, path)) from None


def describe_db_error(exc: DBAPIError, shown: str | None = None, path: Path | None = None) -> str:
    """One line for a database failure: what went wrong with which ledger, and what to do."""
    reason = (str(exc.orig) if exc.orig is not None else str(exc)).strip().split("\n")[0]
    if path is not None:
        if "readonly" in reason or "read-only" in reason:
            return (f"ledger {path} is read-only ({reason}); commands that only read it work, "
                    f"this one writes: copy it somewhere writable or pass --db")
        if "unable to open" in reason:
            return (f"cannot open the ledger {path} ({reason}); check the folder exists and "
                    f"can be written, or pass --db")
        return f"ledger {path}: {reason}"
    where = f" {shown}" if shown else ""
    if exc.connection_invalidated or "connect" in reason.lower():
        return f"cannot connect to the database{where}: {reason}; is the server running?"
    return f"database{where}: {reason}"


def head_revision() -> str:
    """The newest schema revision this orbat ships."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _sqlite_path(parsed) -> Path | None:
    if not parsed.database or parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database).expanduser().absolute()


def _writable(path: Path) -> bool:
    """Whether the SQLite file at ``path`` and its folder (WAL and lock files) can be written."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _readonly_engine(path: Path) -> Engine:
    """A read-only engine for an existing SQLite file. A folder that cannot be written cannot
    hold the WAL index either, so there the file is opened as immutable (nobody can change it)."""
    flag = "mode=ro" if os.access(path.parent, os.W_OK) else "immutable=1"
    return create_engine(f"sqlite:///file:{path}?{flag}&uri=true")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and write-locking transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        args = {} if "connect_timeout" in parsed.query else {"connect_timeout": 10}
        return create_engine(url, pool_pre_ping=True, connect_args=args)
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
