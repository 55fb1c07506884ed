"""Statement extraction and attribution on hand-written sentences of many reporting styles."""
from __future__ import annotations

import pytest

from orbat.extract.cues import build_cues, load_cues
from orbat.extract.statements import attribute, find_statements
from orbat.types import Quantity


def one(text: str, cue: str):
    """The single statement in ``text`` whose cue is ``cue``."""
    found = [s for s in find_statements(text, "t") if s.cue == cue]
    assert len(found) == 1, [(s.cue, s.source) for s in find_statements(text, "t")]
    return found[0]


def qty(text: str, needle: str) -> Quantity:
    a = text.index(needle)
    return Quantity(doc="t", span=(a, a + len(needle)), text=needle, value=None, low=None, high=None,
                    bound="exact", unit="personnel", per=None, actor=None, measure="strength",
                    location=None)


CASES = [
    # (text, cue, source, evidential, modality, negated)
    ("Moscow has moved 3,000 paratroopers to the border, Ukrainian officials said on Tuesday.",
     "said", "Ukrainian officials", "direct", "certain", False),
    ("Poland's defence ministry said two drones had crossed into its airspace.",
     "said", "Poland's defence ministry", "direct", "certain", False),
    ("Shelling intensified overnight, said Oleksiy Petrenko, the regional governor.",
     "said", "Oleksiy Petrenko", "direct", "certain", False),
    ("The strike killed nine people, according to local emergency services.",
     "according to", "local emergency services", "direct", "certain", False),
    ("Minefields slowed the advance, according to British intelligence cited by the BBC.",
     "according to", "British intelligence", "reported", "certain", False),
    ("Two battalions were withdrawn, a senior NATO diplomat told Reuters.",
     "told", "senior NATO diplomat", "direct", "certain", False),
    ("Western analysts believe the brigade has lost most of its tanks.",
     "believe", "Western analysts", "direct", "probable", False),
    ("Kyiv expects a renewed push on Pokrovsk within weeks.",
     "expects", "Kyiv", "direct", "probable", False),
    ("Some commanders speculate that the corps could be rotated out by spring.",
     "speculate", "commanders", "direct", "possible", False),
    ("Military bloggers doubt that the bridge can be repaired this year.",
     "doubt", "Military bloggers", "direct", "improbable", False),
    ("The Kremlin denied that conscripts were fighting across the border.",
     "denied", "Kremlin", "direct", "certain", True),
    ("Pentagon officials have not confirmed the figure.",
     "confirmed", "Pentagon officials", "direct", "certain", True),
    ("The army declined to confirm how many recruits had deserted.",
     "confirm", "army", "direct", "certain", True),
    ("The regiment is believed to have pulled back to the river.",
     "believed", None, "direct", "probable", False),
    ("A new Estonian intelligence report shows that stocks of shells are running low.",
     "shows", "Estonian intelligence report", "direct", "certain", False),
    ("A new Estonian intelligence assessment reveals that stocks of shells are running low.",
     "reveals", "Estonian intelligence assessment", "direct", "certain", False),
    ("Convoys have reportedly crossed the Dnipro at night, Ukrainian navy officials say.",
     "say", "Ukrainian navy officials", "reported", "certain", False),
    ("The general staff pointed out that winter would slow both armies.",
     "pointed out", "general staff", "direct", "certain", False),
    ("Finnish officials view the exercise as a rehearsal for a larger operation.",
     "view", "Finnish officials", "direct", "certain", False),
    ("The US intelligence community assesses that Pyongyang will very likely send more shells.",
     "assesses", "US intelligence community", "direct", "probable", False),
    ("The Wall Street Journal reported, citing European officials, that the unit had been disbanded.",
     "reported", "European officials", "reported", "certain", False),
    ("About 90 trucks crossed, according to figures shared by the prime minister's office.",
     "according to", "prime minister's office", "direct", "certain", False),
    ("At least 60 people died, the province's health ministry said.",
     "said", "province's health ministry", "direct", "certain", False),
    ("Dozens were killed, the rights group, the CDHR, reported on Monday.",
     "reported", "CDHR", "direct", "certain", False),
    ("A monitoring report released in March estimated that the group has 2,000 fighters.",
     "estimated", "monitoring report", "direct", "probable", False),
]


@pytest.mark.parametrize("text,cue,source,evidential,modality,negated", CASES)
def test_statement_fields(text, cue, source, evidential, modality, negated):
    st = one(text, cue)
    assert st.source == source
    assert st.evidential == evidential
    assert st.modality == modality
    assert st.negated is negated
    assert text[st.cue_span[0]:st.cue_span[1]].lower().split()[0] == cue.split()[0]
    assert st.span[0] <= st.cue_span[0] and st.cue_span[1] <= st.span[1]


