"""Extraction time on text with no sentence breaks, against ordinary news text of the same size.

For each size (50 KB, 200 KB and 1 MB by default) one document of ordinary reporting is built
from our own reports (the generator of extract_speed.py), and its pathological twin has the
same words with every sentence break removed (full stops, question marks and line breaks turned
into spaces), as a scraped page or a flattened table can arrive. Each file is extracted by a
whole `orbat extract` process (default mode and --fast); the figure is seconds per KB, and the
target is pathological within 1.5x of ordinary at every size (time linear in the length).
usage: python benchmarks/extract_pathological.py [--sizes 50,200,1000] [--fast-only]
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_speed import build_corpus  # noqa: E402


def ordinary(kb: int) -> str:
    text, docs = "", build_corpus(kb * 200, seed=kb)
    for d in docs:
        text += d + "\n\n"
        if len(text) >= kb * 1000:
            break
    return text[: kb * 1000]


def flatten(text: str) -> str:
    """The same characters with no sentence break: ". " -> "  ", line breaks -> spaces."""
    return re.sub(r"[.!?](?=\s)|\n", " ", text)


def run(orbat: str, path: Path, fast: bool) -> float:
    cmd = [orbat, "extract", "--format", "jsonl", *(["--fast"] if fast else []), str(path)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="50,200,1000", help="sizes in KB, comma-separated")
    ap.add_argument("--fast-only", action="store_true", help="time --fast only")
    a = ap.parse_args()
    orbat = shutil.which("orbat") or str(Path(sys.executable).with_name("orbat"))
    folder = Path(tempfile.mkdtemp(prefix="orbat-patho-"))
    rows = []
    try:
        for kb in (int(x) for x in a.sizes.split(",")):
            text = ordinary(kb)
            (folder / "ordinary.txt").write_text(text, encoding="utf-8")
            (folder / "flat.txt").write_text(flatten(text), encoding="utf-8")
            for fast in ((True,) if a.fast_only else (False, True)):
                t_ord = run(orbat, folder / "ordinary.txt", fast)
                t_flat = run(orbat, folder / "flat.txt", fast)
                ratio = t_flat / t_ord
                rows.append({"kb": kb, "mode": "fast" if fast else "default", "ordinary_s_per_kb":
                             round(t_ord / kb, 4), "no_breaks_s_per_kb": round(t_flat / kb, 4),
                             "ratio": round(ratio, 2)})
                print(f"{kb:6d} KB  {'--fast ' if fast else 'default'}  ordinary {t_ord:7.2f} s "
                      f"({t_ord / kb * 1000:7.1f} ms/KB)   no breaks {t_flat:7.2f} s "
                      f"({t_flat / kb * 1000:7.1f} ms/KB)   ratio {ratio:4.2f}  (target <= 1.5)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
