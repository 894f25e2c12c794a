"""Running one app module of ``apps/`` on Accord and on FastAPI (the oracle), and comparing.

An app module in ``tests/streaming/apps`` is written against ``fw`` and loaded by
``tests/oracle.py``, the loader every comparing suite shares: once per framework, into a
fresh module. The warnings each framework emitted while the module registered its routes
must be equal; the answers are compared with the helpers below.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests import oracle

APPS = Path(__file__).parent / "apps"
# Subject first: the helpers answer (ours, theirs).
PACKAGES: tuple[str, str] = (oracle.SUBJECT, oracle.ORACLE)
HEADERS = ("content-type", "content-length", "cache-control", "x-accel-buffering", "x-extra")


def load(name: str, package: str) -> types.ModuleType:
    """A fresh load of ``apps/<name>.py`` with ``fw`` bound to ``package``."""
    return oracle.load(APPS / f"{name}.py", package).module


def modules(name: str) -> tuple[types.ModuleType, types.ModuleType]:
    """``apps/<name>.py`` loaded fresh on Accord and on FastAPI, with equal load warnings."""
    pair = oracle.load_pair(APPS / f"{name}.py")
    assert pair.subject_warnings == pair.oracle_warnings, "registration warnings differ"
    return pair.subject, pair.oracle


def clients(name: str) -> tuple[TestClient, TestClient]:
    """A test client on the Accord app and one on the FastAPI app of ``apps/<name>.py``."""
    ours, theirs = modules(name)
    return (
        TestClient(ours.app, raise_server_exceptions=False),
        TestClient(theirs.app, raise_server_exceptions=False),
    )


def http_outcome(client: TestClient, method: str, url: str, **kwargs: Any) -> Any:
    """Status, compared headers and body bytes of one request."""
    response = client.request(method, url, **kwargs)
    headers = {name: response.headers.get(name) for name in HEADERS}
    return response.status_code, headers, response.content
