"""How the detector is switched on: the app argument, the environment variable, `accord dev`."""

import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from accord import Accord
from accord._cli.commands import cli
from accord._runtime.blocking import ENV_VAR, parse_threshold, resolve_threshold
from accord.exceptions import AccordError
from tests.cli.conftest import free_port, serving, write


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("100ms", 0.1),
        ("250 ms", 0.25),
        ("0.5s", 0.5),
        ("2S", 2.0),
        (".05s", 0.05),
        ("on", 0.1),
        ("TRUE", 0.1),
        ("1", 0.1),
        ("yes", 0.1),
        ("off", None),
        ("0", None),
        ("", None),
        ("false", None),
    ],
)
def test_parse_threshold(text: str, seconds: float | None) -> None:
    assert parse_threshold(text) == seconds


@pytest.mark.parametrize("text", ["100", "0.1", "-5ms", "0ms", "fast", "10 minutes"])
def test_parse_threshold_refuses_what_it_would_have_to_guess(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration: use a number with its unit"):
        parse_threshold(text)


def test_the_app_argument_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "50ms")
    assert Accord().detect_blocking == 0.05
    assert Accord(detect_blocking=False).detect_blocking is None
    assert Accord(detect_blocking=True).detect_blocking == 0.1
    assert Accord(detect_blocking=0.2).detect_blocking == 0.2
    monkeypatch.setenv(ENV_VAR, "off")
    assert Accord().detect_blocking is None
    monkeypatch.delenv(ENV_VAR)
    assert Accord().detect_blocking is None


def test_invalid_settings_fail_at_creation_naming_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "100")
    with pytest.raises(AccordError, match=f"Invalid {ENV_VAR} environment variable: '100' is"):
        Accord()
    for bad in (0, -1.0, "100ms"):
        with pytest.raises(AccordError, match=r"detect_blocking must be True, False, None or"):
            resolve_threshold(bad)  # type: ignore[arg-type]


# -- `accord dev` -----------------------------------------------------------------------------

APP = """
import time

from accord import Accord

app = Accord()


@app.get("/whoami")
def whoami() -> dict[str, object]:
    return {"detect_blocking": app.detect_blocking}


@app.get("/slow")
async def slow() -> dict[str, bool]:
    time.sleep(0.3)
    return {"slept": True}
"""


@pytest.fixture
def environ_at_serve(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The variable as the server sees it when started (the server itself replaced)."""
    import uvicorn

    seen: list[str | None] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.append(os.environ.get(ENV_VAR)))
    monkeypatch.delenv(ENV_VAR, raising=False)
    return seen


def _invoke(project: Path, *args: str) -> Any:
    write(project / "main.py", APP)
    return CliRunner().invoke(cli, [*args, "--port", str(free_port())])


def test_dev_turns_the_detector_on_for_the_server_only(
    project: Path, environ_at_serve: list[str | None]
) -> None:
    result = _invoke(project, "dev")
    assert result.exit_code == 0, result.output
    assert environ_at_serve == ["100ms"]
    assert ENV_VAR not in os.environ  # restored once the server stops


def test_dev_option_and_an_existing_variable(
    project: Path, environ_at_serve: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _invoke(project, "dev", "--detect-blocking", "250ms").exit_code == 0
    assert _invoke(project, "dev", "--detect-blocking", "off").exit_code == 0
    monkeypatch.setenv(ENV_VAR, "40ms")
    assert _invoke(project, "dev").exit_code == 0
    assert environ_at_serve == ["250ms", "off", "40ms"]
    assert os.environ[ENV_VAR] == "40ms"


def test_dev_without_reload_creates_the_app_with_the_detector_on(
    project: Path, environ_at_serve: list[str | None]
) -> None:
    # Served in this process, the app is imported by the CLI itself: the variable is set first.
    result = _invoke(project, "dev", "--no-reload")
    assert result.exit_code == 0, result.output
    import main  # type: ignore[import-not-found]

    assert main.app.detect_blocking == 0.1


def test_run_leaves_the_detector_off(project: Path, environ_at_serve: list[str | None]) -> None:
    assert _invoke(project, "run").exit_code == 0
    assert environ_at_serve == [None]


def test_dev_rejects_an_invalid_threshold(
    project: Path, environ_at_serve: list[str | None]
) -> None:
    result = _invoke(project, "dev", "--detect-blocking", "fast")
    assert result.exit_code == 1
    assert "Invalid --detect-blocking: 'fast' is not a duration" in result.output
    assert "--detect-blocking 250ms" in result.output
    assert environ_at_serve == []


def test_a_real_dev_server_logs_the_blocking_call(tmp_path: Path) -> None:
    write(tmp_path / "main.py", APP)
    port = free_port()
    with serving(tmp_path, "dev", "--no-reload", port=port) as server:
        assert httpx.get(f"{server.url}/whoami", timeout=5).json() == {"detect_blocking": 0.1}
        assert httpx.get(f"{server.url}/slow", timeout=5).json() == {"slept": True}
        deadline = time.monotonic() + 10
        while "Blocking call in GET /slow" not in server.output():
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.05)
    output = server.output()
    assert f"at {tmp_path / 'main.py'}:16 (in slow)" in output
    assert "    time.sleep(0.3)" in output
