"""benchmarks/web_latency.py runs end to end on a small ledger (the real run uses 100,000)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "web_latency.py"


def test_web_latency_runs_on_a_small_ledger(tmp_path):
    db = f"sqlite:///{tmp_path / 'bench.db'}"
    out = subprocess.run([sys.executable, str(SCRIPT), "--docs", "60", "--requests", "3",
                          "--db", db], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["documents"] == 60
    for page in ("claims (filtered)", "document", "estimate"):
        assert result[page]["all"]["n"] == 3 and result[page]["all"]["p95_ms"] > 0
