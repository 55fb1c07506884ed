"""Simulation runs in background threads, with progress, for the web app (and the report)."""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Job:
    id: str
    scenario: str
    draws: int
    seed: int
    sobol_outcome: str | None = None
    cleanup: str | None = None  # a temp folder (an uploaded scenario) to remove when done
    done: int = 0
    status: str = "queued"  # queued running done failed
    error: str | None = None
    started: float = field(default_factory=time.time)
    seconds: float | None = None
    tables: dict[str, Any] | None = None
    inputs: list[dict[str, Any]] = field(default_factory=list)
    fronts: list[dict[str, Any]] = field(default_factory=list)
    sobol: list[dict[str, Any]] | None = None
    conservation_error: float | None = None
    name: str = ""
    horizon: float = 0.0


def recording_resolver(ledger) -> tuple[Any, list[dict[str, Any]]]:
    """A ``from:`` resolver over ``ledger`` that also records each key it is asked for, in the
    order the scenario's inputs are collected."""
    from orbat.estimate import estimate_for, load_reliability, with_half_life

    asked: list[dict[str, Any]] = []

    def resolve(ref: dict[str, Any]):
        asked.append(dict(ref))
        return estimate_for(ledger, actor=ref.get("actor"), measure=ref["measure"],
                            location=ref.get("location"), per=ref.get("per"),
                            as_of=ref.get("as_of"), reliability=with_half_life(
                                load_reliability(), ref.get("half_life_days")))
    return resolve, asked


def plan_inputs(plan, asked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every scenario input with its kind; ``from:`` ones carry the ledger key they asked for."""
    refs = iter(asked)
    out = []
    for path, inp in plan.inputs.items():
        row = {"path": path, "kind": inp.kind, "note": inp.note, "ref": None,
               "value": inp.constant, "dist": (inp.dist or {}).get("dist")}
        if inp.kind in ("ledger", "fallback"):  # only ``from:`` references have these kinds
            row["ref"] = next(refs, None)
        out.append(row)
    return out


def fronts_of(sc, path: str) -> list[str]:
    """The fronts a scenario input feeds: its own front, a supply line's or deployment's
    destination, both ends of a transfer, or every front a side's recruits go to."""
    parts = path.split(".")
    section, name = parts[0], parts[1] if len(parts) > 1 else ""
    if section == "fronts":
        return [name]
    if section in ("supply_lines", "deployments"):
        item = getattr(sc, section).get(name)
        return [item.front] if item else []
    if section == "transfers":
        item = sc.transfers.get(name)
        return [item.from_front, item.to_front] if item else []
    if section == "recruitment":
        item = sc.recruitment.get(name)
        return list(item.allocation) if item else []
    return []


def prepare(scenario: str, ledger):
    """The plan of ``scenario`` (bundled name or YAML path) against ``ledger``, and its inputs."""
    from orbat.simulate import load_scenario, make_plan

    resolve, asked = recording_resolver(ledger)
    plan = make_plan(load_scenario(scenario), resolve)
    return plan, plan_inputs(plan, asked)


def execute(job: Job, ledger) -> None:
    """Run ``job`` to the end, updating its progress; errors end up in ``job.error``."""
    from orbat.simulate.results import event_table, percentile_table, time_to_event_table
    from orbat.simulate.runner import run

    try:
        job.status = "running"
        plan, job.inputs = prepare(job.scenario, ledger)
        sc = plan.scenario
        job.name, job.horizon = job.name or sc.name, float(sc.horizon_days)
        t0 = time.perf_counter()

        def progress(n: int) -> None:
            job.done += n

        result = run(plan, job.draws, job.seed, progress=progress)
        pct = percentile_table(result)
        job.tables = {"percentiles": pct, "events": event_table(result),
                      "time_to_event": time_to_event_table(result)}
        for inp in job.inputs:
            inp["fronts"] = fronts_of(sc, inp["path"])
        job.fronts = [{"front": name, "attacker": f.attacker, "defender": f.defender,
                       "territory": bool(f.territory)} for name, f in sc.fronts.items()]
        order = {"ledger": 0, "fallback": 1}  # the ledger-backed inputs first
        job.inputs.sort(key=lambda i: order.get(i["kind"], 2))
        job.conservation_error = result.conservation_error
        if job.sobol_outcome:
            from orbat.simulate.sensitivity import sobol

            job.sobol = sobol(plan, job.sobol_outcome, 64, job.seed).to_dict("records")
        job.seconds = time.perf_counter() - t0
        job.status = "done"
    except Exception as exc:  # shown on the job page as one line
        job.error = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)
        job.status = "failed"
    finally:
        if job.cleanup:
            import shutil
            shutil.rmtree(job.cleanup, ignore_errors=True)


class Jobs:
    """The app's simulation jobs (kept in memory; the newest ``keep``)."""

    def __init__(self, keep: int = 20) -> None:
        self.keep = keep
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, ledger, scenario: str, draws: int, seed: int,
              sobol_outcome: str | None = None, label: str | None = None,
              cleanup: str | None = None) -> Job:
        job = Job(secrets.token_hex(8), scenario, draws, seed, sobol_outcome or None, cleanup)
        job.name = label or scenario
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.keep:
                self._jobs.pop(next(iter(self._jobs)))
        threading.Thread(target=execute, args=(job, ledger), daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)
