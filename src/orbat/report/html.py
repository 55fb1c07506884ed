"""`orbat report -o report.html`: one self-contained HTML file (Plotly and the data inlined,
works offline) with the estimates, their history charts, the contradictions, a simulation
summary, and the trace from every number to the sentences behind it as links inside the file.
"""
from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

MAX_KEYS = 40


def build_report(db: str | None = None, *, actor: str | None = None,
                 scenario: str | None = "kursk", draws: int = 2000, seed: int = 1,
                 max_keys: int = MAX_KEYS) -> str:
    """The report's HTML text for the ledger at ``db``."""
    from orbat.ledger import Ledger
    from orbat.web import analysis, charts, queries
    from orbat.web.app import WEB_DIR, environment, plotly_js

    ledger = Ledger(db)
    engine = queries.read_engine(ledger)
    index = analysis.KeyIndex(engine)
    keys = [k for k in index.keys() if k["measure"]]
    if actor:
        keys = [k for k in keys if (k["actor"] or "").casefold() == actor.casefold()]
    keys = keys[:max_keys]

    def href(cid: str, _doc: str) -> str:
        return f"#claim-{cid}"

    sections: list[dict[str, Any]] = []
    by_key: dict[tuple, str] = {}

    def add_section(wanted: dict[str, Any]) -> str | None:
        view = analysis.estimate_view(engine, index, wanted, None, href=href)
        if view.estimate is None:
            return None
        ident = tuple(view.key.get(f) for f in analysis.KEY_FIELDS)
        if ident in by_key:
            return by_key[ident]
        anchor = f"est-{len(sections) + 1}"
        by_key[ident] = anchor
        label = analysis.key_label(view.key)
        fig = charts.history_figure(view.history, view.points, label,
                                    view.key.get("unit") or view.key.get("measure") or "")
        sections.append({"anchor": anchor, "label": label, "view": view, "fig": fig})
        return anchor

    for k in keys:
        add_section({f: k[f] for f in analysis.KEY_FIELDS})
    sim = None
    if scenario:
        sim = _simulation(ledger, scenario, draws, seed, add_section)
    claim_ids = [c["claim_id"] for s in sections for o in s["view"].origins for c in o["claims"]]
    claim_ids += [p["claim_id"] for s in sections for p in s["view"].points]
    sentences = queries.claim_sentences(engine, claim_ids)
    env = environment()
    return env.get_template("report.html").render(
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        url=ledger.display_url, counts=ledger.counts(), sections=sections, sim=sim,
        sentences=sorted(sentences.values(), key=lambda s: (str(s["published"]), s["claim_id"])),
        plotly=plotly_js().read_text(encoding="utf-8"),
        app_js=(WEB_DIR / "static" / "app.js").read_text(encoding="utf-8"),
        css=(WEB_DIR / "static" / "style.css").read_text(encoding="utf-8"),
        actor=actor, escape=html.escape)


def _simulation(ledger, scenario: str, draws: int, seed: int, add_section) -> dict[str, Any]:
    from orbat.web import charts
    from orbat.web.jobs import Job, execute

    job = Job("report", scenario, draws, seed)
    execute(job, ledger)
    if job.status != "done":
        return {"error": job.error, "name": scenario}
    pct = job.tables["percentiles"]
    fronts = []
    for fr in job.fronts:
        figs = [charts.fan_figure(pct, "strength", fr["attacker"], fr["front"]),
                charts.fan_figure(pct, "strength", fr["defender"], fr["front"])]
        if fr["territory"]:
            figs.append(charts.fan_figure(pct, "territory", "", fr["front"]))
        fronts.append({"front": fr["front"], "figs": figs})
    for inp in job.inputs:
        inp["anchor"] = None
        if inp["kind"] == "ledger" and inp["ref"]:
            ref = inp["ref"]
            wanted = {"actor": ref.get("actor"), "measure": ref["measure"], "per": ref.get("per")}
            if ref.get("location"):
                wanted["location"] = ref["location"]
            inp["anchor"] = add_section(wanted)
    return {"name": job.name, "draws": draws, "seed": seed, "horizon": job.horizon,
            "events": job.tables["events"].to_dict("records"), "fronts": fronts,
            "inputs": job.inputs, "seconds": job.seconds, "error": None}


def write_report(path: Path, **kwargs) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_report(**kwargs), encoding="utf-8")
    return path
