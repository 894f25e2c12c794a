"""`app.frontend()` / `router.frontend()` (FastAPI 0.163): a built single-page app behind the API.

The same apps run on Accord and on FastAPI 0.163.2 over the same build directory; every request
below must get the same status, headers and body from both: files, directory indexes and their
redirects, the `index.html` / `404.html` / `"auto"` / None fallbacks and the `Accept` rule for
navigation, API routes winning (a 405 included), methods other than GET and HEAD, dotted client
routes, traversal and symlinks out of the directory, null bytes and over-long names, and
frontends on routers with prefixes and cookie-auth dependencies that set headers and add
background tasks.
"""


import os
from pathlib import Path
from typing import Annotated, Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient

import accord
from accord.testclient import TestClient

FRAMEWORKS = {"accord": accord, "fastapi": fastapi}
CLIENTS = {"accord": TestClient, "fastapi": FastAPIClient}
HTML = {"accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A build directory, with a secret beside it and a symlink pointing at the secret."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "guide").mkdir()
    (dist / "empty").mkdir()
    (dist / "index.html").write_text("<h1>app</h1>")
    (dist / "assets" / "app.js").write_text("console.log(1)")
    (dist / "assets" / "app.min.css").write_text("body{}")
    (dist / "guide" / "index.html").write_text("<h1>guide</h1>")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", dist / "link.txt")
    return dist


def with_404_page(dist: Path) -> Path:
    (dist / "404.html").write_text("<h1>not here</h1>")
    return dist


def api_app(fw: Any, dist: Path, **options: Any) -> Any:
    app = fw.FastAPI()

    @app.get("/api/items")
    def items() -> list[int]:
        return [1, 2]

    @app.get("/users/me")
    def me() -> dict[str, str]:
        return {"user": "me"}

    @app.post("/submit")
    def submit() -> dict[str, bool]:
        return {"ok": True}

    app.frontend("/", directory=dist, **options)
    return app


