"""The syntax layer (orbat.extract.syntax): each named rule on sentences of our own, the rule
order, the parse-based statements, the injectable lexicon and the two modes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from orbat.extract import extract
from orbat.extract import syntax
from orbat.extract.lexicon import Lexicon


def _q(text: str, number: str, fast: bool = False):
    found = [c for c in extract(text, fast=fast) if c.kind == "quantity" and c.text == number]
    assert found, f"{number!r} not found in {text!r}: {[c.text for c in extract(text) if c.kind == 'quantity']}"
    return found[0]


CASES = [
    # rule, sentence, quantity, fields the parse must give
    ("unit_from_head", "As Pyongyang has sent 1,500 special forces troops to Russia, officials said.", "1,500",
     dict(unit="personnel", actor="North Korea", measure="deployed", location="Russia")),
    ("actor_from_owner", "Officials in Kyiv said 800 of Russia's marines had been moved south.", "800",
     dict(actor="Russia", unit="personnel")),
    ("actor_from_agent", "Belarus has sent 2,000 troops to the border, the ministry said.", "2,000",
     dict(actor="Belarus", measure="deployed")),
    ("actor_from_agent (inflicting)", "Ukrainian drones destroyed 14 tanks near Kupiansk overnight.", "14",
     dict(actor="Russia", unit="equipment", measure="equipment", location="Kupiansk")),
    ("actor_is_the_enemy", "Statement of the Ministry of Defence of the Russian Federation\n\n"
     "The enemy losses amounted to up to 320 servicemen and three tanks.", "up to 320",
     dict(actor="Ukraine", measure="casualties")),
    ("actor_from_generic", "Army units killed 35 militants near Jowhar, al-Shabaab's stronghold, a commander said.",
     "35", dict(actor="al-Shabaab", measure="killed")),
    ("actor_of_the_list", "Russian forces lost 640 personnel, 7 tanks and 12 artillery systems.", "12",
     dict(actor="Russia", unit="equipment")),
    ("people_have_no_side", "The RSF attack on the camp killed 23 civilians, medics said.", "23",
     dict(actor=None, unit="people", measure="killed")),
    ("people_who_serve", "More than 40,000 people signed contracts with the army in March, Moscow said.",
     "More than 40,000", dict(unit="personnel", measure="recruited")),
    ("measure_from_verb", "At least 19 soldiers were wounded in the shelling of Kherson.", "At least 19",
     dict(measure="wounded", location="Kherson")),
    ("equipment_is_equipment", "The army said it seized 31 armoured vehicles from the rebels.", "31",
     dict(unit="equipment", measure="equipment")),
    ("location_from_attachment (unknown place)", "Shelling killed 9 civilians in the village of Tel Hamis.", "9",
     dict(location="Tel Hamis", unit="people", measure="killed")),
    ("location_from_attachment (region noun)", "About 4,000 people fled the Oromia region's Guji zone last week.",
     "About 4,000", dict(unit="people")),
    ("no_side_for_spans", "Russian troops advanced about 3 km near Pokrovsk, analysts said.", "about 3",
     dict(actor=None, measure="distance")),
    ("unit_of_others", "The strike killed 12 civilians and wounded 40 others, officials said.", "40",
     dict(unit="people", measure="wounded")),
    ("unit_of_a_bare_count", "Since Friday, 120,000 have fled across the border, the agency said.", "120,000",
     dict(unit="people", actor=None)),
    ("deployed_abroad", "Sweden has stationed 600 troops in Latvia.", "600",
     dict(actor="Sweden", measure="deployed", location="Latvia")),
    ("shares_have_no_side", "Israel said the appeal is only 12 percent funded.", "12",
     dict(actor=None)),
]


@pytest.mark.parametrize("rule,text,number,want", CASES, ids=[c[0] for c in CASES])
def test_rule(rule, text, number, want):
    q = _q(text, number)
    got = {k: getattr(q, k) for k in want}
    assert got == want, f"{rule}: {text!r}"


def test_every_named_rule_runs_in_order():
    names = [r.__name__ for r in syntax.RULES]
    assert names[0] == "counts_of_sources"  # a dropped record needs no other rule
    assert names.index("unit_from_head") < names.index("people_who_serve") < names.index("people_have_no_side")
    assert names.index("actor_from_owner") < names.index("actor_from_agent")  # the owner wins
    assert len(set(names)) == len(names)


def test_counts_of_sources_are_not_quantities():
    text = "Three residents told the agency that 40 houses burned."
    assert [c.text for c in extract(text) if c.kind == "quantity"] == ["40"]


def test_interview_answers_belong_to_the_interviewee():
    text = ("Colonel Amina Yusuf, 44, commands Somali National Army forces in the Hiran region.\n\n"
            "Q: How many fighters does al-Shabaab have here?\n"
            "A: Maybe 900 to 1,200. We lost 6 soldiers last week.\n")
    rng, lost = _q(text, "900 to 1,200"), _q(text, "6")
    assert (rng.unit, rng.actor, rng.source) == ("personnel", "al-Shabaab", "Amina Yusuf")
    assert (lost.actor, lost.source) == ("Somalia", "Amina Yusuf")


def test_statements_from_the_parse():
    text = "The union says 31 officers were killed this year. Rwanda has consistently denied the claim."
    sts = {s.cue: s for s in extract(text) if s.kind == "statement"}
    assert sts["says"].source == "union" and not sts["says"].negated
    assert sts["denied"].source == "Rwanda" and sts["denied"].negated
    q = _q(text, "31")
    assert q.source == "union"


def test_unverified_claims_are_writer_statements():
    text = "Hamas said 20 soldiers were killed. The claim could not be independently verified."
    st = [s for s in extract(text) if s.kind == "statement" and s.cue == "verified"]
    assert st and st[0].source is None and st[0].negated


def test_issued_statement_speaks_for_its_figures():
    text = ("Statement of the General Staff of the Armed Forces of Ruritania\n\n"
            "Units repelled four attacks and destroyed 3 tanks near the border.")
    assert _q(text, "3").source == "General Staff of the Armed Forces of Ruritania"


def test_armed_groups_named_as_written():
    q = _q("Tehreek-e-Taliban Pakistan lost 40 fighters in the raid, the army said.", "40")
    assert q.actor == "Tehreek-e-Taliban Pakistan"
    assert _q("Russia lost 40 soldiers, Kyiv said.", "40").actor == "Russia"  # states stay canonical


def test_fast_mode_keeps_the_regex_reading_and_the_format():
    text = "Government forces shelled the village of Tel Hamis, killing 9 civilians."
    fast, full = _q(text, "9", fast=True), _q(text, "9")
    assert fast.to_dict().keys() == full.to_dict().keys()
    assert fast.location is None and full.location == "Tel Hamis"  # the parse reads the attachment


def test_lexicon_folder_extends_the_gazetteer(tmp_path):
    (tmp_path / "gazetteer.yaml").write_text("actors:\n  Freedonia: [Freedonia, Freedonian]\n", encoding="utf-8")
    text = "About 3,000 Freedonian troops crossed the river."
    assert _q(text, "About 3,000").actor is None
    lex = Lexicon.load(tmp_path)
    got = [c for c in extract(text, lexicon=lex) if c.kind == "quantity"][0]
    assert got.actor == "Freedonia"
    assert _q(text, "About 3,000").actor is None  # the bundled lexicon again outside the call


def test_bad_lexicon_is_one_line(tmp_path):
    (tmp_path / "cues.yaml").write_text("reporting_verbs: [said\n", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        Lexicon.load(tmp_path)
    assert "cues.yaml" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(ValueError, match="not found"):
        Lexicon.load(tmp_path / "missing")


def test_cli_fast_model_and_lexicon(tmp_path):
    doc = tmp_path / "r.txt"
    doc.write_text("Belarus has sent 2,000 troops to the border, the ministry said.", encoding="utf-8")
    orbat = str(Path(sys.executable).with_name("orbat"))
    run = lambda *args: subprocess.run([orbat, "extract", *args, str(doc)], capture_output=True, text=True)
    for args in ((), ("--fast",)):
        out = run(*args)
        assert out.returncode == 0, out.stderr
        recs = [json.loads(line) for line in out.stdout.splitlines()]
        assert any(r["kind"] == "quantity" and r["actor"] == "Belarus" for r in recs)
    bad = run("--model", "no_such_pipeline")
    assert bad.returncode == 1 and "no_such_pipeline" in bad.stderr and "Traceback" not in bad.stderr


def test_span_index_answers_as_a_scan_of_every_span():
    """The statement-span index ``more_statements`` uses (bisection) agrees with checking
    every span, spans added on the way included."""
    import random

    rng = random.Random(2)
    for _ in range(50):
        have = [(a, a + rng.randint(0, 30)) for a in (rng.randint(0, 500) for _ in range(rng.randint(0, 40)))]
        index = syntax._Spans(list(have))
        for _ in range(300):
            a = rng.randint(0, 520)
            b = a + rng.randint(0, 20)
            assert index.overlaps(a, b) == any(x < b and a < y for x, y in have)
            if rng.random() < 0.5:
                index.add((a, b))
                have.append((a, b))
