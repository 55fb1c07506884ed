"""Every test runs against its own data directory and database, never the user's.

HOME, XDG_DATA_HOME and ORBAT_DB point into a temporary folder for each test, so nothing a test
runs (in process or through the real ``orbat`` command, which inherits the environment) creates,
migrates or reads ``~/.local/share/orbat/orbat.db``; tests run in that folder too, so nothing
lands in the working tree.
"""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def _shared_cache(tmp_path_factory):
    """One matplotlib cache for the session (its font list takes seconds to build)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def isolated_data(tmp_path_factory, monkeypatch, _shared_cache):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MPLCONFIGDIR", str(_shared_cache / "matplotlib"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_shared_cache))
    monkeypatch.setenv("ORBAT_DB", f"sqlite:///{home / 'orbat.db'}")
    monkeypatch.delenv("ORBAT_DEBUG", raising=False)
    monkeypatch.chdir(home)  # relative outputs (simulate-out/, orbat-demo/) land here too
    return home
