"""Headless Debian Chromium with no network but 127.0.0.1, and a server thread to point it at.

Shared by the docs-UI test (``tests/openapi/test_browser.py``, which reads the rendered DOM)
and the documentation-site test (``tests/docs/test_site.py``, which drives the page through
the DevTools protocol: console, failed requests, search, screenshots). Both launch the browser
with the same ``chromium_args``. Needs the ``chromium`` system package; ``make services``
installs it in CI, where a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="chromium is not installed (make test installs it when CI=true)",
)


def chromium_args(profile: str) -> list[str]:
    """The browser, headless, resolving every host but 127.0.0.1 to nothing."""
    assert CHROMIUM is not None, "chromium is not installed"
    return [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve an ASGI app with Uvicorn in a thread on a free 127.0.0.1 port; yield its URL."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def rendered_dom(url: str) -> str:
    """The DOM of ``url`` once its scripts have run (10 s of virtual time)."""
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [*chromium_args(profile), "--virtual-time-budget=10000", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=90,
            check=True,
        )
    return result.stdout


class Page:
    """One browser tab driven over the DevTools protocol, recording what went wrong.

    ``problems`` collects console errors, uncaught exceptions, failed requests and responses
    with a 4xx/5xx status, each as a line of text.
    """

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self._ids = itertools.count(1)
        self.problems: list[str] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def call(self, method: str, timeout: float = 30, **params: Any) -> dict[str, Any]:
        ident = next(self._ids)
        self._ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self._ws.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self._event(message)

    def _event(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            self.problems.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = [str(a.get("value", a.get("description"))) for a in params.get("args", [])]
            self.problems.append(f"console.{params['type']}: {' '.join(args)}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            self.problems.append(f"log: {entry.get('text')} {entry.get('url', '')}")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            self.problems.append(f"request failed: {params.get('errorText')}")
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            response = params["response"]
            self.problems.append(f"HTTP {response['status']}: {response['url']}")

    def open(self, url: str, timeout: float = 30) -> None:
        """Navigate and wait for the load event, then let the page's scripts settle."""
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self._ws.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            if message.get("method") == "Page.loadEventFired":
                break
            self._event(message)
        self.wait_for("document.readyState === 'complete'")

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15) -> Any:
        """Poll ``expression`` until it is truthy; return its value (or the last falsy one)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.2)

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))


@contextmanager
def devtools_tab(window_size: str = "1280,900", timeout: float = 30) -> Iterator[str]:
    """A fresh headless Chromium (``chromium_args``) with DevTools on; yield its tab's socket URL.

    The browser runs in its own process group, so that all its children stop with it.
    """
    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen(
            [*chromium_args(profile), "--no-first-run", "--remote-debugging-port=0",
             f"--window-size={window_size}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            # Chromium writes the port it picked for --remote-debugging-port=0 into the profile.
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + timeout
            while not (port_file.exists() and port_file.read_text().strip()):
                assert process.poll() is None, "chromium exited early"
                assert time.monotonic() < deadline, "chromium did not open its DevTools port"
                time.sleep(0.05)
            port = int(port_file.read_text().split()[0])
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with opener.open(f"http://127.0.0.1:{port}/json/list", timeout=timeout) as answer:
                targets = json.load(answer)
            yield next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@contextmanager
def browser_page() -> Iterator[Page]:
    """One tab of a fresh browser (``devtools_tab``), driven over DevTools."""
    from websockets.sync.client import connect

    with devtools_tab() as socket_url:
        with connect(socket_url, max_size=None, open_timeout=20, proxy=None) as ws:
            yield Page(ws)
