"""Extraction speed: orbat vs quantulum3 on the same text, in words per second on one core.

The corpus (>= 1,000,000 words by default) is built deterministically from the bundled example
reports and the gold test corpus: their sentences shuffled into new documents, so no document
repeats and no cache can help. quantulum3 is much slower, so it is timed on a deterministic
sample of the same documents (``--peer-words``); words/s is comparable across both.
usage: python benchmarks/extract_speed.py [--words N] [--peer-words N] [--seed S]
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from orbat.extract import extract
from orbat.extract.sentences import sentence_spans
from orbat.ingest import IngestError, read_documents

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "src" / "orbat" / "examples", ROOT / "tests" / "extract" / "corpus"]


def build_corpus(words: int, seed: int) -> list[str]:
    """Documents of 6-12 sentences drawn (seeded) from our own reports, ``words`` words in all."""
    sentences = []
    for item in read_documents(SOURCES):
        if not isinstance(item, IngestError):
            sentences += [item.text[s:e] for s, e in sentence_spans(item.text)]
    rng = random.Random(seed)
    docs, total = [], 0
    while total < words:
        doc = " ".join(rng.choice(sentences) for _ in range(rng.randint(6, 12)))
        docs.append(doc)
        total += len(doc.split())
    return docs


def time_it(fn, docs: list[str]) -> tuple[float, int]:
    start = time.process_time()
    found = sum(fn(doc) for doc in docs)
    return time.process_time() - start, found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--peer-words", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    docs = build_corpus(a.words, a.seed)
    words = sum(len(d.split()) for d in docs)
    extract("Warm-up: about 1,000 troops, officials said.")
    orbat_s, orbat_q = time_it(lambda d: sum(c.kind == "quantity" for c in extract(d)), docs)

    from quantulum3 import parser
    sample, n = [], 0
    for d in docs:
        if n >= a.peer_words:
            break
        sample.append(d)
        n += len(d.split())
    parser.parse("Warm-up: about 1,000 troops.")
    peer_s, peer_q = time_it(lambda d: len(parser.parse(d)), sample)
    peer_words = sum(len(d.split()) for d in sample)
    sample_orbat_q = sum(sum(c.kind == "quantity" for c in extract(d)) for d in sample)

    orbat_wps, peer_wps = words / orbat_s, peer_words / peer_s
    print(f"corpus: {len(docs):,} documents, {words:,} words (peer sample: {peer_words:,} words)")
    print(f"orbat      {orbat_wps:>12,.0f} words/s  {1000 * orbat_q / words:6.1f} quantities per 1,000 words"
          f"  (statements too)")
    print(f"quantulum3 {peer_wps:>12,.0f} words/s  {1000 * peer_q / peer_words:6.1f} quantities per 1,000 words"
          f"  (orbat on the same sample: {1000 * sample_orbat_q / peer_words:.1f})")
    print(f"ratio orbat/quantulum3: {orbat_wps / peer_wps:.1f}x   target: orbat >= 100,000 words/s")
    print(json.dumps({"words": words, "orbat_words_per_s": round(orbat_wps),
                      "quantulum3_words_per_s": round(peer_wps),
                      "ratio": round(orbat_wps / peer_wps, 2),
                      "peer_sample_words": peer_words,
                      "orbat_quantities_per_1000_words": round(1000 * orbat_q / words, 1),
                      "quantulum3_quantities_per_1000_words": round(1000 * peer_q / peer_words, 1)}))


if __name__ == "__main__":
    main()
