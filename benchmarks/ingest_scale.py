"""Ingest scale-out: N generated reports with 1 and 2 worker processes and through a local Dask
cluster, documents/s for each, and the three ledgers' contents compared.

Each run ingests the same reports (orbat.ledger.synthetic) into a fresh SQLite file; the
ledgers must hold identical documents, quantity and statement ids (their counts and a hash
of the sorted ids are printed). A final JSON line has everything.

    .venv/bin/python benchmarks/ingest_scale.py --reports 100000
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from orbat.ledger import Ledger
from orbat.ledger.schema import documents, quantities, statements
from orbat.ledger.synthetic import reports


def contents(ledger: Ledger) -> dict[str, object]:
    out: dict[str, object] = {}
    with ledger.engine.connect() as conn:
        for table in (documents, quantities, statements):
            ids = sorted(conn.scalars(select(table.c.id)))
            out[table.name] = len(ids)
            out[f"{table.name}_sha256"] = hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16]
        conn.rollback()
    return out


def run(url: str, n: int, batch_size: int, workers: int, dask: str | None,
        options: dict | None) -> dict[str, object]:
    ledger = Ledger(url)
    start = time.perf_counter()
    counts = ledger.ingest(reports(n, seed=2024), batch_size=batch_size, workers=workers,
                           dask=dask, extract_options=options)
    seconds = time.perf_counter() - start
    out = {"seconds": round(seconds, 2), "docs_per_s": round(n / seconds, 1),
           "added": counts["documents"], **contents(ledger)}
    ledger.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--dask-workers", type=int, default=2,
                        help="processes in the local Dask cluster")
    parser.add_argument("--fast", action="store_true",
                        help="extract(fast=True), where the extractor offers it (no parse)")
    args = parser.parse_args(argv)
    from orbat.ledger.workers import extractor_accepts

    options = {"fast": True} if args.fast and extractor_accepts("fast") else None
    setups = {"1 worker": (1, None), "2 workers": (2, None),
              f"dask local ({args.dask_workers})": (args.dask_workers, "local")}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, (workers, dask)) in enumerate(setups.items()):
            url = f"sqlite:///{Path(tmp) / f'run{i}.db'}"
            results[name] = res = run(url, args.reports, args.batch_size, workers, dask, options)
            print(f"{name:<18} {res['docs_per_s']:>8} docs/s  {res['seconds']:>8} s  "
                  f"{res['documents']} documents, {res['quantities']} quantities, "
                  f"{res['statements']} statements, ids {res['quantities_sha256']}", flush=True)
    keys = ("documents", "quantities", "statements", "documents_sha256", "quantities_sha256",
            "statements_sha256")
    same = len({tuple(r[k] for k in keys) for r in results.values()}) == 1
    print("ledgers identical (counts and ids):", same)
    print(json.dumps({"reports": args.reports, "results": results, "identical": same}))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
