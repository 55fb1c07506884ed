"""`orbat demo`: the whole pipeline on the bundled example reports, one stage after another."""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.rule import Rule

from orbat.errors import mask_url


def demo_steps(db: str | None, out: Path, draws: int, seed: int) -> list[tuple[str, list[str]]]:
    """The commands the demo runs, as (title, argv) pairs: ingest, estimate, history, simulate."""
    reports = str(resources.files("orbat") / "examples" / "reports")
    with_db = ["--db", db] if db else []
    return [
        ("Ingest the bundled reports into the ledger", ["ingest", reports, *with_db]),
        ("Estimates reconciled from every claim", ["estimate", *with_db]),
        ("How the estimate of North Korean troops in Kursk moved, claim by claim",
         ["estimate", *with_db, "--actor", "North Korea", "--measure", "deployed",
          "--location", "Kursk", "--history", "--plot", str(out / "north_korea_kursk_history.png")]),
        ("Contradictions between sources", ["estimate", *with_db, "--contradictions",
                                            "--actor", "North Korea"]),
        ("Simulate the `kursk` scenario with inputs drawn from the estimates",
         ["simulate", "kursk", "--draws", str(draws), "--seed", str(seed),
          "--out", str(out / "kursk"), *with_db]),
    ]


def demo_cmd(db: Optional[str] = typer.Option(None, "--db", envvar="ORBAT_DB",
                                              help="Ledger database URL (default: SQLite in the user data dir)."),
             out: Path = typer.Option(Path("orbat-demo"), "--out", help="Folder for tables and charts."),
             draws: int = typer.Option(20_000, "--draws", min=100),
             seed: int = typer.Option(1, "--seed", min=0)) -> None:
    """Run every stage on the bundled example reports and say where the results are."""
    from typer.main import get_command

    from orbat.cli import app

    console = Console()
    out.mkdir(parents=True, exist_ok=True)
    command = get_command(app)
    for number, (title, argv) in enumerate(demo_steps(db, out, draws, seed), start=1):
        console.print(Rule(f"{number}. {title}"))
        shown = [mask_url(a) if "://" in a else a for a in argv]  # never print a password
        console.print(f"[dim]$ orbat {escape(' '.join(shown))}[/]", highlight=False,
                      soft_wrap=True)
        try:
            status = command.main(argv, prog_name="orbat", standalone_mode=False)
        except SystemExit as exc:
            status = exc.code
        if isinstance(status, int) and status:
            raise typer.Exit(status)
    console.print(Rule("Done"))
    console.print(f"Tables and charts: {out.resolve()}  (estimate history chart: "
                  f"{(out / 'north_korea_kursk_history.png').resolve()}; simulation: "
                  f"{(out / 'kursk').resolve()})", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_cmd)
