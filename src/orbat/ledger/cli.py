"""Ledger commands: info, ingest, reextract, docs, show, claims."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.table import Table
from rich.text import Text

from orbat.console import stdout_console

DbOption = typer.Option(None, "--db", envvar="ORBAT_DB",
                        help="Database URL (default: SQLite in the user data directory).")
FORMATS = ("table", "jsonl", "csv", "parquet")


def _ledger(db: str | None, readonly: bool = False):
    """The ledger at ``db``; ``readonly`` for commands that only read (works on a read-only
    ledger). Failures raise LedgerError, which the root command prints as one line."""
    from orbat.ledger import Ledger

    return Ledger(db, readonly=readonly)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{option}: expected a date YYYY-MM-DD, got {value!r}")


def info(db: Optional[str] = DbOption) -> None:
    """Show where the ledger is and how much it holds."""
    from orbat.ledger import db as dbmod

    ledger = _ledger(db, readonly=True)
    console = stdout_console(highlight=False)
    console.print(f"database: {ledger.display_url}")
    console.print(f"schema:   {dbmod.current_revision(ledger.engine)}")
    for table, n in ledger.counts().items():
        console.print(f"{table + ':':<11}{n}")


def ingest(paths: list[Path] = typer.Argument(..., help="Report files or folders."),
           db: Optional[str] = DbOption,
           outlet: Optional[str] = typer.Option(None, help="Outlet for reports that name none."),
           published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD."),
           batch_size: int = typer.Option(200, min=1, help="Documents per commit."),
           workers: int = typer.Option(1, "--workers", min=1,
                                       help="Extract in this many processes (writes stay here)."),
           dask: Optional[str] = typer.Option(
               None, "--dask", metavar="SCHEDULER",
               help="Extract on a Dask cluster: a scheduler address (tcp://host:8786) or "
                    "'local' for a local cluster of --workers processes.")) -> None:
    """Read reports, extract their claims and store them; bad files are reported and skipped."""
    from orbat.ingest import IngestError, read_documents
    from orbat.ingest.readers import count_documents

    pub = _date(published, "--published")
    ledger = _ledger(db)
    errors = 0
    err = Console(stderr=True, highlight=False, soft_wrap=True)

    def documents(progress: Progress, task):
        nonlocal errors
        for item in read_documents(paths, outlet=outlet, published=pub):
            if isinstance(item, IngestError):
                errors += 1
                progress.advance(task)
                err.print(Text(str(item)))
                continue
            yield item

    try:
        with _bar("ingest", "documents") as progress:
            task = progress.add_task("ingest", total=count_documents(paths))
            counts = ledger.ingest(documents(progress, task), batch_size=batch_size,
                                   progress=lambda n: progress.advance(task, n),
                                   workers=workers, dask=dask)
    except ConnectionError as exc:
        err.print(Text(f"error: {exc}"))
        raise typer.Exit(1)
    Console(soft_wrap=True).print(f"added {counts['documents']} documents ({counts['quantities']} quantities, "
                    f"{counts['statements']} statements); {counts['skipped']} already stored; "
                    f"{errors} failed")
    if errors:
        raise typer.Exit(1)


def _bar(label: str, unit: str) -> Progress:
    """A progress bar on stderr with count, elapsed time and ETA; gone when done."""
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
    return Progress(*columns, console=Console(stderr=True), transient=True)


def reextract(db: Optional[str] = DbOption,
              stale: bool = typer.Option(False, help="Only documents from an older extractor.")) -> None:
    """Extract claims again from stored documents (after the extractor improved)."""
    ledger = _ledger(db)
    with _bar("reextract", "documents") as progress:
        task = progress.add_task("reextract", total=None)
        counts = ledger.reextract(stale_only=stale,
                                  progress=lambda n, total=None: progress.update(
                                      task, advance=n, **({"total": total} if total else {})))
    Console().print(f"re-extracted {counts['documents']} documents: {counts['quantities']} "
                    f"quantities, {counts['statements']} statements")


def docs(db: Optional[str] = DbOption,
         limit: int = typer.Option(50, "--limit", min=0, help="Documents to list (0: all)."),
         offset: int = typer.Option(0, "--offset", min=0, help="Skip this many first.")) -> None:
    """List stored documents, in publication order, a page at a time."""
    ledger = _ledger(db, readonly=True)
    frame = ledger.docs(limit=limit or None, offset=offset)
    total = ledger.counts()["documents"]
    table = Table("id", "name", "published", "outlet", "title", "quantities", "statements")
    for row in frame.itertuples():
        table.add_row(row.id, _cell(getattr(row, "name", None)), _cell(row.published),
                      _cell(row.outlet), _cell(row.title)[:60], _cell(row.n_quantities),
                      _cell(row.n_statements))
    if len(frame) < total:
        table.caption = (f"documents {offset + 1:,}-{offset + len(frame):,} of {total:,}"
                         if len(frame) else f"no documents past {offset:,} of {total:,}")
        table.caption += "; --limit and --offset for others (--limit 0: all)"
    stdout_console().print(table)


def show(doc: str = typer.Argument(..., help="Document id, a unique prefix of it, or the name "
                                             "it was ingested with (file name, JSONL id)."),
         db: Optional[str] = DbOption) -> None:
    """Print a document with its quantities and statements highlighted, and claim origins."""
    from orbat.errors import LedgerError

    ledger = _ledger(db, readonly=True)
    try:
        document = ledger.document(doc)
    except KeyError as exc:
        raise LedgerError(exc.args[0]) from None
    qs = ledger.quantities(doc=document.id)
    ss = ledger.statements(doc=document.id)
    console = stdout_console()
    console.print(f"[bold]{document.title or document.id}[/]  {document.outlet or ''} "
                  f"{document.published or ''}  {document.url or ''}")
    text = Text(document.text)
    for row in ss.itertuples():
        text.stylize("underline cyan", row.span_start, row.span_end)
        if _cell(row.cue_start):
            text.stylize("bold cyan", int(row.cue_start), int(row.cue_end))
    for row in qs.itertuples():
        text.stylize("bold black on yellow", row.span_start, row.span_end)
    console.print(text)
    console.print(_origin_table(ledger, document.id, qs))


def _origin_table(ledger, doc_id: str, qs) -> Table:
    groups = ledger.origins().set_index("origin_id") if not qs.empty else None
    table = Table("quantity", "actor", "measure", "unit", "per", "source", "origin / copies",
                  title="quantities")
    for row in qs.itertuples():
        where = ""
        if groups is not None and row.origin_id in groups.index:
            g = groups.loc[row.origin_id]
            if g.origin_doc == doc_id:
                where = "origin; copies: " + ", ".join(g.copies)
            else:
                where = f"copy of {g.origin_doc} ({g.origin_published or 'undated'})"
        table.add_row(*map(_cell, (row.text, row.actor, row.measure, row.unit, row.per,
                                   row.source)), where)
    return table


def claims(db: Optional[str] = DbOption,
           actor: Optional[str] = typer.Option(None), measure: Optional[str] = typer.Option(None),
           location: Optional[str] = typer.Option(None),
           source: Optional[str] = typer.Option(None, help="Substring of the source name."),
           since: Optional[str] = typer.Option(None, help="Published on or after YYYY-MM-DD."),
           until: Optional[str] = typer.Option(None, help="Published on or before YYYY-MM-DD."),
           text: Optional[str] = typer.Option(None, help="Substring of the claim's sentence."),
           fmt: str = typer.Option("table", "--format", help="table, jsonl, csv or parquet."),
           output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                 help="File to write (parquet needs one).")) -> None:
    """Query quantity claims and print or export them."""
    from orbat.errors import UsageError, output_path

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt == "parquet" and output is None:
        raise UsageError("--format parquet needs --output FILE")
    output = output and output_path(output, "--output")
    frame = _ledger(db, readonly=True).quantities(
        actor=actor, measure=measure, location=location, source=source,
        since=_date(since, "--since"), until=_date(until, "--until"), text=text)
    if fmt == "parquet":
        frame.to_parquet(output, index=False)
        return
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        if fmt == "table":
            stdout_console(file=out).print(_claims_table(frame))
        elif fmt == "csv":
            frame.to_csv(out, index=False)
        else:
            for record in frame.to_dict(orient="records"):
                out.write(json.dumps({k: _jsonable(v) for k, v in record.items()}) + "\n")
    finally:
        if output:
            out.close()


def _claims_table(frame) -> Table:
    """The quantity claims of ``frame`` as a Rich table, one row per claim."""
    table = Table("claim", "published", "text", "actor", "measure", "location", "source",
                  "bound", "unit", "per")
    for row in frame.itertuples():
        table.add_row(*map(_cell, (row.claim_id, row.published, row.text, row.actor,
                                   row.measure, row.location, row.source, row.bound,
                                   row.unit, row.per)))
    return table


def _cell(value) -> str:
    """A table cell: empty for missing values (None, NaN), else the value as text."""
    return "" if value is None or value != value else str(value)


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN -> null
        return None
    return value


def register(app: typer.Typer) -> None:
    """Add the ledger commands to the root ``orbat`` app."""
    for command in (info, ingest, reextract, docs, show, claims):
        app.command()(command)
