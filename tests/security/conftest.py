"""Every test here runs twice: on ``accord.security`` and on FastAPI's (the oracle).

The expectations are written out explicitly; running them against FastAPI too proves
they are FastAPI 0.141.1's real behaviour and not a remembered one.
"""

from __future__ import annotations

import importlib
import types

import pytest


@pytest.fixture(params=["accord", "fastapi"])
def fw(request: pytest.FixtureRequest) -> types.ModuleType:
    """The framework package under test, with its ``security`` subpackage imported."""
    module = importlib.import_module(request.param)
    importlib.import_module(f"{request.param}.security")
    return module
