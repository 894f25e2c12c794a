"""The entry points: ``accord.cli.main`` (the console script) and ``--version``."""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from pkgutil import resolve_name
from typing import Any

import pytest

import accord
import accord.cli

from .conftest import APP_SOURCE, SOURCE_ROOT, write


def test_console_script_points_at_main() -> None:
    pyproject = tomllib.loads((SOURCE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target = pyproject["project"]["scripts"]["accord"]
    assert resolve_name(target.replace(":", ".")) is accord.cli.main


def test_main_runs_the_command(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py", APP_SOURCE)
    monkeypatch.setattr(sys, "argv", ["accord", "openapi"])
    with pytest.raises(SystemExit) as exited:
        accord.cli.main()
    assert exited.value.code == 0
    from main import app  # type: ignore[import-not-found]

    assert capsys.readouterr().out == json.dumps(app.openapi(), indent=2) + "\n"


def test_version(invoke: Callable[..., Any]) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"Accord {accord.__version__}\n"
