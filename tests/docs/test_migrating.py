"""docs/migrating.md and the CLI page's alias example: run in fresh processes, because the
alias changes how a whole process imports `fastapi` (this one uses the real FastAPI)."""

import subprocess
import sys

import fastapi

from docs_src.migrating import legacy_001
from tests.docs.pages import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
        check=False,
    )


def test_the_alias_example_runs_on_accord() -> None:
    done = run("-m", "docs_src.migrating.alias_001")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'user': 'ada'}"


def test_the_legacy_app_is_fastapi_here_and_accord_under_the_alias() -> None:
    assert isinstance(legacy_001.app, fastapi.FastAPI)
    done = run(
        "-c",
        "import accord.as_fastapi, accord\n"
        "from docs_src.migrating import legacy_001\n"
        "from accord.testclient import TestClient\n"
        "assert isinstance(legacy_001.app, accord.Accord)\n"
        "print(TestClient(legacy_001.app).get('/ping').json())",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'ping': 'pong'}"
