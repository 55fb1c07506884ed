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
    ("no_side_for_spans", "Russian troops are now about 3 km from Pokrovsk, analysts said.", "about 3",
     dict(actor=None, measure="distance")),
    ("unit_of_others", "The strike killed 12 civilians and wounded 40 others, officials said.", "40",
     dict(unit="people", measure="wounded")),
    ("unit_of_a_bare_count", "Since Friday, 120,000 have fled across the border, the agency said.", "120,000",
     dict(unit="people", actor=None)),
    ("deployed_abroad", "Sweden has stationed 600 troops in Latvia.", "600",
     dict(actor="Sweden", measure="deployed", location="Latvia")),
    ("shares_have_no_side", "Israel said the appeal is only 12 percent funded.", "12",
     dict(actor=None)),
    ("hardware_lost_is_equipment (a loss list)", "Ukraine said Russia lost 900 soldiers, 4 tanks and 31 drones "
     "over the past day.", "31", dict(unit="drones", measure="equipment", actor="Russia")),
    ("hardware_lost_is_equipment (lost)", "Two officials said at least three Reaper drones were lost over the sea.",
     "at least three", dict(unit="drones", measure="equipment")),
    ("hardware_lost_is_equipment (launched stays)", "Russia launched 120 drones overnight.", "120",
     dict(unit="drones", measure="other")),
    ("people_reached_are_aid", "The agency reached about 1.4 million people with food in May.", "about 1.4 million",
     dict(unit="people", measure="aid")),
    ("strength_put_at", "A UN panel has put the group's strength at up to 4,000 across the region.", "up to 4,000",
     dict(unit="personnel", measure="strength")),
    ("strength_put_at (a toll)", "The ministry put the number of police officers killed at 45.", "45",
     dict(measure="killed")),
    ("people_reached_are_aid (households)", "Partners distributed shelter kits to 1,200 households in May.", "1,200",
     dict(unit="households", measure="aid")),
    ("lost_and_wounded_are_killed", "We lost two soldiers in the ambush and five were wounded.", "two",
     dict(measure="killed", unit="personnel")),
    ("lost_and_wounded_are_killed (a toll of both)", "Russian forces lost 900 personnel killed and wounded in a day.",
     "900", dict(measure="casualties")),
    ("things_have_no_side", "Israel said 112 trucks entered on Sunday through the crossing.", "112",
     dict(actor=None, unit="trucks")),
    ("tolls_of_no_side", "Ukraine said Russia lost 900 troops. ACLED recorded about 1,900 fatalities in the "
     "province in June.", "about 1,900", dict(actor=None, unit="people", measure="killed")),
    ("tolls_of_no_side (a side's list)", "The army said 9 soldiers were killed and 14 wounded.", "14",
     dict(unit="personnel", measure="wounded")),
    ("losses_the_source_inflicted", "The Sudanese army said its units repelled an assault on the city, "
     "destroying 9 combat vehicles.", "9", dict(actor="Rapid Support Forces", unit="equipment")),
    ("losses_the_source_inflicted (its own)", "Azerbaijan said 40 of its servicemen were killed and 90 wounded.",
     "90", dict(actor="Azerbaijan", unit="personnel")),
    ("part_of_the_previous", "Sudan's army said it put 210 RSF fighters out of action near Bara.\n\n"
     "Of these, 58 were taken alive, while 17 handed over their rifles.", "17",
     dict(actor="RSF", unit="personnel")),
    ("actor_is_the_enemy (occupiers)", "Ukraine's General Staff said 140 occupiers were eliminated near Siversk.",
     "140", dict(actor="Russia")),
    ("actor_from_agent (stopped assaults)", "Ukrainian defenders stopped 31 assault actions near Lyman.", "31",
     dict(actor="Russia")),
    ("actor_from_agent (junta's hardware)", "Fighting in Myanmar spread. A KIA spokesman said junta jets carried out 12 air strikes in Kachin State.",
     "12", dict(actor="Myanmar")),
    ("aid_of_the_agency", "In May the World Food Programme trucked 420 tonnes of sorghum to Kadugli.", "420",
     dict(actor="World Food Programme", measure="aid")),
    ("strength_put_at (forces estimated at)", "If French forces in the north, estimated at fewer than 800, leave, "
     "attacks would rise.", "fewer than 800", dict(unit="personnel", measure="strength")),
    ("strength_put_at (the core is)", "Our own estimate of the group's full-time core is between 9,000 and 12,000.",
     "between 9,000 and 12,000", dict(unit="personnel", measure="strength")),
    ("aid_of_the_agency (up the clauses)", "On 3 May, a WFP convoy of nine trucks carrying about 250 tonnes of "
     "food reached Kadugli.", "about 250", dict(actor="WFP", measure="aid")),
    ("funding_is_aid", "The response plan, which seeks US$2.5 billion, is 11 per cent funded.", "11",
     dict(measure="aid", actor=None)),
    ("measure_from_verb (lives lost)", "Six civilians lost their lives and 11 were wounded.", "Six",
     dict(measure="killed", unit="people")),
    ("measure_from_verb (a force it has)", "The mission has about 10,000 troops drawn from some 50 countries.",
     "about 10,000", dict(measure="strength")),
    ("equipment_is_equipment (military trucks)", "Its fighters killed 20 soldiers and seized 3 military trucks.",
     "3", dict(unit="equipment", measure="equipment")),
    ("soldiers_are_the_states", "Sudan's war: the RSF claims hundreds of soldiers were killed near El Fasher "
     "in Sudan.", "hundreds of soldiers", dict(actor="Sudan")),
    ("location_in_the_sentence (a distance)", "The convoy was hit about 280 km north of Kidal on Sunday.",
     "about 280", dict(measure="distance", location="Kidal")),
    ("location_of_the_war", "Haiti's gangs tightened their hold. Haiti's police are stretched. "
     "Aid groups said about 5,000 people fled last week.", "about 5,000", dict(location="Haiti")),
    ("place_of_a_distance (the place it locates)", "Some 180,000 people reached Tawila, about 60 km west of "
     "El Fasher, aid groups said.", "about 60", dict(measure="distance", location="Tawila")),
    ("actor_of_the_speaker (a communique's 'our')", "Statement of the Ministry of Defence of the Syrian Arab "
     "Republic\n\nThe source added that 4 members of our forces were martyred in clashes with the SDF.", "4",
     dict(actor="Syria")),
    ("tolls_of_no_side (a health count)", "Medics at the hospital said 17 of the dead were from one family.",
     "17", dict(unit="people", actor=None)),
    ("actor_from_agent (a group noun)", "JNIM fighters attacked Boulkessi in Mali. The militants seized "
     "at least 20 vehicles from the army there, Mali's army said.", "at least 20", dict(actor="Mali")),
    ("the_army_is_the_state", "Sudan's war drags on. Officers said the army's own losses in Omdurman were "
     "between 30 and 40 soldiers.", "between 30 and 40", dict(actor="Sudan")),
    ("location_in_the_sentence (made in)", "Kyiv said 6 howitzers made in the United States were destroyed.", "6",
     dict(location=None)),
    ("location_in_the_sentence (a base, not 'based in')", "When we overran the camp at Nam Hpak Ka we took "
     "31 soldiers prisoner.", "31", dict(location="Nam Hpak Ka")),
    ("location_in_the_sentence (a place noun read as a name)", "In Dera woreda, at the kebele of Addis Alem, a "
     "force of about 600 fighters was dispersed, the ministry said.", "about 600", dict(location="Addis Alem")),
    ("location_nationwide", "Chad's war: Chad's army says more than 2 million people are displaced nationwide.",
     "more than 2 million", dict(location="Chad")),
    ("location_of_the_question", "Interview with a UN officer.\n\nQ: How many peacekeepers serve in the "
     "north today?\n\nA: Around 4,000, from 30 countries.", "Around 4,000", dict(location="the north")),
    ("actor_of_the_speaker (their kill of ours)", "Hiran frontline: an interview\n\nColonel Ahmed Nur commands "
     "Somali National Army forces in Hiran. We spoke to him by phone.\n\n"
     "Q: What are your losses?\n\nA: Al-Shabaab says it killed 30 of our men. That is not true.", "30",
     dict(actor="Somalia")),
    ("part_of_the_previous (of them, before the reporting side's enemy)", "A Ukrainian officer said North "
     "Korean infantry advanced in groups of 20 men. He said four of them were captured.", "four",
     dict(actor="North Korea")),
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


