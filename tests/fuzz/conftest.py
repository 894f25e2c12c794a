"""Pytest wiring for the differential fuzzing suite (marker ``fuzz``)."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: differential fuzzing against FastAPI (FUZZ_EXAMPLES)")
