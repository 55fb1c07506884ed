"""`orbat estimate`: estimates (or their history) from the ledger as a table, JSON or CSV,
with optional UCDP-style export and a timeline chart."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer


def _filter(claims, actor, measure, location, per, mapping):
    """The claims whose canonical key matches each option given, as the ledger gave them (the
    estimate canonicalises them itself, once, so a chain of aliases is not applied twice)."""
    from orbat.estimate.keys import key_mask, with_keys
    wanted = {name: value for name, value in (("actor", actor), ("measure", measure),
                                              ("location", location), ("per", per))
              if value is not None}
    return claims[key_mask(with_keys(claims, mapping), wanted, mapping)]


@contextmanager
def _progress():
    """A progress bar on stderr over the claims pooled (gone when done); yields the callback
    the estimate stage calls with (claims done, claims in all) after each key."""
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)
    columns = (TextColumn("estimate"), BarColumn(), MofNCompleteColumn(), TextColumn("claims"),
               TimeElapsedColumn(), TimeRemainingColumn())
    console = Console(stderr=True)
    with Progress(*columns, console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task("claims", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, total=total, advance=done)
        yield advance


def plot_history(hist, path: Path) -> None:
    """Timeline: each claim a point coloured by source; the pooled 10-90% band and median over time."""
    from orbat.plotting import pyplot
    plt = pyplot()
    import pandas as pd
    fig, ax = plt.subplots(figsize=(9, 4.5))
    dates = list(pd.to_datetime(hist["date"]))
    tail = max((dates[-1] - dates[0]) / 10, pd.Timedelta(days=3))  # show the latest band too
    dates.append(dates[-1] + tail)
    last = hist.iloc[[-1]]
    ax.fill_between(dates, pd.concat([hist["p10"], last["p10"]]), pd.concat([hist["p90"], last["p90"]]),
                    step="post", alpha=0.25, label="pooled 10-90%")
    ax.step(dates, pd.concat([hist["median"], last["median"]]), where="post", color="black",
            label="pooled median")
    for source, part in hist.groupby(hist["source"].fillna("(writer)")):
        ax.scatter(pd.to_datetime(part["date"]), part["value"], label=str(source), zorder=3)
    ax.set_ylabel(str(hist.iloc[0]["measure"]) + (f" per {hist.iloc[0]['per']}" if hist.iloc[0]["per"] else ""))
    ax.set_title(" / ".join(str(hist.iloc[0][k]) for k in ("actor", "measure", "location")
                            if hist.iloc[0][k] is not None))
    ax.legend(fontsize=7, loc="best")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def register(app: typer.Typer) -> None:
    """Add the `estimate` command to the root app."""

    @app.command("estimate")
    def estimate_cmd(
        db: Optional[str] = typer.Option(None, "--db", help="Ledger database URL (default SQLite)."),
        actor: Optional[str] = typer.Option(None, "--actor"),
        measure: Optional[str] = typer.Option(None, "--measure"),
        location: Optional[str] = typer.Option(None, "--location"),
        per: Optional[str] = typer.Option(None, "--per"),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="Use only claims published by DATE."),
        show_history: bool = typer.Option(False, "--history", help="The estimate after each claim."),
        show_contra: bool = typer.Option(False, "--contradictions",
                                         help="List claims that contradict the pool or each other."),
        fmt: str = typer.Option("table", "--format", help="table, json or csv."),
        ucdp: Optional[Path] = typer.Option(None, "--ucdp", help="Write best/low/high CSV here."),
        plot: Optional[Path] = typer.Option(None, "--plot", help="Timeline chart (.png or .svg)."),
        keys: Optional[Path] = typer.Option(None, "--keys", help="Key mapping YAML."),
        reliability: Optional[Path] = typer.Option(None, "--reliability", help="Reliability YAML."),
        half_life: Optional[str] = typer.Option(
            None, "--half-life", metavar="DAYS",
            help="Recency weighting for every key: an origin's weight halves every DAYS days of "
                 "age (overrides half_life_days in the reliability YAML)."),
    ) -> None:
        """Reconcile the ledger's claims into estimates with intervals."""
        from rich.console import Console

        from orbat.errors import EstimateError, UsageError, output_path
        from orbat.estimate import (contradictions, estimate, history, load_mapping,
                                    load_reliability, to_frame, to_ucdp)
        from orbat.estimate.recency import parse_half_life, with_half_life
        from orbat.ledger import Ledger
        if fmt not in ("table", "json", "csv"):
            raise UsageError(f"--format must be table, json or csv, not {fmt!r}")
        cutoff = _as_of(as_of)
        ucdp = ucdp and output_path(ucdp, "--ucdp")
        plot = plot and output_path(plot, "--plot")
        try:
            days = None if half_life is None else parse_half_life(half_life, "--half-life")
            mapping, rel = load_mapping(keys), with_half_life(load_reliability(reliability), days)
            ledger = Ledger(db, readonly=True)  # read key by key: filters go to the database
            where = {name: value for name, value in (("actor", actor), ("measure", measure),
                                                     ("location", location), ("per", per))
                     if value is not None}
            is_history = show_history or plot is not None
            matched = {"claims": 0}
            with _progress() as advance:
                def counted(done: int, total: int) -> None:
                    matched["claims"] = total
                    advance(done, total)
                opts = dict(as_of=cutoff, mapping=mapping, reliability=rel, where=where,
                            progress=counted)
                ests = (estimate(ledger, **opts)
                        if ucdp is not None or not (show_contra or is_history) else [])
                if show_contra:
                    frame = contradictions(ledger, **opts)
                elif is_history:
                    frame = history(ledger, **opts)
                else:
                    frame = to_frame(ests, rel)
        except ValueError as exc:
            raise EstimateError(str(exc)) from None
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        asked = _asked(actor, measure, location, per, cutoff)
        if not matched["claims"] or (frame.empty and not show_contra):
            what = f" matching {asked}" if asked else ""
            err.print(f"no claims{what} in the ledger"
                      + ("; `orbat claims` lists what is there" if asked else ""), markup=False)
        if ucdp is not None:
            to_ucdp(ests, rel).to_csv(ucdp, index=False)
        if plot is not None:
            keys_in = frame[["actor", "measure", "location", "per", "unit"]].astype(str).drop_duplicates()
            if len(keys_in) != 1:
                raise EstimateError(f"--plot needs one key; {len(keys_in)} match (narrow with "
                                    f"--actor/--measure/--location/--per)")
            plot_history(frame, plot)
        if fmt == "csv":
            frame.to_csv(sys.stdout, index=False)
        elif fmt == "json":
            typer.echo(json.dumps(frame.to_dict("records"), default=str, indent=1))
        elif show_contra:
            _console().print(_contra_table(frame))
        else:
            _console().print(_table(frame, is_history))


