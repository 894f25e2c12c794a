"""The mistakes a newcomer makes: one line, a hint, a non-zero exit status, no traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import accord.cli

from .conftest import APP_SOURCE, write

Invoke = Callable[..., Any]


def error_lines(result: Any) -> list[str]:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines: list[str] = result.stderr.splitlines()
    return lines


@pytest.mark.parametrize("command", ["dev", "run", "routes", "openapi"])
def test_no_such_file(project: Path, invoke: Invoke, command: str) -> None:
    assert error_lines(invoke(command, "mian.py")) == [
        f"Error: Path 'mian.py' does not exist (in {project}).",
        "Hint: Give the file that creates your app (e.g. main.py) or an import string (main:app).",
    ]


def test_no_default_file(project: Path, invoke: Invoke) -> None:
    assert error_lines(invoke("run")) == [
        f"Error: No app file found in {project} (looked for main.py, app.py, api.py, "
        "app/main.py, app/app.py, app/api.py).",
        "Hint: Run the command in your project directory, or give the file: "
        "accord dev path/to/main.py",
    ]


def test_no_app_in_the_file(project: Path, invoke: Invoke) -> None:
    write(project / "main.py", "from accord import Accord\n\nsettings = {}\n")
    assert error_lines(invoke("dev")) == [
        "Error: No Accord app found in main.py.",
        "Hint: Create one with `app = Accord()`, or name it with --app NAME.",
    ]


def test_wrong_app_name(project: Path, invoke: Invoke) -> None:
    write(project / "main.py", "from accord import Accord\n\nweb = Accord()\n")
    assert error_lines(invoke("routes", "--app", "app")) == [
        "Error: main.py has no attribute 'app'.",
        "Hint: Apps in this module: web; pick one with --app NAME.",
    ]


def test_app_name_that_is_not_an_app(project: Path, invoke: Invoke) -> None:
    write(project / "main.py", "app = {'debug': True}\n")
    assert error_lines(invoke("routes", "main:app")) == [
        "Error: 'app' in main is a builtins.dict, not an app.",
        "Hint: Point at the object created with Accord() (or another ASGI app).",
    ]


def test_app_named_twice(project: Path, invoke: Invoke) -> None:
    write(project / "main.py", APP_SOURCE)
    assert error_lines(invoke("routes", "main.py:app", "--app", "api")) == [
        "Error: Two app names given: 'app' in PATH and 'api' in --app.",
        "Hint: Name the app once, either as module:app or with --app.",
    ]


def test_invalid_app_name(project: Path, invoke: Invoke) -> None:
    write(project / "main.py", APP_SOURCE)
    assert error_lines(invoke("routes", "main.py", "--app", "my-app")) == [
        "Error: 'my-app' is not a valid Python name for an app.",
        "Hint: Name the variable that holds the app, e.g. --app app.",
    ]


def test_unknown_module_in_an_import_string(project: Path, invoke: Invoke) -> None:
    assert error_lines(invoke("routes", "shop.web:app")) == [
        f"Error: No module named 'shop' (searched from {project}).",
        "Hint: Run the command from the directory that contains it, or give its file path.",
    ]


def test_import_string_with_a_bad_module_part(project: Path, invoke: Invoke) -> None:
    assert error_lines(invoke("routes", "sub/dir:app"))[0] == (
        f"Error: Path 'sub/dir' does not exist (in {project})."
    )


def test_file_with_a_name_python_cannot_import(project: Path, invoke: Invoke) -> None:
    write(project / "my-api.py", APP_SOURCE)
    assert error_lines(invoke("routes", "my-api.py")) == [
        f"Error: '{project / 'my-api.py'}' cannot be imported as a module: "
        "'my-api' is not a valid module name.",
        "Hint: Rename it with letters, digits and underscores only (e.g. my_app.py).",
    ]


def test_not_a_python_file(project: Path, invoke: Invoke) -> None:
    write(project / "main.txt", "")
    assert error_lines(invoke("routes", "main.txt"))[0] == (
        f"Error: '{project / 'main.txt'}' is not a Python file."
    )


def test_directory_that_is_not_a_package(project: Path, invoke: Invoke) -> None:
    write(project / "src" / "main.py", APP_SOURCE)
    assert error_lines(invoke("routes", "src")) == [
        f"Error: '{project / 'src'}' is a directory without __init__.py, so it is not a package.",
        "Hint: Give the file that creates the app (e.g. main.py inside it).",
    ]


def test_import_error_shows_only_the_user_traceback(project: Path, invoke: Invoke) -> None:
    write(project / "main.py", "from accord import Accord\nfrom pydantic import NoSuchThing\n")
    result = invoke("routes")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1] == f'  File "{project / "main.py"}", line 2, in <module>'
    assert lines[-2].startswith(
        "Error: Could not import main.py: ImportError: cannot import name 'NoSuchThing'"
    )
    assert lines[-1] == "Hint: The traceback above shows the line of your code that failed."


def test_reload_with_workers(project: Path, invoke: Invoke) -> None:
    write(project / "main.py", APP_SOURCE)
    assert error_lines(invoke("run", "--reload", "--workers", "2")) == [
        "Error: --reload and --workers cannot be used together.",
        "Hint: Use `accord dev` to develop with reload, `accord run --workers N` to serve.",
    ]


def test_granian_not_installed(
    project: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "main.py", APP_SOURCE)
    monkeypatch.setitem(sys.modules, "granian", None)  # makes `import granian` fail
    assert error_lines(invoke("run", "--server", "granian")) == [
        "Error: Granian is not installed.",
        "Hint: Install it with: pip install 'accord[granian]', or use --server uvicorn",
    ]


def test_uvicorn_not_installed(
    project: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "main.py", APP_SOURCE)
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert error_lines(invoke("dev")) == [
        "Error: Uvicorn is not installed.",
        "Hint: Install it with: pip install 'accord[standard]'",
    ]


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("203.0.113.9", "Error: Cannot listen on 203.0.113.9:8000: "),
        ("no-such-host.invalid", "Error: Unknown host 'no-such-host.invalid'."),
    ],
)
def test_host_that_is_not_local(project: Path, invoke: Invoke, host: str, message: str) -> None:
    write(project / "main.py", APP_SOURCE)
    lines = error_lines(invoke("run", "--host", host, "--port", "8000"))
    assert lines[0].startswith(message)
    assert lines[1].startswith("Hint: ")


def test_port_without_permission(
    project: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import socket

    def refuse(self: socket.socket, address: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    write(project / "main.py", APP_SOURCE)
    monkeypatch.setattr(socket.socket, "bind", refuse)
    assert error_lines(invoke("run", "--port", "80")) == [
        "Error: Not allowed to listen on port 80.",
        "Hint: Ports below 1024 need privileges; use a higher one, e.g. --port 8000.",
    ]


def test_missing_standard_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [name for name in sys.modules if name.startswith("accord._cli")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "typer", None)
    with pytest.raises(SystemExit) as exited:
        accord.cli.main(["routes"])
    assert exited.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        "Error: the accord command needs 'typer', which is not installed.",
        "Hint: install the standard extra: pip install 'accord[standard]'",
    ]


def test_other_import_errors_are_not_disguised(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in sys.modules if name.startswith("accord._cli")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "accord._cli.commands", None)
    with pytest.raises(ImportError):
        accord.cli.main(["routes"])


def test_usage_errors_exit_with_2(project: Path, invoke: Invoke) -> None:
    result = invoke("run", "--workers", "0")
    assert result.exit_code == 2
    assert "--workers" in result.stderr


def test_port_in_use_in_process(project: Path, invoke: Invoke) -> None:
    import socket

    write(project / "main.py", APP_SOURCE)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        lines = error_lines(invoke("dev", "--port", str(port)))
    assert lines[0] == f"Error: Port {port} is already in use on 127.0.0.1."


def test_a_path_outside_the_current_directory_is_named_in_full(
    project: Path, invoke: Invoke, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "service.py"
    write(elsewhere, "x = 1\n")
    assert error_lines(invoke("routes", str(elsewhere)))[0] == (
        f"Error: No Accord app found in {elsewhere}."
    )
