"""Running one app factory on Accord and on FastAPI (the oracle) and comparing what they send.

A test module defines ``build(fw)``, an app written against ``fw`` (the `accord` or `fastapi`
package), and compares the two apps' answers with the helpers below.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import fastapi
from starlette.testclient import TestClient

import accord

FRAMEWORKS: tuple[ModuleType, ModuleType] = (accord, fastapi)
HEADERS = ("content-type", "content-length", "cache-control", "x-accel-buffering", "x-extra")


def clients(build: Callable[[ModuleType], Any]) -> tuple[TestClient, TestClient]:
    """A test client on the Accord app and one on the FastAPI app, built by the same factory."""
    ours, theirs = (
        TestClient(build(fw), raise_server_exceptions=False) for fw in FRAMEWORKS
    )
    return ours, theirs


def http_outcome(client: TestClient, method: str, url: str, **kwargs: Any) -> Any:
    """Status, compared headers and body bytes of one request."""
    response = client.request(method, url, **kwargs)
    headers = {name: response.headers.get(name) for name in HEADERS}
    return response.status_code, headers, response.content
