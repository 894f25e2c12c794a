"""The documentation pages render in headless Chromium with no network but the app's.

Chromium resolves every host except 127.0.0.1 to nothing, so a page that still needed a CDN
would stay blank. Needs the ``chromium`` system package (``apt-get install -y chromium``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from pydantic import BaseModel

import accord

OPTIONS: dict[str, object] = {}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# `make test` installs Chromium in CI; there a missing browser is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="chromium is not installed (make test installs it when CI=true)",
)


class Item(BaseModel):
    name: str
    price: float | None = None


def _app() -> accord.FastAPI:
    app = accord.FastAPI(title="Browser Check", **OPTIONS)

    @app.post("/items/{item_id}", summary="Create a shop item")
    def create(item_id: int, item: Item) -> Item:
        return item

    return app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        _app(), host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _rendered_dom(url: str) -> str:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={profile}",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--virtual-time-budget=10000",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=90,
            check=True,
        )
    return result.stdout


def test_swagger_ui_renders_the_document(base_url: str) -> None:
    dom = _rendered_dom(base_url + "/docs")
    assert "Create a shop item" in dom  # only present once Swagger UI rendered the operation
    assert "OAS 3.1" in dom
    assert "/items/{item_id}" in dom


def test_redoc_renders_the_document(base_url: str) -> None:
    dom = _rendered_dom(base_url + "/redoc")
    assert "Create a shop item" in dom
    assert "Browser Check" in dom
