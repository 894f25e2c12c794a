"""``accord run`` and ``accord dev`` for real: a server process on a loopback port."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import httpx

from .conftest import APP_SOURCE, free_port, run_accord, serving, write

PROXY_ARGS = ("--proxy-headers", "--forwarded-allow-ips", "127.0.0.1", "--root-path", "/api")
FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def test_run_serves_the_app_with_uvicorn(tmp_path: Path) -> None:
    write(tmp_path / "main.py", APP_SOURCE)
    port = free_port()
    with serving(tmp_path, "run", "--host", "127.0.0.1", *PROXY_ARGS, port=port) as server:
        item = httpx.get(f"{server.url}/items/3", timeout=5)
        who = httpx.get(f"{server.url}/whoami", headers=FORWARDED, timeout=5)
    assert item.status_code == 200
    assert item.json() == {"name": "item 3", "price": 1.5}
    # --proxy-headers and --root-path reached the server.
    assert who.json() == {
        "client": "203.0.113.7",
        "scheme": "https",
        "root_path": "/api",
        "message": "first",
    }
    banner = server.output()
    assert "Accord production server (uvicorn)" in banner
    assert f"Serving  http://127.0.0.1:{port}" in banner
    assert f"Docs     http://127.0.0.1:{port}/docs" in banner
    assert "main:app" in banner


def test_run_with_workers_starts_worker_processes(tmp_path: Path) -> None:
    # In a package below the current directory: the worker processes must import it too.
    write(tmp_path / "src" / "shop" / "__init__.py", "")
    write(tmp_path / "src" / "shop" / "web.py", APP_SOURCE)
    port = free_port()
    args = ("run", "src/shop/web.py", "--host", "127.0.0.1", "--workers", "2")
    with serving(tmp_path, *args, port=port) as server:
        assert httpx.get(f"{server.url}/items/1", timeout=5).status_code == 200
        deadline = time.monotonic() + 20
        while server.output().count("Application startup complete") < 2:
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.1)
    output = server.output()
    assert "Accord production server (uvicorn, 2 workers)" in output
    assert "shop.web:app" in output
    assert len(set(re.findall(r"Started server process \[(\d+)\]", output))) == 2


def test_run_serves_with_granian(tmp_path: Path) -> None:
    write(tmp_path / "main.py", APP_SOURCE)
    port = free_port()
    args = ("run", "--server", "granian", "--host", "127.0.0.1", *PROXY_ARGS)
    with serving(tmp_path, *args, port=port) as server:
        item = httpx.get(f"{server.url}/items/7", timeout=5)
        who = httpx.get(f"{server.url}/whoami", headers=FORWARDED, timeout=5)
    assert item.json() == {"name": "item 7", "price": 1.5}
    assert who.json() == {
        "client": "203.0.113.7",
        "scheme": "https",
        "root_path": "/api",
        "message": "first",
    }
    assert "Accord production server (granian)" in server.output()


def test_dev_reloads_when_the_code_changes(tmp_path: Path) -> None:
    main = write(tmp_path / "main.py", APP_SOURCE)
    port = free_port()
    with serving(tmp_path, "dev", port=port) as server:
        assert httpx.get(f"{server.url}/whoami", timeout=5).json()["message"] == "first"
        main.write_text(APP_SOURCE.replace('"first"', '"second"'), encoding="utf-8")
        deadline, message = time.monotonic() + 20, "first"
        while message != "second" and time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                message = httpx.get(f"{server.url}/whoami", timeout=2).json()["message"]
            except httpx.TransportError:
                continue  # the reloader is swapping processes
    assert message == "second", server.output()
    banner = server.output()
    assert "Accord development server (uvicorn, auto-reload)" in banner
    assert f"Serving  http://127.0.0.1:{port}" in banner


def test_port_in_use_is_one_line_and_a_hint(tmp_path: Path) -> None:
    write(tmp_path / "main.py", APP_SOURCE)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_accord(tmp_path, "run", "--host", "127.0.0.1", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: Port {port} is already in use on 127.0.0.1.",
        f"Hint: Stop the program using it, or pick another port: --port {port + 1}",
    ]
    assert result.stdout == ""


def test_import_error_in_user_code_shows_its_traceback(tmp_path: Path) -> None:
    write(tmp_path / "helpers.py", "import not_installed_package_xyz\n")
    write(tmp_path / "main.py", "from accord import Accord\nimport helpers\napp = Accord()\n")
    result = run_accord(tmp_path, "run", "--port", str(free_port()))
    lines = result.stderr.splitlines()
    assert result.returncode == 1
    assert lines[0] == "Traceback (most recent call last):"
    # Only the user's frames: main.py, then helpers.py; no importlib, no accord internals.
    files = re.findall(r'File "([^"]+)"', result.stderr)
    assert [Path(file).name for file in files] == ["main.py", "helpers.py"]
    assert lines[-2] == (
        "Error: Could not import main.py: ModuleNotFoundError: "
        "No module named 'not_installed_package_xyz'"
    )
    assert lines[-1].startswith(
        "Hint: Install the package that provides 'not_installed_package_xyz'"
    )


def test_python_dash_m_accord_help(tmp_path: Path) -> None:
    result = run_accord(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: python -m accord" in result.stdout
    for command in ("dev", "run", "routes", "openapi"):
        assert re.search(rf"^\W*{command}\s", result.stdout, re.MULTILINE), command
