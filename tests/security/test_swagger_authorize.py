"""Swagger UI's "Authorize" dialog works against the OAuth2 password flow (issue 4).

Headless Chromium is driven over the Chrome DevTools Protocol (a websocket, with the
``websockets`` package uvicorn[standard] already installs): real mouse clicks at the elements'
positions and real key presses, no script setting values behind React's back. The app runs in
uvicorn on a free 127.0.0.1 port; Chromium resolves no other host, so everything Swagger UI
loads is served by the app itself. Screenshots of each step land in the test's tmp dir.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
import uvicorn
from websockets.sync.client import ClientConnection, connect

import accord
from accord.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from tests.browser import CHROMIUM, devtools_tab
from tests.browser import free_port as _free_port

# `make test` installs Chromium in CI; there a missing browser is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="chromium is not installed (make test installs it when CI=true)",
)

STEP_TIMEOUT = 20.0  # seconds any single wait may take
TOKEN = "token-for-alice"
oauth2 = OAuth2PasswordBearer(tokenUrl="token")


def _app(seen: dict[str, list[Any]]) -> accord.FastAPI:
    """The test app; `seen` records what the server received from the browser."""
    app = accord.FastAPI(title="Authorize Check")

    @app.post("/token")
    def login(form: Annotated[OAuth2PasswordRequestForm, accord.Depends()]) -> dict[str, str]:
        seen["logins"].append((form.grant_type, form.username, form.password))
        if (form.username, form.password) != ("alice", "secret"):
            raise accord.HTTPException(status_code=400, detail="Incorrect username or password")
        return {"access_token": TOKEN, "token_type": "bearer"}

    @app.get("/me")
    def read_me(
        request: accord.Request, token: Annotated[str, accord.Depends(oauth2)]
    ) -> dict[str, str]:
        seen["authorization"].append(request.headers.get("authorization"))
        if token != TOKEN:
            raise accord.HTTPException(status_code=401, detail="Invalid token")
        return {"username": "alice", "full_name": "Alice Liddell"}

    return app


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, list[Any]]]]:
    seen: dict[str, list[Any]] = {"logins": [], "authorization": []}
    port = _free_port()
    config = uvicorn.Config(
        _app(seen), host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}", seen
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Browser:
    """One headless Chromium page, driven through the DevTools Protocol."""

    def __init__(self, ws: ClientConnection, shots: Path) -> None:
        self._ws = ws
        self._ids = 0
        self._shots = shots

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and wait (bounded) for its answer; events in between are dropped."""
        self._ids += 1
        self._ws.send(json.dumps({"id": self._ids, "method": method, "params": params}))
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            message = json.loads(self._ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if message.get("id") == self._ids:
                assert "error" not in message, f"{method}: {message['error']}"
                return dict(message["result"])

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait_for(self, expression: str, what: str) -> Any:
        """Poll a JS expression until it is truthy; on timeout, screenshot and fail."""
        deadline = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        self.screenshot(f"timeout-{what}")
        pytest.fail(f"timed out waiting for {what}")

    def click(self, selector: str) -> None:
        """A real left click at the centre of the first visible element matching `selector`."""
        found = _visible(selector)
        self.wait_for(f"!!{found}", f"visible {selector}")
        point = self.evaluate(
            f"(() => {{ const e = {found}; e.scrollIntoView({{block: 'center'}});"
            " const r = e.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        x, y = point
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def type(self, selector: str, text: str) -> None:
        """Click into a field and press one key per character."""
        self.click(selector)
        for char in text:
            self.call("Input.dispatchKeyEvent", type="keyDown", key=char, text=char)
            self.call("Input.dispatchKeyEvent", type="keyUp", key=char)

    def screenshot(self, name: str) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        (self._shots / f"{name}.png").write_bytes(base64.b64decode(data))


def _visible(selector: str) -> str:
    """A JS expression for the first element matching `selector` that has a layout box."""
    return (
        f"[...document.querySelectorAll({json.dumps(selector)})]"
        ".find(e => e.getClientRects().length > 0)"
    )


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    with devtools_tab(window_size="1280,1600", timeout=STEP_TIMEOUT) as socket_url:
        with connect(socket_url, max_size=None, proxy=None) as ws:
            yield Browser(ws, tmp_path)


def _text(selector: str) -> str:
    return f"(document.querySelector({json.dumps(selector)}) || {{}}).innerText || ''"


def test_authorize_with_password_flow_then_call_protected_endpoint(
    server: tuple[str, dict[str, list[Any]]], browser: Browser
) -> None:
    base_url, seen = server
    browser.call("Page.navigate", url=base_url + "/docs")
    browser.wait_for(_text("#operations-default-read_me_me_get"), "the GET /me operation")
    browser.screenshot("01-docs")

    browser.click(".auth-wrapper button.authorize")
    browser.wait_for("!!document.querySelector('#oauth_username')", "the Authorize dialog")
    browser.type("#oauth_username", "alice")
    browser.type("#oauth_password", "secret")
    assert browser.evaluate("document.querySelector('#oauth_username').value") == "alice"
    browser.screenshot("02-authorize-dialog-filled")

    browser.click(".modal-ux .auth-btn-wrapper button.authorize")
    browser.wait_for(f"{_text('.modal-ux')}.includes('Logout')", "the token to be granted")
    browser.screenshot("03-authorized")
    assert seen["logins"] == [("password", "alice", "secret")]

    browser.click(".modal-ux button.btn-done")
    browser.wait_for("!document.querySelector('.modal-ux')", "the dialog to close")
    browser.click("#operations-default-read_me_me_get .opblock-summary-control")
    browser.click("#operations-default-read_me_me_get .try-out__btn")
    browser.click("#operations-default-read_me_me_get .btn.execute")
    table = "#operations-default-read_me_me_get .live-responses-table"
    shown = browser.wait_for(
        f"(() => {{ const t = {_text(table)}; return t.includes('alice') && t; }})()",
        "the response to show",
    )
    browser.screenshot("04-response")

    assert "Alice Liddell" in shown
    assert "200" in browser.evaluate(_text(f"{table} tbody .response-col_status"))
    assert seen["authorization"] == [f"Bearer {TOKEN}"]
