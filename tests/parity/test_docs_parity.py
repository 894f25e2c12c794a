"""Parity of the documentation endpoints (switched with the OpenAPI comparison).

Collected under ``openapi_parity``: deselected unless ``PARITY_OPENAPI=1``.
"""

import pytest

from .harness import Case, get, parity_test

CASES = [
    get("/openapi.json"),
    get("/docs"),
    get("/docs/oauth2-redirect"),
    get("/redoc"),
    Case((get("/api/schema.json"),), app="app_custom"),
    Case((get("/api/docs"),), app="app_custom"),
    Case((get("/prefix/api/schema.json"),), app="app_custom"),
    Case((get("/redoc"),), app="app_custom"),
    Case((get("/openapi.json"),), app="app_custom", client={"root_path": "/proxy"}),
    Case((get("/openapi.json"), get("/docs"), get("/redoc")), app="app_off"),
]

test_docs = pytest.mark.openapi_parity(parity_test("docs", CASES))
