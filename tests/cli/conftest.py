"""Fixtures for the ``accord`` command: throwaway projects, in-process and real runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

import accord.cli
from accord._cli.commands import cli

# The directory that holds the `accord` package, so a subprocess imports this checkout even
# when the package is not installed.
SOURCE_ROOT = Path(accord.cli.__file__).resolve().parent.parent

# A minimal app on the public API: a router with a dependency, a response model, a body.
APP_SOURCE = """
from typing import Annotated

from pydantic import BaseModel

from accord import Accord, APIRouter, Depends, Request


class Item(BaseModel):
    name: str
    price: float


def get_token() -> str:
    return "token"


def audit() -> None:
    return None


router = APIRouter(prefix="/items", dependencies=[Depends(audit)])


@router.get("/{item_id}", response_model=Item)
def read_item(item_id: int, token: Annotated[str, Depends(get_token)]) -> Item:
    return Item(name=f"item {item_id}", price=1.5)


@router.post("/", status_code=201)
def create_item(item: Item) -> Item:
    return item


app = Accord(title="CLI test app")
app.include_router(router)


@app.get("/whoami")
def whoami(request: Request) -> dict[str, str]:
    return {
        "client": request.client.host if request.client else "",
        "scheme": request.url.scheme,
        "root_path": request.scope.get("root_path", ""),
        "message": "first",
    }
"""


def write(path: Path, source: str) -> Path:
    """Write dedented ``source`` to ``path``, creating its directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty project directory, made the current one; its modules are forgotten after."""
    monkeypatch.chdir(tmp_path)
    saved_path = list(sys.path)
    yield tmp_path
    sys.path[:] = saved_path
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None) or ""
        if file.startswith(str(tmp_path)):
            del sys.modules[name]


@pytest.fixture
def invoke() -> Callable[..., Any]:
    """Run the ``accord`` command in this process; returns click's ``Result``."""
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(cli, list(args))

    return run


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("PORT", None)  # `--port` reads $PORT; the tests always pass it
    return env


def run_accord(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m accord ARGS`` to completion in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        cwd=cwd,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@dataclass
class Server:
    """A running ``accord dev|run``; ``output()`` is what it printed so far."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serving(cwd: Path, *args: str, port: int, startup: float = 30) -> Iterator[Server]:
    """Start ``python -m accord ARGS`` and wait until it answers on ``port``.

    The process (and its reloader or worker children, in its own process group) is always
    stopped on exit: SIGTERM, then SIGKILL if it has not exited within 10 seconds.
    """
    log = cwd / f"server-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "accord", *args, "--port", str(port)],
            cwd=cwd,
            env=subprocess_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_until_up(server, startup)
        yield server
    finally:
        _stop(process)


def _wait_until_up(server: Server, startup: float) -> None:
    deadline = time.monotonic() + startup
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"server exited early:\n{server.output()}")
        try:
            httpx.get(server.url + "/whoami", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"server did not answer within {startup}s:\n{server.output()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(grace)
            break
        except subprocess.TimeoutExpired:
            continue
    # Reap the leader even if it ignored SIGTERM, and any child it left behind.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(5)
