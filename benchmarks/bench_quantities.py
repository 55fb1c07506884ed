"""Throughput of the quantity extractor in words per second on one core.

usage: python benchmarks/bench_quantities.py [--repeat N] [--docs DIR]
Builds a corpus by repeating the articles in DIR (default: the seed) with varied numbers, and
prints words/s. Target: >= 100,000 words/s.
"""
from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

from orbat.extract.quantities import find_quantities
from orbat.extract.sentences import sentence_spans

SEEDS = Path("/work/shared/seeds")


def corpus(repeat: int, docs: Path) -> list[str]:
    """Documents from ``docs`` with random numbers, so no cache hides the work."""
    base = [p.read_text(encoding="utf-8") for p in sorted(docs.glob("*.txt"))] or [
        "Russia has deployed about 5,000 soldiers to the front. Nothing else happened today."]
    rng = random.Random(7)
    return [re.sub(r"\d+", lambda m: str(rng.randint(2, 99999)), base[i % len(base)]) + f" [{i}]"
            for i in range(repeat)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=300)
    ap.add_argument("--docs", type=Path, default=SEEDS)
    a = ap.parse_args()
    docs = corpus(a.repeat, a.docs)
    words = sum(len(d.split()) for d in docs)
    find_quantities(docs[0], "warmup")
    t0 = time.process_time()
    n = sum(len(find_quantities(d, f"d{i}")) for i, d in enumerate(docs))
    dt = time.process_time() - t0
    sentence_spans.cache_clear()
    print(f"docs={len(docs)} words={words} quantities={n} seconds={dt:.3f} "
          f"words_per_s={words / dt:,.0f}")


if __name__ == "__main__":
    main()
