"""``pytest -p accord.as_fastapi``: a FastAPI team's test suite runs on Accord, unedited."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import LEGACY_APP, run_python, write

# The team's suite: a conftest with a client fixture, and tests written against FastAPI.
CONFTEST = """
import pytest
from fastapi.testclient import TestClient

from shop import app


@pytest.fixture
def client():
    return TestClient(app)
"""

SUITE = """
import importlib.metadata

import fastapi
from fastapi import FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer
from fastapi.testclient import TestClient

import accord
import accord.testclient
from shop import app, oauth2


def test_fastapi_is_accord():
    assert fastapi.FastAPI is accord.FastAPI
    assert TestClient is accord.testclient.TestClient
    assert isinstance(app, accord.Accord)
    assert importlib.metadata.version("fastapi") == "0.163.2"


def test_the_app_answers(client):
    response = client.get("/items/3", headers={"Authorization": "Bearer t"})
    assert response.json() == {"name": "item 3", "price": 1.5}
    assert client.get("/items/0", headers={"Authorization": "Bearer t"}).status_code == 404


def test_dependency_overrides(client):
    app.dependency_overrides[oauth2] = lambda: "anyone"
    try:
        assert client.get("/items/4").status_code == 200
    finally:
        app.dependency_overrides.clear()
    assert client.get("/items/4").status_code == 401
"""


def project(tmp_path: Path) -> Path:
    write(tmp_path / "shop.py", LEGACY_APP)
    write(tmp_path / "conftest.py", CONFTEST)
    write(tmp_path / "test_shop.py", SUITE)
    return tmp_path


def pytest_run(cwd: Path, *args: str) -> tuple[int, str]:
    result = run_python(cwd, "-m", "pytest", "-p", "no:cacheprovider", "-W", "error", *args)
    return result.returncode, result.stdout + result.stderr


def test_the_suite_runs_on_accord_with_the_plugin(tmp_path: Path) -> None:
    status, output = pytest_run(project(tmp_path), "-p", "accord.as_fastapi")
    assert status == 0, output
    assert "3 passed" in output
    assert "warning" not in output.lower()


@pytest.mark.oracle
def test_without_the_plugin_the_same_suite_runs_on_fastapi(tmp_path: Path) -> None:
    status, output = pytest_run(project(tmp_path))
    assert status == 1, output
    assert "1 failed, 2 passed" in output
    assert "FAILED test_shop.py::test_fastapi_is_accord" in output
