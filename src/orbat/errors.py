"""The errors orbat reports to people: one type per stage, each a one-line message.

Every stage raises its own subclass of :class:`OrbatError` for things a user can fix (a bad
URL, a database that cannot be reached, a file that cannot be written, a scenario that makes no
sense). The ``orbat`` command maps them once, at its root (``orbat.cli.main``), to
``error: MESSAGE`` on stderr and exit status 1 (2 for usage errors); ``--debug`` shows the
traceback instead.
"""
from __future__ import annotations


class OrbatError(Exception):
    """Something the user can fix, said in one line."""

    exit_code = 1

    def __str__(self) -> str:  # one line, whatever the cause put in it
        text = super().__str__()
        return " ".join(text.split()) if "\n" in text else text


class UsageError(OrbatError):
    """A bad option or argument (exit status 2)."""

    exit_code = 2


class LedgerError(OrbatError):
    """The ledger's database cannot be opened, reached, read or written."""


class EstimateError(OrbatError):
    """Claims cannot be reconciled as asked."""


class SimulateError(OrbatError):
    """A scenario or a simulation request that cannot be run."""


class OutputError(OrbatError):
    """A table, chart or export cannot be written where it was asked to go."""


def mask_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for anything printed or logged)."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can parse: hide what looks like user:password@
        import re

        return re.sub(r"(//[^/:@]*:)[^@/]*@", r"\1***@", url)


def output_path(path, option: str = "--output"):
    """``path`` as a Path whose folder exists, or an OutputError naming the option."""
    from pathlib import Path

    path = Path(path)
    parent = path.expanduser().parent
    if not parent.is_dir():
        raise OutputError(f"{option} {path}: folder {parent} does not exist (create it first)")
    return path
