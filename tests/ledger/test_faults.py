"""Faults: a killed ingest leaves whole documents only; concurrent ingests never fail or duplicate."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from orbat.extract import extract
from orbat.ledger import Ledger
from orbat.ledger.ids import document_id
from orbat.ledger.synthetic import reports
from tests.ledger.ingest_worker import share

CLI = str(Path(__file__).with_name("orbat_cli.py"))
WORKER = str(Path(__file__).with_name("ingest_worker.py"))


def write_reports(folder: Path, n: int, seed: int) -> dict[str, int]:
    """Write ``n`` reports as .txt files; returns each document id's expected claim count."""
    folder.mkdir()
    expected = {}
    for i, doc in enumerate(reports(n, seed=seed)):
        (folder / f"r{i:05d}.txt").write_text(doc.text, encoding="utf-8")
        expected[document_id(doc.text)] = len(extract(doc.text))
    return expected


def ingest_cmd(folder: Path, db_url: str, batch: int = 5) -> list[str]:
    return [sys.executable, CLI, "ingest", str(folder), "--db", db_url, "--batch-size", str(batch)]


def wait_until(done, timeout: float, alive: subprocess.Popen, what: str) -> None:
    """Poll ``done()`` until it holds, failing after ``timeout`` seconds or if ``alive`` ends
    first (no fixed sleeps: the test goes on the moment the condition is met)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert alive.poll() is None, f"the process ended before {what}"
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        try:
            alive.wait(timeout=0.02)  # returns early if the process ends
        except subprocess.TimeoutExpired:
            pass


def stored_claims(ledger: Ledger) -> dict[str, int]:
    frame = ledger.docs()
    return dict(zip(frame["id"], frame["n_quantities"] + frame["n_statements"]))


def test_sigkill_mid_batch_then_rerun(db_url, tmp_path):
    expected = write_reports(tmp_path / "batch", 600, seed=11)
    ledger = Ledger(db_url)
    proc = subprocess.Popen(ingest_cmd(tmp_path / "batch", db_url), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_until(lambda: ledger.counts()["documents"] >= 20, timeout=120,
               alive=proc, what="20 documents stored")
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL

    partial = stored_claims(ledger)
    assert 20 <= len(partial) < len(expected)
    for doc_id, n in partial.items():  # every stored document has all its claims
        assert n == expected[doc_id], doc_id
    assert ledger.counts()["quantities"] == ledger.quantities()["claim_id"].nunique()

    subprocess.run(ingest_cmd(tmp_path / "batch", db_url), check=True, capture_output=True)
    assert stored_claims(ledger) == expected
    assert ledger.counts()["quantities"] + ledger.counts()["statements"] == sum(expected.values())
    ledger.close()


def test_two_concurrent_ingests_neither_fail_nor_duplicate(db_url, tmp_path):
    expected = write_reports(tmp_path / "batch", 150, seed=12)
    procs = [subprocess.Popen(ingest_cmd(tmp_path / "batch", db_url, batch=7),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=180) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
    added = [int(re.search(r"added (\d+) documents", out).group(1)) for out, _ in outputs]
    assert sum(added) == len(expected)
    ledger = Ledger(db_url)
    assert stored_claims(ledger) == expected
    counts = ledger.counts()
    assert counts["documents"] == len(expected)
    assert counts["quantities"] + counts["statements"] == sum(expected.values())
    ledger.close()


def test_four_ingests_of_overlapping_shuffled_reports(db_url):
    """Four writers, each with its own order and batch size, insert the same keys at once.

    Before rows were written in key order this deadlocked on PostgreSQL in 16 of 20 runs: a
    writer blocked mid-INSERT on another's document while holding documents a third one needed.
    (test_store's key-order test catches that cause every time.)
    """
    n, seed, batches = 300, 21, (40, 60, 80, 100)
    docs = list(reports(n, seed=seed))
    procs = [subprocess.Popen([sys.executable, WORKER, db_url, str(w), str(n), str(seed),
                               str(batch)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
             for w, batch in enumerate(batches)]
    union = {i for w in range(len(batches)) for i in share(n, seed, w)}
    expected = {document_id(docs[i].text): len(extract(docs[i].text)) for i in union}
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, outputs):
        assert proc.returncode == 0, err[-2000:]
    assert sum(json.loads(out)["documents"] for out, _ in outputs) == len(expected)
    ledger = Ledger(db_url)
    assert stored_claims(ledger) == expected
    counts = ledger.counts()
    assert counts["quantities"] + counts["statements"] == sum(expected.values())
    ledger.close()


def test_wal_switch_waits_for_a_process_holding_a_new_file(tmp_path):
    """Two processes opening a brand-new SQLite ledger at once: one switches the file to WAL
    while the other holds it. SQLite refuses the switch at once ("database is locked") instead
    of waiting, so opening retries; a plain PRAGMA fails the same way."""
    import sqlite3
    import threading

    from orbat.ledger.db import _use_wal

    path = tmp_path / "new.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    try:
        other.execute("PRAGMA journal_mode=WAL")
        raise AssertionError("the switch should be refused while the file is held")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)


    class Spy:  # the cursor _use_wal retries on, telling when SQLite has refused the switch
        def __init__(self, cur):
            self.cur, self.refused = cur, threading.Event()

        def execute(self, sql):
            try:
                return self.cur.execute(sql)
            except sqlite3.OperationalError:
                self.refused.set()
                raise

    spy = Spy(other.cursor())
    released = threading.Event()

    def release():  # let go of the file only once opening has been refused and is retrying
        if spy.refused.wait(timeout=30):
            holder.execute("COMMIT")
            released.set()

    releaser = threading.Thread(target=release)
    releaser.start()
    _use_wal(spy, patience=30)
    releaser.join(timeout=30)
    assert spy.refused.is_set() and released.is_set()
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
