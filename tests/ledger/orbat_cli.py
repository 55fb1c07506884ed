"""Run the ``orbat`` CLI in a subprocess for the fault tests (``python orbat_cli.py ARGS``)."""
from __future__ import annotations

import sys

if __name__ == "__main__":
    from orbat.cli import run

    sys.exit(run(sys.argv[1:]))
