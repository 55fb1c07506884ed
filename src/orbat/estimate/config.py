"""Reading the estimate stage's YAML files (bundled defaults or a user's own), one way."""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def read_yaml(path: str | Path | None, bundled: str, what: str) -> Any:
    """The YAML at ``path``, or the bundled resource ``bundled``; a bad file raises one line."""
    source = Path(path) if path is not None else resources.files("orbat") / "resources" / bundled
    name = str(path) if path is not None else f"{bundled} (bundled)"
    try:
        return yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{name}: cannot read {what}: {exc}".splitlines()[0]) from exc
