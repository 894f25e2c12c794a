"""Parity of ``app.openapi()`` for every application of every scenario.

Collected under the ``openapi_parity`` marker and deselected unless ``PARITY_OPENAPI=1``
(see ``conftest.py``): Accord's OpenAPI module comes after its core.
"""

import pytest

from .harness import assert_openapi_parity, scenario_names

pytestmark = pytest.mark.openapi_parity


@pytest.mark.parametrize("scenario", scenario_names())
def test_openapi_document(scenario: str) -> None:
    assert_openapi_parity(scenario)
