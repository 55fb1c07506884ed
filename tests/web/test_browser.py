"""The web app in Chromium: what an analyst does, and what an attacker cannot."""
from __future__ import annotations

import csv
import http.server
import io
import re
import threading

import pytest

from tests.web.conftest import free_port, shot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

EVIL = "main img, main script, [onerror], [onmouseover]"
REPORT = ("Russia has gathered about 48,000 troops near Zolotukhino, Ukrainian commander "
          "Oleksandr Petrenko said on Tuesday. Analysts believe the build-up may continue.\n")


def test_paste_a_report_see_it_highlighted_and_save_it(served, page):
    before = served.ledger.counts()["documents"]
    page.goto(served.url + "/add")
    page.fill("#text", REPORT)
    page.fill("#outlet", "Test Wire")
    page.fill("#published", "2024-12-01")
    page.click("#preview")
    marked = page.locator(".preview .seg.q")
    assert marked.first.inner_text() == "about 48,000"
    assert page.locator(".preview .seg.cue").count() >= 1
    assert served.ledger.counts()["documents"] == before  # a preview stores nothing
    marked.first.click()
    assert page.locator(".preview .panel:not([hidden])").inner_text().count("strength") >= 1
    shot(page, "add-preview")
    page.click("#save")
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]{16}\?saved=1"))
    assert "Saved to the ledger" in page.locator("#saved").inner_text()
    assert served.ledger.counts()["documents"] == before + 1
    page.locator("#doctext .seg.q").first.click()
    panel = page.locator("#panels .panel:not([hidden])")
    assert "48000" in panel.inner_text() and "Petrenko" in panel.inner_text()
    assert "Test Wire" in page.locator(".meta").inner_text()
    shot(page, "document")


def test_filter_claims_and_download_the_same_claims_as_csv(served, page):
    page.goto(served.url + "/claims")
    page.fill("input[name=actor]", "North Korea")
    page.fill("input[name=location]", "Kursk")
    page.click("#apply")
    page.wait_for_url(re.compile(r"actor=North\+Korea"))
    rows = page.locator("#claims tbody tr")
    n = rows.count()
    assert n >= 3
    for i in range(n):
        cells = rows.nth(i).locator("td")
        assert cells.nth(5).inner_text() == "North Korea"
        assert cells.nth(7).inner_text() == "Kursk"
    page.locator("#claims thead a", has_text="value").click()  # sort by value
    page.wait_for_url(re.compile(r"sort=value"))
    shot(page, "claims")
    with page.expect_download() as info:
        page.click("#csv")
    data = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
    assert len(data) == n
    assert {r["actor"] for r in data} == {"North Korea"} and {r["location"] for r in data} == {"Kursk"}
    values = [float(r["value"]) for r in data if r["value"]]
    assert values == sorted(values)


def test_open_an_estimate_and_follow_the_trace_to_the_sentence(served, page):
    page.goto(served.url + "/estimates")
    page.locator("#keys a", has_text="North Korea / deployed / Kursk (personnel)").click()
    page.wait_for_selector("#history-chart .main-svg")
    assert page.locator("#median b").inner_text().replace(",", "").isdigit()
    assert page.locator("#history-chart .scatterlayer .point").count() >= 4  # claim points
    assert page.locator("#contradictions tbody tr").count() >= 1
    shares = [float(t.rstrip("%")) for t in page.locator("#origins tbody tr td:first-child").all_inner_texts()]
    assert abs(sum(shares) - 100) < 0.5
    shot(page, "estimate")
    link = page.locator("#origins a.trace").first
    claim_text = link.inner_text().strip("“”")
    link.click()
    page.wait_for_url(re.compile(r"/documents/.*claim="))
    active = page.locator("#doctext .seg.active")
    assert active.first.inner_text() == claim_text
    assert page.locator("#panels .panel:not([hidden])").count() == 1
    # the as-of date on the page: before any claim there is no estimate
    page.goto(served.url + "/estimate?actor=North+Korea&measure=deployed&location=Kursk&per=&unit=personnel&as_of=2024-01-01")
    assert "No claims" in page.locator("main").inner_text()