def test_a_place_the_gazetteer_lacks_is_still_the_reports_place():
    text = ("\"The clinic is full\": an aid worker in the east\n\nAmina Yusuf, 41, is a nurse from Kenya who runs "
            "a clinic in Bokoro, near the border. She spoke to us during a visit to Nairobi.\n\n"
            "Q: How many patients do you see?\n\nA: About 120 a day, most of them displaced people.")
    q = _q(text, "About 120")
    assert q.location == "Bokoro"  # not Kenya (where she is from) nor Nairobi (where she spoke)


def test_where_a_briefing_was_given_is_not_where_it_happened():
    text = ("Army spokesman on the week's operations\n\n[Translation of a briefing given by the army's "
            "spokesman at a press conference in Mopti on 3 May.]\n\nDuring the week, units in the Boni "
            "sector killed 14 terrorists and seized 6 motorcycles.")
    q = _q(text, "14")
    assert q.location != "Mopti"


def test_an_armed_group_the_gazetteer_lacks_is_still_an_actor():
    text = ("The Hill Tract Liberation Army (HTLA) says it controls 14 villages. On Monday, 40 HTLA fighters "
            "were killed in an ambush, the group said.")
    assert _q(text, "40").actor == "Hill Tract Liberation Army"
    tally = ("Weekly summary issued by the Kanlay Brotherhood\n\nEnemy losses: 52 soldiers killed.\n\n"
             "Among our own forces, three comrades fell and seven were wounded this week.")
    assert _q(tally, "seven").actor == "Kanlay Brotherhood"


