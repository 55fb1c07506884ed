"""find_quantities on sentences written for these tests (wire copy, ministry statements, live
blogs): value, bound, unit, rate, actor, measure and location; and what is not a quantity."""
from __future__ import annotations

import pytest

from orbat.extract.gazetteer import load_gazetteer
from orbat.extract.quantities import find_quantities

# sentence, quantity text, expected fields (value/low/high/bound/unit/per/actor/measure/location)
CASES = [
    ("MOSCOW, Nov 3 (wire) - Russia has massed some 40,000 troops near Sudzha, two U.S. "
     "officials said on Monday.", "some 40,000",
     dict(value=40000, bound="approx", unit="personnel", per=None, actor="Russia",
          measure="strength", location="Sudzha")),
    ("Pyongyang has sent as many as 12,000 soldiers to fight alongside Russian units, Seoul's "
     "spy agency said.", "as many as 12,000",
     dict(value=12000, bound="up_to", unit="personnel", actor="North Korea", measure="deployed")),
    ("Between 8,000 and 10,000 North Korean troops are stationed in Kursk, according to the "
     "agency.", "Between 8,000 and 10,000",
     dict(value=None, low=8000, high=10000, bound="range", unit="personnel",
          actor="North Korea", measure="strength", location="Kursk")),
    ("LIVE: 14:05 GMT — Ukraine says 1,380 Russian servicemen were killed over the past day.",
     "1,380", dict(value=1380, bound="exact", unit="personnel", actor="Russia", measure="killed")),
    ("Russia recruits roughly 1,000 volunteers daily, a former minister claimed.",
     "roughly 1,000", dict(value=1000, bound="approx", unit="personnel", per="day",
                           actor="Russia", measure="recruited")),
    ("Washington approved an extra $2.5bn in security assistance for Kyiv on Friday.",
     "$2.5bn", dict(value=2.5e9, bound="exact", unit="usd", actor="United States", measure="aid")),
    ("The U.S. has provided more than $60 billion in military assistance since 2022.",
     "more than $60 billion", dict(value=6e10, bound="at_least", unit="usd",
                                   actor="United States", measure="aid")),
    ("Russian forces now control about 18 percent of Ukraine, analysts estimate.",
     "about 18", dict(value=18, bound="approx", unit="percent", actor="Russia",
                      measure="territory_held")),
    ("The ministry put the number of wounded at 2,000 to 2,500 since the offensive began on "
     "August 6.", "2,000 to 2,500", dict(low=2000, high=2500, bound="range", measure="wounded")),
    ("Ukraine aims to mobilise 160,000 people by the end of the year.", "160,000",
     dict(value=160000, unit="personnel", actor="Ukraine", measure="recruited")),
    ("Moscow has fewer than 600 modern tanks left in reserve, according to the institute.",
     "fewer than 600", dict(value=600, bound="at_most", unit="equipment", actor="Russia")),
    ("Russian troops are gaining around 20 square kilometres a day in the Donetsk region.",
     "around 20", dict(value=20, bound="approx", unit="km2", per="day", actor="Russia",
                       measure="territory_gained", location="Donetsk")),
    ("Ukraine's forces still hold around 500 square kilometres inside the Kursk region.",
     "around 500", dict(value=500, unit="km2", actor="Ukraine", measure="territory_held",
                        location="Kursk")),
    ("The ministry said 846-1,523 servicemen had been recruited each week.", "846-1,523",
     dict(low=846, high=1523, bound="range", unit="personnel", per="week", measure="recruited")),
    ("Some 122 883 soldiers have been mobilized, the General Staff said.", "Some 122 883",
     dict(value=122883, bound="approx", unit="personnel", measure="recruited")),
    ("Four-thousand-100 recruits signed contracts last month.", "Four-thousand-100",
     dict(value=4100, bound="exact", unit="personnel")),
    ("He said several thousand Wagner fighters had died around Bakhmut.", "several thousand",
     dict(value=None, low=3000, high=9000, bound="vague", unit="personnel", actor="Russia",
          measure="killed", location="Bakhmut")),
    ("Tens of thousands of civilians fled as shelling intensified.",
     "Tens of thousands of civilians",
     dict(low=20000, high=99999, bound="vague", unit="people")),  # non-combatants are people
    ("A dozen drones were shot down over Odesa overnight, the air force said.", "A dozen",
     dict(value=12, unit="drones", measure="other", location="Odesa")),  # munitions keep their noun
    ("Moscow is struggling to meet its annual conscription target of 150,000 men.", "150,000",
     dict(value=150000, unit="personnel", per="year", actor="Russia",
          measure="recruitment_target")),
    ("Russia is losing 1,500 troops a day, according to British intelligence.", "1,500",
     dict(value=1500, unit="personnel", per="day", actor="Russia", measure="casualties")),
    ("At least 15k fighters joined the militia this spring.", "At least 15k",
     dict(value=15000, bound="at_least", unit="personnel", measure="recruited")),
    ("Prices at the market rose to $3.50 a kilo.", "$3.50", dict(value=3.5, unit="usd",
                                                             measure="other")),
]


