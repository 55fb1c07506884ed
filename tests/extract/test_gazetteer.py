"""The gazetteer's name finder gives what one regex alternation of all the names gives, and a
sentence's mentions read off the whole text's are those a scan of the sentence finds."""
import random
import re

from orbat.extract.gazetteer import NameIndex, load_gazetteer, trie_pattern
from orbat.extract.sentences import sentence_spans

TEXT = ("US$5m for the USA. U.S. officials said .US xUS Kyiv's Al-Fasher al-Fasher' northern Gaza "
        "(Gaza) Gaza_ Gaza€ Gazaé North Korean troops in North Korea. The Gambia, The Hague. "
        "Kyiv\nKharkiv Oblast; the Democratic Republic of the Congo; Sudzha, Kursk")


def _regex(names):
    return re.compile(rf"(?<![\w.])({trie_pattern(set(names))})(?![\w$€£])")


def test_names_as_one_alternation_finds_them():
    gaz = load_gazetteer()
    names = [*gaz.actors, *gaz.places]
    index, regex = NameIndex(names), _regex(names)
    rng = random.Random(3)
    windows = [(0, len(TEXT)), (-4, len(TEXT) + 30)] + [
        tuple(sorted((rng.randint(0, len(TEXT)), rng.randint(0, len(TEXT))))) for _ in range(300)]
    for a, b in windows:
        expected = [(m.start(1), m.end(1), m.group(1)) for m in regex.finditer(TEXT, a, b)]
        assert index.find(TEXT, a, b) == expected, (a, b)


def test_names_opening_with_other_characters():
    names = ["(Tigray)", "Al", "Al-Fasher", "al-Fasher", "A.B.", "Z"]
    index, regex = NameIndex(names), _regex(names)
    text = "(Tigray) Al-Fasherx Al-Fasher A.B. Al Z.Z (Tigray)x al-Fasher"
    for a in range(len(text)):
        for b in range(a, len(text) + 1):
            assert index.find(text, a, b) == [(m.start(1), m.end(1), m.group(1))
                                              for m in regex.finditer(text, a, b)], (a, b)


def test_sentence_mentions_read_off_the_whole_text():
    gaz = load_gazetteer()
    windows = [*sentence_spans(TEXT), (0, len(TEXT)), (5, 16), (3, 40), (60, len(TEXT) + 9)]
    for a, b in windows:
        assert gaz.mentions(TEXT, a, b, whole=True) == gaz.mentions(TEXT, a, b), (a, b)