def answer(response: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = sorted((k.lower(), v) for k, v in response.headers.items() if k.lower() != "date")
    return response.status_code, headers, response.content


def both(build: Any, requests: list[tuple[str, str, dict[str, str]]]) -> None:
    """Sends every request to the app built on each framework; the answers must be equal."""
    answers: dict[str, list[Any]] = {}
    for name, fw in FRAMEWORKS.items():
        client = CLIENTS[name](build(fw), follow_redirects=False)
        answers[name] = [
            answer(client.request(method, path, headers=headers))
            for method, path, headers in requests
        ]
    for request, ours, theirs in zip(requests, answers["accord"], answers["fastapi"], strict=True):
        assert ours == theirs, request


NAVIGATION_AND_FILES = [
    ("GET", "/", {}),
    ("GET", "/", HTML),
    ("HEAD", "/", {}),
    ("GET", "/index.html", {}),
    ("GET", "/assets/app.js", {}),
    ("GET", "/assets/app.min.css", {}),
    ("HEAD", "/assets/app.js", {}),
    ("GET", "/guide", {}),
    ("GET", "/guide/", {}),
    ("GET", "/guide/?q=1", {}),
    ("GET", "/empty", HTML),
    ("GET", "/empty/", {}),
    ("GET", "/users/john.doe", HTML),
    ("GET", "/users/john.doe", {}),
    ("GET", "/users/john.doe", {"accept": "application/json"}),
    ("GET", "/settings/profile", {"accept": "text/html;q=0"}),
    ("GET", "/settings/profile", {"accept": "TEXT/HTML"}),
    ("GET", "/settings/profile", {"accept": "application/xhtml+xml; q=0.5"}),
    ("GET", "/settings/profile", {"accept": "text/html;q=abc"}),
    ("GET", "/settings/profile", {"accept": "text/plain, text/html;level=1"}),
    ("GET", "/settings/profile", {"accept": "*/*"}),
    ("GET", "/settings/profile", {"accept": ""}),
    ("GET", "/assets/missing.js", HTML),
    ("GET", "/assets/missing.js", {}),
    ("GET", "/api/items", {}),
    ("GET", "/api/items/", {}),
    ("GET", "/users/me", HTML),
    ("GET", "/submit", HTML),
    ("POST", "/submit", {}),
    ("POST", "/", {}),
    ("POST", "/assets/app.js", {}),
    ("DELETE", "/assets/app.js", {}),
    ("PUT", "/nothing/here", {}),
    ("OPTIONS", "/index.html", {}),
    ("GET", "/../secret.txt", HTML),
    ("GET", "/assets/../../secret.txt", {}),
    ("GET", "/%2e%2e/secret.txt", {}),
    ("GET", "/link.txt", {}),
    ("GET", "/link.txt", HTML),
    ("GET", "/assets/%00.js", {}),
    ("GET", "/" + "a" * 300, {}),
    ("GET", "/" + "a" * 300, HTML),
    ("GET", "/index.html", {"if-none-match": "*"}),
    ("GET", "/assets/app.js", {"range": "bytes=0-3"}),
]


@pytest.mark.parametrize("fallback", ["auto", "index.html", None])
def test_files_fallbacks_and_api_routes_answer_as_in_fastapi(site: Path, fallback: Any) -> None:
    both(lambda fw: api_app(fw, site, fallback=fallback), NAVIGATION_AND_FILES)


@pytest.mark.parametrize("fallback", ["auto", "404.html"])
def test_a_404_page_answers_missing_paths_as_in_fastapi(site: Path, fallback: Any) -> None:
    with_404_page(site)
    both(lambda fw: api_app(fw, site, fallback=fallback), NAVIGATION_AND_FILES)


def test_a_directory_index_redirect_keeps_the_query(site: Path) -> None:
    client = TestClient(api_app(accord, site), follow_redirects=False)
    response = client.get("/guide?tab=2")
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/guide/?tab=2"


def test_the_index_fallback_serves_client_routes_to_browsers_only(site: Path) -> None:
    client = TestClient(api_app(accord, site, fallback="index.html"))
    assert client.get("/users/john.doe", headers=HTML).text == "<h1>app</h1>"
    assert client.get("/users/john.doe").status_code == 404
    assert client.get("/api/items", headers=HTML).json() == [1, 2]
    assert client.get("/link.txt").status_code == 404  # the symlink leads out of dist


def nested_app(fw: Any, dist: Path) -> Any:
    """Frontends on routers, under prefixes, behind a cookie-auth dependency that sets a
    header and adds a background task; and two frontends where the longer path wins."""
    log: list[str] = []

    def session(
        response: fw.Response,
        background: fw.BackgroundTasks,
        session: Annotated[str | None, fw.Cookie()] = None,
    ) -> str:
        if session != "ok":
            raise fw.HTTPException(status_code=401, detail="Log in first")
        response.headers["x-session"] = session
        response.set_cookie("seen", "1")
        background.add_task(log.append, "served")
        return session

    def tenant(x_tenant: Annotated[int, fw.Header()]) -> int:
        return x_tenant

    app = fw.FastAPI()
    inner = fw.APIRouter(prefix="/inner", dependencies=[fw.Depends(session)])
    inner.frontend("/", directory=dist, fallback="index.html")
    outer = fw.APIRouter()
    outer.include_router(inner, prefix="/app", dependencies=[fw.Depends(tenant)])
    app.include_router(outer, prefix="/v1")
    app.frontend("/", directory=dist, fallback=None)
    app.frontend("/guide", directory=dist / "assets", fallback=None)

    @app.get("/log")
    def read_log() -> list[str]:
        return log

    return app


def test_frontends_on_included_routers_with_dependencies_answer_as_in_fastapi(site: Path) -> None:
    ok = {"cookie": "session=ok", "x-tenant": "7"}
    both(
        lambda fw: nested_app(fw, site),
        [
            ("GET", "/v1/app/inner", {**ok, **HTML}),
            ("GET", "/v1/app/inner/", {**ok, **HTML}),
            ("GET", "/v1/app/inner/assets/app.js", ok),
            ("HEAD", "/v1/app/inner/assets/app.js", ok),
            ("GET", "/v1/app/inner/client/route", {**ok, **HTML}),
            ("GET", "/v1/app/inner/assets/app.js", {"x-tenant": "7"}),
            ("GET", "/v1/app/inner/assets/app.js", {"cookie": "session=no", "x-tenant": "7"}),
            ("GET", "/v1/app/inner/assets/app.js", {"cookie": "session=ok"}),
            ("GET", "/v1/app/inner/assets/app.js", {"cookie": "session=ok", "x-tenant": "x"}),
            ("POST", "/v1/app/inner/assets/app.js", {}),
            ("POST", "/v1/app/inner/nothing", {}),
            ("GET", "/v1/app/innerx", HTML),
            ("GET", "/v1/app", HTML),
            ("GET", "/assets/app.js", {}),
            ("GET", "/guide", {}),
            ("GET", "/guide/index.html", {}),
            ("GET", "/guide/app.js", {}),
            ("GET", "/guide/assets/app.js", {}),
            ("GET", "/log", {}),
        ],
    )


def test_background_tasks_of_frontend_dependencies_run(site: Path) -> None:
    client = TestClient(nested_app(accord, site))
    ok = {"cookie": "session=ok", "x-tenant": "7"}
    response = client.get("/v1/app/inner/assets/app.js", headers=ok)
    assert response.text == "console.log(1)"
    assert response.headers["x-session"] == "ok"
    assert response.cookies["seen"] == "1"
    assert client.get("/log").json() == ["served"]
    assert client.get("/v1/app/inner/assets/app.js").status_code == 401


def test_a_frontend_added_after_the_router_was_included_is_served(site: Path) -> None:
    for name, fw in FRAMEWORKS.items():
        app = fw.FastAPI()
        router = fw.APIRouter()
        app.include_router(router, prefix="/late")
        router.frontend("/", directory=site)
        response = CLIENTS[name](app).get("/late/assets/app.js")
        assert (response.status_code, response.text) == (200, "console.log(1)"), name


def test_dependency_overrides_reach_frontend_dependencies(site: Path) -> None:
    def guard() -> None:
        raise accord.HTTPException(status_code=403)

    app = accord.FastAPI(dependencies=[accord.Depends(guard)])
    app.frontend("/", directory=site)
    client = TestClient(app)
    assert client.get("/assets/app.js").status_code == 403
    app.dependency_overrides[guard] = lambda: None
    assert client.get("/assets/app.js").text == "console.log(1)"


def registration_error(fw: Any, **options: Any) -> BaseException:
    app = fw.FastAPI()
    with pytest.raises((AssertionError, RuntimeError)) as caught:
        app.frontend(**options)
    return caught.value


@pytest.mark.parametrize(
    "options",
    [
        {"path": "", "directory": "."},
        {"path": "app", "directory": "."},
        {"path": "/", "directory": ".", "fallback": "index.htm"},
        {"path": "/", "directory": "/no/such/dist"},
        {"path": "/", "directory": "/no/such/dist", "check_dir": True},
    ],
    ids=["empty path", "relative path", "bad fallback", "missing directory", "checked"],
)
def test_mistakes_fail_at_registration_in_both(options: dict[str, Any]) -> None:
    registration_error(fastapi, **options)
    error = registration_error(accord, **options)
    assert isinstance(error, accord.exceptions.AccordError)
    assert str(error)


def test_a_missing_directory_names_the_fix(tmp_path: Path) -> None:
    error = registration_error(accord, path="/", directory=tmp_path / "dist")
    assert "dist" in str(error) and "check_dir=False" in str(error)


def test_an_explicit_fallback_the_build_lacks_fails_at_registration(site: Path) -> None:
    for fw in FRAMEWORKS.values():
        with pytest.raises(RuntimeError, match="404.html"):
            fw.FastAPI().frontend("/", directory=site, fallback="404.html")


def test_without_a_directory_check_the_build_may_appear_later(tmp_path: Path) -> None:
    # Until it exists a request is a server error in both (the check was turned off); once
    # the build has run, it is served without a restart.
    missing = tmp_path / "dist"
    apps = {name: api_app(fw, missing, check_dir=False) for name, fw in FRAMEWORKS.items()}
    for name, app in apps.items():
        with pytest.raises(RuntimeError, match="does not exist"):
            CLIENTS[name](app).get("/app.js")
        assert CLIENTS[name](app).get("/api/items").json() == [1, 2]
    missing.mkdir()
    (missing / "app.js").write_text("late")
    for name, app in apps.items():
        assert CLIENTS[name](app).get("/app.js").text == "late"


def test_in_development_a_missing_directory_warns_like_fastapi(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FASTAPI_ENV", "development")
    messages = {}
    for name, fw in FRAMEWORKS.items():
        with pytest.warns(UserWarning) as caught:
            fw.FastAPI().frontend("/", directory=tmp_path / "dist")
        assert len(caught) == 1
        assert caught[0].filename == __file__  # points at the registration
        messages[name] = str(caught[0].message)
    assert all("dist" in message for message in messages.values())


def test_in_development_an_existing_directory_is_silent(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import warnings

    monkeypatch.setenv("FASTAPI_ENV", "development")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        accord.FastAPI().frontend("/", directory=site)


def test_the_frontend_is_not_a_route_nor_in_the_openapi_document(site: Path) -> None:
    for fw in FRAMEWORKS.values():
        app = api_app(fw, site)
        assert {getattr(route, "path", None) for route in app.routes} >= {"/api/items"}
        assert all(type(route).__name__ != "_FrontendRouteGroup" for route in app.routes)
    ours = TestClient(api_app(accord, site)).get("/openapi.json").json()
    theirs = FastAPIClient(api_app(fastapi, site)).get("/openapi.json").json()
    assert ours == theirs


FRONTEND_APP = """
from accord import Accord

app = Accord()
app.frontend("/", directory="dist")
"""


@pytest.fixture
def env_at_serve(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """FASTAPI_ENV as the server sees it (the server itself replaced)."""
    import uvicorn

    seen: list[str | None] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.append(os.environ.get("FASTAPI_ENV")))
    monkeypatch.delenv("FASTAPI_ENV", raising=False)
    return seen


def test_accord_dev_serves_an_app_whose_build_has_not_run_yet(
    project: Path, env_at_serve: list[str | None]
) -> None:
    from typer.testing import CliRunner

    from accord._cli.commands import cli
    from tests.cli.conftest import free_port, write

    write(project / "main.py", FRONTEND_APP)
    with pytest.warns(UserWarning, match="dist"):
        result = CliRunner().invoke(cli, ["dev", "--no-reload", "--port", str(free_port())])
    assert result.exit_code == 0, result.output
    assert env_at_serve == ["development"]
    assert "FASTAPI_ENV" not in os.environ  # restored once the server stops
