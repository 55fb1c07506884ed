"""The `orbat` command: each stage registers its own sub-commands from `<stage>/cli.py`.

Stage CLIs import their heavy libraries (NumPy, pandas, SciPy, Numba, SQLAlchemy) inside the
commands, so `orbat --help` stays fast. Errors are mapped here, once: a stage's
:class:`orbat.errors.OrbatError` (or a usage error, a file that cannot be written, a database
failure) becomes one line ``error: ...`` on stderr with exit status 1 (2 for usage errors);
``--debug`` shows the traceback instead.
"""
from __future__ import annotations

import importlib
import os
import re
import sys

import typer

app = typer.Typer(help="orbat: war reporting in, evidence out.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None)  # plain help: Rich markdown help costs 90 ms a run

STAGES = ("extract", "ledger", "estimate", "simulate", "report", "web")  # `orbat ingest` is the ledger's

_debug = {"on": False}


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug",
                                     help="Show the full traceback when a command fails.")) -> None:
    """orbat: war reporting in, evidence out."""
    if debug:
        _debug["on"] = True


def _register_stages() -> None:
    for stage in STAGES:
        importlib.import_module(f"orbat.{stage}.cli").register(app)


_register_stages()

_PASSWORD = re.compile(r"(://[^/:@\s]*:)[^@/\s]+@")


def _one_line(text: str) -> str:
    """A message on one line, with any password in a URL hidden."""
    return _PASSWORD.sub(r"\1***@", " ".join(str(text).split()))


def describe(exc: BaseException) -> tuple[str, int]:
    """The one-line message and exit status for an exception a command raised."""
    from orbat.errors import OrbatError

    if isinstance(exc, OrbatError):
        return str(exc), exc.exit_code
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}", 1
    if isinstance(exc, MemoryError):
        return "out of memory: ask for fewer draws, a shorter horizon or a narrower query", 1
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.DBAPIError):
        from orbat.ledger.db import describe_db_error

        return describe_db_error(exc), 1
    return (f"unexpected {type(exc).__name__}: {exc} (this is a bug in orbat; "
            f"`orbat --debug ...` shows where)", 1)


def _usage(exc) -> str:
    ctx = getattr(exc, "ctx", None)
    hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    return exc.format_message() + hint


def run(argv: list[str] | None = None) -> int:
    """Run ``orbat`` with ``argv`` (default: the command line); return the exit status."""
    try:  # typer >= 0.20 carries its own copy of click
        from typer._click import exceptions as cx
    except ImportError:  # pragma: no cover - older typer on click
        from click import exceptions as cx

    _debug["on"] = os.environ.get("ORBAT_DEBUG", "") not in ("", "0")
    try:
        status = app(args=argv, prog_name="orbat", standalone_mode=False)
        return status if isinstance(status, int) else 0
    except cx.NoArgsIsHelpError:  # the help was printed; click's status for it
        return 2
    except cx.ClickException as exc:
        message, status = _usage(exc), exc.exit_code
    except typer.Abort:
        message, status = "aborted", 1
    except Exception as exc:  # noqa: BLE001 - the one place errors become messages
        if _debug["on"]:
            raise
        message, status = describe(exc)
    try:
        sys.stdout.flush()
    except OSError:
        pass
    print(f"error: {_one_line(message)}", file=sys.stderr, flush=True)
    return status


def main() -> None:
    sys.exit(run())
