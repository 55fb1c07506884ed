"""Run orbat's extractor over a folder of DOC.txt files and score it against gold (claims format v1).

usage: python benchmarks/eval_extract.py --docs DIR --gold DIR [--quiet] [--fast]
Prints every miss (unless --quiet) and the JSON summary of the scorer.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "extract"))
from claims_scorer import score  # noqa: E402

from orbat.extract import extract  # noqa: E402


def claims_for(docs: Path, fast: bool = False) -> list[dict]:
    return [c.to_dict() for p in sorted(docs.glob("*.txt"))
            for c in extract(p.read_text(encoding="utf-8"), doc=p.stem, fast=fast)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", required=True, type=Path)
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--fast", action="store_true", help="score the regex reading alone (orbat extract --fast)")
    a = ap.parse_args()
    summary, misses = score(a.docs, a.gold, claims_for(a.docs, a.fast))
    if not a.quiet:
        print("\n".join(misses))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
