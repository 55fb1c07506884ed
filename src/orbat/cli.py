"""The `orbat` command: each stage registers its own sub-commands from `<stage>/cli.py`."""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(help="orbat: war reporting in, evidence out.", no_args_is_help=True,
                  add_completion=False)

STAGES = ("ingest", "extract", "ledger", "estimate", "simulate", "report")


def _register_stages() -> None:
    for stage in STAGES:
        try:
            module = importlib.import_module(f"orbat.{stage}.cli")
        except ModuleNotFoundError as exc:
            if exc.name == f"orbat.{stage}.cli":
                continue
            raise
        module.register(app)


_register_stages()


def main() -> None:
    app()
