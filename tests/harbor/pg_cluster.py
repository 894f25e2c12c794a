"""A throwaway PostgreSQL server on loopback, for the tests and the load script.

It uses the Debian server binaries (``make services`` installs them in CI). PostgreSQL will
not run as root, so as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PostgresCluster", "find_bindir"]


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, or None when no server is installed."""
    candidates: list[str] = []
    if shutil.which("pg_config"):
        result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(result.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """initdb into a temporary directory, serve on 127.0.0.1, remove everything on stop."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="harbor-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._names = itertools.count()
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *command: str) -> None:
        subprocess.run(
            [*self._as_user, *command], cwd=self.root, check=True, capture_output=True, text=True
        )

    def start(self, *, durable: bool = False) -> None:
        """Create the cluster and start the server.

        Tests throw the data away, so by default nothing is synced. With `durable` (the load
        benchmark) data is fsynced as in production, commits are acknowledged before their
        WAL flush (``synchronous_commit=off``, the same guarantee as SQLite's WAL mode with
        ``synchronous=NORMAL``).
        """
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        sync = "" if durable else "-c fsync=off -c full_page_writes=off "
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {sync}"
            "-c synchronous_commit=off -c max_connections=300"
        )
        self._options = options
        self.start_server()

    def start_server(self) -> None:
        """Start the server of the existing cluster (after `start` and `stop_server`)."""
        self._pg_ctl("-l", str(self.root / "server.log"), "-w", "-o", self._options, "start")

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server, keeping the cluster (``fast``: roll back sessions, checkpoint)."""
        self._pg_ctl("-m", mode, "-w", "stop")

    def restart(self, mode: str = "fast") -> None:
        """``pg_ctl restart``: every client connection is dropped, committed data stays."""
        self._pg_ctl("-l", str(self.root / "server.log"), "-m", mode, "-w", "restart")

    def terminate_backends(self, database: str) -> int:
        """``pg_terminate_backend`` every client connection to `database`; how many."""
        result = self._psql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()",
            "postgres",
            "-tA",
        )
        return int(result.stdout.strip())

    def _pg_ctl(self, *args: str) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), *args)

    def stop(self) -> None:
        """Stop the server and delete its files."""
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser on `database`."""
        self._psql(statement, database)

    def _psql(self, statement: str, database: str, *flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                str(self.bindir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                *flags,
                "-qc",
                statement,
            ],
            check=True,
            capture_output=True,
            text=True,
        )

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of `database` on this server."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, template: str | None = None) -> str:
        """A new, uniquely named database (a copy of `template` when given); its name."""
        name = f"harbor_{os.getpid()}_{next(self._names)}"
        suffix = f" TEMPLATE {template}" if template else ""
        self.sql(f"CREATE DATABASE {name}{suffix}")
        return name