def test_translated_remarks_speak_for_their_figures():
    from orbat.extract.statements import document_author

    text = ("Governor on the week's attacks\n\n[Unofficial translation of remarks by Kassala State Governor "
            "Idris Ahmed Nur at a press conference on 4 May.]\n\nOur forces repelled two attacks.")
    assert document_author(text) == "Idris Ahmed Nur"
    report = ("MOZAMBIQUE: Flash Report #12 - Displacement from Mecufi and Metuge districts\n\n"
              "Some 4,000 people moved this week.")
    assert document_author(report) is None


def test_a_negative_subject_negates_the_check():
    from orbat.extract import extract

    text = "Rebels said they killed 40 soldiers; the army said 12 died. Neither account could be independently verified."
    st = [c for c in extract(text) if c.kind == "statement" and c.cue in ("verified", "verify")]
    assert st and st[0].negated and st[0].source is None


def test_a_tally_headline_in_the_x_sector_places_its_lines():
    text = ("Eastern Group of Forces: enemy losses in the Kharkiv and Sumy sectors, 1-7 May\n\n"
            "Enemy losses this week were approximately:\n\npersonnel - about 900 (+40)\ntanks - 12 (+1)\n")
    assert _q(text, "about 900").location == "Kharkiv"


@pytest.mark.parametrize("text, cue, source", [
    ("Aid groups said 40 people died. The figures could not be verified by the United Nations.", "verified",
     "United Nations"),
    ("Residents said 12 houses burned. We have not been able to confirm their account.", "confirm", None),
    ("The Emergency Medicine Centre says six people died. The defence ministry announces a ceasefire.",
     "announces", "defence ministry"),
    ("Asked about a claim by the rebels that they had killed 50 soldiers, the spokesman called it "
     "propaganda and said three soldiers had been wounded.", "said", "spokesman"),
])
def test_who_checks_announces_or_answers(text, cue, source):
    from orbat.extract import extract

    st = [c for c in extract(text) if c.kind == "statement" and c.cue == cue]
    assert st and st[0].source == source


def test_a_bracketed_change_counts_what_the_figure_before_counts():
    from orbat.extract import extract

    text = ("Weekly losses of the enemy, as reported by the army\n\nThe enemy lost:\n\n"
            "tanks - 1,210 (+6)\nartillery systems - 2,400 (+11)\n")
    qs = [c for c in extract(text) if c.kind == "quantity"]
    by = {q.text.lstrip("+"): q for q in qs}
    for total, change in (("1,210", "6"), ("2,400", "11")):
        a, b = by[total], by[change]
        assert (b.actor, b.unit, b.measure) == (a.actor, a.unit, a.measure) and a.unit == "equipment"


def test_a_headline_place_without_a_preposition_is_not_the_reports():
    text = ("Ukraine says Russia lost 900 troops as Pokrovsk fighting rages\n\n"
            "The General Staff said Russia lost 900 soldiers over the past day.")
    body = [c for c in extract(text) if c.kind == "quantity"][-1]
    assert body.location is None
    placed = "Russia loses 900 troops near Pokrovsk\n\nThe General Staff said Russia lost 900 soldiers."
    assert [c for c in extract(placed) if c.kind == "quantity"][-1].location == "Pokrovsk"


def test_a_toll_takes_the_place_of_the_reports_first_sentence():
    text = ("Communique No. 12 of the General Staff\n\n"
            "On 3 March, in the locality of Tessalit, an army convoy was ambushed by armed terrorist groups on the road north.\n\n"
            "After two hours of fighting, the army lost 7 soldiers.\n\nThe army has 9,000 troops in the north.")
    assert _q(text, "7").location == "Tessalit"
    assert _q(text, "9,000").location is None  # a force's strength is not the opening event's