def _find(sentence: str, text: str):
    hits = [q for q in find_quantities(sentence, "t") if q.text == text]
    assert hits, f"{text!r} not found in {sentence!r}: {find_quantities(sentence, 't')}"
    return hits[0]


@pytest.mark.parametrize("sentence,text,fields", CASES, ids=[c[1] for c in CASES])
def test_fields(sentence: str, text: str, fields: dict) -> None:
    q = _find(sentence, text)
    for key, want in fields.items():
        got = getattr(q, key)
        assert (got == pytest.approx(want)) if isinstance(want, float | int) else got == want, \
            f"{text!r} {key}: want {want!r}, got {got!r}"
    assert sentence[q.span[0]:q.span[1]] == q.text
    assert q.source is None and q.evidential == "direct" and q.modality == "certain"


def test_square_miles_converted_and_stated_unit_kept() -> None:
    q = _find("Kyiv's troops have retaken more than 30 square miles around Kupiansk.",
              "more than 30")
    assert q.unit == "km2" and q.stated_unit == "square miles"
    assert q.value == pytest.approx(30 * 2.58999)
    assert (q.bound, q.measure, q.location) == ("at_least", "territory_retaken", "Kupiansk")


def test_fraction_and_location_from_earlier_sentence() -> None:
    text = ("Ukrainian units pushed into the Kursk region in the summer. The advance surprised "
            "Moscow. Ukraine captured hundreds of square kilometres at first, but Russia has "
            "since won back roughly half of that ground.")
    qs = {q.text: q for q in find_quantities(text, "t")}
    gained, half = qs["hundreds of square kilometres"], qs["roughly half"]
    assert (gained.low, gained.high, gained.unit, gained.actor, gained.measure, gained.location) \
        == (200, 999, "km2", "Ukraine", "territory_gained", "Kursk")
    assert (half.value, half.bound, half.unit, half.actor, half.measure, half.location) \
        == (0.5, "approx", "fraction", "Russia", "territory_retaken", "Kursk")


def test_actor_and_measure_carry_over_within_a_quote() -> None:
    text = ("An analyst said North Korea's support works like a pipeline. \"They will not stop "
            "at one deployment of 10,000 troops. They could send up to 5,000 soldiers a month.\"")
    qs = {q.text: q for q in find_quantities(text, "t")}
    assert qs["10,000"].actor == "North Korea" and qs["10,000"].measure == "deployed"
    assert (qs["up to 5,000"].per, qs["up to 5,000"].measure) == ("month", "deployed")


@pytest.mark.parametrize("sentence,number", [
    ("The brigade said it destroyed two armoured bulldozers.", "two"),
    ("Troops repelled four counterattacks near the village.", "four"),
    ("Three of them were captured, he said.", "Three"),
])
def test_small_number_words_counting_war_things(sentence: str, number: str) -> None:
    assert number in [q.text for q in find_quantities(sentence, "t")]


@pytest.mark.parametrize("sentence", [
    "The 11th Corps and the 93rd Brigade moved on March 3 at 10:30 a.m.",
    "The incursion began in August 2024 and was not a one-off.",
    "One of the first units to arrive was from the 2nd Army.",
    "On 24 February 2022, the invasion started at 4 am.",
    "The two sides met again, one official said.",
    "The group recruits children as young as 12, residents said.",
    "Vaccines for children under five have run out.",
    "Displacement update, week 17 (Situation Report #9).",
    "Troops seized a 12.7mm machine gun.",
    "The war, now in its fourth year, drags on.",
])
def test_not_quantities(sentence: str) -> None:
    assert find_quantities(sentence, "t") == []


def test_a_date_before_to_is_not_a_range() -> None:
    text = "The toll since 8 October 2023 rose to 2,141 dead; since 8 October 2023 to 2,141 dead in all."
    assert [(q.text, q.value, q.bound) for q in find_quantities(text, "t")][-1] == ("2,141", 2141, "exact")


def test_no_number_no_quantity_and_offsets_exact() -> None:
    assert find_quantities("Fighting continued along the front line.", "t") == []
    text = "First line.\n\nThe army lost about 3,000 men in one week."
    qs = find_quantities(text, "t")
    assert [(q.text, text[q.span[0]:q.span[1]]) for q in qs][0] == ("about 3,000", "about 3,000")
    assert qs[0].sentence_span == (13, len(text))


