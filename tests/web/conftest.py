"""Web app fixtures: a temp ledger of the bundled example reports, the app served on a free
localhost port in a thread, and Debian's Chromium driven by Playwright (never downloaded).

Set ORBAT_REQUIRE_BROWSER=1 to make a missing Chromium or Playwright an error, not a skip.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from importlib import resources
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ORBAT_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_ledger(path: Path) -> str:
    """A SQLite ledger at ``path`` holding the bundled example reports."""
    from orbat.ingest import read_documents
    from orbat.ledger import Ledger

    url = f"sqlite:///{path}"
    ledger = Ledger(url)
    reports = resources.files("orbat") / "examples" / "reports"
    ledger.ingest(d for d in read_documents([str(reports)]) if not isinstance(d, Exception))
    ledger.close()
    return url


class Served:
    def __init__(self, app, port: int) -> None:
        import uvicorn

        self.app, self.port = app, port
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "Served":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    @property
    def ledger(self):
        return self.app.state.ledger


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> str:
    return demo_ledger(tmp_path_factory.mktemp("web") / "ledger.db")


@pytest.fixture(scope="session")
def served(web_db, tmp_path_factory):
    from orbat.web.app import create_app

    before = os.environ.get("ORBAT_DB")
    os.environ["ORBAT_DB"] = web_db  # nothing may fall back to the user's own ledger
    try:
        with Served(create_app(web_db), free_port()) as srv:
            yield srv
    finally:
        if before is None:
            os.environ.pop("ORBAT_DB", None)
        else:
            os.environ["ORBAT_DB"] = before


@pytest.fixture(scope="session")
def browser():
    required = os.environ.get("ORBAT_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("playwright is not installed and ORBAT_REQUIRE_BROWSER=1")
        pytest.skip("playwright is not installed (pip install '.[dev]')")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if required:
            pytest.fail(f"{CHROMIUM} not found and ORBAT_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, tmp_path):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    pg.errors = []
    pg.dialogs = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))

    def on_dialog(d):
        pg.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    ctx.close()


def shot(page, name: str) -> None:
    """Keep a screenshot of the page when ORBAT_SHOTS names a folder."""
    folder = os.environ.get("ORBAT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