def test_the_paragraph_keeps_its_place_and_a_line_is_a_paragraph():
    text = ("Fighting resumed around Marib on Sunday. The army lost 11 soldiers, a commander said.\n"
            "Aid groups said billions in aid are needed.")
    assert _q(text, "11").location == "Marib"
    assert _q(text, "billions").location is None


def test_a_long_tally_keeps_its_heading():
    items = "\n".join(f"item {chr(97 + i)}{chr(97 + i)} - {100 + i}" for i in range(14))
    text = ("General Staff of the Armed Forces of Ukraine\nTotal combat losses of the enemy (approximate figures)\n\n"
            "tanks - 10,906\n" + items + "\ncruise missiles - 3,302\n")
    assert _q(text, "3,302").actor == "Russia"


def test_places_keep_the_reports_spelling_not_a_wider_name():
    text = "Two convoys of 67 trucks reached Mekelle on Monday. Shelling in southern Lebanon killed 4 people."
    assert _q(text, "67").location == "Mekelle"  # the gazetteer's canonical name is "Mekele"
    assert _q(text, "4").location in ("southern Lebanon", "Lebanon")


def test_a_place_name_inside_a_longer_unknown_name_is_not_that_place():
    from orbat.extract.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    names = lambda t: [m.name for m in gaz.mentions(t) if m.kind == "place"]  # noqa: E731
    assert names("Shelling hit Hosere Kharkiv overnight.") == []
    assert names("Shelling hit Kharkiv overnight. Kharkiv was dark.") == ["Kharkiv", "Kharkiv"]
    assert len(names("Russia struck Western Ukraine.")) == 2  # a direction before a name is no longer name


def test_accented_places_keep_the_reports_spelling():
    text = "Gunmen killed 14 villagers near Ayorou in the Tillabéri region, the army said."
    assert _q(text, "14").location in ("Ayorou", "Tillabéri")
    assert "Tillaberi" not in {c.location for c in extract(text) if c.kind == "quantity"}


def test_agentless_estimates_are_not_a_source():
    text = ("Statement of the Ministry of Defence of Armenia\n\n"
            "According to preliminary information, the enemy lost 9 servicemen, the ministry said.")
    assert _q(text, "9").source != "preliminary information"


def test_the_issuer_of_a_tally_speaks_its_lines_and_owns_no_loss():
    text = ("General Staff: Russia lost 900 troops in the past day\n\n"
            "The combat losses of the enemy are approximately as follows, the General Staff of the Armed "
            "Forces of Ukraine reported:\n\npersonnel - about 1,002,000 (+900)\ntanks - 10,900 (+3)\n")
    tanks = _q(text, "10,900")
    assert (tanks.actor, tanks.source) == ("Russia", "General Staff of the Armed Forces of Ukraine")


def test_the_following_were_destroyed_and_a_headline_speaker():
    text = ("Russian Defence Ministry: Ukrainian forces lost up to 900 servicemen in a day\n\n"
            "In total, the ministry said, the following have been destroyed: 660 aircraft and 280 helicopters.")
    assert _q(text, "up to 900").actor == "Ukraine"
    assert _q(text, "660").actor == "Ukraine"


def test_a_live_headline_leading_with_a_place_is_about_it():
    text = ("Live updates: Belgorod region under drone fire\n\n"
            "10:05 - Shelling killed 3 people overnight, the governor said.")
    assert _q(text, "3").location == "Belgorod"
    assert _q("LIVE: Russia-Ukraine war latest\n\n10:05 - Shelling killed 3 people overnight.", "3").location is None


def test_a_headline_that_leads_with_its_issuer_speaks_the_report():
    from orbat.extract.statements import document_author

    assert document_author("Arakan Army statement on fighting in Kyaukphyu\n\nOur forces took 3 outposts.") == "Arakan Army"
    assert document_author("Burkina Faso General Staff: summary of operations\n\nThe army said.") == \
        "Burkina Faso General Staff"


def test_the_interviewee_named_after_a_title():
    text = ("A border county under fire\n\nWe spoke to the county commissioner, Abdi Hassan Omar, in his office.\n\n"
            "Q: How many officers have been killed?\n\nA: Fourteen police officers since January.\n")
    assert _q(text, "Fourteen").source == "Abdi Hassan Omar"


def test_a_language_is_not_a_side_but_a_translation_names_the_issuer():
    from orbat.extract.gazetteer import load_gazetteer

    assert [m for m in load_gazetteer().mentions("The interview was conducted in Spanish.") if m.kind == "actor"] == []
    text = ("Defence Forces of the South: operational update (translated from Ukrainian)\n\n"
            "During the day, the units destroyed:\npersonnel - 39;\nboats - 9;\n")
    assert _q(text, "39").actor == "Russia"


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


