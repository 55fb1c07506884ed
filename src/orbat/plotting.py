"""Matplotlib for orbat's charts: the file-only Agg backend, and a cache that works anywhere.

Matplotlib keeps its cache under ``~/.config/matplotlib``; with a read-only HOME it prints a
paragraph of warnings and rebuilds the cache in a new temporary folder on every run. When that
folder cannot be written (and MPLCONFIGDIR is not set) orbat points it at one temp folder.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def pyplot():
    """``matplotlib.pyplot`` on the Agg backend, with a writable cache folder."""
    if "MPLCONFIGDIR" not in os.environ:
        default = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "matplotlib"
        probe = default
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not os.access(probe, os.W_OK):
            fallback = Path(tempfile.gettempdir()) / f"orbat-matplotlib-{os.getuid()}"
            fallback.mkdir(mode=0o700, exist_ok=True)
            os.environ["MPLCONFIGDIR"] = str(fallback)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
