"""What ``accord dev`` and ``accord run`` hand to the server (the server itself replaced).

The real servers are exercised in test_cli_serving.py; these tests pin every option's path
to Uvicorn and Granian, in process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord import Accord
from accord._cli.output import local_url
from accord._cli.serve import load_granian_target

from .conftest import APP_SOURCE, free_port, write


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    return calls


class FakeGranian:
    """Records what the CLI configures instead of serving."""

    instances: list[FakeGranian] = []

    def __init__(self, target: str, **options: Any) -> None:
        self.target, self.options = target, options
        self.loader: Callable[[], Any] | None = None
        FakeGranian.instances.append(self)

    def serve(self, target_loader: Callable[..., Any]) -> None:
        # Granian binds the target as the loader's first argument, like this.
        self.loader = lambda: target_loader(self.target)


@pytest.fixture
def granian_servers(monkeypatch: pytest.MonkeyPatch) -> list[FakeGranian]:
    import granian

    FakeGranian.instances = []
    monkeypatch.setattr(granian, "Granian", FakeGranian)
    return FakeGranian.instances


def test_dev_defaults(
    project: Path, invoke: Callable[..., Any], uvicorn_calls: list[dict[str, Any]]
) -> None:
    write(project / "main.py", APP_SOURCE)
    port = free_port()
    result = invoke("dev", "--port", str(port))
    assert result.exit_code == 0, result.output
    assert uvicorn_calls == [
        {
            "app": "main:app",
            "host": "127.0.0.1",
            "port": port,
            "reload": True,
            "reload_dirs": [str(project)],  # the app's root, not the current directory
            "workers": None,
            "root_path": "",
            "proxy_headers": True,
            "forwarded_allow_ips": None,
            "factory": False,
        }
    ]
    assert result.stdout.splitlines() == [
        "Accord development server (uvicorn, auto-reload)",
        f"  App      main:app  from {project / 'main.py'}",
        f"  Serving  http://127.0.0.1:{port}",
        f"  Docs     http://127.0.0.1:{port}/docs",
        f"  ReDoc    http://127.0.0.1:{port}/redoc",
    ]


def test_run_defaults_and_options(
    project: Path, invoke: Callable[..., Any], uvicorn_calls: list[dict[str, Any]]
) -> None:
    write(project / "pkg" / "__init__.py", "")
    write(project / "pkg" / "web.py", APP_SOURCE.replace("Accord(", "Accord(docs_url=None, "))
    port = free_port()
    args = ["--port", str(port), "--workers", "3", "--root-path", "/api", "--no-proxy-headers"]
    result = invoke("run", "pkg/web.py", *args, "--forwarded-allow-ips", "10.0.0.1")
    assert result.exit_code == 0, result.output
    [call] = uvicorn_calls
    assert call == {
        "app": "pkg.web:app",
        "host": "0.0.0.0",
        "port": port,
        "reload": False,
        "reload_dirs": None,
        "workers": 3,
        "root_path": "/api",
        "proxy_headers": False,
        "forwarded_allow_ips": "10.0.0.1",
        "factory": False,
    }
    banner = result.stdout.splitlines()
    assert banner[0] == "Accord production server (uvicorn, 3 workers)"
    assert banner[2] == (
        f"  Serving  http://127.0.0.1:{port}  "
        "(listening on 0.0.0.0: every interface of this machine)"
    )
    assert not any("Docs" in line for line in banner)  # docs_url=None
    assert banner[-1] == "  Root     /api (the path prefix your proxy strips)"


def test_explicit_reload_dirs(
    project: Path, invoke: Callable[..., Any], uvicorn_calls: list[dict[str, Any]]
) -> None:
    write(project / "main.py", APP_SOURCE)
    (project / "templates").mkdir()
    result = invoke("dev", "--port", str(free_port()), "--reload-dir", "templates")
    assert result.exit_code == 0, result.output
    assert uvicorn_calls[0]["reload_dirs"] == [str(Path("templates"))]


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("0.0.0.0", "http://127.0.0.1:8000"),
        ("::", "http://[::1]:8000"),
        ("::1", "http://[::1]:8000"),
        ("localhost", "http://localhost:8000"),
    ],
)
def test_local_url(host: str, url: str) -> None:
    assert local_url(host, 8000) == url


def test_granian_options(
    project: Path, invoke: Callable[..., Any], granian_servers: list[FakeGranian]
) -> None:
    write(project / "main.py", APP_SOURCE)
    port = free_port()
    args = ["--server", "granian", "--port", str(port), "--workers", "2", "--root-path", "/v1"]
    result = invoke("run", *args)
    assert result.exit_code == 0, result.output
    [server] = granian_servers
    assert server.target == "main:app"
    from granian.constants import Interfaces

    assert server.options == {
        "address": "0.0.0.0",
        "port": port,
        "interface": Interfaces.ASGI,
        "workers": 2,
        "reload": False,
        "reload_paths": None,
        "url_path_prefix": "/v1",
    }
    assert server.loader is not None
    # Proxy headers are on by default: the loaded app is wrapped to read X-Forwarded-*.
    wrapped = server.loader()
    assert wrapped.__wrapped__ is _imported_app()


def test_granian_dev_reload_paths(
    project: Path, invoke: Callable[..., Any], granian_servers: list[FakeGranian]
) -> None:
    write(project / "main.py", APP_SOURCE)
    result = invoke("dev", "--server", "granian", "--port", str(free_port()))
    assert result.exit_code == 0, result.output
    [server] = granian_servers
    assert server.options["reload"] is True
    assert server.options["reload_paths"] == [project]
    assert server.options["workers"] == 1


def test_granian_loader_without_proxy_headers(project: Path) -> None:
    write(project / "sub" / "svc.py", "from accord import Accord\nclass Box:\n    app = Accord()\n")
    app = load_granian_target("svc:Box.app", sys_path=str(project / "sub"), trusted=None)
    assert isinstance(app, Accord)
    import sys

    assert sys.path[0] == str(project / "sub")
    assert app is sys.modules["svc"].Box.app


def _imported_app() -> Any:
    import sys

    return sys.modules["main"].app
