"""The one reader for resource files: bundled defaults, a user's own file, one-line errors."""
from __future__ import annotations

import pytest

from orbat.extract.cues import load_cues
from orbat.extract.gazetteer import load_gazetteer
from orbat.resources import read_yaml


def test_bundled_files_read_as_mappings():
    for name in ("cues.yaml", "gazetteer.yaml", "units.yaml", "measures.yaml", "keys.yaml",
                 "reliability.yaml", "source_kinds.yaml"):
        assert isinstance(read_yaml(None, name, "x"), dict), name


def test_errors_name_the_file_and_line(tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("actors:\n  Azov: [Azov\nplaces: {}\n")
    with pytest.raises(ValueError, match=r"mine\.yaml:\d: not valid YAML for a gazetteer"):
        load_gazetteer(str(bad))
    with pytest.raises(ValueError, match=r"nothing\.yaml: the attribution lexicon file not found"):
        load_cues(str(tmp_path / "nothing.yaml"))
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match=r"bin\.yaml: cannot read k"):
        read_yaml(binary, "keys.yaml", "k")


def test_an_empty_file_is_an_empty_mapping(tmp_path):
    empty = tmp_path / "e.yaml"
    empty.write_text("")
    assert read_yaml(empty, "keys.yaml", "k") == {}
