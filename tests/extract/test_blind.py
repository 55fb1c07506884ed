"""The blind set (tests/extract/blind): 30 reports in the styles of real reporting (wire copy
with relay chains, live blogs, humanitarian updates, ministry loss tallies, translated
briefings, Q&A interviews, think-tank estimates, opinion with numbers that are not claims)
about 13 wars. One helper wrote the reports and two others wrote their gold from the
conventions in ../shared/eval/README.md alone; none of them read the extractor, and the gold
was frozen (commit e338d05) before the extractor was first run on the texts.

Blind figures, on the extractor of that commit (default mode, with the parse): quantity f1
0.940, exact 0.128, 31 negatives hit, actor 0.57, measure 0.75, unit 0.83, location 0.46,
source 0.66, statement recall 0.83, statement exact 0.60 (``--fast``: exact 0.091, actor 0.47,
location 0.44). The floors below sit under the figures after the general fixes that followed,
so a regression fails the suite; they are far from where real reporting needs them (see the
note on issue 9). Do not tune rules to these texts' wording: add a new blind batch instead.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.extract.claims_scorer import score
from tests.extract.test_corpus import gold_problems

BLIND = Path(__file__).resolve().parent / "blind"
FLOORS = {"quantity_f1": 0.94, "quantity_exact": 0.16, "statement_recall": 0.84,
          "statement_exact": 0.60}
FIELD_FLOORS = {"actor": 0.63, "unit": 0.85, "location": 0.56, "measure": 0.73, "source": 0.66}
MAX_NEGATIVES_HIT = 16


def _docs() -> list[Path]:
    return sorted(BLIND.glob("*.txt"))


def test_blind_set_has_30_documents_with_gold():
    docs = _docs()
    assert len(docs) == 30
    for doc in docs:
        for kind in ("quantities", "statements", "negatives"):
            assert (BLIND / f"{doc.stem}.{kind}.jsonl").exists(), f"{doc.stem}: no {kind} gold"


@pytest.mark.parametrize("doc", _docs(), ids=lambda p: p.stem)
def test_blind_gold_is_well_formed(doc: Path):
    problems = gold_problems(doc, BLIND, words_range=(100, 400))
    assert not problems, "\n".join(problems)


def test_extractor_scores_at_least_the_blind_floors():
    from orbat.extract import extract

    claims = [c.to_dict() for doc in _docs() for c in extract(doc.read_text(encoding="utf-8"), doc=doc.stem)]
    summary, misses = score(BLIND, BLIND, claims)
    print("\n" + "\n".join(misses))
    print(json.dumps(summary, indent=2))
    low = {k: (summary[k], f) for k, f in FLOORS.items() if summary[k] < f}
    low |= {k: (summary["quantity_fields"][k], f) for k, f in FIELD_FLOORS.items()
            if summary["quantity_fields"][k] < f}
    assert not low, f"below the floor (got, floor): {low}"
    assert summary["negatives_hit"] <= MAX_NEGATIVES_HIT
