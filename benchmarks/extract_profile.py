"""Where extraction spends its time: cProfile over a slice of the extract_speed.py corpus.

Prints the functions with the most own time (regex scans run inside the function that iterates
them), then words/s of the same slice without the profiler, for before/after comparisons.
usage: python benchmarks/extract_profile.py [--words N] [--top K] [--sort tottime|cumulative]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from extract_speed import build_corpus

from orbat.extract import extract


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    a = ap.parse_args()
    docs = build_corpus(a.words, a.seed)
    words = sum(len(d.split()) for d in docs)
    extract("Warm-up: about 1,000 troops, officials said.")
    profiler = cProfile.Profile()
    profiler.enable()
    for d in docs:
        extract(d)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(a.sort).print_stats(a.top)
    start = time.process_time()
    for d in docs:
        extract(d)
    print(f"{len(docs):,} documents, {words:,} words: {words / (time.process_time() - start):,.0f} words/s "
          f"without the profiler")


if __name__ == "__main__":
    main()