def test_cue_span_points_at_the_cue_not_the_negation():
    text = "Defence officials have not confirmed whether more troops are coming."
    st = one(text, "confirmed")
    assert text[slice(*st.cue_span)] == "confirmed"
    assert st.negated


def test_quote_spanning_sentences_resolves_he_to_the_analyst():
    text = ("Researcher Kateryna Hlib described the draft as a lottery.\n"
            "“Nobody knows who is next. They may take 30,000 men this spring,” she said.")
    st = one(text, "said")
    assert st.source == "Kateryna Hlib"
    assert st.span[0] == text.index("“")  # the whole quotation is what she said
    assert st.modality == "possible"  # "may" governs the quoted clause


def test_these_officials_refer_back_to_the_last_officials():
    text = ("Senior Lithuanian defence officials warned that the build-up was growing. "
            "According to these officials, the exercise involved several brigades.")
    st = one(text, "according to")
    assert st.source == "Senior Lithuanian defence officials"


def test_translated_briefing_it_said_refers_to_the_ministry():
    text = ("According to the Russian Ministry of Defence, air defences intercepted 14 drones. "
            "Three launchers were also destroyed, it said.")
    assert one(text, "said").source == "Russian Ministry of Defence"


def test_participle_cue_takes_the_subject_of_the_sentence():
    text = "Some Dutch analysts have turned pessimistic, noting that reserves are thin."
    assert one(text, "noting").source == "Dutch analysts"


def test_participle_after_a_reporting_verb_keeps_that_speaker():
    text = ("The Kremlin's recruiting goal is about 25,000 men a month, a senior NATO official "
            "said, adding that the goal has been missed since June.")
    assert one(text, "adding").source == "senior NATO official"


def test_likelihood_band_from_estimative_words():
    st = one("Officials said the town will very likely fall by summer.", "said")
    assert st.modality == "probable" and st.likelihood == (0.80, 0.95)
    st = one("Analysts said an offensive before spring is unlikely.", "said")
    assert st.modality == "improbable" and st.likelihood == (0.20, 0.45)


def test_writer_sentences_yield_no_statement():
    text = ("The president has championed more aid, urging lawmakers to approve billions. "
            "Russia struggles to meet its recruitment target.")
    assert find_statements(text, "t") == []


def test_two_clauses_two_sources():
    text = ("Kyiv has not confirmed the losses, though a senior Ukrainian commander has suggested "
            "that as many as 2,000 soldiers might be encircled.")
    sts = find_statements(text, "t")
    assert [s.cue for s in sts] == ["confirmed", "suggested"]
    assert sts[0].negated and not sts[1].negated
    assert sts[1].source == "senior Ukrainian commander" and sts[1].modality == "possible"
    assert sts[0].span[1] <= sts[1].cue_span[0]


def test_attribute_uses_covering_statement_and_local_hedges():
    text = ("Moscow has reportedly massed around 40,000 troops near the city, according to "
            "Polish officials cited by a local newspaper. "
            "A senior Ukrainian officer has suggested that the army might lose 5,000 men. "
            "The front has moved 12 km this year.\n"
            "“This is not a one-off. It could grow to 8,000 a month, perhaps up to 10,000,” he said.")
    qs = [qty(text, "around 40,000"), qty(text, "5,000"), qty(text, "12 km"),
          qty(text, "8,000"), qty(text, "up to 10,000")]
    out = attribute(qs, find_statements(text, "t"), text)
    by = {q.text: q for q in out}
    assert by["around 40,000"].source == "Polish officials"
    assert by["around 40,000"].evidential == "reported"
    assert by["5,000"].source == "senior Ukrainian officer" and by["5,000"].modality == "possible"
    assert by["12 km"].source is None and by["12 km"].modality == "certain"
    assert by["8,000"].source == "senior Ukrainian officer" and by["8,000"].modality == "possible"
    assert by["up to 10,000"].modality == "possible"


def test_attribute_passive_and_likely():
    text = ("Some 1,500 fighters are believed to have crossed the river. "
            "Officials said the garrison of 600 is likely to surrender.")
    qs = attribute([qty(text, "Some 1,500"), qty(text, "600")], find_statements(text, "t"), text)
    assert qs[0].source is None and qs[0].modality == "probable"
    assert qs[1].source == "Officials" and qs[1].modality == "certain"  # "likely" follows the number
    text2 = "Officials said the garrison is likely to lose 600 men."
    q = attribute([qty(text2, "600")], find_statements(text2, "t"), text2)[0]
    assert q.modality == "probable" and q.likelihood == (0.55, 0.80)


