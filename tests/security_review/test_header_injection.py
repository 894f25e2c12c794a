"""CR/LF cannot split a response: redirects, cookies and header values refuse or encode it.

Redirect URLs are percent-encoded and cookie values quoted by Starlette before they become
header bytes. A raw header value containing CR/LF is refused by the server (Uvicorn, with
both of its HTTP implementations, drops the connection without writing the response): checked over a real socket, since TestClient does not
serialize headers.
"""

import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import uvicorn
from starlette.testclient import TestClient

from accord import Accord
from accord.responses import RedirectResponse, Response

INJECTION = "/next\r\nSet-Cookie: admin=1\r\n\r\n<script>alert(1)</script>"


def build() -> Accord:
    app = Accord()

    @app.get("/redirect")
    def redirect(to: str) -> RedirectResponse:
        return RedirectResponse(to)

    @app.get("/cookie")
    def cookie(value: str) -> Response:
        response = Response("ok")
        response.set_cookie("pref", value)
        return response

    @app.get("/header")
    def header(value: str) -> Response:
        return Response("ok", headers={"X-Echo": value})

    return app


def _no_injected_header(raw_headers: list[tuple[bytes, bytes]]) -> None:
    for name, value in raw_headers:
        assert b"\r" not in value and b"\n" not in value
        assert name.lower() != b"set-cookie" or not value.startswith(b"admin=")


def test_redirect_location_is_percent_encoded() -> None:
    response = TestClient(build()).get(
        "/redirect", params={"to": INJECTION}, follow_redirects=False
    )
    assert response.status_code == 307
    location = response.headers["location"]
    assert "\r" not in location and "\n" not in location
    assert location.startswith("/next%0D%0ASet-Cookie")
    _no_injected_header(response.headers.raw)


def test_cookie_value_is_quoted() -> None:
    response = TestClient(build()).get("/cookie", params={"value": "a\r\nSet-Cookie: admin=1"})
    _no_injected_header(response.headers.raw)
    assert len(response.headers.get_list("set-cookie")) == 1


@pytest.fixture(params=["h11", "httptools"])
def server(request) -> Iterator[int]:
    """Uvicorn serving the app on a free port, in a thread, with the chosen HTTP parser."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(build(), http=request.param, log_level="critical", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert instance.started
    yield sock.getsockname()[1]
    instance.should_exit = True
    thread.join(10)
    sock.close()


def _raw_get(port: int, target: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_server_refuses_a_header_value_with_crlf(server: int) -> None:
    # Uvicorn raises on the invalid value before writing anything and drops the
    # connection: the client gets no response at all, certainly not a split one.
    raw = _raw_get(server, "/header?value=" + quote("a\r\nSet-Cookie: admin=1"))
    assert raw == b"" or raw.startswith(b"HTTP/1.1 500")
    assert b"admin=1" not in raw
    assert b"x-echo" not in raw.lower()


def test_server_sends_a_clean_header_unchanged(server: int) -> None:
    # The control: the same route with a harmless value does answer 200 with the header.
    raw = _raw_get(server, "/header?value=plain")
    assert raw.startswith(b"HTTP/1.1 200")
    assert b"x-echo: plain" in raw.lower()