@pytest.mark.parametrize("text,cue,source", [
    ("A Ukrainian drone operator near Sudzha said 20 soldiers were seen.", "said", "Ukrainian drone operator"),
    ("A humanitarian coordinator based in Kaya said 300 families arrived.", "said", "humanitarian coordinator"),
    ("The defence ministry in Berlin said 40 vehicles were sent.", "said", "defence ministry in Berlin"),
    ("11:05 GMT — UNRWA's commissioner-general says 37 trucks entered Gaza.", "says", "UNRWA's commissioner-general"),
    ("Kyiv has not yet publicly confirmed the loss of 40 soldiers.", "confirmed", "Kyiv"),
    ("Humanitarian partners could not independently verify the figures.", "verify", "Humanitarian partners"),
    ("The figures could not be independently verified.", "verified", None),
])
def test_statement_sources(text, cue, source):
    st = [s for s in extract(text) if s.kind == "statement" and s.cue == cue]
    assert st and st[0].source == source, [(s.cue, s.source) for s in extract(text) if s.kind == "statement"]


def test_places_of_the_verb_above_and_of_the_country():
    q = _q("A drone hit an army base near Binyamina, killing four soldiers, medics said.", "four")
    assert q.location == "Binyamina"
    q = _q("Lebanon's health ministry says Israeli strikes killed 31 people in the past 24 hours.", "31")
    assert (q.actor, q.location) == (None, "Lebanon")


def test_the_question_says_whose_a_bare_answer_is():
    text = ("Major Idris Farah, 41, commands Somali National Army troops in the Hiran region.\n\n"
            "Q: How many fighters does al-Shabaab have in the region?\n"
            "A: Our intelligence says maybe 700 to 900. We lost 4 soldiers last week.\n")
    assert _q(text, "700 to 900").actor == "al-Shabaab"
    assert _q(text, "4").actor == "Somalia"


def test_the_adversary_is_the_one_the_report_names():
    text = ("Thura Aung, 36, commands a People's Defence Force battalion in Myanmar's Magway region.\n\n"
            "Q: What happened at the base?\nA: We captured 31 soldiers when we took it.\n")
    assert _q(text, "31").actor == "Myanmar"
    text = "The Arakan Army said the junta lost ground. The Myanmar military said it destroyed 6 Arakan Army boats."
    assert _q(text, "6").actor == "Arakan Army"


def test_sources_named_fully():
    text = ("Nazeli Arakelyan, press secretary to Prime Minister Nikol Pashinyan, said 4,770 people had crossed. "
            "She added that 1,400 were children.")
    assert _q(text, "4,770").source == "Nazeli Arakelyan" and _q(text, "1,400").source == "Nazeli Arakelyan"
    text = ("Communique of the General Staff of the Armed Forces of Ruritania\n\n"
            "The General Staff of the Armies informs the public that a convoy was attacked. "
            "On the friendly side, the General Staff deplores 3 dead and 7 wounded.")
    q = _q(text, "3")
    assert q.source == "General Staff of the Armed Forces of Ruritania"


def test_answers_are_the_interviewees_figures():
    text = ("Interview: the lake is quiet\n\nWe spoke to a senior officer of the UN observer mission at its base "
            "near the border. He asked not to be named.\n\nQ: How many observers does the mission have?\n\n"
            "A: Around 400, from 30 countries.\n")
    q = _q(text, "Around 400")
    assert q.source == "senior officer of the UN observer mission"


def test_a_tallys_items_are_the_issuers_adversarys():
    text = ("Statement of the Ministry of Defence of the Russian Federation\n\n"
            "Air defence means shot down:\n- 6 guided aerial bombs;\n- 140 fixed-wing unmanned aerial vehicles.\n\n"
            "On the friendly side:\n- 3 servicemen wounded.\n")
    assert _q(text, "140").actor == "Ukraine" and _q(text, "6").actor == "Ukraine"
    assert _q(text, "3").actor != "Ukraine"


def test_the_place_the_sentence_names():
    q = _q("Officials said 240 people remain displaced from damaged buildings in Ramat Gan.", "240")
    assert q.location == "Ramat Gan"
    q = _q("Germany will deliver 40 tanks, the defence ministry in Berlin said.", "40")
    assert q.location is None  # where the source sits is not where the tanks are


def test_a_tallys_personnel_under_losses_are_casualties():
    text = ("The enemy losses amounted to:\n- North group: up to 175 servicemen, 2 tanks;\n"
            "- 32 enemy combatants neutralized;\n")
    assert _q(text, "up to 175").measure == "casualties"
    assert _q(text, "32").measure == "killed"