def test_bad_lexicon_names_the_file():
    with pytest.raises(ValueError, match="cues.yaml.*reporting_verbs"):
        build_cues({"reporting_verbs": ["said"]}, __import__("pathlib").Path("cues.yaml"))


def test_lexicon_loads_bands_and_verbs():
    lex = load_cues()
    assert lex.verb_modality["said"] == "certain"
    assert lex.verb_modality["speculate"] == "possible"
    assert lex.likelihood["roughly even chance"] == (0.45, 0.55)


@pytest.mark.parametrize("text,cue,source", [
    ("Officials, speaking on condition of anonymity, said 300 soldiers were captured.", "said", "Officials"),
    ("Lt. Gen. Kyrylo Budanov, head of Ukraine's military intelligence, told the BBC that the unit "
     "had withdrawn.", "told", "Lt. Gen. Kyrylo Budanov"),
    ("A spokesman for the Southern Defence Forces, Vladyslav Voloshyn, said the assault had stalled.",
     "said", "Vladyslav Voloshyn"),
    ("“The losses are enormous,” said one soldier who asked not to be named.", "said", "soldier"),
    ("The Institute for the Study of War said in its latest update that the town had fallen.",
     "said", "Institute for the Study of War"),
    ("Gaza's Hamas-run health ministry said the toll had passed 40,000.", "said",
     "Gaza's Hamas-run health ministry"),
    ("Hundreds of men have left the region, according to estimates by local journalists.",
     "according to", "local journalists"),
])
def test_source_phrases(text, cue, source):
    assert one(text, cue).source == source


def test_live_blog_entries_and_denials():
    text = ("09:40 Hungary's foreign ministry disputes the figure, saying fewer trucks crossed.\n"
            "10:15 Russian state media reported that 40 soldiers surrendered, a claim Kyiv called false.")
    sts = find_statements(text, "t")
    by = {s.cue: s for s in sts}
    assert by["disputes"].negated and by["disputes"].source == "Hungary's foreign ministry"
    assert by["called"].negated and by["called"].source == "Kyiv"
    assert not by["reported"].negated and by["reported"].source == "Russian state media"


def test_think_tank_is_not_a_cue():
    text = "Elena Marsh, a researcher at a Washington think tank, studies drone supply."
    assert [s for s in find_statements(text, "t") if s.cue == "think"] == []


def test_the_paper_said_refers_to_the_relaying_outlet():
    text = ("The Financial Times reported, citing Ukrainian intelligence, that the brigade had lost "
            "most of its vehicles. The paper said 200 soldiers had deserted.")
    sts = find_statements(text, "t")
    assert sts[0].source == "Ukrainian intelligence" and sts[0].via == "Financial Times"
    assert sts[1].source == "Financial Times"


def test_a_relay_later_in_the_clause_names_who_asserts():
    # the relay need not follow the verb: it may close the clause, past the object or a time
    st = [s for s in find_statements("Radio Dabanga reported 12 deaths in the camp, citing a local nurse. "
                                     "Later, 30 homes burned, the radio reported on Friday, quoting residents.", "t")]
    assert [(s.source, s.via, s.evidential) for s in st] == [
        ("local nurse", "Radio Dabanga", "reported"), ("residents", "Radio Dabanga", "reported")]
    # another reporting verb in between takes the relay for itself
    plain = one("The ministry reported 12 deaths and officials said, citing a nurse, that 30 homes burned.", "reported")
    assert plain.source == "ministry" and plain.via is None


@pytest.mark.parametrize("text, later, source", [
    ("A senior Western official said 900 fighters had crossed. The same official said 400 had returned.",
     "The same official said", "senior Western official"),
    ("Two Pentagon officials said 500 troops moved. One of the officials said 40 had been hurt.",
     "One of the officials said", "Pentagon officials"),
    ("The monitoring group Airwars counted 61 strikes. The group said 14 had hit homes.",
     "The group said", "monitoring group Airwars"),
])
def test_a_source_named_back_is_its_fullest_earlier_name(text, later, source):
    cue = later.split()[-1]
    at = text.index(later)
    st = [s for s in find_statements(text, "t") if s.cue == cue and s.cue_span[0] >= at]
    assert st and st[0].source == source


def test_it_refers_to_the_body_that_spoke_or_opened_the_sentence_before():
    text = ("The Inter-Services Public Relations said in a statement carried by state broadcaster PTV "
            "that troops raided a hideout. It said 13 militants were killed.")
    assert [s.source for s in find_statements(text, "t")] == ["Inter-Services Public Relations"] * 2
    text = "Saba reported, citing a military source, that 40 died. It said 12 were hurt."
    assert [s.source for s in find_statements(text, "t")] == ["military source", "Saba"]
    text = "09:10 - Sudan's health ministry has revised its toll. It says 212 people died in the camp."
    assert one(text, "says").source == "Sudan's health ministry"
    # an agentless passive leaves nobody for "it" to name
    text = ("The army said in a statement that troops repelled the raid, while acknowledging losses. "
            "It said jets struck the column.")
    assert [s.source for s in find_statements(text, "t")][-1] == "army"


