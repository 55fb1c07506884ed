"""The `orbat` command: each stage registers its own sub-commands from `<stage>/cli.py`."""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(help="orbat: war reporting in, evidence out.", no_args_is_help=True,
                  add_completion=False)

STAGES = ("extract", "ledger", "estimate", "simulate", "report", "web")  # `orbat ingest` is the ledger's


def _register_stages() -> None:
    for stage in STAGES:
        importlib.import_module(f"orbat.{stage}.cli").register(app)


_register_stages()


def main() -> None:
    app()
