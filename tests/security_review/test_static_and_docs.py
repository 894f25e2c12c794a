"""`StaticFiles` refuses path traversal; the docs pages escape configured titles and URLs."""

import os
from pathlib import Path

import anyio
import pytest
from starlette.testclient import TestClient

from accord import Accord
from accord.openapi.docs import get_redoc_html, get_swagger_ui_html
from accord.staticfiles import StaticFiles
from tests.hostile.asgi import call

SECRET = b"top secret: the root password"


@pytest.fixture
def site(tmp_path: Path) -> Accord:
    """``public/`` is served; ``secret.txt`` sits next to it, plus a symlink pointing out."""
    public = tmp_path / "public"
    (public / "sub").mkdir(parents=True)
    (public / "index.txt").write_bytes(b"public")
    (public / "sub" / "page.txt").write_bytes(b"page")
    (tmp_path / "secret.txt").write_bytes(SECRET)
    os.symlink(tmp_path / "secret.txt", public / "link.txt")
    app = Accord()
    app.mount("/static", StaticFiles(directory=public), name="static")
    return app


TRAVERSALS = [
    "/static/../secret.txt",
    "/static/sub/../../secret.txt",
    "/static/%2e%2e/secret.txt",
    "/static/%2E%2E%2Fsecret.txt",
    "/static/..%2fsecret.txt",
    "/static/..%5csecret.txt",
    "/static/sub%2f..%2f..%2fsecret.txt",
    "/static/%252e%252e/secret.txt",
    "/static/..;/secret.txt",
    "/static/link.txt",
]

RAW_PATHS = [
    "/static/../secret.txt",
    "/static/sub/../../secret.txt",
    "/static//etc/passwd",
    "/static/" + "/".join([".."] * 12) + "/etc/passwd",
    "/static/..\\secret.txt",
    "/static/\x00../secret.txt",
]


def test_public_files_are_served(site: Accord) -> None:
    client = TestClient(site)
    assert client.get("/static/index.txt").content == b"public"
    assert client.get("/static/sub/../index.txt").content == b"public"  # stays inside


@pytest.mark.parametrize("url", TRAVERSALS)
def test_traversal_through_the_client_is_refused(site: Accord, url: str) -> None:
    response = TestClient(site).get(url)
    assert response.status_code in (400, 404)
    assert SECRET not in response.content


@pytest.mark.parametrize("path", RAW_PATHS)
def test_traversal_in_the_raw_asgi_path_is_refused(site: Accord, path: str) -> None:
    # No client normalization here: the path reaches Starlette exactly as written.
    answer = anyio.run(lambda: call(site, "GET", path))
    assert answer.status in (400, 404)
    assert SECRET not in answer.body
    assert b"root:" not in answer.body


def test_absolute_directory_path_cannot_escape(site: Accord, tmp_path: Path) -> None:
    response = TestClient(site).get(f"/static/{tmp_path / 'secret.txt'}")
    assert response.status_code == 404
    assert SECRET not in response.content


HOSTILE_TITLE = "</title><script>alert('title')</script>"
HOSTILE_DESCRIPTION = "<img src=x onerror=alert('description')>"


@pytest.fixture
def docs_client() -> TestClient:
    app = Accord(title=HOSTILE_TITLE, description=HOSTILE_DESCRIPTION)

    @app.get("/items")
    def items() -> list[int]:
        return []

    return TestClient(app)


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_escape_the_title(docs_client: TestClient, path: str) -> None:
    page = docs_client.get(path).text
    assert "<script>alert(" not in page
    assert "</title><script>" not in page
    assert "&lt;/title&gt;&lt;script&gt;alert('title')&lt;/script&gt;" in page
    # The description only travels inside the JSON document, never in the HTML.
    assert "onerror" not in page


def test_the_description_stays_data_in_the_document(docs_client: TestClient) -> None:
    response = docs_client.get("/openapi.json")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["info"]["description"] == HOSTILE_DESCRIPTION


def test_urls_cannot_break_out_of_their_context() -> None:
    url = "/openapi.json'</script><script>alert(1)//\""
    swagger = get_swagger_ui_html(
        openapi_url=url,
        title="t",
        oauth2_redirect_url="/r'</script>",
        swagger_js_url='/js"><script>alert(2)</script>',
    ).body.decode()
    redoc = get_redoc_html(openapi_url='/o"><script>alert(3)</script>', title="t").body.decode()
    for page in (swagger, redoc):
        assert "<script>alert" not in page
        assert "</script><script>" not in page
    assert "url: '/openapi.json\\u0027\\u003c/script\\u003e" in swagger
    assert 'src="/js&quot;&gt;&lt;script&gt;' in swagger
    assert 'spec-url="/o&quot;&gt;&lt;script&gt;' in redoc


def test_ordinary_values_are_written_unchanged() -> None:
    # Escaping must not alter what FastAPI writes for normal titles and URLs.
    page = get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="Shop API - Swagger UI",
        oauth2_redirect_url="/docs/oauth2-redirect",
    ).body.decode()
    assert "<title>Shop API - Swagger UI</title>" in page
    assert "url: '/api/openapi.json'," in page
    assert "oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'," in page


def test_the_difference_from_fastapi_is_a_documented_improvement() -> None:
    import fastapi

    from tests.parity import harness

    def page(fw) -> harness.Outcome:
        app = (
            fw.FastAPI(title=HOSTILE_TITLE, docs_static_url=None)
            if fw is not fastapi
            else (fw.FastAPI(title=HOSTILE_TITLE))
        )
        return harness.observe(TestClient(app).get("/redoc"))

    oracle, subject = page(fastapi), page(__import__("accord"))
    assert oracle.comparable() != subject.comparable()  # FastAPI writes the script raw
    assert b"<script>alert('title')</script>" in oracle.body[1]
    difference = harness.Difference("any-scenario", "GET /redoc", oracle, subject)
    name = harness.accepted_improvement(difference)
    assert name == (None if harness.STRICT else "escaped-docs-pages")
