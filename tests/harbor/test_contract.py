"""The Harbor example's contract step: its published OpenAPI document (openapi.json, committed)
against the app as it is now, with `accord openapi diff`; and `accord check` on the app.

This is what a team's CI runs before a release: a breaking change for the integrators fails
the build until the snapshot is deliberately updated (`accord openapi examples/harbor/main.py
-o examples/harbor/openapi.json`) and the change announced.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "examples" / "harbor" / "openapi.json"


def _accord(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        cwd=ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_app_keeps_the_published_contract() -> None:
    result = _accord("openapi", "diff", "examples/harbor/openapi.json", "examples/harbor/main.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 breaking" in result.stdout


def test_the_step_fails_when_the_app_drops_what_the_snapshot_promises(tmp_path: Path) -> None:
    published = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    # As if the release before had one more operation, which the current app no longer has.
    published["paths"]["/api/v1/refunds"] = {
        "post": {"operationId": "create_refund", "responses": {"201": {"description": "x"}}}
    }
    older = tmp_path / "openapi.json"
    older.write_text(json.dumps(published), encoding="utf-8")
    result = _accord("openapi", "diff", str(older), "examples/harbor/main.py", "--format", "json")
    assert result.returncode == 1
    changes = json.loads(result.stdout)["changes"]
    assert [(c["kind"], c["rule"], c["operation"]) for c in changes] == [
        ("breaking", "operation-removed", "POST /api/v1/refunds")
    ]


def test_the_app_has_no_declaration_findings() -> None:
    result = _accord("check", "examples/harbor/main.py", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["findings"] == []
