"""The end-to-end demo: bundled reports -> ledger -> estimates -> the `kursk` simulation."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

EXAMPLE_REPORTS = resources.files("orbat") / "examples" / "reports"


def run_demo(db: str | None, out: Path, draws: int, seed: int, console: Console) -> int:
    """Run every stage on the bundled examples; return the number of files that failed to read."""
    from orbat.estimate import estimate, history, to_frame
    from orbat.ingest import read_documents
    from orbat.ledger import Ledger
    from orbat.simulate.cli import run_scenario

    ledger = Ledger(db)
    console.print(f"[bold]1. Ingest[/] bundled reports into {ledger.url}")
    failures = 0
    documents = []
    for item in read_documents([Path(str(EXAMPLE_REPORTS))]):
        if hasattr(item, "text"):
            documents.append(item)
        else:
            failures += 1
            console.print(f"[red]error:[/] {item}")
    counts = ledger.ingest(documents)
    console.print(f"   {counts}")

    console.print("[bold]2. Estimates[/] from every claim in the ledger")
    claims = ledger.quantities()
    frame = to_frame(estimate(claims))
    table = Table(show_lines=False)
    for col in ("actor", "measure", "location", "per", "median", "p10", "p90", "n_sources"):
        table.add_column(col)
    for row in frame.sort_values("n_claims", ascending=False).head(12).itertuples():
        table.add_row(*(str(getattr(row, c)) if getattr(row, c) is not None else "" for c in
                        ("actor", "measure", "location", "per")),
                      f"{row.median:,.0f}", f"{row.p10:,.0f}", f"{row.p90:,.0f}", str(row.n_sources))
    console.print(table)
    out.mkdir(parents=True, exist_ok=True)
    hist = history(claims[(claims.actor == "North Korea") & (claims.measure == "deployed")
                          & claims.per.isna()])
    hist.to_csv(out / "history_north_korea_deployed.csv", index=False)
    console.print(f"   history of the North Korean deployment estimate: {out / 'history_north_korea_deployed.csv'}")

    console.print("[bold]3. Simulate[/] the bundled `kursk` scenario, inputs drawn from the estimates")
    run_scenario("kursk", draws=draws, seed=seed, out=out / "kursk", db=ledger.url, console=console)
    console.print(f"[bold]Done.[/] Tables and charts are in {out.resolve()}")
    return failures
