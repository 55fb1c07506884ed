"""`orbat report -o r.html`: one file that opens in Chromium with no network and draws its charts."""
from __future__ import annotations

from typer.testing import CliRunner

from orbat.cli import app


def test_the_report_opens_offline_and_shows_its_charts(web_db, browser, tmp_path):
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["report", "--db", web_db, "-o", str(out), "--draws", "500"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "http://" not in html.split("<script>", 1)[0].replace("http://www.w3.org", "")  # no remote assets
    ctx = browser.new_context(offline=True)
    requests: list[str] = []
    ctx.route("**/*", lambda route: (requests.append(route.request.url), route.continue_()
                                     if route.request.url.startswith("file://") else route.abort()))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(out.as_uri())
    page.wait_for_selector(".chart .main-svg")
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []
    n_sections = page.locator("section.est").count()
    assert n_sections >= 5
    assert page.locator("section.est .chart .main-svg").count() >= n_sections
    assert page.locator("#simulation ~ .fans .main-svg, .fans .main-svg").count() >= 6
    # the trace inside the file: estimate -> claim -> its sentence
    page.locator("#estimate-table a", has_text="North Korea / deployed / Kursk").click()
    section = page.locator("section.est:target")
    link = section.locator("table a").first
    claim = link.inner_text().strip("“”")
    link.click()
    target = page.locator(".sentence:target")
    assert target.locator("mark").inner_text() == claim
    # every ledger input of the simulation links to its estimate section
    anchors = page.locator("#inputs tr.ledger a")
    assert anchors.count() >= 3
    ctx.close()


def test_report_for_one_actor_without_simulation(web_db, tmp_path):
    out = tmp_path / "nk.html"
    res = CliRunner().invoke(app, ["report", "--db", web_db, "-o", str(out), "--actor",
                                   "North Korea", "--scenario", ""])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "North Korea / deployed" in html and "Russia / recruited" not in html
    assert "No simulation in this report." in html


def test_an_unknown_scenario_is_a_one_line_error_and_writes_nothing(web_db, tmp_path):
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["report", "--db", web_db, "-o", str(out), "--scenario", "nope"])
    assert res.exit_code == 2 and not out.exists()
    assert "nope: no such scenario file or bundled scenario" in " ".join(res.output.split())
