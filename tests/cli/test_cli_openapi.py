"""``accord openapi``: the app's document, exactly ``json.dumps(app.openapi(), indent=2)``."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import APP_SOURCE, run_accord, write


def expected_document(file: Path) -> str:
    """The document of the app in ``file``, built in this process from a fresh import."""
    spec = importlib.util.spec_from_file_location(f"expected_{file.parent.name}", file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return json.dumps(module.app.openapi(), indent=2) + "\n"


def test_openapi_prints_the_document(tmp_path: Path) -> None:
    # The app prints at import: that must not end up in the JSON on stdout.
    main = write(tmp_path / "main.py", "print('booting')\n" + APP_SOURCE)
    result = run_accord(tmp_path, "openapi")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_document(main)
    assert json.loads(result.stdout)["info"]["title"] == "CLI test app"
    assert "booting" in result.stderr


def test_openapi_writes_a_file(project: Path, invoke: Callable[..., Any]) -> None:
    main = write(project / "main.py", APP_SOURCE)
    result = invoke("openapi", "main.py", "-o", "out/openapi.json")
    assert result.exit_code == 1  # the directory does not exist
    assert result.stderr.splitlines()[0].startswith("Error: Could not write out/openapi.json: ")
    (project / "out").mkdir()
    result = invoke("openapi", "main.py", "--output", "out/openapi.json")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "Wrote the OpenAPI document to out/openapi.json\n"
    assert (project / "out" / "openapi.json").read_text() == expected_document(main)


def test_openapi_of_an_app_without_openapi(project: Path, invoke: Callable[..., Any]) -> None:
    write(project / "main.py", "from starlette.applications import Starlette\napp = Starlette()\n")
    result = invoke("openapi", "--app", "app")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: main:app has no openapi() method.",
        "Hint: accord openapi documents Accord apps (Accord() instances).",
    ]


def test_openapi_generation_failure_is_one_line(project: Path, invoke: Callable[..., Any]) -> None:
    write(
        project / "main.py",
        """
        from accord import Accord

        class Broken(Accord):
            def openapi(self):
                raise RuntimeError("schema generation failed\\nsecond line")

        app = Broken()
        """,
    )
    result = invoke("openapi")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: Could not build the OpenAPI document: RuntimeError: schema generation failed",
        'Hint: See the full traceback with: python -c "import main as m; m.app.openapi()"',
    ]
