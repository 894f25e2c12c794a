"""The same Harbor code on Accord (the default) and on FastAPI (``HARBOR_FRAMEWORK=fastapi``).

The switch exists for the side-by-side benchmark (`benchmarks/harbor_load.py`); this checks
that it really runs Harbor on FastAPI, without Accord loaded, and that both frameworks answer
a fixed list of requests (replays, validation errors, 401, 404, 409, pagination) alike and
publish the same OpenAPI document.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.cli.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[2]


def run_probe(framework: str, database: Path) -> dict[str, Any]:
    env = {**subprocess_env(), "HARBOR_FRAMEWORK": framework}
    result = subprocess.run(
        [sys.executable, "-m", "tests.harbor.framework_probe", str(database)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_harbor_runs_alike_on_accord_and_on_fastapi(tmp_path: Path) -> None:
    on_accord = run_probe("accord", tmp_path / "accord.db")
    on_fastapi = run_probe("fastapi", tmp_path / "fastapi.db")
    assert on_accord["app"] == "accord.applications"
    assert on_fastapi["app"] == "fastapi.applications"
    assert on_fastapi["accord_loaded"] is False
    assert [a[:3] for a in on_accord["answers"][1:]] == [a[:3] for a in on_fastapi["answers"][1:]]
    assert on_accord["answers"] == on_fastapi["answers"]
    assert on_accord["openapi"] == on_fastapi["openapi"]
    statuses = [a[2] for a in on_accord["answers"][1:]]
    assert statuses == [201, 422, 422, 401, 200, 404, 200, 409, 200, 422, 200, 200, 404]
