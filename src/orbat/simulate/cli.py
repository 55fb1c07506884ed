"""`orbat simulate`, `orbat sensitivity` and `orbat scenarios`: the Monte Carlo force model."""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.table import Table

from orbat.errors import SimulateError, UsageError, output_path

if TYPE_CHECKING:  # the model's modules load NumPy, SciPy and Numba: only when a command runs
    from .params import Resolver


def _out():
    """stdout, as wide as needed when piped (names like "strength:Ukraine:kursk" are not emoji)."""
    from orbat.console import stdout_console

    return stdout_console(emoji=False)


def ledger_resolver(db: str | None) -> Resolver:
    """Resolve ``from:`` references with the estimate stage over the ledger at ``db``, as of the
    reference's ``as_of`` date and with its ``half_life_days`` if it gives them.

    One ledger is opened for the whole run (on the first reference), its claim keys are
    counted once per as-of date, and each reference reads only the claims it pools.
    Any failure (no database, stage not installed, no claims) makes the reference fall back.
    """
    state: dict[str, Any] = {}

    def resolve(ref: dict[str, Any]):
        from orbat.estimate import estimate_for, load_reliability, with_half_life

        if "claims" not in state:
            from orbat.ledger import Ledger

            state["claims"] = _RunClaims(Ledger(db, readonly=True))
            state["reliability"] = load_reliability()
        return estimate_for(state["claims"], actor=ref.get("actor"), measure=ref["measure"],
                            location=ref.get("location"), per=ref.get("per"),
                            as_of=ref.get("as_of"), reliability=with_half_life(
                                state["reliability"], ref.get("half_life_days")))
    return resolve


class _RunClaims:
    """A ledger as one simulate run sees it: the claim keys counted once per as-of date."""

    def __init__(self, ledger) -> None:
        self.ledger = ledger
        self._keys: dict[Any, list] = {}

    def quantity_keys(self, until=None):
        if until not in self._keys:
            self._keys[until] = self.ledger.quantity_keys(until=until)
        return self._keys[until]

    def quantity_batches(self, **kwargs):
        return self.ledger.quantity_batches(**kwargs)


def _plan(scenario: str, db: str | None):
    """The scenario loaded and its inputs resolved; a bad file raises ScenarioError (one line)."""
    from .params import make_plan
    from .scenario import ScenarioError, load_scenario

    scene = load_scenario(scenario)
    try:
        return make_plan(scene, ledger_resolver(db))
    except ScenarioError:
        raise
    except ValueError as exc:
        raise SimulateError(str(exc)) from None


