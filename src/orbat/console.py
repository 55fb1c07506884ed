"""Rich consoles for orbat's output.

On a terminal, Rich fits output to its width. When output goes to a file or a pipe Rich would
assume 80 columns and cut table cells (a date shown as ``202``); there the console is made wide
enough that nothing is cut (``COLUMNS`` still wins when set).
"""
from __future__ import annotations

import os
import sys

PIPE_WIDTH = 10_000  # tables are as wide as their content needs; nothing is cut


def stdout_console(**kwargs):
    """A Console for stdout (or ``file=``) that never cuts tables when it is not a terminal."""
    from rich.console import Console

    stream = kwargs.get("file") or sys.stdout
    tty = getattr(stream, "isatty", lambda: False)()
    if not tty and "width" not in kwargs and not os.environ.get("COLUMNS"):
        kwargs.update(width=PIPE_WIDTH, soft_wrap=kwargs.get("soft_wrap", True))
    return Console(**kwargs)
