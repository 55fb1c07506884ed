"""One writer of the concurrency stress test: ingest its own shuffled share of synthetic reports.

Run as ``python ingest_worker.py URL WORKER N SEED BATCH``. Worker ``w`` ingests three quarters
of reports ``0..N-1`` in its own order, ``BATCH`` per commit, so several workers insert the same
documents, sources and origins in different orders at once. Prints the ingest counts as JSON.
"""
from __future__ import annotations

import json
import random
import sys


def share(n: int, seed: int, worker: int) -> list[int]:
    """The report numbers worker ``worker`` ingests, in its order."""
    order = list(range(n))
    random.Random(f"{seed}:{worker}").shuffle(order)
    return order[: max(1, 3 * n // 4)]


def main(url: str, worker: int, n: int, seed: int, batch: int) -> None:
    from orbat.ledger import Ledger
    from orbat.ledger.synthetic import reports

    docs = list(reports(n, seed=seed))
    ledger = Ledger(url)
    counts = ledger.ingest([docs[i] for i in share(n, seed, worker)], batch_size=batch)
    ledger.close()
    print(json.dumps(counts))


if __name__ == "__main__":
    main(sys.argv[1], *map(int, sys.argv[2:6]))