def test_a_noun_like_verb_closing_a_sentence_is_a_noun_unless_a_source_closes_it():
    text = "Troops raided the hideout after receiving intelligence reports. Some 300 died, the ministry estimates."
    assert [(s.cue, s.source) for s in find_statements(text, "t")] == [("estimates", "ministry")]
    assert one("About 40 were killed, as Reuters reports.", "reports").source == "Reuters"


def test_a_person_for_a_body_keeps_the_body_and_is_still_he():
    text = ("Heavy fighting went on near the plant, Interfax-Ukraine reported, citing a spokesman for the "
            "47th Mechanised Brigade. He said 20 attackers were killed. The region's information minister "
            "said 57 fighters died. Brigadier General Amos Otieno said 9 soldiers were hurt. He added that 2 died.")
    assert [s.source for s in find_statements(text, "t")] == [
        "spokesman for the 47th Mechanised Brigade", "spokesman for the 47th Mechanised Brigade",
        "region's information minister", "Brigadier General Amos Otieno", "Amos Otieno"]


def test_a_passive_relay_after_the_verb_keeps_the_speaker():
    st = one("The defence ministry said, as cited by the SABC, that nine soldiers died.", "said")
    assert (st.source, st.via, st.evidential) == ("defence ministry", "SABC", "reported")
    st = one("Kyiv said, citing the General Staff, that 40 drones were downed.", "said")
    assert (st.source, st.via, st.evidential) == ("General Staff", "Kyiv", "reported")


def test_a_name_with_hyphens_is_a_person_and_he_is_that_person():
    text = ("Jean-Pierre Ndjango, a local chief, said 31 people died. A spokesperson for the agency said "
            "aid was blocked. Marie-Claire O'Brien, a nurse, said 12 were hurt. \"We found 42 bodies,\" she told reporters.")
    assert [s.source for s in find_statements(text, "t")][-1] == "Marie-Claire O'Brien"


def test_an_age_refers_back_to_the_person():
    from orbat.extract import extract

    text = ("Abdulrahman al-Ahdal, who runs a shipping firm, said prices had doubled. "
            "\"It takes 11 days,\" the 47-year-old said from his office.")
    assert [c.source for c in extract(text) if c.kind == "statement"] == ["Abdulrahman al-Ahdal"] * 2


@pytest.mark.parametrize("text, source", [
    ("The IOM put the number of displaced at about 4,800.", "IOM"),
    ("Residents put the death toll higher.", "Residents"),
    ("Some researchers put it as low as a third.", "researchers"),
])
def test_putting_a_figure_is_reporting_it(text, source):
    assert one(text, "put").source == source


def test_putting_a_thing_somewhere_is_not():
    assert find_statements("He put the bag on the table before the talks.", "t") == []


def test_a_reports_title_is_not_its_issuer_and_the_spy_agency_is_the_one_named():
    from orbat.extract.statements import document_author

    assert document_author("Assessment: Belarus's Military Support to Russia\n\nThe Institute | Note 4\n\nText.") is None
    text = "Lawmakers cited the National Intelligence Service. The spy agency believed 1,000 more had moved."
    assert one(text, "believed").source == "National Intelligence Service"


def test_a_source_on_a_front_is_the_person_not_the_front():
    text = ("A Ukrainian drone commander on the Kupiansk front, who asked to be named only by his call sign, "
            "told our correspondent that 40 drones were launched.")
    assert one(text, "told").source == "Ukrainian drone commander"


def test_a_bylined_interview_is_with_the_titled_person_and_a_press_conference_has_an_issuer():
    from orbat.extract.statements import _interviewee, document_author

    text = ("'Holding the line': a police chief on the gangs\n\nBy Anna Lund, Correspondent, The Courier\n\n"
            "PORT-AU-PRINCE - Divisional Inspector Ronald Pierre, 52, runs operations in the West department.\n\n"
            "How much do the gangs control?\nAbout 90 percent of the capital.\n\n"
            "How many officers do you have?\nAbout 300.")
    assert _interviewee(text, load_cues()) == "Ronald Pierre"
    assert document_author("Unofficial translation of a press conference by the Punjab Police, Lahore, "
                           "2 May.\n\nThe officer said 30 were held.") == "Punjab Police"
