"""`accord check`: discovery and newcomer errors as `accord run`, the table, the JSON, the exit
status, and the `[tool.accord.check]` settings; `accord dev` lists the findings at start-up."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord._cli import commands
from accord._cli.check import CheckConfig, apply_config, load_config
from accord._cli.errors import CLIError
from accord._compiler.findings import Finding
from tests.cli.conftest import APP_SOURCE, free_port, write

MISTAKES = """
from accord import Accord

app = Accord()


@app.get("/items/{item_id}")
def item(item_id: str, q: str = None) -> None: ...


@app.get("/items/me")
def me() -> None: ...


@app.get("/legacy/search")
def search(tags: list[str]) -> None: ...
"""


def _json(result: Any) -> dict[str, Any]:
    return json.loads(result.stdout)


def test_a_clean_app_passes(project: Path, invoke: Callable[..., Any]) -> None:
    write(project / "main.py", APP_SOURCE)
    result = invoke("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "accord check: main:app: no findings.\n"
    result = invoke("check", "--format", "json")
    assert _json(result) == {
        "app": "main:app",
        "findings": [],
        "counts": {"error": 0, "warning": 0, "info": 0},
    }


def test_the_table_lists_every_finding_and_exits_1_on_an_error(
    project: Path, invoke: Callable[..., Any]
) -> None:
    write(project / "main.py", MISTAKES)
    result = invoke("check", "main.py")
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("accord check: main:app")
    for text in (
        "shadowed-route",
        "none-default",
        "implicit-body",
        "GET /items/me",
        "main.py:11",
        "Fix: register GET /items/me before",
        "1 error, 2 warnings",
    ):
        assert text in out
    # The route has its own column: the problem text does not repeat it.
    assert "GET /legacy/search: parameter" not in out
    assert out.index("shadowed-route") < out.index("none-default")  # errors first


def test_levels_and_ignores_come_from_pyproject(project: Path, invoke: Callable[..., Any]) -> None:
    write(project / "main.py", MISTAKES)
    write(
        project / "pyproject.toml",
        """
        [tool.accord.check]
        ignore = ["none-default"]

        [tool.accord.check.levels]
        shadowed-route = "warning"
        implicit-body = "error"

        [tool.accord.check.ignore-routes]
        "GET /legacy/*" = ["implicit-body"]
        """,
    )
    result = invoke("check", "--format", "json")
    assert result.exit_code == 0  # the only error left was made a warning
    findings = _json(result)["findings"]
    assert [(f["rule"], f["level"]) for f in findings] == [("shadowed-route", "warning")]


def test_a_route_pattern_without_a_method_and_the_star_rule(
    project: Path, invoke: Callable[..., Any]
) -> None:
    write(project / "main.py", MISTAKES)
    write(
        project / "pyproject.toml",
        """
        [tool.accord.check.ignore-routes]
        "/items/*" = ["*"]
        "POST /legacy/*" = ["implicit-body"]
        """,
    )
    findings = _json(invoke("check", "--format", "json"))["findings"]
    assert [(f["rule"], f["route"]) for f in findings] == [("implicit-body", "GET /legacy/search")]


def test_a_level_of_off_drops_the_rule() -> None:
    finding = Finding("blocking-call", "GET /a", "m", "f", "x.py", 1)
    assert apply_config([finding], CheckConfig(levels={"blocking-call": "off"})) == []
    (kept,) = apply_config([finding], CheckConfig(levels={"blocking-call": "info"}))
    assert kept.level == "info" and kept.as_dict()["level"] == "info"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[tool.accord]\ncheck = 3", "must be a table"),
        ("[tool.accord.check]\nselect = []", "has an unknown key 'select'"),
        ("[tool.accord.check]\nignore = 'implicit-body'", "'ignore' must be a list of rule ids"),
        ("[tool.accord.check]\nignore = ['no-such-rule']", "names an unknown rule 'no-such-rule'"),
        ("[tool.accord.check]\nlevels = []", "'levels' must be a table"),
        ("[tool.accord.check.levels]\nblocking-call = 'fatal'", "the unknown level 'fatal'"),
        ("[tool.accord.check]\nignore-routes = []", "'ignore-routes' must be a table"),
        ("[tool.accord.check.ignore-routes]\n'/a' = ['nope']", "unknown rule 'nope'"),
        ("[tool.accord.check\n", "Could not read"),
    ],
)
def test_a_wrong_setting_is_one_line_and_a_hint(tmp_path: Path, table: str, message: str) -> None:
    file = write(tmp_path / "pyproject.toml", table)
    with pytest.raises(CLIError) as error:
        load_config(file)
    assert message in error.value.message
    assert error.value.hint


def test_no_pyproject_or_no_table_means_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "pyproject.toml") == CheckConfig()
    file = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert load_config(file) == CheckConfig()


def test_discovery_errors_are_the_newcomer_errors(project: Path, invoke: Callable[..., Any]) -> None:
    result = invoke("check")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No app file found in ")
    write(project / "main.py", "raise RuntimeError('boom')\n")
    result = invoke("check", "main.py")
    assert result.exit_code == 1
    assert "Error: Could not import main.py: RuntimeError: boom" in result.stderr


def test_dev_lists_the_findings_before_serving(
    project: Path, invoke: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "main.py", MISTAKES)
    served = []
    monkeypatch.setattr(commands, "serve", lambda found, options: served.append(found))
    result = invoke("dev", "--no-reload", "--port", str(free_port()))
    assert result.exit_code == 0, result.output
    assert served
    out = result.stdout
    assert "Declaration diagnostics (accord check)" in out
    assert "shadowed-route" in out and "GET /items/me" in out
    assert out.index("Serving") < out.index("Declaration diagnostics")


def test_dev_says_nothing_more_for_a_clean_app(
    project: Path, invoke: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "main.py", APP_SOURCE)
    monkeypatch.setattr(commands, "serve", lambda found, options: None)
    result = invoke("dev", "--no-reload", "--port", str(free_port()))
    assert result.exit_code == 0, result.output
    assert "Declaration diagnostics" not in result.stdout


def test_without_a_toml_reader_the_table_is_refused_not_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "tomllib", None)  # as on Python 3.10 ...
    monkeypatch.setitem(sys.modules, "tomli", None)  # ... without tomli
    plain = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert load_config(plain) == CheckConfig()
    file = write(tmp_path / "pyproject.toml", "[tool.accord.check]\nignore = []\n")
    with pytest.raises(CLIError) as error:
        load_config(file)
    assert error.value.message.startswith("Reading [tool.accord.check] of ")
    assert error.value.hint == "Install it with: pip install tomli"


def test_a_file_outside_the_current_directory_is_shown_in_full(tmp_path: Path) -> None:
    from rich.console import Console

    from accord._cli.check import Reported, findings_table

    finding = Finding("blocking-call", "GET /a", "GET /a: slow.", "fix it", "/elsewhere/x.py", 3)
    console = Console(width=200, record=True)
    console.print(findings_table([Reported(finding, "warning")], "t"))
    text = console.export_text()
    assert "/elsewhere/x.py:3" in text
    assert "GET /a: slow." not in text and "slow." in text
