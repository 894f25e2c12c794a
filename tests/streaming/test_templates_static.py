"""`StaticFiles` and `Jinja2Templates` at FastAPI's import paths (issue 5), against FastAPI.

The app (``apps/templates_static.py``) mounts a fixture directory at ``/static`` and renders a
Jinja2 template whose links come from ``url_for``; ``fixtures/secret.txt`` sits next to that
directory, so a path traversal that escaped it would serve the secret.
"""

import asyncio
from pathlib import Path
from types import ModuleType
from typing import Any

import fastapi
import pytest
from starlette.testclient import TestClient

import accord
from accord.staticfiles import StaticFiles
from accord.templating import Jinja2Templates
from tests.streaming._compare import clients, http_outcome, load

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = (FIXTURES / "secret.txt").read_bytes()


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(load("templates_static", "accord").app)


def test_the_names_live_at_fastapis_import_paths() -> None:
    import fastapi.staticfiles
    import fastapi.templating

    from accord._backports import _STARLETTE_RELEASE as STARLETTE_RELEASE

    if STARLETTE_RELEASE >= (1, 0):
        assert StaticFiles is fastapi.staticfiles.StaticFiles
    else:  # the backport that answers 404 to a null byte (tests/security_review)
        assert issubclass(StaticFiles, fastapi.staticfiles.StaticFiles)
    assert Jinja2Templates is fastapi.templating.Jinja2Templates


def test_template_renders_url_for_links(client: TestClient) -> None:
    response = client.get("/items/41")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert "<h1>Item 41</h1>" in html
    assert 'href="http://testserver/static/site.css"' in html
    assert 'id="self" href="http://testserver/items/41"' in html
    assert 'id="next" href="http://testserver/items/42"' in html
    assert response.template.name == "item.html"  # type: ignore[attr-defined]
    assert response.context["item_id"] == 41  # type: ignore[attr-defined]


def test_url_for_follows_root_path() -> None:
    client = TestClient(load("templates_static", "accord").app, root_path="/shop")
    html = client.get("/items/7").text
    assert 'href="http://testserver/shop/static/site.css"' in html
    assert 'id="self" href="http://testserver/shop/items/7"' in html


def test_static_file_is_served_with_its_content_type(client: TestClient) -> None:
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/css; charset=utf-8"
    assert response.content == (FIXTURES / "static" / "site.css").read_bytes()
    etag = response.headers["etag"]
    again = client.get("/static/site.css", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""


def test_missing_static_file_is_404(client: TestClient) -> None:
    response = client.get("/static/nope.css")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}  # the app's HTTPException handler


def _raw_get(app: Any, path: str) -> tuple[int, bytes]:
    """GET with ``path`` put in the ASGI scope as is: no client-side dot-segment removal."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body


TRAVERSALS = [
    "/static/../secret.txt",
    "/static/../../streaming/fixtures/secret.txt",
    "/static/./../secret.txt",
    "/static/..\\secret.txt",
    "/static//../secret.txt",
    "/static/%2e%2e/secret.txt",  # reaches the app still encoded when a proxy did not decode
]


@pytest.mark.parametrize("fw", [accord, fastapi], ids=lambda m: m.__name__)
@pytest.mark.parametrize("path", TRAVERSALS)
def test_raw_path_traversal_is_refused(fw: ModuleType, path: str) -> None:
    status, body = _raw_get(load("templates_static", fw.__name__).app, path)
    assert status == 404
    assert SECRET not in body


@pytest.mark.parametrize(
    "url",
    [
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E%2Fsecret.txt",
        "/static/..%2fsecret.txt",
        "/static/..%5csecret.txt",
        "/static/%2e%2e%5csecret.txt",
    ],
)
def test_encoded_path_traversal_is_refused(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert SECRET not in response.content


def test_the_secret_is_really_there_to_steal() -> None:
    # Guards the traversal tests: a StaticFiles rooted one level up does serve the file.
    app = accord.FastAPI()
    app.mount("/up", StaticFiles(directory=FIXTURES), name="up")
    assert TestClient(app).get("/up/secret.txt").content == SECRET


REQUESTS = [
    ("GET", "/items/3"),
    ("GET", "/items/x"),
    ("GET", "/static/site.css"),
    ("HEAD", "/static/site.css"),
    ("POST", "/static/site.css"),
    ("GET", "/static/"),
    ("GET", "/static/missing.css"),
    ("GET", "/static/%2e%2e/secret.txt"),
]


@pytest.mark.parametrize(("method", "url"), REQUESTS)
def test_same_answers_as_fastapi(method: str, url: str) -> None:
    ours, theirs = clients("templates_static")
    assert http_outcome(ours, method, url) == http_outcome(theirs, method, url)
