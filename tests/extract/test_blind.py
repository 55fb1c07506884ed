"""The blind sets: reports in the styles of real reporting (wire copy with relay chains, live
blogs, humanitarian updates, ministry loss tallies, translated briefings, Q&A interviews,
think-tank estimates, opinion with numbers that are not claims). For each set one helper wrote
the reports and another wrote their gold from the conventions in ../shared/eval/README.md
alone; none of them read the extractor, and the gold was committed before the extractor was
first run on the texts.

tests/extract/blind (30 reports, 13 wars; gold frozen at e338d05). First run, on the
extractor of that commit (default mode): quantity f1 0.940, exact 0.128, 31 negatives hit,
actor 0.57, measure 0.75, unit 0.83, location 0.46, source 0.66, statement recall 0.83,
statement exact 0.60 (--fast: exact 0.091, actor 0.47, location 0.44).

tests/extract/blind2 (20 reports, 16 wars; gold frozen at b121aad, written after the
first round of fixes and run once at b41566a): quantity f1 0.952, exact 0.218, 15 negatives
hit, actor 0.69, measure 0.83, unit 0.89, location 0.55, source 0.80, statement recall 0.93,
statement exact 0.75: the first round of fixes carried over to text nobody had tuned on.

tests/extract/blind3 (20 reports, 18 wars none of the earlier sets covers; written and
annotated by two more helpers, the annotator's choices where the conventions are silent in
its DECISIONS.md) was first run at 4923568, after the fixes above: quantity f1 0.933,
exact 0.100, 29 negatives hit, actor 0.51, measure 0.74, unit 0.78, location 0.41, source
0.80, statement recall 0.82, statement exact 0.60. The rules tuned on the first two sets
carried over poorly. The next commit's rules for numbers that label (list items, days
listed before a month, time zones, calibres, "two years ago") cut the negatives to 9;
nothing else was tuned on it.

After the general fixes that followed, the first two sets are no longer blind; the floors below sit
just under the figures then, so a regression fails the suite. They are far from where real
reporting needs them (see the note on issue 9). Do not tune rules to these texts' wording:
add a new blind batch instead and record its figures here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.extract.claims_scorer import score
from tests.extract.test_corpus import gold_problems

HERE = Path(__file__).resolve().parent
SETS = {  # folder: (documents, floors, field floors, most negatives hit)
    "blind": (30, {"quantity_f1": 0.95, "quantity_exact": 0.34, "statement_recall": 0.92, "statement_exact": 0.75},
              {"actor": 0.74, "unit": 0.90, "location": 0.65, "measure": 0.83, "source": 0.85}, 7),
    "blind2": (20, {"quantity_f1": 0.95, "quantity_exact": 0.27, "statement_recall": 0.93, "statement_exact": 0.79},
               {"actor": 0.78, "unit": 0.88, "location": 0.61, "measure": 0.84, "source": 0.82}, 6),
    "blind3": (20, {"quantity_f1": 0.95, "quantity_exact": 0.09, "statement_recall": 0.80, "statement_exact": 0.58},
               {"actor": 0.49, "unit": 0.76, "location": 0.39, "measure": 0.73, "source": 0.79}, 9),
}


def _docs(name: str) -> list[Path]:
    return sorted((HERE / name).glob("*.txt"))


@pytest.mark.parametrize("name", SETS)
def test_blind_set_has_its_documents_with_gold(name):
    docs = _docs(name)
    assert len(docs) == SETS[name][0]
    for doc in docs:
        for kind in ("quantities", "statements", "negatives"):
            assert (HERE / name / f"{doc.stem}.{kind}.jsonl").exists(), f"{doc.stem}: no {kind} gold"


@pytest.mark.parametrize("doc", [d for name in SETS for d in _docs(name)], ids=lambda p: p.stem)
def test_blind_gold_is_well_formed(doc: Path):
    # frozen blind gold: a cue that the scorer finds nearer another anchor is its miss, not a defect here
    problems = gold_problems(doc, doc.parent, words_range=(100, 400), cues_inside=False)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", SETS)
def test_extractor_scores_at_least_the_blind_floors(name):
    from orbat.extract import extract

    _, FLOORS, FIELD_FLOORS, MAX_NEGATIVES_HIT = SETS[name]
    folder = HERE / name
    claims = [c.to_dict() for doc in _docs(name) for c in extract(doc.read_text(encoding="utf-8"), doc=doc.stem)]
    summary, misses = score(folder, folder, claims)
    print("\n" + "\n".join(misses))
    print(json.dumps(summary, indent=2))
    low = {k: (summary[k], f) for k, f in FLOORS.items() if summary[k] < f}
    low |= {k: (summary["quantity_fields"][k], f) for k, f in FIELD_FLOORS.items()
            if summary["quantity_fields"][k] < f}
    assert not low, f"below the floor (got, floor): {low}"
    assert summary["negatives_hit"] <= MAX_NEGATIVES_HIT