def test_run_kursk_with_2000_draws_and_see_the_fan_charts_after_the_progress_bar(served, page):
    page.goto(served.url + "/simulate")
    page.select_option("#scenario", "kursk")
    page.fill("#draws", "2000")
    page.fill("#seed", "3")
    with page.expect_response(re.compile(r"/simulate/jobs/[0-9a-f]+$")) as first:
        page.click("#run")
    assert 'id="progress"' in first.value.text()  # the run page opens on its progress bar
    page.wait_for_selector("#finished", timeout=120_000)  # the page reloads itself when done
    assert page.locator("#progress").get_attribute("data-state") == "done"
    assert "2,000 of 2,000 draws" in page.locator("#progress-text").inner_text()
    page.wait_for_selector(".fan .main-svg")
    assert page.locator(".fan .main-svg").count() >= 6  # kursk and east: two sides + territory
    assert page.locator("#events tbody tr").count() == 3
    shot(page, "simulate")
    assert page.locator(".trace-in a.ref").count() >= 3  # the kursk front names its ledger inputs
    ledger_links = page.locator("#inputs a.ref")
    assert ledger_links.count() >= 3  # every from: input resolved on the demo ledger
    ledger_links.first.click()
    page.wait_for_selector("#history-chart .main-svg")
    assert page.locator("#origins a.trace").count() >= 1


def test_a_document_with_script_and_img_is_shown_as_text(served, page):
    from orbat.types import Document

    evil = ("<script>alert(1)</script> Officials said <img src=x onerror=alert(2)> about "
            "5,000 troops arrived in Kursk. <b onmouseover=alert(3)>bold</b>\n")
    served.ledger.ingest([Document(id="evil", text=evil, title="<script>alert(4)</script>",
                                   outlet="<img src=y onerror=alert(5)>")])
    from orbat.ledger.ids import document_id

    did = document_id(evil)
    for url in (f"/documents/{did}", "/documents?q=onerror", "/claims?text=5%2C000",
                f"/documents/{did}?claim=x"):
        page.goto(served.url + url)
        page.wait_for_timeout(200)
        assert page.locator(EVIL).count() == 0, url
        assert page.dialogs == [], url
    page.goto(served.url + f"/documents/{did}")
    assert "<script>alert(1)</script>" in page.locator("#doctext").inner_text()
    assert "<img src=x onerror=alert(2)>" in page.locator("#doctext").inner_text()
    assert page.locator("h1").inner_text() == "<script>alert(4)</script>"
    page.locator("#doctext .seg.q").first.click()
    page.wait_for_timeout(200)
    # and in the preview before saving
    page.goto(served.url + "/add")
    page.fill("#text", evil)
    page.click("#preview")
    assert page.locator(".preview .seg.q").count() >= 1
    assert page.locator(EVIL).count() == 0
    assert page.dialogs == [] and page.errors == []


class _Evil(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_GET(self):
        body = (f'<form id="f" method="post" action="{self.target}/add">'
                '<input name="text" value="Evil says 1,000 troops.">'
                '<input name="token" value="guess"><input name="action" value="save"></form>'
                '<script>document.getElementById("f").submit()</script>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_post_from_another_site_is_refused(served, page):
    before = served.ledger.counts()["documents"]
    _Evil.target = served.url
    evil = http.server.HTTPServer(("127.0.0.1", free_port()), _Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        with page.expect_response(lambda r: r.url == served.url + "/add") as resp:
            page.goto(f"http://127.0.0.1:{evil.server_port}/")
        assert resp.value.status == 403
        page.wait_for_load_state()
        assert "refused" in page.locator("#error").inner_text()
    finally:
        evil.shutdown()
    assert served.ledger.counts()["documents"] == before


def test_an_uploaded_binary_file_gives_one_line_and_saves_nothing(served, page, tmp_path):
    before = served.ledger.counts()
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    page.goto(served.url + "/add")
    page.set_input_files("#file", str(binary))
    page.click("#preview")
    errors = page.locator("p.error").all_inner_texts()
    assert errors == ["scan.txt: binary file (contains NUL bytes), not text"]
    assert page.locator("#save").count() == 0
    shot(page, "upload-error")
    assert served.ledger.counts() == before
