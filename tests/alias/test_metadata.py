"""With the alias on, ``importlib.metadata`` reports a ``fastapi`` distribution at the FastAPI
release Accord implements, so that extensions' version checks accept Accord."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

from accord import _alias

from .conftest import run_code


def test_the_implemented_release_is_the_oracle() -> None:
    # Re-pinning the oracle without moving the constant fails here.
    assert _alias.FASTAPI_VERSION == importlib.metadata.version("fastapi") == "0.163.2"


def test_version_and_distribution_report_the_implemented_release(tmp_path: Path) -> None:
    code = """
import accord.as_fastapi
import importlib.metadata as metadata, json

dist = metadata.distribution("fastapi")
print(json.dumps({
    "versions": [metadata.version(name) for name in ("fastapi", "FastAPI", "FASTAPI")],
    "name": dist.metadata["Name"],
    "summary": dist.metadata["Summary"],
    "class": type(dist).__name__,
    "listed": [d.metadata["Name"] for d in metadata.distributions() if type(d) is type(dist)],
    "packages": metadata.packages_distributions()["fastapi"],
    "accord": metadata.version("accord"),
    "files": dist.files,
}))
"""
    result = run_code(tmp_path, code)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == {
        "versions": ["0.163.2"] * 3,
        "name": "fastapi",
        "summary": "FastAPI's import paths, answered by Accord (the accord.as_fastapi alias)",
        "class": "_AliasDistribution",
        "listed": ["fastapi"],
        # The alias's distribution first; the real FastAPI installed here as the oracle after.
        "packages": ["fastapi", "fastapi"],
        "accord": importlib.metadata.version("accord"),
        "files": None,
    }


def test_without_the_alias_metadata_is_the_installed_one(tmp_path: Path) -> None:
    code = """
import accord, importlib.metadata as metadata
print(type(metadata.distribution("fastapi")).__name__)
"""
    result = run_code(tmp_path, code)
    assert (result.returncode, result.stdout) == (0, "PathDistribution\n"), result.stderr
