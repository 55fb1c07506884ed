"""Big-ledger benchmark: whole `orbat` commands against a ledger of N generated reports.

Builds (or reuses, with ``--db``) a SQLite ledger of ``--reports`` generated reports
(orbat.ledger.synthetic, extracted with ``--workers`` processes), then runs each command as a
subprocess and prints its wall time and peak memory (the child's ru_maxrss, measured by a
small wrapper process per command, so each figure is that command's own):

    orbat --help; python -c "import typer, rich" (the peer for start-up);
    orbat estimate (every key, and one key); orbat simulate kursk with ledger inputs and with
    the same scenario with constants (each ledger reference replaced by its fallback);
    orbat docs; orbat claims --actor Russia --format csv; orbat claims --format csv (all).

With ``--repeat R`` every command runs in R rounds and its best time is kept. Targets checked
at the end: estimate of every key within 2x one full claims CSV export and
under 500 MB; simulate with ledger inputs within 2 s of the run with constants; orbat --help
within 3x of the typer/rich import.

    .venv/bin/python benchmarks/ledger_scale.py --reports 100000
    .venv/bin/python benchmarks/ledger_scale.py --reports 20000 --db sqlite:///big.db --repeat 3
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import yaml

# Runs the command given as arguments and prints its peak RSS (KiB) as the last stderr line.
WRAP = ("import resource, subprocess, sys\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n")


def measure(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall seconds and peak MB of one run of ``cmd`` (its output thrown away)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAP, *cmd], env=env, stderr=subprocess.PIPE,
                          text=True)
    seconds = time.perf_counter() - start
    lines = done.stderr.strip().splitlines()
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n" + "\n".join(lines[-20:]))
    return {"seconds": round(seconds, 2), "peak_mb": round(int(lines[-1]) / 1024, 1)}


def constants_scenario(path: Path) -> None:
    """The bundled kursk scenario with every ledger reference replaced by its fallback."""
    def strip(node):
        if isinstance(node, dict):
            if "from" in node:
                return strip(node["fallback"])
            return {k: strip(v) for k, v in node.items()}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node
    text = (resources.files("orbat.simulate") / "scenarios" / "kursk.yaml").read_text()
    path.write_text(yaml.safe_dump(strip(yaml.safe_load(text)), sort_keys=False))


def build(url: str, n: int, workers: int) -> dict[str, float]:
    from orbat.ledger import Ledger
    from orbat.ledger.synthetic import reports

    ledger = Ledger(url)
    have = ledger.counts()["documents"]
    start = time.perf_counter()
    from orbat.ledger.workers import extractor_accepts

    # the regex reading alone where the extractor offers it: the ledger, not extraction, is
    # what this benchmark measures
    options = {"fast": True} if extractor_accepts("fast") else None
    counts = ledger.ingest(reports(n, seed=2024), batch_size=500, workers=workers,
                           extract_options=options)
    seconds = time.perf_counter() - start
    out = {**ledger.counts(), "build_seconds": round(seconds, 1), "had_documents": have,
           "added": counts["documents"]}
    ledger.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000, help="generated reports")
    parser.add_argument("--db", help="ledger URL to build into / reuse (default: a temp file)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="extraction processes for the build")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of all commands; each command's best time is reported "
                             "(timings on a shared machine drift)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="orbat-ledger-scale-"))
    url = args.db or f"sqlite:///{tmp / 'ledger.db'}"
    try:
        sizes = build(url, args.reports, args.workers)
        print(f"ledger: {sizes['documents']:,} documents, {sizes['quantities']:,} quantities "
              f"({sizes['added']:,} added in {sizes['build_seconds']} s)")
        env = {**os.environ, "ORBAT_DB": url}
        orbat = str(Path(sys.executable).with_name("orbat"))
        orbat = orbat if Path(orbat).exists() else shutil.which("orbat") or "orbat"
        constants_scenario(tmp / "kursk_constants.yaml")
        runs = {
            "orbat --help": [orbat, "--help"],
            "python -c 'import typer, rich'": [sys.executable, "-c", "import typer, rich"],
            "orbat estimate": [orbat, "estimate"],
            "orbat estimate (one key)": [orbat, "estimate", "--actor", "Russia", "--measure",
                                         "deployed", "--location", "Kursk"],
            "orbat simulate kursk (ledger)": [orbat, "simulate", "kursk", "--out",
                                              str(tmp / "sim-ledger")],
            "orbat simulate kursk (constants)": [orbat, "simulate",
                                                 str(tmp / "kursk_constants.yaml"), "--out",
                                                 str(tmp / "sim-constants")],
            "orbat docs": [orbat, "docs"],
            "orbat claims --actor Russia --format csv": [orbat, "claims", "--actor", "Russia",
                                                         "--format", "csv"],
            "orbat claims --format csv": [orbat, "claims", "--format", "csv"],
        }
        # warm the compiled-kernel cache so neither simulate run pays for compiling
        measure(runs["orbat simulate kursk (constants)"], env)
        rounds: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
        for _ in range(args.repeat):  # whole rounds, so drift in machine load hits every command
            for name, cmd in runs.items():
                rounds[name].append(measure(cmd, env))
        results = {}
        for name, got in rounds.items():  # best time of the rounds, highest peak memory
            results[name] = {"seconds": min(g["seconds"] for g in got),
                             "peak_mb": max(g["peak_mb"] for g in got),
                             "all_seconds": [g["seconds"] for g in got]}
            print(f"{name:<44} {results[name]['seconds']:>8.2f} s {results[name]['peak_mb']:>8.1f} MB",
                  flush=True)
        est, csv = results["orbat estimate"], results["orbat claims --format csv"]
        sim_l, sim_c = (results[f"orbat simulate kursk ({k})"] for k in ("ledger", "constants"))
        targets = {
            "estimate_vs_csv_ratio": round(est["seconds"] / csv["seconds"], 2),
            "estimate_within_2x_csv": est["seconds"] <= 2 * csv["seconds"],
            "estimate_under_500_mb": est["peak_mb"] < 500,
            "simulate_ledger_minus_constants_s": round(sim_l["seconds"] - sim_c["seconds"], 2),
            "simulate_within_2_s": sim_l["seconds"] - sim_c["seconds"] <= 2,
            "help_vs_peer_ratio": round(results["orbat --help"]["seconds"]
                                        / results["python -c 'import typer, rich'"]["seconds"], 2),
            "help_within_3x_peer": results["orbat --help"]["seconds"]
            <= 3 * results["python -c 'import typer, rich'"]["seconds"],
        }
        for key, value in targets.items():
            print(f"{key}: {value}")
        print(json.dumps({"reports": args.reports, "ledger": sizes, "results": results,
                          "targets": targets}))
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