def test_user_gazetteer_extends_packaged_one(tmp_path) -> None:
    extra = tmp_path / "g.yaml"
    extra.write_text("actors:\n  Azov: [Azov Brigade]\nplaces:\n  Krynky: [Krynky]\n")
    gaz = load_gazetteer(str(extra))
    names = {(m.name, m.kind) for m in gaz.mentions("The Azov Brigade held Krynky near Kursk.")}
    assert {("Azov", "actor"), ("Krynky", "place"), ("Kursk", "place")} <= names


def test_bad_gazetteer_file_names_file(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n  Azov: Azov Brigade\n")
    with pytest.raises(ValueError, match="bad.yaml"):
        load_gazetteer(str(bad))
    with pytest.raises(ValueError, match="not found"):
        load_gazetteer(str(tmp_path / "missing.yaml"))


def test_half_a_million_is_a_number_not_a_fraction() -> None:
    q = _find("Aid agencies say nearly half a million people are cut off.", "nearly half a million")
    assert (q.value, q.bound, q.unit) == (500_000, "approx", "people")


def test_partitive_and_elliptical_units() -> None:
    text = ("Air defences downed 37 of the 40 drones Russia launched overnight, far above the 20 a "
            "night they managed in spring.")
    qs = {q.text: q for q in find_quantities(text, "t")}
    assert qs["37"].unit == "drones" and qs["37"].actor == "Russia"
    assert qs["20"].unit == "drones"  # carried over from "drones" earlier in the sentence


def test_demonym_as_noun_counts_people_of_that_actor() -> None:
    q = _find("Roughly 2 million Ukrainians have returned home, officials estimate.", "Roughly 2 million")
    assert (q.unit, q.actor) == ("people", "Ukraine")


def test_daily_report_period_sets_rate() -> None:
    q = _find("Over the past 24 hours the enemy lost 1,250 personnel, the General Staff said.",
              "1,250")
    assert (q.per, q.unit, q.measure) == ("day", "personnel", "casualties")


def test_town_in_named_region_reports_the_region() -> None:
    q = _find("Some 9,000 troops are dug in near Pokrovsk in the Donetsk region.", "Some 9,000")
    assert q.location == "Donetsk"
    q = _find("Ukrainian units hold roughly 3 km near Pokrovsk, far from Kursk.", "roughly 3")
    assert q.location == "Pokrovsk"


@pytest.mark.parametrize("text, quoted, bound, unit", [
    ("The brigade got 1,500 or so drones last month.", "1,500 or so", "approx", "drones"),
    ("Officials said 200 or more fighters died.", "200 or more", "at_least", "personnel"),
    ("The unit lost 40 or fewer soldiers, he said.", "40 or fewer", "at_most", "personnel"),
])
def test_a_hedge_after_the_number_sets_its_bound(text, quoted, bound, unit):
    from orbat.extract import extract

    q = next(c for c in extract(text, fast=True) if c.kind == "quantity")
    assert (q.text, q.bound, q.unit) == (quoted, bound, unit)


@pytest.mark.parametrize("text", [
    "Centre for Strategic Studies | Policy brief, 14 pages",
    "Compiled by Hannah Brooke | 6 min read",
    "Interviews (n=212) were held with displaced families.",
    "The metical was steady at 63.9 to the dollar.",
    "At the edge of the camp, a boy of about ten is flying a kite.",
    "Last week I buried a cousin, 34, who was shot at a checkpoint.",
])
def test_labels_sizes_and_rates_of_exchange_are_not_quantities(text):
    from orbat.extract import extract

    assert [c.text for c in extract(text, fast=True) if c.kind == "quantity"] == []


def test_fpvs_and_shaheds_are_drones():
    from orbat.extract import extract

    q = [c for c in extract("We got roughly 3,000 FPVs and Russia launched 90 Shaheds.", fast=True) if c.kind == "quantity"]
    assert [c.unit for c in q] == ["drones", "drones"]


@pytest.mark.parametrize("text, quoted, value", [
    ("Roughly four in ten of the wounded are children.", "Roughly four in ten", 0.4),
    ("One in three children in the camp is malnourished.", "One in three", 1 / 3),
])
def test_one_in_three_is_a_fraction(text, quoted, value):
    from orbat.extract import extract

    q = next(c for c in extract(text, fast=True) if c.kind == "quantity")
    assert (q.text, q.unit) == (quoted, "fraction") and abs(q.value - value) < 1e-9


def test_so_many_in_so_many_days_is_no_fraction():
    from orbat.extract import extract

    assert [c.text for c in extract("They killed 3 in 10 days.", fast=True) if c.kind == "quantity"] == ["3", "10"]
