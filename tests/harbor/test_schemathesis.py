"""Property-based tests from Harbor's own OpenAPI document (schemathesis, in-process ASGI).

Every operation gets generated requests, authenticated with the seeded demo key, and every
response must be no 5xx, carry a documented status and content type, and match its schema.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from examples.harbor.core.config import Settings
from examples.harbor.main import create_app
from examples.harbor.seed import prepare_demo

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api(database_url: str) -> Iterator[tuple[Any, str]]:
    """Harbor's schema, loaded from the app over ASGI, and the seeded demo partner's key."""
    harbor_settings = Settings(
        _env_file=None, database_url=database_url, webhook_worker_enabled=False
    )
    key = asyncio.run(prepare_demo(harbor_settings)).api_key
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(harbor_settings))
    yield schema, key
    shutdown_lifespans()  # stop the app's lifespan (its pools) before the database goes away


def has_inputs(operation: Any) -> bool:
    return any(
        len(group)
        for group in (operation.path_parameters, operation.query, operation.headers, operation.body)
    )


# schemathesis' own pytest integration (`from_fixture`/`parametrize`) does not run on
# pytest 9 yet, so each operation's strategy is driven with Hypothesis directly.
@pytest.mark.parametrize(
    ("mode", "examples"), [(GenerationMode.POSITIVE, 25), (GenerationMode.NEGATIVE, 10)]
)
def test_api_conforms_to_its_schema(
    api: tuple[Any, str], mode: GenerationMode, examples: int
) -> None:
    schema, key = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "POST /api/v1/orders",
        "GET /api/v1/orders",
        "GET /api/v1/orders/{order_id}",
        "PATCH /api/v1/orders/{order_id}/status",
        "GET /health/ready",
    }
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not has_inputs(operation):
            continue  # nothing to make invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers={"X-API-Key": key}, checks=CHECKS)

        check()
