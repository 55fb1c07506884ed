"""Score the extractor on the shared seed article (../shared) against the bars set for it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.extract.claims_scorer import score

SHARED = Path(__file__).resolve().parents[3] / "shared"
BARS_MIN = {"quantity_f1": 0.95, "quantity_exact": 0.80, "statement_recall": 0.90,
            "statement_exact": 0.75}
MAX_NEGATIVES_HIT = 0


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason=f"{SHARED} is absent")
def test_seed_article_meets_the_bars():
    from orbat.extract import extract

    claims = [c.to_dict() for p in sorted((SHARED / "seeds").glob("*.txt"))
              for c in extract(p.read_text(encoding="utf-8"), doc=p.stem)]
    summary, misses = score(SHARED / "seeds", SHARED / "eval", claims)
    print("\n" + "\n".join(misses))
    print(json.dumps(summary, indent=2))
    low = {k: (summary[k], bar) for k, bar in BARS_MIN.items() if summary[k] < bar}
    assert not low, f"below the bar (got, bar): {low}"
    assert summary["negatives_hit"] <= MAX_NEGATIVES_HIT
