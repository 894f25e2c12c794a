"""`accord.security` loads its schemes (and the OpenAPI models) on first use."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import accord.security


def test_importing_accord_loads_no_scheme_nor_openapi_model() -> None:
    code = (
        "import sys, accord\n"
        "print(sorted(m for m in sys.modules if m in ("
        "'accord.openapi.models', 'accord.security.oauth2', 'accord.security.http')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"


@pytest.mark.parametrize("name", accord.security.__all__)
def test_every_scheme_is_the_one_of_its_module(name: str) -> None:
    value = getattr(accord.security, name)
    module = importlib.import_module(accord.security._MODULES[name])
    assert value is getattr(module, name)
    assert name in dir(accord.security)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        accord.security.Nope  # noqa: B018
