"""The autouse fixture in conftest.py keeps every test away from the user's data."""
from __future__ import annotations

import os
import pwd
from pathlib import Path

from orbat.ledger import db

REPO = Path(__file__).resolve().parents[1]


def test_the_default_ledger_is_in_a_temporary_home(isolated_data):
    real_home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    url = db.default_url()
    assert str(isolated_data) in url and not url.startswith(f"sqlite:///{real_home}/.local")
    os.environ.pop("ORBAT_DB")  # even without ORBAT_DB: the user data dir is the temp HOME's
    assert db.default_url().startswith(f"sqlite:///{isolated_data}")
    assert Path.cwd() == isolated_data and REPO not in Path.cwd().parents
