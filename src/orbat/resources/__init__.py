"""orbat's language resources and weights, as YAML data files, and the one way to read them.

The files here are the defaults; every stage that reads one also accepts a user's own file.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: large lexicons


def read_yaml(path: str | Path | None, bundled: str, what: str) -> Any:
    """The YAML at ``path``, or the bundled resource ``bundled`` when ``path`` is None.

    A missing, unreadable or malformed file raises ValueError with one line: the file, the line
    of a YAML error, and ``what`` the file should hold. An empty file reads as ``{}``.
    """
    source = Path(path) if path is not None else resources.files("orbat") / "resources" / bundled
    name = str(path) if path is not None else f"{bundled} (bundled)"
    try:
        return yaml.load(source.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except FileNotFoundError:
        raise ValueError(f"{name}: {what} file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{name}: cannot read {what}: {exc}".splitlines()[0]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        raise ValueError(f"{where}: not valid YAML for {what}: "
                         f"{getattr(exc, 'problem', None) or exc}".splitlines()[0]) from None