def test_an_interview_printed_without_labels():
    text = ("Q&A: a commander in Hiran on the fight\n\n"
            "General Hassan Ali Nur, who leads the army in the area, spoke to us in Mogadishu last week.\n\n"
            "How many fighters does al-Shabaab have near Beledweyne?\n"
            "Our estimate is between 400 and 600, mostly in the villages.\n\n"
            "What help do you get from the African Union?\n"
            "Training, mostly. The group is believed to recruit 50 boys a month.\n")
    q = _q(text, "between 400 and 600")
    assert q.source == "Hassan Ali Nur" and q.actor == "al-Shabaab"
    believed = [s for s in extract(text) if s.kind == "statement" and s.cue == "believed"]
    assert believed and believed[0].source is None


def test_a_dash_tally_under_a_heading():
    text = ("General Staff of the Armed Forces of Ruritania\nTotal combat losses of the enemy to date\n\n"
            "personnel - about 90,340 (+1,120)\ntanks - 1,906 (+3)\n")
    people, tanks, inc = _q(text, "about 90,340"), _q(text, "1,906"), _q(text, "1,120")
    assert (people.unit, people.measure) == ("personnel", "casualties")
    assert (tanks.unit, tanks.measure) == ("equipment", "equipment")
    assert inc.per == "day"
    text = "Russian losses since the start of the war:\npersonnel - about 700,000\ntanks - 9,906\n"
    assert _q(text, "9,906").actor == "Russia"


def test_the_enemys_list_and_what_air_defence_shot_down():
    text = ("Statement of the Ministry of Defence of the Russian Federation\n\n"
            "Over the past day the enemy lost more than 230 servicemen, three tanks and five armoured vehicles. "
            "Air defence systems shot down 3 guided aerial bombs and 2 HIMARS rockets.")
    assert {_q(text, n).actor for n in ("three", "five", "3", "2")} == {"Ukraine"}


def test_deaths_in_a_toll_are_no_sides():
    text = "Gaza's health ministry says 54,880 Palestinians have been killed, including 96 deaths in the past day."
    assert _q(text, "96").actor is None


def test_an_appeals_money_is_no_sides():
    q = _q("The 2025 Sudan Humanitarian Response Plan, which seeks US$4.2 billion, is 23 per cent funded.",
           "US$4.2 billion")
    assert (q.actor, q.measure, q.location) == (None, "aid", "Sudan")


@pytest.mark.parametrize("text,cue,source,negated", [
    ("ACLED data show 40 attacks in May.", "show", "ACLED data", False),
    ("The government has called the figure exaggerated.", "called", "government", True),
    ("Partners have not been able to verify the figures.", "verify", "Partners", True),
    ("The refugee population is commonly estimated at 100,000.", "estimated", None, False),
])
def test_more_statement_shapes(text, cue, source, negated):
    st = [s for s in extract(text) if s.kind == "statement" and s.cue == cue]
    assert st and (st[0].source, st[0].negated) == (source, negated)


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


def test_a_dateline_is_not_a_tally_line():
    q = _q("BAMAKO - Jihadist fighters killed an estimated 70 soldiers near Boulkessi in central Mali, "
           "security sources told AFP.", "an estimated 70")
    assert q.actor != "JNIM"
    q = _q("The Netherlands pledged 24 F-16 jets to Ukraine, a spokesperson said.", "24")
    assert q.measure == "aid"


def test_the_attribute_lookup_gives_the_rulers_annotations():
    import spacy

    original = spacy.load(syntax.model_name(), exclude=["ner"])
    assert "attribute_ruler" in original.pipe_names
    fast = syntax.load_model()
    assert "attribute_ruler" not in fast.pipe_names
    texts = ["Y'all ain't gonna believe there's nothin' left, officials said.",
             "Russia's forces have been deployed  to Kursk;\n\nthey are thought to number 50,000.",
             "It is what it is: 1,200 troops were killed and wounded, and 3 tanks destroyed."]
    for a, b in zip(original.pipe(texts), fast.pipe(texts)):
        assert [(t.pos_, t.lemma_, str(t.morph), t.dep_) for t in a] == \
               [(t.pos_, t.lemma_, str(t.morph), t.dep_) for t in b]


def test_a_place_named_back_by_its_noun_is_the_place_of_that_kind_named_before():
    text = ("Rebels seized the northern city of Kidal on Monday. Medics working in the city said about 60 "
            "wounded fighters had been treated. The army keeps some 900 soldiers in Mopti region, and 300 "
            "more arrived in the region last week.")
    assert _q(text, "about 60").location == "Kidal"
    assert _q(text, "300").location == "Mopti"