def _console():
    """Rich console for stdout: as wide as the terminal, or wide enough when piped."""
    from orbat.console import stdout_console

    return stdout_console()


def _as_of(value: str | None):
    """An --as-of value as a date, or a usage error that names --as-of."""
    from datetime import date

    from orbat.errors import UsageError
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of: expected a date YYYY-MM-DD, got {value!r}") from None


def _asked(actor, measure, location, per, cutoff) -> str:
    """The filters a user gave, as words (empty when none)."""
    parts = [f"--{k} {v!r}" for k, v in (("actor", actor), ("measure", measure),
                                          ("location", location), ("per", per)) if v is not None]
    if cutoff is not None:
        parts.append(f"--as-of {cutoff}")
    return " ".join(parts)


def _contra_table(frame):
    """Contradictions for people: what disagrees with what, and both sides' 10-90% intervals."""
    from rich.table import Table
    table = Table(title=f"{len(frame)} contradiction(s)")
    for head in ("kind", "key", "source", "says (10-90%)", "against", "their interval"):
        table.add_column(head, overflow="fold")
    for row in frame.to_dict("records"):
        table.add_row(row["kind"], _key(row), str(row["source"] or "(writer)"),
                      f"{_num(row['value'])} ({_num(row['low'])}-{_num(row['high'])})",
                      str(row["other_source"] or "(writer)"),
                      f"{_num(row['other_low'])}-{_num(row['other_high'])}"
                      + (" pooled 5-95%" if row["kind"] == "outside" else ""))
    return table


def _num(v) -> str:
    """A figure for people: thousands separated, small numbers to 3 significant digits."""
    if v is None or v != v:
        return ""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def _key(row) -> str:
    parts = [row["actor"], row["measure"], row["location"]]
    text = " / ".join(str(p) for p in parts if p is not None and p == p)
    per = row["per"] if row["per"] == row["per"] else None
    unit = row["unit"] if row["unit"] == row["unit"] else None
    label = " ".join(p for p in (unit, f"per {per}" if per else None) if p)
    return f"{text} ({label})" if label else text


def _half_life_note(frame) -> str | None:
    """Which measures were recency-weighted and with what half-life (None when none were)."""
    lives = sorted({(str(r["measure"]), float(r["half_life_days"])) for r in frame.to_dict("records")
                    if r["half_life_days"] is not None})
    if not lives:
        return None
    return "recency half-life: " + ", ".join(f"{m} {h:g} days" for m, h in lives)


def _table(frame, is_history: bool):
    """A compact Rich table: the key, the median and the 10-90% and 5-95% intervals; a history
    of one key names it in the title instead of on every row."""
    from rich.table import Table
    keys = {_key(row) for row in frame.to_dict("records")}
    one_key = is_history and len(keys) == 1
    table = Table(title=next(iter(keys)) if one_key else None, caption=_half_life_note(frame))
    heads = (["date"] + ([] if one_key else ["key"]) + ["source", "claim"] if is_history
             else ["key"])
    for head in heads:
        table.add_column(head, overflow="fold", no_wrap=head in ("date", "claim"),
                         min_width=12 if head in ("source", "key") else None)
    nums = ["median", "10-90%"] + (["origins"] if is_history else ["5-95%", "claims", "origins", "as of"])
    for head in nums:
        table.add_column(head, no_wrap=True, justify="right")
    for row in frame.to_dict("records"):
        cells = [_num(row["median"]), f"{_num(row['p10'])}-{_num(row['p90'])}"]
        cells += ([str(row["n_sources"])] if is_history else
                  [f"{_num(row['p05'])}-{_num(row['p95'])}", str(row["n_claims"]), str(row["n_sources"])])
        if is_history:
            lead = [str(row["date"])] + ([] if one_key else [_key(row)])
            table.add_row(*lead, str(row["source"] or ""), _num(row["value"]), *cells)
        else:
            table.add_row(_key(row), *cells, str(row["as_of"] or ""))
    return table
