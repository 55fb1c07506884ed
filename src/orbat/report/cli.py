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
    console.print(Rule(f"{len(demo_steps(db, out, draws, seed)) + 1}. The shareable HTML report"))
    from orbat.report.html import write_report

    report = write_report(out / "report.html", db=db, scenario="kursk", draws=min(draws, 2000),
                          seed=seed)
    console.print(Rule("Done"))
    console.print(f"Tables and charts: {out.resolve()}  (estimate history chart: "
                  f"{(out / 'north_korea_kursk_history.png').resolve()}; simulation: "
                  f"{(out / 'kursk').resolve()})", highlight=False)
    console.print(f"Report (one file, opens offline): {report.resolve()}", highlight=False,
                  soft_wrap=True)
    serve = "orbat serve" + (f" --db {mask_url(db)}" if db else "")  # never print a password
    console.print(f"Open the app on this ledger: [bold]{serve}[/] then http://127.0.0.1:8000/",
                  highlight=False, soft_wrap=True)


def report_cmd(output: Path = typer.Option(..., "--output", "-o", help="HTML file to write."),
               db: Optional[str] = typer.Option(None, "--db", envvar="ORBAT_DB",
                                                help="Ledger database URL (default: SQLite in the user data dir)."),
               actor: Optional[str] = typer.Option(None, "--actor", help="Only this actor's estimates."),
               scenario: Optional[str] = typer.Option("kursk", "--scenario",
                                                      help="Scenario to simulate (bundled name or YAML file); '' for none."),
               draws: int = typer.Option(2000, "--draws", min=100),
               seed: int = typer.Option(1, "--seed")) -> None:
    """Write one self-contained HTML report (charts and data inlined; opens offline)."""
    from orbat.report.html import write_report

    if scenario:
        from orbat.simulate.scenario import ScenarioError, load_scenario
        try:
            load_scenario(scenario)
        except ScenarioError as exc:
            Console(stderr=True).print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(2)
    path = write_report(output, db=db, actor=actor, scenario=scenario or None, draws=draws,
                        seed=seed)
    Console().print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MiB)", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_cmd)
    app.command("report")(report_cmd)
