"""The language resources extraction reads (gazetteer, cues, units, measures) as one injectable
``Lexicon``: the bundled YAML files, or a user's folder whose files extend or replace them.

``extract(text, lexicon=Lexicon.load("my_lexicon/"))`` (or ``orbat extract --lexicon DIR``)
reads the folder's ``gazetteer.yaml`` (merged after the bundled gazetteers), and its
``cues.yaml``, ``units.yaml`` and ``measures.yaml`` (each replacing the bundled file it names).
The loaders consult the lexicon active for the call, so every rule sees the same resources.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

FILES = ("gazetteer.yaml", "cues.yaml", "units.yaml", "measures.yaml")


@dataclass(frozen=True)
class Lexicon:
    """A folder of resource files (None: the bundled ones only)."""

    folder: Path | None = None

    @classmethod
    def load(cls, folder: str | Path | None) -> "Lexicon":
        """The lexicon in ``folder``, checked: it must exist and hold at least one resource file,
        and every file it holds must parse (a bad one raises ValueError naming file and line)."""
        if folder is None:
            return BUNDLED
        path = Path(folder)
        if not path.is_dir():
            raise ValueError(f"{path}: lexicon folder not found")
        if not any((path / name).is_file() for name in FILES):
            raise ValueError(f"{path}: no lexicon file here (expected one of {', '.join(FILES)})")
        lex = cls(path.resolve())
        with active(lex):  # parse and compile now, so a bad file fails before any text is read
            from orbat.extract.cues import load_cues
            from orbat.extract.gazetteer import load_gazetteer
            from orbat.extract.quantities import lexicon

            load_gazetteer(), load_cues(), lexicon()
        return lex

    def file(self, name: str) -> Path | None:
        """The user's file ``name`` in this lexicon, if it has one."""
        if self.folder is None:
            return None
        path = self.folder / name
        return path if path.is_file() else None


BUNDLED = Lexicon()
_ACTIVE: ContextVar[Lexicon] = ContextVar("orbat_lexicon", default=BUNDLED)


def current() -> Lexicon:
    return _ACTIVE.get()


@contextmanager
def active(lex: Lexicon | None) -> Iterator[Lexicon]:
    """Make ``lex`` the lexicon the loaders read for the duration of the block."""
    token = _ACTIVE.set(lex or BUNDLED)
    try:
        yield lex or BUNDLED
    finally:
        _ACTIVE.reset(token)
