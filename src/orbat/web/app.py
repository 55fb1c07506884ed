"""`orbat serve`: the ledger in a browser (FastAPI + Jinja2, Plotly charts, no CDN).

Pages: add a report, documents, claims, estimates, simulate, and the trace between them.
Every form that changes anything needs the app's token and a same-origin Origin/Referer;
document text reaches the page only through Jinja2's autoescaping.
"""
from __future__ import annotations

import hmac
import io
import secrets
import shutil
import tempfile
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import (FileResponse, HTMLResponse, JSONResponse, RedirectResponse,
                               Response, StreamingResponse)
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.middleware.trustedhost import TrustedHostMiddleware

from orbat.web import analysis, charts, queries
from orbat.web.claimindex import ClaimIndex
from orbat.web.highlight import segments
from orbat.web.jobs import Jobs

WEB_DIR = Path(__file__).parent
MAX_UPLOAD = 5 * 1024 * 1024
MAX_DRAWS = 1_000_000
MAX_COPIES = 20  # documents listed per repeated claim on a document page
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


def plotly_js() -> Path:
    """The plotly.min.js shipped inside the installed plotly package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(WEB_DIR / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["num"] = analysis.num
    env.filters["pct"] = lambda v: "" if v is None or v != v else f"{100 * float(v):.1f}%"
    env.globals["key_label"] = analysis.key_label
    env.globals["key_href"] = analysis.key_href
    env.globals["fig_json"] = charts.to_json
    env.globals["claim_href"] = analysis.claim_href
    return env


def _cell(v: Any) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


class Refused(Exception):
    pass


def create_app(db: str | None = None, *, host: str = "127.0.0.1",
               max_upload: int = MAX_UPLOAD) -> FastAPI:
    """The web app over the ledger at ``db`` (default: ``$ORBAT_DB`` or the user SQLite file)."""
    from orbat.ledger import Ledger

    ledger = Ledger(db)
    engine = queries.read_engine(ledger)  # pages read; only saving a report writes
    vocab = queries.Vocabulary(engine)
    index = analysis.KeyIndex(engine, vocab)
    views = analysis.ViewCache(engine, index)
    claim_index = ClaimIndex(engine)
    claim_index.ready()  # starts building in the background
    jobs = Jobs()
    token = secrets.token_urlsafe(32)
    env = environment()
    app = FastAPI(title="orbat", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ledger, app.state.token, app.state.jobs = ledger, token, jobs
    app.state.claim_index = claim_index
    if host in LOOPBACK:  # a page on another site cannot reach us through DNS rebinding
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(LOOPBACK))
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")

    def render(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
        html = env.get_template(name).render(request=request, token=token, **ctx)
        return HTMLResponse(html, status_code=status,
                            headers={"Content-Security-Policy": CSP, "X-Frame-Options": "DENY",
                                     "Referrer-Policy": "same-origin",
                                     "X-Content-Type-Options": "nosniff"})

    async def guarded_form(request: Request):
        """The posted form, if it comes from one of our pages with our token; else 403."""
        expected = f"{request.url.scheme}://{request.headers.get('host', '')}"
        origin = request.headers.get("origin")
        referer = request.headers.get("referer")
        if origin is not None:
            if origin != expected:
                raise Refused(f"cross-origin request refused (Origin {origin})")
        elif referer is None or not (referer == expected or referer.startswith(expected + "/")):
            raise Refused("request refused: no same-origin Origin or Referer header")
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > max_upload + 64 * 1024:
            raise HTTPException(413, f"request too large (limit {max_upload // 2**20} MiB)")
        form = await request.form(max_part_size=max_upload)
        sent = str(form.get("token") or "")
        if not hmac.compare_digest(sent.encode(), token.encode()):
            raise Refused("request refused: missing or wrong form token (reload the page)")
        return form

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused):
        return render(request, "error.html", status=403, title="Refused", message=str(exc))

    # ---- static ---------------------------------------------------------------------------

    @app.get("/vendor/plotly.min.js")
    def plotly_file():
        return FileResponse(plotly_js(), media_type="application/javascript",
                            headers={"Cache-Control": "max-age=86400"})

    # ---- home -----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        return render(request, "home.html", counts=queries.counts(engine), url=ledger.display_url,
                      keys=index.keys()[:12])

    # ---- add a report ---------------------------------------------------------------------

    @app.get("/add", response_class=HTMLResponse)
    def add_form(request: Request):
        return render(request, "add.html", form={}, previews=[], errors=[])

    @app.post("/add", response_class=HTMLResponse)
    async def add_post(request: Request):
        form = await guarded_form(request)
        fields = {k: str(form.get(k) or "").strip() for k in ("title", "outlet", "url", "published")}
        fields["text"] = str(form.get("text") or "")
        action = str(form.get("action") or "preview")
        errors: list[str] = []
        published = None
        if fields["published"]:
            try:
                published = date.fromisoformat(fields["published"])
            except ValueError:
                errors.append(f"date: expected YYYY-MM-DD, got {fields['published']!r}")
        if fields["url"] and not fields["url"].startswith(("http://", "https://")):
            errors.append("url: must start with http:// or https://")
        upload = form.get("file")
        docs = []
        if upload is not None and getattr(upload, "filename", ""):
            data = await upload.read(max_upload + 1)
            docs, upload_errors = _read_upload(upload.filename, data, max_upload, fields, published)
            errors += upload_errors
        elif form.get("docs_json") and action == "save":
            docs, bad = _docs_from_json(str(form.get("docs_json")))
            errors += bad
        elif fields["text"].strip():
            from orbat.types import Document
            docs = [Document(id="pasted", text=fields["text"].replace("\r\n", "\n"),
                             title=fields["title"] or None, outlet=fields["outlet"] or None,
                             url=fields["url"] or None, published=published)]
        elif not errors:
            errors.append("nothing to add: paste a report or choose a file")
        if errors:
            return render(request, "add.html", status=400, form=fields, previews=[], errors=errors)
        if action == "save":
            counts = ledger.ingest(docs)
            index.clear()
            views.clear()
            claim_index.clear()
            from orbat.ledger.ids import document_id
            ids = [document_id(d.text) for d in docs]
            if len(ids) == 1:
                return RedirectResponse(f"/documents/{ids[0]}?saved={counts['documents']}",
                                        status_code=303)
            return RedirectResponse(f"/documents?saved={counts['documents']}", status_code=303)
        import orbat
        previews = []
        for d in docs[:20]:
            claims = orbat.extract(d.text, doc=d.id)
            qs = [dict(_claim_row(c, i)) for i, c in enumerate(claims) if c.kind == "quantity"]
            ss = [dict(_claim_row(c, i)) for i, c in enumerate(claims) if c.kind == "statement"]
            previews.append({"doc": d, "segments": segments(d.text, qs, ss), "quantities": qs,
                             "statements": ss})
        if len(docs) == 1 and not fields["text"]:
            fields["text"] = docs[0].text
            for k in ("title", "outlet", "url"):
                fields[k] = fields[k] or (getattr(docs[0], k) or "")
            if docs[0].published and not fields["published"]:
                fields["published"] = docs[0].published.isoformat()
        return render(request, "add.html", form=fields, previews=previews, errors=[],
                      n_docs=len(docs), docs_json=_docs_json(docs) if len(docs) > 1 else "")

    # ---- documents ------------------------------------------------------------------------

    @app.get("/documents", response_class=HTMLResponse)
    def documents_list(request: Request, q: str = "", outlet: str = "", since: str = "",
                       until: str = "", page: int = 1, saved: str = ""):
        try:
            result = queries.documents_page(engine, q or None, outlet or None, since or None,
                                            until or None, page)
        except ValueError as exc:
            return render(request, "error.html", status=400, title="Bad filter", message=str(exc))
        args = {"q": q, "outlet": outlet, "since": since, "until": until}
        return render(request, "documents.html", page=result, args=args, saved=saved,
                      page_href=lambda p: "/documents?" + urlencode({**args, "page": p}))

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: str, claim: str = "", saved: str = ""):
        try:
            did = queries.resolve(engine, doc_id)
        except KeyError as exc:
            return render(request, "error.html", status=404, title="No such document",
                          message=str(exc.args[0]))
        doc = queries.document_row(engine, did)
        qs = queries.quantities_of(engine, did)
        ss = queries.statements_of(engine, did)
        groups = queries.origin_groups(engine, [r["origin_id"] for r in qs if r["origin_id"]])
        for r in qs:
            group = groups.get(r["origin_id"], [])
            r["origin_doc"] = group[0] if group else None
            others = [g for g in group if g["doc_id"] != did and g is not group[0]]
            r["n_copies"] = len(others)
            r["copies"] = others[:MAX_COPIES]
            r["is_origin"] = bool(group) and group[0]["doc_id"] == did
            r["statement"] = next((s for s in ss if s["span_start"] <= r["span_start"]
                                   and r["span_end"] <= s["span_end"]), None)
            r["key"] = {"actor": r["actor"], "measure": r["measure"], "location": r["location"],
                        "per": r["per"], "unit": r["unit"]}
        return render(request, "document.html", doc=doc, quantities=qs, statements=ss,
                      segments=segments(doc["text"], qs, ss), selected=claim, saved=saved)

    # ---- claims ---------------------------------------------------------------------------

    def claim_filters(request: Request) -> dict[str, str]:
        return {k: request.query_params.get(k, "").strip() for k in queries.CLAIM_FILTERS
                if request.query_params.get(k, "").strip()}

    @app.get("/claims", response_class=HTMLResponse)
    def claims_list(request: Request, page: int = 1, sort: str = "published", dir: str = "asc"):
        f = claim_filters(request)
        desc = dir == "desc"
        try:
            if claim_index.handles(f) and claim_index.ready():
                result = claim_index.page(f, page, queries.PAGE_SIZE, sort, desc)
            else:
                result = queries.claims_page(engine, f, page, sort=sort, desc=desc, vocab=vocab)
        except ValueError as exc:
            return render(request, "error.html", status=400, title="Bad filter", message=str(exc))
        base = {**f, "sort": sort, "dir": dir}
        return render(request, "claims.html", page=result, f=f, sort=sort, dir=dir,
                      sorts=list(queries.CLAIM_SORTS), kinds=_kinds(),
                      page_href=lambda p: "/claims?" + urlencode({**base, "page": p}),
                      sort_href=lambda s: "/claims?" + urlencode(
                          {**f, "sort": s, "dir": "desc" if s == sort and not desc else "asc"}),
                      download=urlencode({**f, "sort": sort, "dir": dir}))

    @app.get("/claims.csv")
    def claims_csv(request: Request, sort: str = "published", dir: str = "asc"):
        frame = queries.claims_frame(engine, claim_filters(request), sort, dir == "desc", vocab)
        buf = io.StringIO()
        frame.to_csv(buf, index=False)
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="claims.csv"'})

    @app.get("/claims.parquet")
    def claims_parquet(request: Request, sort: str = "published", dir: str = "asc"):
        frame = queries.claims_frame(engine, claim_filters(request), sort, dir == "desc", vocab)
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        return Response(buf.getvalue(), media_type="application/vnd.apache.parquet",
                        headers={"Content-Disposition": 'attachment; filename="claims.parquet"'})

    # ---- estimates ------------------------------------------------------------------------

    @app.get("/estimates", response_class=HTMLResponse)
    def estimates_list(request: Request, page: int = 1, q: str = ""):
        keys = index.keys()
        if q:
            keys = [k for k in keys if q.casefold() in analysis.key_label(k).casefold()]
        size = queries.PAGE_SIZE
        page = max(1, page)
        chunk = keys[(page - 1) * size: page * size]
        result = queries.Page(chunk, len(keys), False, page, size)
        return render(request, "estimates.html", page=result, q=q,
                      page_href=lambda p: "/estimates?" + urlencode({"q": q, "page": p}))

    @app.get("/estimate", response_class=HTMLResponse)
    def estimate_page(request: Request, as_of: str = ""):
        params = {k: v for k, v in request.query_params.items()}
        wanted = analysis.wanted_from(params)
        if "measure" not in wanted or not wanted["measure"]:
            return render(request, "error.html", status=400, title="No key",
                          message="an estimate needs at least a measure")
        try:
            cutoff = date.fromisoformat(as_of) if as_of else None
        except ValueError:
            return render(request, "error.html", status=400, title="Bad date",
                          message=f"as_of: expected YYYY-MM-DD, got {as_of!r}")
        view = views.get(wanted, cutoff)
        label = analysis.key_label(view.key)
        fig = charts.history_figure(view.history, view.points, label,
                                    view.key.get("unit") or view.key.get("measure") or "")
        key_args = {k: v for k, v in params.items() if k in analysis.KEY_FIELDS}
        named = {k: v for k, v in key_args.items() if v}
        claims_link = "/claims?" + urlencode({**named, **({"until": as_of} if as_of else {})})
        return render(request, "estimate.html", view=view, label=label, fig=fig,
                      as_of=as_of, key_args=key_args, claims_link=claims_link,
                      claims_fields=list(named))

    # ---- simulate -------------------------------------------------------------------------

    @app.get("/simulate", response_class=HTMLResponse)
    def simulate_form(request: Request):
        from orbat.simulate.scenario import bundled

        return render(request, "simulate.html", scenarios=list(bundled()), errors=[],
                      form={"draws": 2000, "seed": 1, "scenario": "kursk"})

    @app.post("/simulate")
    async def simulate_post(request: Request):
        from orbat.simulate.scenario import ScenarioError, bundled, load_scenario

        form = await guarded_form(request)
        errors = []
        fields = {"scenario": str(form.get("scenario") or ""), "draws": str(form.get("draws") or ""),
                  "seed": str(form.get("seed") or "0"), "sobol": str(form.get("sobol") or "").strip()}
        try:
            draws = int(fields["draws"])
            seed = int(fields["seed"])
            if not 1 <= draws <= MAX_DRAWS:
                raise ValueError
        except ValueError:
            errors.append(f"draws and seed must be whole numbers, draws 1 to {MAX_DRAWS:,}")
        scenario = fields["scenario"]
        label = scenario
        upload = form.get("file")
        if upload is not None and getattr(upload, "filename", ""):
            data = await upload.read(max_upload + 1)
            label = Path(upload.filename).name
            if len(data) > max_upload:
                errors.append(f"{label}: file over the {max_upload // 2**20} MiB limit")
            else:
                tmp = Path(tempfile.mkdtemp(prefix="orbat-scenario-")) / "scenario.yaml"
                tmp.write_bytes(data)
                try:
                    load_scenario(tmp)
                    scenario = str(tmp)
                except ScenarioError as exc:
                    errors.append(str(exc).replace(str(tmp), label))
                    shutil.rmtree(tmp.parent, ignore_errors=True)
        elif scenario not in bundled():
            errors.append(f"no bundled scenario {scenario!r}")
        if errors:
            return render(request, "simulate.html", status=400, scenarios=list(bundled()),
                          errors=errors, form=fields)
        job = jobs.start(ledger, scenario, draws, seed, fields["sobol"] or None, label=label,
                         cleanup=str(Path(scenario).parent) if scenario != fields["scenario"] else None)
        return RedirectResponse(f"/simulate/jobs/{job.id}", status_code=303)

    @app.get("/simulate/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: str):
        job = jobs.get(job_id)
        if job is None:
            return render(request, "error.html", status=404, title="No such run",
                          message="this run is not (or no longer) known to the app")
        figs = []
        if job.status == "done":
            pct = job.tables["percentiles"]
            for fr in job.fronts:
                row = [charts.fan_figure(pct, "strength", fr["attacker"], fr["front"]),
                       charts.fan_figure(pct, "strength", fr["defender"], fr["front"])]
                if fr["territory"]:
                    row.append(charts.fan_figure(pct, "territory", "", fr["front"]))
                figs.append({"front": fr["front"], "figs": row,
                             "inputs": [i for i in job.inputs if fr["front"] in i.get("fronts", ())
                                        and i["kind"] in ("ledger", "fallback")]})
        tte = None
        if job.status == "done" and len(job.tables["events"]):
            desc = dict(zip(job.tables["events"]["event"], job.tables["events"]["description"]))
            tte = charts.time_to_event_figure(job.tables["time_to_event"], desc)
        return render(request, "job.html", job=job, figs=figs, tte=tte, ref_href=_ref_href)

    @app.get("/simulate/jobs/{job_id}/status")
    def job_status(job_id: str):
        job = jobs.get(job_id)
        if job is None:
            return JSONResponse({"status": "unknown"}, status_code=404)
        return {"status": job.status, "done": job.done, "total": job.draws, "error": job.error}

    return app


CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


def _ref_href(ref: dict[str, Any] | None) -> str | None:
    """The estimate page a simulation ``from:`` reference draws from."""
    if not ref:
        return None
    args = {"measure": ref["measure"], "actor": ref.get("actor") or ""}
    args["per"] = ref.get("per") or ""
    if ref.get("location"):
        args["location"] = ref["location"]
    if ref.get("as_of"):
        args["as_of"] = str(ref["as_of"])
    return "/estimate?" + urlencode(args)


def _kinds() -> list[str]:
    from orbat.ledger.sources import KINDS

    return list(KINDS)


def _claim_row(claim, i: int) -> dict[str, Any]:
    d = claim.to_dict()
    d["claim_id"] = f"p{i}"
    d["span_start"], d["span_end"] = claim.span
    if claim.kind == "statement":
        d["cue_start"], d["cue_end"] = claim.cue_span
    return d


def _docs_json(docs) -> str:
    import json

    return json.dumps([{"id": d.id, "text": d.text, "title": d.title, "outlet": d.outlet,
                        "url": d.url, "published": d.published.isoformat() if d.published else None}
                       for d in docs])


def _docs_from_json(text: str) -> tuple[list, list[str]]:
    """The documents a multi-document preview carried to its Save button."""
    import json

    from orbat.types import Document
    try:
        items = json.loads(text)
        docs = [Document(id=str(d["id"]), text=str(d["text"]), title=d.get("title"),
                         outlet=d.get("outlet"), url=d.get("url"),
                         published=date.fromisoformat(d["published"]) if d.get("published") else None)
                for d in items]
    except (ValueError, KeyError, TypeError) as exc:
        return [], [f"the previewed documents could not be read back ({exc}); upload the file again"]
    return docs, []


def _read_upload(filename: str, data: bytes, max_upload: int, fields: dict[str, str],
                 published) -> tuple[list, list[str]]:
    """Documents from an uploaded file, read exactly as `orbat ingest` reads files; problems
    as the same one-line errors (naming the uploaded file, not the temp copy)."""
    from orbat.ingest import IngestError, read_documents

    name = Path(filename).name or "upload"
    suffix = Path(name).suffix.lower()
    if len(data) > max_upload:
        return [], [f"{name}: file is over the {max_upload / 2**20:g} MiB upload limit"]
    if suffix not in UPLOAD_SUFFIXES:
        return [], [f"{name}: unsupported file type {suffix or '(none)'!r}; expected .txt, .html, .htm or .jsonl"]
    with tempfile.TemporaryDirectory(prefix="orbat-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        items = list(read_documents([path], outlet=fields["outlet"] or None,
                                    published=published, max_bytes=max_upload))
    docs, errors = [], []
    for item in items:
        if isinstance(item, IngestError):
            errors.append(str(item).replace(str(path), name))
        else:
            from dataclasses import replace
            stem = Path(name).stem
            docs.append(replace(item, path=f"upload:{name}",
                                id=stem if item.id == "upload" else item.id,
                                title=item.title or fields["title"] or None,
                                url=item.url or fields["url"] or None))
    if errors:  # one bad line spoils the upload: nothing is saved
        return [], errors
    return docs, []
