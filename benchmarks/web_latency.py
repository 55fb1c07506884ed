"""Web latency: how fast the app answers on a big ledger, measured with an HTTP client.

Builds (or reuses, with ``--db``) a SQLite ledger of ``--docs`` generated reports
(orbat.ledger.synthetic; 100,000 reports hold about a million claims), serves the app on a free
localhost port, and times ``--requests`` GETs each of: the claims page with filters, a
document page and an estimate page, printing the median and 95th percentile per page and a
final JSON line. Target: 95th percentile under 300 ms. The claim index is built before timing
starts (the app builds it in the background at start-up); the first request of each page kind
is reported on its own ("first": for the estimate page, pooling before the page is cached).

    .venv/bin/python benchmarks/web_latency.py --docs 100000
    .venv/bin/python benchmarks/web_latency.py --docs 2000 --requests 20      # quick
"""
from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
from sqlalchemy import func, select

from orbat.ledger import Ledger
from orbat.ledger.schema import documents
from orbat.ledger.synthetic import reports

CLAIM_FILTERS = [
    {"actor": "Russia", "measure": "deployed", "location": "Kursk"},
    {"actor": "Ukraine", "measure": "wounded"},
    {"measure": "recruited", "since": "2024-09-01", "until": "2024-10-31"},
    {"location": "Pokrovsk", "source_kind": "military"},
    {"actor": "North Korea", "source": "officials", "sort": "value", "dir": "desc"},
    {"measure": "deployed", "text": "about", "page": "3"},
]
ESTIMATE_KEYS = [  # typical keys: about 1,800 claims each in 100,000 generated reports
    {"actor": "North Korea", "measure": "deployed", "location": "Kursk", "per": "", "unit": "personnel"},
    {"actor": "Russia", "measure": "wounded", "location": "Pokrovsk", "per": "", "unit": "personnel"},
    {"actor": "Russia", "measure": "captured", "location": "Kherson", "per": "", "unit": "personnel"},
]


def build(url: str, n: int) -> dict[str, float]:
    ledger = Ledger(url)
    have = ledger.counts()["documents"]
    t0 = time.perf_counter()
    if have < n:
        step = max(1, (n - have) // 20)
        done = [have]

        def progress(k: int) -> None:
            done[0] += k
            if done[0] % step < k:
                print(f"  ingested {done[0]:,} / {n:,} documents", file=sys.stderr, flush=True)

        ledger.ingest(reports(n, seed=11), batch_size=1000, progress=progress)
    seconds = time.perf_counter() - t0
    counts = ledger.counts()
    ledger.close()
    return {**counts, "build_seconds": round(seconds, 1)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str):
    import uvicorn

    from orbat.web.app import create_app

    app = create_app(url)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    t0 = time.perf_counter()
    while not app.state.claim_index.ready():  # built in the background at start-up
        time.sleep(0.2)
    print(f"claim index ready {time.perf_counter() - t0:.1f} s after start-up "
          f"(built in {app.state.claim_index.build_seconds:.1f} s)")
    return server, f"http://127.0.0.1:{port}"


def timed(client: httpx.Client, path: str) -> float:
    t0 = time.perf_counter()
    res = client.get(path)
    ms = (time.perf_counter() - t0) * 1000
    if res.status_code != 200:
        raise SystemExit(f"GET {path}: HTTP {res.status_code}")
    return ms


def summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 1), "p95_ms": round(p95, 1),
            "max_ms": round(ordered[-1], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="generated reports in the ledger")
    parser.add_argument("--db", help="SQLite/PostgreSQL URL to build into or reuse (default: a temp file)")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page kind")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'web.db'}"
        built = build(url, args.docs)
        print(f"ledger: {built['documents']:,} documents, {built['quantities']:,} quantities, "
              f"{built['statements']:,} statements (built in {built['build_seconds']} s)")
        server, base = serve(url)
        rng = random.Random(7)
        ledger = Ledger(url)
        with ledger.engine.connect() as conn:
            total = conn.scalar(select(func.count()).select_from(documents))
            doc_ids = [conn.scalar(select(documents.c.id).order_by(documents.c.id)
                                   .offset(rng.randrange(total)).limit(1))
                       for _ in range(min(args.requests, total))]
        pages = {
            "claims (filtered)": ["/claims?" + urlencode(CLAIM_FILTERS[i % len(CLAIM_FILTERS)])
                                  for i in range(args.requests)],
            "document": [f"/documents/{doc_ids[i % len(doc_ids)]}" for i in range(args.requests)],
            "estimate": ["/estimate?" + urlencode(ESTIMATE_KEYS[i % len(ESTIMATE_KEYS)])
                         for i in range(args.requests)],
        }
        results = {"docs": args.docs, **built}
        with httpx.Client(base_url=base, timeout=600) as client:
            timed(client, "/")  # first request: imports, key index
            for name, paths in pages.items():
                seen: set[str] = set()
                first, repeat, every = [], [], []
                for p in paths:
                    ms = timed(client, p)
                    every.append(ms)
                    (repeat if p in seen else first).append(ms)
                    seen.add(p)
                res = {"all": summary(every), "first_visits": summary(first),
                       "repeat_visits": summary(repeat) if repeat else None}
                results[name] = res
                for label, part in (("all", res["all"]), ("first visit", res["first_visits"]),
                                    ("repeat visit", res["repeat_visits"])):
                    if part:
                        print(f"{name:<18} {label:<13} median {part['median_ms']:>8.1f} ms   "
                              f"p95 {part['p95_ms']:>8.1f} ms   max {part['max_ms']:>8.1f} ms   "
                              f"({part['n']} requests)")
        server.should_exit = True
        ledger.close()
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
