"""Ingest speed: documents per second into SQLite and PostgreSQL, extraction included.

Generates ``--docs`` deterministic short reports (orbat.ledger.synthetic), ingests them into a
fresh SQLite file and into a throwaway PostgreSQL server (skipped with a message when the
server binaries are missing), prints documents/s for each and a final JSON line.
Target: >= 200 docs/s into SQLite on one core.

    .venv/bin/python benchmarks/ingest_speed.py --docs 100000
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from orbat.ledger import Ledger
from orbat.ledger.pgtemp import PgCluster, pg_bindir
from orbat.ledger.synthetic import reports


def measure(url: str, n: int, batch_size: int) -> dict[str, float]:
    """Ingest ``n`` reports into ``url``; returns counts, seconds and documents/s."""
    ledger = Ledger(url)
    start = time.perf_counter()
    counts = ledger.ingest(reports(n, seed=2024), batch_size=batch_size)
    seconds = time.perf_counter() - start
    ledger.close()
    return {**counts, "seconds": round(seconds, 2), "docs_per_s": round(n / seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="reports to generate")
    parser.add_argument("--batch-size", type=int, default=500, help="documents per commit")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    results: dict[str, object] = {"docs": args.docs, "batch_size": args.batch_size}

    with tempfile.TemporaryDirectory() as tmp:
        res = measure(f"sqlite:///{Path(tmp) / 'bench.db'}", args.docs, args.batch_size)
        print(f"sqlite:     {res['docs_per_s']:>8} docs/s  ({res['documents']} documents, "
              f"{res['quantities']} quantities in {res['seconds']} s)")
        results["sqlite"] = res

    bindir = None if args.no_postgres else pg_bindir()
    if bindir is None:
        print("postgresql: skipped (" + ("--no-postgres" if args.no_postgres else
              "no PostgreSQL binaries in /usr/lib/postgresql/*/bin") + ")")
        results["postgresql"] = None
    else:
        cluster = PgCluster(bindir)
        try:
            cluster.start()
            res = measure(cluster.new_database(), args.docs, args.batch_size)
            print(f"postgresql: {res['docs_per_s']:>8} docs/s  ({res['documents']} documents, "
                  f"{res['quantities']} quantities in {res['seconds']} s)")
            results["postgresql"] = res
        finally:
            cluster.stop()
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
