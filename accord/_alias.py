"""The ``fastapi`` alias: ``import fastapi`` answered by Accord (see :mod:`accord.as_fastapi`).

One finder, first on ``sys.meta_path``, does both halves:

* imports: every ``fastapi.X`` resolves to the Accord module at the same path, the very same
  module object (``sys.modules["fastapi.routing"] is accord.routing``), so that classes,
  exceptions and ``isinstance`` checks are shared whichever name imported them. The top-level
  ``fastapi`` is the one exception: a thin facade over ``accord`` that answers every attribute
  with Accord's own object (``fastapi.FastAPI is accord.FastAPI``) except ``__version__``,
  which is the FastAPI release Accord implements, since extensions compare it
  (``fastapi.__version__ >= "0.158"``) while ``accord.__version__`` stays Accord's;
* metadata: ``importlib.metadata`` finds a ``fastapi`` distribution at the FastAPI release
  Accord implements, so that extensions checking ``version("fastapi")`` accept Accord.

Nothing here runs until :func:`activate` is called; ``import accord`` never calls it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import re
import sys
from collections.abc import Iterator, Sequence
from os import PathLike
from pathlib import Path
from types import ModuleType

__all__ = ["FASTAPI_VERSION", "AliasError", "activate", "is_active"]

#: The FastAPI release whose behaviour Accord implements (its test oracle).
FASTAPI_VERSION = "0.163.2"

_ALIAS = "fastapi"
_TARGET = "accord"

_METADATA = f"""\
Metadata-Version: 2.1
Name: fastapi
Version: {FASTAPI_VERSION}
Summary: FastAPI's import paths, answered by Accord (the accord.as_fastapi alias)
"""


class AliasError(ImportError):
    """The alias cannot be turned on: the real FastAPI is already imported in this process.

    ``name`` is the FastAPI module found in ``sys.modules``, ``path`` the file it came from.
    """


def activate() -> None:
    """Make ``import fastapi`` (and ``fastapi.*``, and its metadata) answer with Accord.

    Calling it again is a no-op.

    Raises:
        AliasError: The real FastAPI was imported before; its modules and Accord's would
            then both be in use, and their classes would not match.
    """
    if is_active():
        return
    _refuse_if_imported()
    sys.meta_path.insert(0, _AliasFinder())
    importlib.invalidate_caches()


def is_active() -> bool:
    """Whether :func:`activate` has run in this process."""
    return any(isinstance(finder, _AliasFinder) for finder in sys.meta_path)


def _refuse_if_imported() -> None:
    imported = sorted(
        name for name in sys.modules if name == _ALIAS or name.startswith(_ALIAS + ".")
    )
    if not imported:
        return
    first = sys.modules[imported[0]]
    where = getattr(first, "__file__", None) or repr(first)
    raise AliasError(
        f"Cannot alias fastapi to accord: the real FastAPI is already imported in this "
        f"process ('{imported[0]}' from {where}). Turn the alias on before anything imports "
        "fastapi: `import accord.as_fastapi` as the first import of the entry point, "
        "`pytest -p accord.as_fastapi`, or `accord run --as-fastapi`.",
        name=imported[0],
        path=where,
    )


def _accord_name(fastapi_name: str) -> str | None:
    if fastapi_name == _ALIAS or fastapi_name.startswith(_ALIAS + "."):
        return _TARGET + fastapi_name[len(_ALIAS) :]
    return None


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


_ANY = importlib.metadata.DistributionFinder.Context()


class _AliasFinder(importlib.metadata.DistributionFinder):
    """Finds ``fastapi.X`` as ``accord.X``, and the ``fastapi`` distribution."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        accord_name = _accord_name(fullname)
        if accord_name is None:
            return None
        module = _import_accord(fullname, accord_name)
        if fullname == _ALIAS:
            module = _Facade(module)
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(module), is_package=hasattr(module, "__path__")
        )

    def find_distributions(
        self, context: importlib.metadata.DistributionFinder.Context = _ANY
    ) -> Iterator[importlib.metadata.Distribution]:
        name = context.name
        if name is None or _normalize(name) == _ALIAS:
            yield _AliasDistribution()


def _import_accord(fastapi_name: str, accord_name: str) -> ModuleType:
    """The Accord module for ``fastapi_name``; a clear error when Accord has none."""
    try:
        return importlib.import_module(accord_name)
    except ModuleNotFoundError as exc:
        if exc.name != accord_name:
            raise  # a module Accord's own module needs (jinja2 for templating, ...)
    # A name at a FastAPI path that is an attribute holding a module (`fastapi.status`).
    parent, _, attribute = accord_name.rpartition(".")
    value = getattr(sys.modules.get(parent), attribute, None)
    if isinstance(value, ModuleType):
        return value
    raise ModuleNotFoundError(
        f"No module named '{fastapi_name}': the fastapi alias is on, and Accord has no "
        f"'{accord_name}' to answer it with (Accord offers FastAPI's public modules, "
        "not all of its internals).",
        name=fastapi_name,
    )


class _Facade(ModuleType):
    """The top-level ``fastapi``: Accord's attributes, FastAPI's release as ``__version__``.

    Attributes set on it (the import system records ``fastapi.routing`` there) stay on the
    facade; every other name is read from ``accord`` at the moment it is asked for.
    """

    def __init__(self, accord: ModuleType) -> None:
        super().__init__(_ALIAS, accord.__doc__)
        self.__dict__.update(
            __accord__=accord,
            __version__=FASTAPI_VERSION,
            __file__=accord.__file__,
            __path__=list(getattr(accord, "__path__", [])),
        )

    def __getattr__(self, name: str) -> object:
        return getattr(self.__dict__["__accord__"], name)

    def __dir__(self) -> list[str]:
        return sorted({*dir(self.__dict__["__accord__"]), *self.__dict__})


class _AliasLoader(importlib.abc.Loader):
    """Hands the import system the existing Accord module instead of creating one."""

    def __init__(self, module: ModuleType) -> None:
        self._module = module
        accord = module.__dict__.get("__accord__", module)
        self._spec = getattr(accord, "__spec__", None)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return self._module

    def exec_module(self, module: ModuleType) -> None:
        # The import system has set the alias's spec on the module; Accord's own spec is the
        # true one (for reload, pickling by reference, `python -m`), so it is put back.
        module.__spec__ = self._spec


class _AliasDistribution(importlib.metadata.Distribution):
    """The ``fastapi`` distribution: FastAPI's name, the release Accord implements."""

    def read_text(self, filename: str) -> str | None:
        if filename == "METADATA":
            return _METADATA
        if filename == "top_level.txt":
            return f"{_ALIAS}\n"
        return None

    def locate_file(self, path: str | PathLike[str]) -> Path:
        return Path(__file__).resolve().parent.parent / path