def test_a_distance_covered_by_a_side_is_that_sides():
    text = "Russian forces advanced up to 3 km near Kupiansk, while the front was 40 km from the city."
    assert _q(text, "up to 3").actor == "Russia"
    assert _q(text, "40").actor is None


def test_a_name_with_particles_is_one_source():
    text = "Marten van der Berg, who heads the mission, said 200 families had fled."
    assert _q(text, "200").source == "Marten van der Berg"


def test_a_ranges_counted_noun_and_a_contingents_sender():
    text = "UN experts estimated that between 3,000 and 4,000 Chadian soldiers were operating near Kidal."
    assert _q(text, "between 3,000 and 4,000").actor == "Chad"
    text = "Kigali has kept a contingent of around 4,000 soldiers in the province since 2021."
    assert _q(text, "around 4,000").actor == "Rwanda"


def test_places_reach_their_state_through_the_gazetteers_parents():
    from orbat.extract.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    assert syntax._country_of("Goma", gaz) == "Democratic Republic of Congo"
    assert syntax._country_of("Sevastopol", gaz) == "Ukraine"
    assert syntax._country_of("Kursk", gaz) == "Russia"


def test_a_toll_that_carries_on_a_figure_counts_what_it_counted():
    text = ("The ministry says 54 Palestinians were killed in the past day, bringing the death toll it "
            "has recorded since October 2023 to more than 48,200.")
    q = _q(text, "more than 48,200")
    assert (q.unit, q.actor) == ("people", None)


def test_an_interviews_place_is_the_one_its_headline_names():
    text = ("'The roads are closed': Borno governor on the siege\n\n"
            "MAIDUGURI, Nigeria — Insurgents have killed thousands across Nigeria's North-East, and Borno "
            "state is the worst hit. In an interview in Maiduguri, Governor Musa Kolo spoke about the crisis.\n\n"
            "Q: How many people are displaced?\n\nA: We have registered about 2,600 families this month.")
    assert _q(text, "about 2,600").location == "Borno"


def test_munitions_launched_from_a_state_are_its():
    text = "The army says it has tracked about 30 ballistic missiles launched from Iranian territory overnight."
    assert _q(text, "about 30").actor == "Iran"


@pytest.mark.parametrize("text, number", [
    ("Researchers put the number of armed men in the city at perhaps 3,000 to 5,000.", "3,000 to 5,000"),
    ("The government says roughly 18,000 people belong to armed groups across the country.", "roughly 18,000"),
    ("Analysts estimate the militia has 600 fighters. Local officials have put the number higher, at up to 1,000.",
     "up to 1,000"),
])
def test_a_forces_size_however_put_is_strength(text, number):
    q = _q(text, number)
    assert (q.unit, q.measure) == ("personnel", "strength")


def test_a_toll_counts_the_dead():
    assert _q("Civil defence sources put the toll from that strike at 21.", "21").measure == "killed"


@pytest.mark.parametrize("text, number", [
    ("- 38 per cent received of the $934 million sought for the response", "38"),
    ("WFP has provided hot meals and dry rations to more than 60,000 people since May.", "more than 60,000"),
    ("Partners reached about 265,000 people with food in April, short of the 400,000 targeted.", "400,000"),
])
def test_humanitarian_reach_and_funding_are_aid(text, number):
    assert _q(text, number).measure == "aid"


@pytest.mark.parametrize("text, number, unit, measure", [
    ("Rwandan forces, in the province since 2021, now number around 4,000.", "around 4,000", "personnel", "strength"),
    ("The auxiliary force now numbers between 50,000 and 90,000.", "between 50,000 and 90,000", "personnel", "strength"),
    ("Refugees in Chad now number 1.2 million.", "1.2 million", "people", "other"),
])
def test_what_numbers_so_many_is_counted_by_it(text, number, unit, measure):
    q = _q(text, number)
    assert (q.unit, q.measure) == (unit, measure)


@pytest.mark.parametrize("text, number", [
    ("The town, whose population has swollen to about 300,000, is resupplied by air.", "about 300,000"),
    ("The agency put the number of people displaced since January at about 4,800.", "about 4,800"),
    ("The governor's office put the civilian death toll at 31.", "31"),
])
def test_a_population_or_a_civilian_toll_counts_people(text, number):
    q = _q(text, number)
    assert (q.unit, q.actor) == ("people", None)


def test_bodies_of_fighters_are_personnel():
    assert _q("His men had recovered 17 bodies of soldiers near the base.", "17").unit == "personnel"
    assert _q("Rescuers found 40 bodies in the rubble of the market.", "40").unit == "people"


