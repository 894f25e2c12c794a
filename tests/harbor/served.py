"""Harbor served by real worker processes on a loopback port, for the multi-process tests.

`Served` starts ``accord run`` (or ``uvicorn``) with Harbor's settings in the environment,
knows which worker processes are up (from the server's log and ``/proc``), and stops or
kills them the way an operator or a crash would.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

__all__ = ["ROOT", "Served", "free_port", "harbor_env", "serve"]

ROOT = Path(__file__).resolve().parents[2]
_STARTED = re.compile(r"Started server process \[(\d+)\]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """A running server process tree and its combined log."""

    def __init__(self, process: subprocess.Popen[bytes], base: str, log: Path) -> None:
        self.process = process
        self.base = base
        self.log = log

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def entries(self) -> list[dict[str, Any]]:
        """Harbor's JSON log entries (each carries its process id)."""
        return [json.loads(line) for line in self.text().splitlines() if line.startswith("{")]

    def workers(self) -> set[int]:
        """The live worker processes (children of the server)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            children = {int(pid) for pid in path.read_text().split()}
        except FileNotFoundError:
            return set()
        started = {int(pid) for pid in _STARTED.findall(self.text())}
        return {pid for pid in children & started if _running(pid)}

    def ready_workers(self) -> set[int]:
        """Live workers whose lifespan start-up completed (Harbor logs it with its pid)."""
        started = {e["pid"] for e in self.entries() if e["message"] == "harbor started"}
        return started & self.workers()

    def wait_ready(self, workers: int, timeout: float = 60.0) -> None:
        """Block until `workers` workers are up and the readiness probe answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server exited:\n" + self.text()[-3000:]
            if len(self.ready_workers()) >= workers:
                try:
                    if httpx.get(f"{self.base}/health/ready", timeout=2).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
            time.sleep(0.05)
        raise AssertionError(f"{workers} workers did not become ready:\n{self.text()[-3000:]}")

    def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM to the server (graceful shutdown); its exit status."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_all()
            raise AssertionError("the server did not stop within the timeout") from None

    def kill_all(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed worker stays a child until its parent reaps it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):  # gone, or gone between open and read
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def harbor_env(database_url: str, pepper: str, **settings: Any) -> dict[str, str]:
    """The environment for a server on `database_url` (it wins over a developer's .env)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HARBOR_DATABASE_URL": database_url}
    env["HARBOR_API_KEY_PEPPER"] = pepper
    env.update({f"HARBOR_{name.upper()}": str(value) for name, value in settings.items()})
    return env


@contextmanager
def serve(
    log: Path,
    env: Mapping[str, str],
    *,
    workers: int = 2,
    server: str = "accord",
) -> Iterator[Served]:
    """Harbor under ``accord run`` (or ``uvicorn``) with `workers` processes, until exit."""
    port = free_port()
    target = ["examples/harbor/main.py"] if server == "accord" else ["examples.harbor.main:app"]
    launcher = ["-m", "accord", "run"] if server == "accord" else ["-m", "uvicorn"]
    options = ["--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)]
    command = [sys.executable, *launcher, *target, *options, "--no-access-log"]
    if server == "accord":
        command.remove("--no-access-log")  # `accord run` has no such option
    with log.open("w") as sink:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(env),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    served = Served(process, f"http://127.0.0.1:{port}", log)
    try:
        served.wait_ready(workers)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                served.kill_all()
