"""``accord ... --as-fastapi`` (and ``ACCORD_AS_FASTAPI=1``): a FastAPI app, unchanged, on Accord.

Inspection commands and real servers run in subprocesses; a server's reloader and worker
processes must turn the alias on too, before they import the app.
"""

from __future__ import annotations

import importlib.util
import json
import re
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from accord._cli.commands import cli
from tests.cli.conftest import free_port, serving

from .conftest import ACCORD_INIT, LEGACY_APP, run_python, subprocess_env, write

BEARER = {"Authorization": "Bearer t"}


def accord(cwd: Path, *args: str, **env: str) -> tuple[int, str, str]:
    result = run_python(cwd, "-m", "accord", *args, env=subprocess_env(**env))
    return result.returncode, result.stdout, result.stderr


def test_routes_lists_a_fastapi_app_with_the_flag(tmp_path: Path) -> None:
    write(tmp_path / "main.py", LEGACY_APP)
    status, out, err = accord(tmp_path, "routes", "--as-fastapi")
    assert (status, err) == (0, "")
    assert re.search(r"GET\s+│ /items/\{item_id\}\s+│ read_item\s+│ main\.read_item", out), out
    # Without the alias the same file imports the real FastAPI, whose app is not Accord's.
    status, out, err = accord(tmp_path, "routes")
    assert status == 1
    assert "Error: No Accord app found in main.py." in err
    assert "'app' is a fastapi.applications.FastAPI, not an Accord app" in err


def test_openapi_with_the_variable_matches_fastapis_document(tmp_path: Path) -> None:
    path = write(tmp_path / "main.py", LEGACY_APP)
    status, out, err = accord(tmp_path, "openapi", ACCORD_AS_FASTAPI="1")
    assert (status, err) == (0, "")
    # The oracle: the same file imported here, where `fastapi` is the real FastAPI.
    spec = importlib.util.spec_from_file_location("legacy_shop_on_fastapi", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert type(module.app).__module__ == "fastapi.applications"
    assert json.loads(out) == module.app.openapi()
    assert "/items/{item_id}" in json.loads(out)["paths"]


def test_the_variable_off_leaves_the_alias_off(tmp_path: Path) -> None:
    write(tmp_path / "main.py", LEGACY_APP)
    status, _, err = accord(tmp_path, "check", ACCORD_AS_FASTAPI="0")
    assert status == 1 and "No Accord app found" in err


def test_refused_when_the_real_fastapi_is_imported() -> None:
    import fastapi  # noqa: F401  (this process's oracle)

    result = CliRunner().invoke(cli, ["routes", "--as-fastapi", "no_such_app.py"])
    assert result.exit_code == 1
    assert "Error: --as-fastapi: the real FastAPI is already imported (from " in result.stderr
    assert "Hint: Something imports fastapi before the app" in result.stderr


def whoami(url: str) -> dict[str, str]:
    item = httpx.get(f"{url}/items/5", headers=BEARER, timeout=5)
    assert (item.status_code, item.json()) == (200, {"name": "item 5", "price": 1.5})
    return dict(httpx.get(f"{url}/whoami", timeout=5).json())


ON_ACCORD = {"fastapi_file": ACCORD_INIT, "same_class": "True"}


def test_run_with_workers_serves_the_fastapi_app_on_accord(tmp_path: Path) -> None:
    write(tmp_path / "main.py", LEGACY_APP)
    port = free_port()
    args = ("run", "--as-fastapi", "--host", "127.0.0.1", "--workers", "2")
    with serving(tmp_path, *args, port=port) as server:
        # Both workers answer on Accord; ask until each has started and answered.
        assert whoami(server.url) == ON_ACCORD
        deadline = time.monotonic() + 20
        while server.output().count("Application startup complete") < 2:
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.1)
        for _ in range(10):
            assert whoami(server.url) == ON_ACCORD
    output = server.output()
    assert "FastAPI  `import fastapi` answered by Accord (--as-fastapi)" in output
    assert len(set(re.findall(r"Started server process \[(\d+)\]", output))) == 2


def test_dev_with_the_variable_reloads_on_accord(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = write(tmp_path / "main.py", LEGACY_APP)
    monkeypatch.setenv("ACCORD_AS_FASTAPI", "1")  # the server process inherits it
    port = free_port()
    with serving(tmp_path, "dev", port=port) as server:
        assert whoami(server.url) == ON_ACCORD
        main.write_text(LEGACY_APP.replace('"item ', '"thing '), encoding="utf-8")
        deadline = time.monotonic() + 20
        while True:  # the reloaded child imports the changed app, alias on again
            try:
                body = httpx.get(f"{server.url}/items/5", headers=BEARER, timeout=5).json()
                if body["name"] == "thing 5":
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.2)
        assert httpx.get(f"{server.url}/whoami", timeout=5).json() == ON_ACCORD
    assert "answered by Accord" in server.output()


def test_run_with_granian_serves_the_fastapi_app_on_accord(tmp_path: Path) -> None:
    write(tmp_path / "main.py", LEGACY_APP)
    port = free_port()
    args = ("run", "--as-fastapi", "--server", "granian", "--host", "127.0.0.1")
    with serving(tmp_path, *args, port=port) as server:
        assert whoami(server.url) == ON_ACCORD
