"""The alias's finder, loader and distribution as objects, without turning the alias on.

(This process imports the real FastAPI as its oracle, so nothing here touches sys.meta_path
or sys.modules["fastapi*"]; the end-to-end tests run in subprocesses.)
"""

from __future__ import annotations

import importlib.metadata
import types

import pytest

import accord
import accord.routing
from accord import _alias

Context = importlib.metadata.DistributionFinder.Context


def test_the_finder_answers_only_for_fastapi() -> None:
    finder = _alias._AliasFinder()
    assert finder.find_spec("starlette.routing") is None
    assert finder.find_spec("fastapi_users") is None  # a name that merely starts alike
    spec = finder.find_spec("fastapi.routing")
    assert spec is not None and spec.name == "fastapi.routing"
    assert spec.submodule_search_locations is None  # a module, not a package
    assert spec.loader is not None
    assert spec.loader.create_module(spec) is accord.routing
    package = finder.find_spec("fastapi.security")
    assert package is not None and package.submodule_search_locations == []


def test_the_loader_keeps_the_accord_modules_own_spec() -> None:
    spec = _alias._AliasFinder().find_spec("fastapi.routing")
    assert spec is not None and spec.loader is not None
    original = accord.routing.__spec__
    try:
        accord.routing.__spec__ = spec  # what the import system does before exec_module
        spec.loader.exec_module(accord.routing)
        assert accord.routing.__spec__ is original
    finally:
        accord.routing.__spec__ = original


def test_an_attribute_holding_a_module_is_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    held = types.ModuleType("elsewhere")
    monkeypatch.setattr(accord, "held", held, raising=False)
    spec = _alias._AliasFinder().find_spec("fastapi.held")
    assert spec is not None and spec.loader is not None
    assert spec.loader.create_module(spec) is held
    monkeypatch.setattr(accord, "held", "not a module")
    with pytest.raises(ModuleNotFoundError) as caught:
        _alias._AliasFinder().find_spec("fastapi.held")
    assert caught.value.name == "fastapi.held"


def test_the_distribution_is_found_by_its_normalized_name() -> None:
    finder = _alias._AliasFinder()
    for name in ("fastapi", "FastAPI", "FASTAPI"):
        [dist] = finder.find_distributions(Context(name=name))
        assert (dist.metadata["Name"], dist.version) == ("fastapi", _alias.FASTAPI_VERSION)
    assert list(finder.find_distributions(Context(name="fastapi-users"))) == []
    assert len(list(finder.find_distributions(Context()))) == 1  # listing every distribution


def test_the_distribution_has_metadata_and_top_level_only() -> None:
    dist = _alias._AliasDistribution()
    assert dist.read_text("top_level.txt") == "fastapi\n"
    assert dist.read_text("RECORD") is None and dist.files is None
    assert dist.requires is None and list(dist.entry_points) == []
    assert dist.locate_file("accord/__init__.py").samefile(accord.__file__)
