"""The app without a browser (Starlette's test client): security rules, downloads, pagination."""
from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

BASE = "http://127.0.0.1:8000"
SAME = {"origin": BASE}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from orbat.web.app import create_app
    from tests.web.conftest import demo_ledger

    db = demo_ledger(tmp_path_factory.mktemp("app") / "ledger.db")
    app = create_app(db, max_upload=64 * 1024)
    with TestClient(app, base_url=BASE) as c:
        c.token = app.state.token
        c.ledger = app.state.ledger
        yield c


def test_every_page_answers(client):
    for url in ("/", "/add", "/documents", "/claims", "/estimates", "/simulate",
                "/claims?actor=Russia&sort=value&dir=desc", "/documents?q=Kursk",
                "/estimate?actor=North+Korea&measure=deployed&location=Kursk&per=&unit=personnel",
                "/estimate?actor=North+Korea&measure=deployed&per=month",
                "/vendor/plotly.min.js", "/static/app.js", "/static/style.css"):
        assert client.get(url).status_code == 200, url


def test_pages_carry_a_strict_content_security_policy(client):
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert client.get("/").headers["x-frame-options"] == "DENY"


def test_no_page_loads_anything_from_another_host(client):
    for url in ("/", "/claims", "/estimate?actor=North+Korea&measure=deployed&location=Kursk&per=&unit=personnel"):
        html = client.get(url).text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), url


def test_posts_need_the_token_and_a_same_origin(client):
    before = client.ledger.counts()
    data = {"text": "Officials said 3,000 troops arrived.", "action": "save"}
    no_token = client.post("/add", data=data, headers=SAME)
    assert no_token.status_code == 403 and "token" in no_token.text
    wrong = client.post("/add", data={**data, "token": "x" * 43}, headers=SAME)
    assert wrong.status_code == 403
    other = client.post("/add", data={**data, "token": client.token},
                        headers={"origin": "http://evil.example"})
    assert other.status_code == 403 and "cross-origin" in other.text
    other_ref = client.post("/add", data={**data, "token": client.token},
                            headers={"referer": "http://evil.example/page"})
    assert other_ref.status_code == 403
    neither = client.post("/add", data={**data, "token": client.token})
    assert neither.status_code == 403
    sim = client.post("/simulate", data={"scenario": "kursk", "draws": "100", "token": "no"},
                      headers=SAME)
    assert sim.status_code == 403
    assert client.ledger.counts() == before
    ok = client.post("/add", data={**data, "action": "preview", "token": client.token},
                     headers={"referer": BASE + "/add"})
    assert ok.status_code == 200 and "3,000" in ok.text
    assert client.ledger.counts() == before


def test_a_foreign_host_header_is_refused(client):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_uploads_over_the_limit_and_bad_files_are_one_line_errors(client):
    before = client.ledger.counts()
    form = {"token": client.token, "action": "save"}
    big = client.post("/add", data=form, headers=SAME,
                      files={"file": ("big.txt", b"a" * (200 * 1024), "text/plain")})
    assert big.status_code == 413
    over = client.post("/add", data=form, headers=SAME,
                       files={"file": ("over.txt", b"1,000 troops. " * 5000, "text/plain")})
    assert over.status_code == 400 and "over.txt: file is over the" in over.text
    for name, body, message in (
            ("bin.txt", b"\x00\x01\x02", "bin.txt: binary file (contains NUL bytes), not text"),
            ("latin.txt", "caf\u00e9 1,000".encode("latin-1"), "latin.txt: not valid UTF-8 (byte offset 3)"),
            ("empty.txt", b"   ", "empty.txt: empty file"),
            ("bad.jsonl", b'{"id": "a", "text": "5,000 troops"}\nnot json\n', "bad.jsonl:2: not valid JSON"),
            ("x.pdf", b"%PDF-1.4", "x.pdf: unsupported file type '.pdf'")):
        res = client.post("/add", data=form, headers=SAME, files={"file": (name, body, "text/plain")})
        assert res.status_code == 400, name
        errors = re.findall(r'<p class="error">(.*?)</p>', res.text)
        assert len(errors) == 1 and errors[0].startswith(message.replace("'", "&#39;")), (name, errors)
    assert client.ledger.counts() == before


def test_a_jsonl_upload_previews_every_document_and_saves_them_all(client):
    before = client.ledger.counts()["documents"]
    body = (b'{"id": "a", "text": "Officials said 7,000 troops reached Kursk.", "outlet": "A"}\n'
            b'{"id": "b", "text": "Analysts said 9,000 soldiers died.", "published": "2024-10-01"}\n')
    res = client.post("/add", headers=SAME, data={"token": client.token, "action": "preview"},
                      files={"file": ("two.jsonl", body, "application/json")})
    assert res.status_code == 200 and res.text.count('class="preview"') == 2
    docs_json = re.search(r'name="docs_json" value="([^"]*)"', res.text).group(1)
    import html
    saved = client.post("/add", headers=SAME, follow_redirects=False,
                        data={"token": client.token, "action": "save",
                              "docs_json": html.unescape(docs_json)})
    assert saved.status_code == 303 and saved.headers["location"] == "/documents?saved=2"
    assert client.ledger.counts()["documents"] == before + 2


def test_claims_downloads_follow_the_filters(client):
    csv = client.get("/claims.csv?actor=Russia&measure=recruited")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    import pandas as pd
    frame = pd.read_csv(io.StringIO(csv.text))
    assert len(frame) >= 2 and set(frame["actor"]) == {"Russia"} and set(frame["measure"]) == {"recruited"}
    pq = client.get("/claims.parquet?actor=Russia&measure=recruited")
    assert pd.read_parquet(io.BytesIO(pq.content))["claim_id"].tolist() == frame["claim_id"].tolist()


