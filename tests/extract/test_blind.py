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

tests/extract/blind4 (20 reports, 20 wars; two more helpers, the annotator's choices in its
DECISIONS.md) was first run at 4cb38be, after the fixes learned from the first three sets:
quantity f1 0.948, exact 0.188, 11 negatives hit, actor 0.54, measure 0.78, unit 0.77,
location 0.52, source 0.89, statement recall 0.89, statement exact 0.70.

tests/extract/blind5 (20 reports, 16 wars; two more helpers, gold frozen at e016a37 with the
annotator's choices in its DECISIONS.md) was first run at 9b2f432: quantity f1 0.921, exact
0.266, 36 negatives hit, actor 0.60, measure 0.83, unit 0.89, location 0.70, source 0.82,
statement recall 0.90, statement exact 0.82 (--fast: exact 0.119, actor 0.39, location 0.51).

tests/extract/blind6 (20 reports, 18 wars, two more helpers, gold frozen at f0093d2) was first
run at 975184b, after the fixes learned from blind5: quantity f1 0.939, exact 0.197, 25
negatives hit, actor 0.68, measure 0.79, unit 0.79, location 0.60, source 0.65, statement
recall 0.86, statement exact 0.63 (--fast: exact 0.058, actor 0.44, location 0.32). Its
annotator names every answer of an interview for the interviewee and every line of a tally
for its issuer, which the extractor then did not.

tests/extract/blind7 (30 reports, 23 wars; two writers and two annotators, gold frozen at
40d7ba6 with both annotators' choices in its DECISIONS.md) was first run at 40d7ba6: quantity
f1 0.95, exact 0.26, 25 negatives hit, actor 0.74, measure 0.89, unit 0.89, location 0.50,
source 0.82, statement recall 0.84, statement exact 0.63 (--fast: exact 0.08, actor 0.44,
location 0.36). Its misses led to the general rules that followed (a place or an armed group
the gazetteer lacks is still one; where a briefing was given is not where things happened;
the regional gazetteer), so it is no longer blind either.

tests/extract/blind8 (30 reports, 16 wars; two writers and two annotators, each half's gold
frozen before the extractor read it, the annotators' choices in DECISIONS_A.md / DECISIONS_B.md).
First half (901-915, frozen at 07ab976, first run at f5db4ae): quantity f1 0.94, exact 0.34, 21
negatives hit, actor 0.70, measure 0.80, unit 0.84, location 0.80, source 0.83, statement recall
0.91, statement exact 0.66 (--fast: exact 0.20, actor 0.55, location 0.58). Second half (916-930,
frozen at 828c106 after fixes learned from the first half, first run at 3561bfe): f1 0.93, exact
0.27, 18 negatives hit, actor 0.73, measure 0.82, unit 0.88, location 0.60, source 0.72,
statement recall 0.88, statement exact 0.76 (--fast: exact 0.10, actor 0.46, location 0.39).

None of the sets is blind any more; the floors below sit just under the figures of 2026-12-03,
so a regression fails the suite. They are still short of what issue 9 asks of real reporting
(see the note there). Do not tune rules to these texts' wording: add a new blind batch instead
and record its figures here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.extract.claims_scorer import score
from tests.extract.test_corpus import gold_problems

HERE = Path(__file__).resolve().parent
SETS = {  # folder: (documents, floors, field floors, most negatives hit)
    "blind": (30, {"quantity_f1": 0.96, "quantity_exact": 0.53, "statement_recall": 0.95, "statement_exact": 0.84},
              {"actor": 0.84, "unit": 0.92, "location": 0.77, "measure": 0.90, "source": 0.90}, 1),
    "blind2": (20, {"quantity_f1": 0.96, "quantity_exact": 0.43, "statement_recall": 0.96, "statement_exact": 0.85},
               {"actor": 0.85, "unit": 0.91, "location": 0.67, "measure": 0.89, "source": 0.89}, 3),
    "blind3": (20, {"quantity_f1": 0.97, "quantity_exact": 0.31, "statement_recall": 0.88, "statement_exact": 0.71},
               {"actor": 0.78, "unit": 0.86, "location": 0.69, "measure": 0.84, "source": 0.91}, 0),
    "blind4": (20, {"quantity_f1": 0.95, "quantity_exact": 0.43, "statement_recall": 0.92, "statement_exact": 0.81},
               {"actor": 0.76, "unit": 0.91, "location": 0.66, "measure": 0.90, "source": 0.94}, 3),
    "blind5": (20, {"quantity_f1": 0.95, "quantity_exact": 0.52, "statement_recall": 0.90, "statement_exact": 0.85},
               {"actor": 0.81, "unit": 0.90, "location": 0.81, "measure": 0.87, "source": 0.91}, 11),
    "blind6": (20, {"quantity_f1": 0.96, "quantity_exact": 0.35, "statement_recall": 0.86, "statement_exact": 0.68},
               {"actor": 0.76, "unit": 0.81, "location": 0.73, "measure": 0.80, "source": 0.87}, 4),
    "blind7": (30, {"quantity_f1": 0.95, "quantity_exact": 0.43, "statement_recall": 0.86, "statement_exact": 0.70},
               {"actor": 0.80, "unit": 0.90, "location": 0.73, "measure": 0.90, "source": 0.91}, 7),
    "blind8": (30, {"quantity_f1": 0.94, "quantity_exact": 0.36, "statement_recall": 0.88, "statement_exact": 0.72},
               {"actor": 0.76, "unit": 0.87, "location": 0.74, "measure": 0.81, "source": 0.85}, 27),
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