def test_a_groups_army_is_not_the_states():
    text = ("Ethiopia's government says the insurgency is weak. We assess that the Oromo Liberation Army "
            "retains between 6,000 and 10,000 armed fighters in the Wollega zones.")
    assert _q(text, "between 6,000 and 10,000").actor == "Oromo Liberation Army"


@pytest.mark.parametrize("text, number, source", [
    ("Minsk is believed to have sent about 3,000 troops to the border since May, the lawmakers told reporters.",
     "about 3,000", "lawmakers"),
    ("Ukrainian officials say 59 prisoners are still held, of whom about 24 are believed to be wounded.",
     "about 24", "Ukrainian officials"),
    ("The mission is expected to field about 11,000 troops, although several countries have warned of cuts.",
     "about 11,000", None),
])
def test_an_agentless_belief_inside_a_sources_words_is_the_sources(text, number, source):
    assert _q(text, number).source == source


def test_a_subjects_own_modifier_names_the_side_and_troops_sent_are_the_senders():
    text = "Chadian soldiers deployed to Niger's Tillaberi region have suffered roughly 300 casualties, officials said."
    assert _q(text, "roughly 300").actor == "Chad"
    text = "Most of the 2,000 troops that Minsk has sent to the border are reservists, analysts say."
    assert _q(text, "2,000").actor == "Belarus"


@pytest.mark.parametrize("text", [
    "The lawmaker spoke to reporters after the 90-minute session.",
    "Evacuees are received at the transit centre at 14 Akademika Pavlova Street.",
    "Poland plans to spend around 4.7% of GDP on defence this year.",
    "The claim was repeated by at least two European politicians this week.",
])
def test_numbers_that_are_not_about_the_war(text):
    assert [c for c in extract(text) if c.kind == "quantity"] == []


def test_an_interviewed_commanders_side_is_the_state_whose_ground_the_unit_holds():
    text = ("\"We need shells\": a brigade commander on the front\n\n"
            "Colonel Ivan Sirko commands a mechanised brigade holding a sector between Orikhiv and Huliaipole. "
            "We spoke in a dugout.\n\nQ: How many men have you lost?\n\nA: We lost 40 men in our brigade last month.")
    assert _q(text, "40").actor == "Ukraine"


def test_a_digest_items_place_in_capitals_and_a_live_blog_with_several_places():
    text = ("Morning digest: drones over Kyiv, and a bloody week in Goma\n\n"
            "SUDAN. Aid groups said 40 trucks reached the camp this week.\n\n"
            "CONGO. Fighting near Goma killed 12 people, officials said.")
    assert _q(text, "40").location == "Sudan"
    text = ("LIVE: Strikes hit Khan Younis and Gaza City as aid trucks wait at Kerem Shalom\n\n"
            "18:40 GMT\nThe health ministry says 63 people have been killed since dawn.")
    assert _q(text, "63").location != "Kerem Shalom"


def test_people_uprooted_are_counted_not_lost():
    text = "The war has killed tens of thousands of people and uprooted more than 12 million, UN figures show."
    assert _q(text, "more than 12 million").measure == "other"


def test_a_place_beside_its_region_and_a_live_blogs_topic():
    text = ("At least 38 people were killed on Friday when shells hit a camp in El Fasher, capital of "
            "Sudan's North Darfur state, a volunteer group said.")
    assert _q(text, "At least 38").location == "El Fasher"
    text = ("Kursk live: Russia presses counteroffensive near Sudzha\n\n14:31 GMT\n"
            "Special forces said they had killed 27 soldiers overnight.")
    assert _q(text, "27").location == "Kursk"


def test_a_press_releases_label_line_is_not_its_headline():
    text = ("PRESS RELEASE - FOR IMMEDIATE RELEASE\n\nHaiti: clinics overwhelmed as displacement grows, warns charity\n\n"
            "GENEVA, 3 May - \"Our teams are treating around 400 patients a day,\" said a spokesperson.")
    assert _q(text, "around 400").location == "Haiti"


def test_the_states_name_for_the_pakistani_taliban():
    text = "Police said 34 khawarij were killed in operations in Bannu district, officials said."
    q = _q(text, "34")
    assert (q.actor, q.unit) == ("Tehrik-i-Taliban Pakistan", "personnel")


def test_what_the_enemy_does_is_the_enemys():
    text = ("General Staff of the Armed Forces of Ukraine: operational update\n\n"
            "Near Antonivka the enemy tried to land assault groups, using up to 6 boats each time.")
    assert _q(text, "up to 6").actor == "Russia"


def test_an_agencys_own_trucks_are_its_aid():
    text = "The World Food Programme said just 60 of its trucks had reached warehouses in the last week."
    assert _q(text, "60").actor == "World Food Programme"