def test_claims_pages_are_cut_on_the_server(client):
    from orbat.web import queries

    page = queries.claims_page(client.ledger.engine, {}, page=1, size=5)
    assert len(page.rows) == 5 and page.total == client.ledger.counts()["quantities"]
    page2 = queries.claims_page(client.ledger.engine, {}, page=2, size=5)
    assert not {r["claim_id"] for r in page.rows} & {r["claim_id"] for r in page2.rows}
    assert client.get("/claims?page=2").status_code == 200


def test_bad_filters_are_one_line_errors(client):
    res = client.get("/claims?since=yesterday")
    assert res.status_code == 400 and "yesterday" in res.text
    assert client.get("/estimate?as_of=soon&measure=deployed").status_code == 400
    assert client.get("/documents/ffffffffffff").status_code == 404


def test_the_serve_command_listens_on_localhost_by_default():
    import inspect

    from orbat.web.cli import serve_cmd
    assert inspect.signature(serve_cmd).parameters["host"].default.default == "127.0.0.1"


def test_orbat_help_does_not_import_the_web_stack():
    code = ("import sys; from orbat.cli import app; from typer.main import get_command; "
            "get_command(app); heavy = [m for m in ('fastapi', 'uvicorn', 'jinja2', "
            "'plotly', 'starlette', 'multipart') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _wait(client, job_url):
    import time
    job_id = job_url.rsplit("/", 1)[1]
    for _ in range(1200):
        status = client.get(f"/simulate/jobs/{job_id}/status").json()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError("the run did not finish")


def test_on_an_empty_ledger_every_reference_says_it_fell_back_and_why(tmp_path):
    from orbat.web.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'empty.db'}")
    with TestClient(app, base_url=BASE) as c:
        res = c.post("/simulate", headers=SAME, follow_redirects=False,
                     data={"token": app.state.token, "scenario": "kursk", "draws": "300", "seed": "1"})
        assert res.status_code == 303
        assert _wait(c, res.headers["location"])["status"] == "done"
        page = c.get(res.headers["location"]).text
    assert page.count("<b>fell back</b>") >= 3
    assert "no estimate in the ledger" in page
    assert 'class="ref input-ref"' not in page


def test_an_uploaded_scenario_with_a_mistake_names_the_file_and_line(client):
    bad = b"name: x\nhorizon_days: -5\nstep_days: 1\nsides: [A, B]\nfronts: {}\n"
    res = client.post("/simulate", headers=SAME, data={"token": client.token, "scenario": "kursk",
                                                       "draws": "100", "seed": "0"},
                      files={"file": ("mine.yaml", bad, "application/yaml")})
    assert res.status_code == 400
    errors = re.findall(r'<p class="error">(.*?)</p>', res.text)
    assert len(errors) == 1 and errors[0].startswith("mine.yaml:"), errors
    assert "/tmp" not in errors[0]


def test_a_document_page_names_the_origin_of_a_repeated_claim_and_its_copies(client):
    groups = client.ledger.origins()
    g = groups[groups["n_docs"] > 1].iloc[0]
    origin_page = client.get(f"/documents/{g.origin_doc}").text
    assert "<b>Origin</b> of this claim" in origin_page
    for copy in g.copies:
        assert f"/documents/{copy}?claim=" in origin_page
        copy_page = client.get(f"/documents/{copy}").text
        assert "<b>Copy</b> of" in copy_page and f"/documents/{g.origin_doc}?claim=" in copy_page


def test_an_uploaded_scenario_runs_and_its_temp_copy_is_removed(client):
    from pathlib import Path

    from orbat.simulate.scenario import bundled

    body = bundled()["kursk"].read_bytes()
    res = client.post("/simulate", headers=SAME, follow_redirects=False,
                      data={"token": client.token, "scenario": "kursk", "draws": "200", "seed": "2"},
                      files={"file": ("my-kursk.yaml", body, "application/yaml")})
    assert res.status_code == 303
    assert _wait(client, res.headers["location"])["status"] == "done"
    job = client.app.state.jobs.get(res.headers["location"].rsplit("/", 1)[1])
    assert job.name == "my-kursk.yaml" and job.cleanup and not Path(job.cleanup).exists()
    assert "my-kursk.yaml" in client.get(res.headers["location"]).text


def test_a_run_with_sobol_indices_and_time_to_event(client):
    res = client.post("/simulate", headers=SAME, follow_redirects=False,
                      data={"token": client.token, "scenario": "kursk", "draws": "300", "seed": "1",
                            "sobol": "territory:kursk@120"})
    assert _wait(client, res.headers["location"])["status"] == "done"
    page = client.get(res.headers["location"]).text
    assert "Sobol indices of territory:kursk@120" in page
    assert "fronts.kursk.territory.k" in page.split("Sobol indices of")[1]
    assert 'id="fig-tte"' in page


def test_the_serve_command_answers_on_the_port_it_was_given(tmp_path):
    import time

    import httpx

    from tests.web.conftest import free_port

    port = free_port()
    db = f"sqlite:///{tmp_path / 'served.db'}"
    proc = subprocess.Popen([sys.executable, "-c", "from orbat.cli import main; main()", "serve",
                             "--db", db, "--port", str(port)], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        for _ in range(100):
            try:
                res = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert res.status_code == 200 and "The ledger is empty" in res.text
    finally:
        proc.terminate()
        proc.wait(10)
