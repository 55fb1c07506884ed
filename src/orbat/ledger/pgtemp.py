"""A throwaway PostgreSQL server (initdb + pg_ctl) for tests and benchmarks.

Made in a temp dir on a free localhost port with its unix socket in that dir; when run as
root, the server runs as the ``postgres`` OS user, since initdb refuses root.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def pg_bindir() -> Path | None:
    """The newest Debian PostgreSQL bin directory, or None when the server is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgCluster:
    """A PostgreSQL server in ``base``, stopped and removed at the end of the session."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="orbat-pg-"))
        self.port = _free_port()
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres"
            pw = pwd.getpwnam(self.user)
            os.chown(self.base, pw.pw_uid, pw.pw_gid)
        self.data = self.base / "data"

    def run(self, tool: str, *args: str) -> None:
        """Run one PostgreSQL program from ``bindir`` (as ``postgres`` when we are root)."""
        cmd = [str(self.bindir / tool), *args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True)

    def start(self) -> None:
        """Create the cluster and start the server; raises CalledProcessError on failure."""
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--no-sync")
        opts = (f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
                f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self.run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.base / "log"),
                 "-w", "-t", "60", "start")

    def stop(self) -> None:
        """Stop the server (if it runs) and delete its files."""
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass  # never started, or already gone
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def new_database(self) -> str:
        """A fresh empty database; returns its SQLAlchemy URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.run("createdb", "-h", str(self.base), "-p", str(self.port), "-U", "postgres", name)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"