def simulate_cmd(scenario: str = typer.Argument(..., help="bundled name (see `orbat scenarios`) "
                                                "or a YAML file"),
                 draws: int = typer.Option(10_000, "--draws", "-n", min=1),
                 seed: int = typer.Option(0, "--seed", min=0, help="0 or more"),
                 out: Path = typer.Option(Path("simulate-out"), "--out",
                                          help="Folder for tables and charts (created)."),
                 db: Optional[str] = typer.Option(None, "--db", help="ledger database URL"),
                 dask: Optional[str] = typer.Option(
                     None, "--dask", help="run chunks in parallel with Dask's local scheduler: "
                     "threads (the compiled kernel releases the GIL) or processes")) -> None:
    """Run the Monte Carlo force model; write tables (CSV, Parquet) and fan charts."""
    from .results import write_outputs
    from .runner import run

    if dask not in (None, "threads", "processes"):
        raise UsageError(f"--dask {dask}: use threads or processes")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file; --out names a folder for tables and charts")
    plan = _plan(scenario, db)
    console = _out()
    t0 = time.perf_counter()
    columns = (TextColumn("simulating"), BarColumn(), MofNCompleteColumn(), TextColumn("draws"),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("draws", total=draws)
        result = run(plan, draws, seed, dask=dask,
                     progress=lambda n: bar.advance(task, n))
    secs = time.perf_counter() - t0
    tables = write_outputs(result, out)
    sc = plan.scenario
    console.print(f"[bold]{sc.name}[/bold]: {draws:,} draws, {sc.horizon_days:g} days, "
                  f"seed {seed}, {secs:.2f} s; tables and charts in {out}")
    for path, inp in plan.inputs.items():
        if inp.kind == "fallback":
            console.print(f"[yellow]fallback[/yellow] {path}: {inp.note}", highlight=False)
        elif inp.kind == "ledger":
            console.print(f"[green]ledger[/green] {path}: {inp.note}", highlight=False)
    pct = tables["percentiles"]
    end = pct[pct.day == pct.day.max()]
    t = Table(title=f"Day {end.day.max():g}: median (5-95%)")
    for col in ("quantity", "side", "front", "median", "5-95%"):
        t.add_column(col)
    for row in end.itertuples():
        t.add_row(row.quantity, row.side, row.front, f"{row.p50:,.0f}",
                  f"{row.p05:,.0f} - {row.p95:,.0f}")
    console.print(t)
    ev = tables["events"]
    if len(ev):
        t = Table(title="Events")
        for col in ("event", "probability", "within", "median day, if within"):
            t.add_column(col)
        for row in ev.itertuples():
            t.add_row(row.description or row.event, f"{row.probability:.1%}",
                      f"{row.within_days:g} d", "-" if row.days_p50 != row.days_p50
                      else f"{row.days_p50:g}")
        console.print(t)
    console.print(f"conservation check: max relative error {result.conservation_error:.1e}")


def sensitivity_cmd(scenario: str = typer.Argument(...),
                    outcome: str = typer.Option(..., "--outcome", help="strength:SIDE:FRONT@DAY,"
                                                " losses:SIDE:FRONT@DAY, territory:FRONT@DAY or "
                                                "days_to:EVENT"),
                    n: int = typer.Option(256, "--n", help="Sobol base sample (power of 2)"),
                    seed: int = typer.Option(0, "--seed", min=0, help="0 or more"),
                    db: Optional[str] = typer.Option(None, "--db"),
                    out: Optional[Path] = typer.Option(None, "--out", help="CSV file")) -> None:
    """Sobol indices of one outcome with respect to every uncertain input."""
    if n < 1 or n & (n - 1):
        raise UsageError(f"--n {n}: the Sobol base sample must be a power of 2 (e.g. 256)")
    if out:
        out = output_path(out, "--out")
    plan = _plan(scenario, db)
    from .sensitivity import sobol

    columns = (TextColumn("sensitivity"), BarColumn(), MofNCompleteColumn(), TextColumn("runs"),
               TimeElapsedColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("runs", total=None)
            df = sobol(plan, outcome, n, seed, progress=lambda k, total: bar.update(
                task, advance=k, total=total))
    except ValueError as exc:
        raise SimulateError(str(exc)) from None
    if out:
        df.to_csv(out, index=False)
    console = _out()
    t = Table(title=f"Sobol indices of {outcome} ({n} base draws)")
    for col in ("input", "S1", "ST"):
        t.add_column(col)
    for row in df.itertuples():
        t.add_row(row.input, f"{row.S1:.3f} ± {row.S1_conf:.3f}",
                  f"{row.ST:.3f} ± {row.ST_conf:.3f}")
    console.print(t)


def scenarios_cmd() -> None:
    """List the scenarios bundled with orbat."""
    from .scenario import ScenarioError, bundled, load_scenario

    t = Table(title="Bundled scenarios")
    t.add_column("name")
    t.add_column("description")
    for name, path in bundled().items():
        try:
            desc = load_scenario(path).description
        except ScenarioError as exc:
            desc = f"[red]{exc}[/red]"
        t.add_row(name, desc)
    _out().print(t)


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_cmd)
    app.command("sensitivity")(sensitivity_cmd)
    app.command("scenarios")(scenarios_cmd)
