"""The one loader: an app module executed twice, once on FastAPI (the oracle), once on Accord.

Every suite that compares Accord with FastAPI loads its apps here: the parity scenarios
(``tests/parity/scenarios/*.py``), the OpenAPI corpus snippets (``tests/openapi/scenarios.py``),
the fuzzing corpus (``tests/fuzz/corpus.py``) and the streaming apps (``tests/streaming/apps``).

An app module is ordinary Python that starts with ``import fw`` and spells every framework
name through it (``fw.FastAPI``, ``fw.Depends``, ``fw.responses.JSONResponse``,
``fw.security.HTTPBasic`` ...). :func:`load` compiles the source into a brand-new module
object; while it executes, ``import fw`` resolves to a :class:`FrameworkNamespace` over one
framework package. Two loads share nothing: each has its own app, models and module-level
state, and the ``fw`` binding is gone once the module has executed.

Every warning the module emits while it executes (registration time) is recorded, as
:func:`warning_text` spells it, so that a suite compares the two frameworks' warnings.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import os
import re
import sys
import traceback
import types
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ORACLE",
    "SUBJECT",
    "AppSource",
    "FrameworkNamespace",
    "LoadError",
    "Loaded",
    "Pair",
    "load",
    "load_pair",
    "recording_warnings",
    "warning_text",
]

ORACLE = "fastapi"
# The framework package under test. ``PARITY_SUBJECT=fastapi`` runs the oracle against itself.
SUBJECT = os.environ.get("PARITY_SUBJECT", "accord")

_NOTSET: Any = object()
_counter = itertools.count()


class FrameworkNamespace(types.ModuleType):
    """The object an app module sees as ``fw``: one framework package and its submodules.

    ``fw.Depends`` is the package's top-level name; ``fw.responses`` (or any other
    submodule, at any depth: ``fw.middleware.cors``) is imported on first use and wrapped
    again, so an app never needs to know which package it runs on.
    """

    def __init__(self, package: str) -> None:
        super().__init__("fw")
        self.__package_name = package

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        package = self.__package_name
        value = getattr(importlib.import_module(package), name, _NOTSET)
        if value is not _NOTSET and not isinstance(value, types.ModuleType):
            return value
        try:
            importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{name}":
                raise
            if isinstance(value, types.ModuleType):  # e.g. fw.status, a Starlette module
                return FrameworkNamespace(value.__name__)
            raise AttributeError(f"{package!r} has no attribute or module {name!r}") from exc
        return FrameworkNamespace(f"{package}.{name}")

    def __repr__(self) -> str:
        return f"<fw -> {self.__package_name}>"


@dataclass(frozen=True)
class AppSource:
    """The text of an app module, a short name for reports, and the file it reads as."""

    name: str
    text: str
    filename: str

    @classmethod
    def file(cls, path: Path) -> AppSource:
        """An app module on disk; tracebacks and warnings point into the real file."""
        return cls(path.stem, path.read_text(encoding="utf-8"), str(path))

    @classmethod
    def snippet(cls, name: str, text: str) -> AppSource:
        """An app module held in a string (the OpenAPI corpus)."""
        return cls(name, text, f"<{name}>")


@dataclass(frozen=True)
class Loaded:
    """One execution of an app module: the fresh module and the warnings it emitted."""

    package: str
    module: types.ModuleType
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    """One app module loaded on the oracle and on the subject framework."""

    name: str
    oracle: Any  # a module; a test may put a stand-in namespace here
    subject: Any
    oracle_warnings: tuple[str, ...] = ()
    subject_warnings: tuple[str, ...] = ()


class LoadError(Exception):
    """The app module does not even execute on the subject framework (one-line message)."""


# Spellings that differ between two loads of one app without meaning anything: the unique
# module name each load gets, the framework package in dotted paths, the framework's command
# (``fastapi run`` / ``accord run``) and the framework prefix of its own warning classes
# (``FastAPIDeprecationWarning`` / ``AccordDeprecationWarning``).
_MODULE_NAME = re.compile(r"_oracle\d+_\w+")
_PACKAGES = "|".join(
    re.escape(p) for p in sorted({ORACLE, SUBJECT, "accord"}, key=len, reverse=True)
)
_DOTTED_PACKAGE = re.compile(rf"(?<![\w/.-])(?:{_PACKAGES})\.(?=[a-z_])")
_COMMAND = re.compile(rf"(?<![\w/.-])(?:{_PACKAGES}) (?=run\b|dev\b)")
_CLASS_PREFIX = re.compile(r"^(?:FastAPI|Accord)(?=[A-Z])")


def _builtin_base(category: type[Warning]) -> str:
    return next(c.__name__ for c in category.__mro__ if c.__module__ == "builtins")


def warning_text(message: warnings.WarningMessage) -> str:
    """``"<builtin base>/<class>: <text>"``, with framework and module names masked.

    The category is compared twice: by its builtin base (``UserWarning``,
    ``DeprecationWarning``: what a user's warning filters see) and by its class name, whose
    framework prefix is masked (``FastAPIDeprecationWarning`` and ``AccordDeprecationWarning``
    play one role). In the text, the unique module name of the load, the framework package in
    dotted paths and the framework's command are masked; everything else must be equal.
    """
    category = message.category
    name = _CLASS_PREFIX.sub("<fw>", category.__name__)
    text = _MODULE_NAME.sub("<app>", str(message.message))
    text = _COMMAND.sub("<fw> ", _DOTTED_PACKAGE.sub("<fw>.", text))
    return f"{_builtin_base(category)}/{name}: {text}"


@contextlib.contextmanager
def recording_warnings() -> Iterator[list[str]]:
    """Record (instead of raising) every warning of the block, as :func:`warning_text`.

    A ``ResourceWarning`` is left out: the garbage collector emits it whenever it happens
    to run, in whichever block is current, for an object that may be an earlier request's
    (leaks are tested apart, in ``tests/faults``).
    """
    recorded: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield recorded
        finally:
            recorded.extend(
                warning_text(w) for w in caught if not issubclass(w.category, ResourceWarning)
            )


@contextlib.contextmanager
def _fw_bound_to(package: str) -> Iterator[None]:
    """Make ``import fw`` resolve to ``package`` while an app module executes."""
    previous = sys.modules.get("fw")
    sys.modules["fw"] = FrameworkNamespace(package)
    try:
        yield
    finally:
        if previous is None:
            del sys.modules["fw"]
        else:
            sys.modules["fw"] = previous


def _as_source(source: AppSource | Path) -> AppSource:
    return source if isinstance(source, AppSource) else AppSource.file(source)


def load(source: AppSource | Path, package: str) -> Loaded:
    """Execute ``source`` with ``fw`` bound to ``package`` into a brand-new module.

    The module is registered in ``sys.modules`` under a unique name (pydantic and the
    frameworks resolve annotations through it); the warnings it emitted are recorded.
    """
    source = _as_source(source)
    code = compile(source.text, source.filename, "exec")
    module_name = f"_oracle{next(_counter)}_{source.name}_{package.replace('.', '_')}"
    module = types.ModuleType(module_name)
    module.__file__ = source.filename
    sys.modules[module_name] = module
    with _fw_bound_to(package), recording_warnings() as recorded:
        exec(code, module.__dict__)
    return Loaded(package, module, tuple(recorded))


def _load_failure(source: AppSource, package: str, exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == source.filename]
    where = f" at {source.name}:{frames[-1].lineno} `{frames[-1].line}`" if frames else ""
    first_line = (str(exc).splitlines() or [""])[0][:300]
    return (
        f"[{source.name}] app module failed to load on {package}{where}: "
        f"{type(exc).__name__}: {first_line}"
    )


def load_pair(source: AppSource | Path, *, subject: str = SUBJECT) -> Pair:
    """Load ``source`` on FastAPI, then on ``subject``; each load is fresh.

    Raises:
        LoadError: the subject cannot execute the module (a missing name, an exception at
            registration); the message names the line. The oracle failing is a broken app
            module, and its exception propagates as it is.
    """
    source = _as_source(source)
    oracle = load(source, ORACLE)
    try:
        loaded = load(source, subject)
    except Exception as exc:
        raise LoadError(_load_failure(source, subject, exc)) from exc
    return Pair(source.name, oracle.module, loaded.module, oracle.warnings, loaded.warnings)


# -- apps built by a function of the framework ---------------------------------------------

# One request of a list: method, path and the keyword arguments of `client.request`.
Sent = tuple[str, str, dict[str, Any]]


def on_both(build: Callable[[Any], Any], ask: Callable[[Any], Any]) -> tuple[Any, Any]:
    """What ``ask(client)`` finds on the app ``build(fw)`` makes: on Accord, then on FastAPI.

    Each framework's app gets its own framework's TestClient; an exception in the app is
    answered as a 500, not raised, so the two answers compare.
    """
    import fastapi
    import fastapi.testclient

    import accord
    import accord.testclient

    found = []
    for framework, client_class in (
        (accord, accord.testclient.TestClient),
        (fastapi, fastapi.testclient.TestClient),
    ):
        found.append(ask(client_class(build(framework), raise_server_exceptions=False)))
    return found[0], found[1]


def json_answers(requests: list[Sent]) -> Callable[[Any], list[tuple[int, Any]]]:
    """An ``ask`` for :func:`on_both`: the status and JSON body of each request, in order."""

    def ask(client: Any) -> list[tuple[int, Any]]:
        found = []
        for method, path, options in requests:
            response = client.request(method, path, **options)
            found.append((response.status_code, response.json()))
        return found

    return ask
