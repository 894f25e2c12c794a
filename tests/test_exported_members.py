"""Accord offers FastAPI's public names at FastAPI's import paths.

For every module a FastAPI application imports from, FastAPI's public names are derived
from its source (its `__all__`, else the names its top-level statements define plus the
explicit `import X as X` re-exports), and the `accord` module at the same path must offer
each of them, as the same object where FastAPI merely re-exports Starlette's or the
standard library's, and as the same kind of thing (with the same bases and parameter
names) where FastAPI defines it.

Gaps are listed explicitly below, each with its reason. The lists are checked for
staleness: an entry must name something FastAPI has, and a not-yet-built entry (module or
name) must be removed once Accord has it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
import types
import typing
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import starlette.exceptions

from accord._backports import DEPRECATED_STATUS_NAMES

# Starlette 0.48 added its own deprecation warning class; before it, plain DeprecationWarning.
StarletteDeprecationWarning: type[Warning] = getattr(
    starlette.exceptions, "StarletteDeprecationWarning", DeprecationWarning
)

FASTAPI_MODULES = [
    "fastapi",
    "fastapi.applications",
    "fastapi.routing",
    "fastapi.params",
    "fastapi.param_functions",
    "fastapi.exceptions",
    "fastapi.exception_handlers",
    "fastapi.encoders",
    "fastapi.responses",
    "fastapi.requests",
    "fastapi.background",
    "fastapi.datastructures",
    "fastapi.concurrency",
    "fastapi.testclient",
    "fastapi.middleware",
    "fastapi.middleware.asyncexitstack",
    "fastapi.middleware.cors",
    "fastapi.middleware.gzip",
    "fastapi.middleware.httpsredirect",
    "fastapi.middleware.trustedhost",
    "fastapi.middleware.wsgi",
    "fastapi.staticfiles",
    "fastapi.templating",
    "fastapi.websockets",
    "fastapi.types",
    "fastapi.status",  # an attribute of `fastapi` (Starlette's module); a real module in Accord
    "fastapi.logger",
    "fastapi.security",
    "fastapi.security.api_key",
    "fastapi.security.base",
    "fastapi.security.http",
    "fastapi.security.oauth2",
    "fastapi.security.open_id_connect_url",
    "fastapi.security.utils",
    "fastapi.openapi",
    "fastapi.openapi.constants",
    "fastapi.openapi.docs",
    "fastapi.openapi.models",
    "fastapi.openapi.utils",
    "fastapi.sse",
    "fastapi.telemetry",
]

# Modules other engineers are still building. They are not checked yet; remove a module
# from this set to start checking it (the staleness test fails once it is complete).
EXPECTED_LATER_MODULES: set[str] = set()

# Names planned but not built yet, per module.
NOT_YET_BUILT: dict[str, dict[str, str]] = {}

# FastAPI's public-by-convention names that are its per-request machinery, replaced in
# Accord by compiled route plans (accord/_compiler, accord/_runtime); FastAPI's documentation
# does not offer them. Accord need not have them (and may have same-named helpers of its own).
FASTAPI_INTERNALS: dict[str, dict[str, str]] = {
    "fastapi.routing": {
        "get_request_handler": "FastAPI's per-request closure factory",
        "get_websocket_app": "FastAPI's per-WebSocket closure factory",
        "request_response": "FastAPI's ASGI wrapper around the request handler",
        "websocket_session": "FastAPI's ASGI wrapper around the WebSocket handler",
        "run_endpoint_function": "FastAPI's per-request endpoint call",
        "serialize_response": "FastAPI's per-request response serialization",
    },
}

# Names Accord adds to a module's `__all__` beyond FastAPI's.
ACCORD_EXTRAS: dict[str, set[str]] = {
    "accord": {"Accord", "__version__"},
    "accord.applications": {"Accord"},
    "accord.exceptions": {
        "AccordError",
        "AccordDeprecationWarning",
        "AccordWarning",
        "ContentTooLargeError",
        "DeclarationWarning",
        "DependencyScopeError",
        "ResponseModelError",
    },
    # The keyword options shared by the route decorators, typed once (a TypedDict).
    "accord.routing": {"RouteOptions", "generate_unique_id"},  # FastAPI: fastapi.utils
    "accord.params": {"FieldOptions"},
}

# Callables whose parameters deliberately differ from FastAPI's: {(module, name): reason}.
_EXTRA = (
    "arbitrary extra keywords are accepted at run time (deprecated, they go to "
    "json_schema_extra); the signature spells out only the typed options"
)
SIGNATURE_GAPS: dict[tuple[str, str], str] = {
    (module, name): _EXTRA
    for module in ("accord", "accord.params", "accord.param_functions")
    for name in ("Body", "Cookie", "File", "Form", "Header", "Path", "Query")
} | {("accord.params", "Param"): _EXTRA}

# The exported surface of `import accord`, pinned: FastAPI's top-level names, `Accord`, `__version__`.
ACCORD_TOP_LEVEL = [
    "APIRouter",
    "Accord",
    "BackgroundTasks",
    "Body",
    "Cookie",
    "Depends",
    "FastAPI",
    "File",
    "Form",
    "HTTPException",
    "Header",
    "Path",
    "Query",
    "Request",
    "Response",
    "Security",
    "UploadFile",
    "WebSocket",
    "WebSocketDisconnect",
    "WebSocketException",
    "__version__",
    "status",
]

CHECKED_MODULES = [name for name in FASTAPI_MODULES if name not in EXPECTED_LATER_MODULES]


# --------------------------------------------------------------------------- helpers


@contextmanager
def quiet_imports() -> Iterator[None]:
    # Starlette warns when its WSGI middleware module is first imported.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        yield


def load(path: str) -> Any:
    """Import a module path, or fall back to an attribute of its parent (`fastapi.status`)."""
    with quiet_imports():
        try:
            return importlib.import_module(path)
        except ModuleNotFoundError as error:
            parent, _, attribute = path.rpartition(".")
            if error.name != path or not hasattr(importlib.import_module(parent), attribute):
                raise
            return getattr(sys.modules[parent], attribute)


def accord_path(fastapi_path: str) -> str:
    return "accord" + fastapi_path.removeprefix("fastapi")


def top_level_names(tree: ast.Module) -> set[str]:
    """Names bound by top-level definitions, and explicit `X as X` re-exports."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(a.name for a in node.names if a.asname == a.name)
    return {name for name in names if not name.startswith("_")}


def public_names(module: types.ModuleType) -> set[str]:
    """A module's public names: its `__all__`, else derived from its source."""
    declared = getattr(module, "__all__", None)
    if declared is not None:
        return set(declared)
    assert module.__file__ is not None
    return top_level_names(ast.parse(Path(module.__file__).read_text(encoding="utf-8")))


def fastapi_names(path: str) -> set[str]:
    return public_names(load(path))


def expected_names(path: str) -> set[str]:
    """FastAPI's names that Accord must offer at `path`."""
    gaps = set(NOT_YET_BUILT.get(path, {})) | set(FASTAPI_INTERNALS.get(path, {}))
    return fastapi_names(path) - gaps


def defined_by_fastapi(obj: Any) -> bool:
    return str(getattr(obj, "__module__", "") or "").startswith("fastapi")


def is_typing_construct(obj: Any) -> bool:
    """A type alias or type variable (a TypedDict or Protocol class is a class, not this)."""
    if inspect.isclass(obj):
        return False
    if isinstance(obj, (types.GenericAlias, types.UnionType)):
        return True
    return type(obj).__module__ in {"typing", "typing_extensions"}


# --------------------------------------------------------------------------- names present


@pytest.mark.parametrize("path", CHECKED_MODULES)
def test_module_offers_fastapis_names(path: str) -> None:
    ours = load(accord_path(path))
    missing = sorted(name for name in expected_names(path) if not hasattr(ours, name))
    assert not missing, f"{accord_path(path)} lacks FastAPI's {missing}"


@pytest.mark.parametrize("path", CHECKED_MODULES)
def test_module_all_is_fastapis_names_plus_listed_extras(path: str) -> None:
    ours = load(accord_path(path))
    declared = getattr(ours, "__all__", None)
    if declared is None and not fastapi_names(path):
        return  # a package with nothing of its own (fastapi.openapi) needs no __all__
    assert declared is not None, f"{accord_path(path)} has no __all__"
    unresolved = sorted(name for name in declared if not hasattr(ours, name))
    assert not unresolved, f"{accord_path(path)}.__all__ names what it lacks: {unresolved}"
    unlisted = set(declared) - fastapi_names(path) - ACCORD_EXTRAS.get(accord_path(path), set())
    assert not unlisted, f"{accord_path(path)} exports {sorted(unlisted)}, unknown to FastAPI"
    missing = expected_names(path) - set(declared)
    assert not missing, f"{accord_path(path)}.__all__ leaves out {sorted(missing)}"


def test_top_level_all_is_pinned() -> None:
    import accord

    assert sorted(accord.__all__) == sorted(ACCORD_TOP_LEVEL)
    assert all(hasattr(accord, name) for name in accord.__all__)


def test_top_level_status_is_accords_module() -> None:
    # In a fresh interpreter, so that no earlier `import accord.status` hides the answer:
    # `from accord import status` and `import accord.status` must give the same module.
    code = "import accord, sys; print(accord.status.__name__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "accord.status"


# --------------------------------------------------------------------------- same objects


def pairs(path: str) -> Iterator[tuple[str, Any, Any]]:
    fastapi_module, accord_module = load(path), load(accord_path(path))
    for name in sorted(expected_names(path)):
        if hasattr(accord_module, name):
            yield name, getattr(fastapi_module, name), getattr(accord_module, name)


def alias_shape(alias: Any) -> Any:
    """A type alias with each framework's own classes replaced by their names.

    `Union[Schema, bool]` in Accord has the shape of `Schema | bool` in FastAPI.
    """
    origin = typing.get_origin(alias)
    if origin is None:
        module = str(getattr(alias, "__module__", ""))
        if inspect.isclass(alias) and module.split(".")[0] in {"fastapi", "accord"}:
            return ("own class", alias.__qualname__)
        return alias
    if origin is types.UnionType:
        origin = typing.Union
    return (origin, tuple(alias_shape(arg) for arg in typing.get_args(alias)))


def is_backport_of(ours: Any, theirs: Any) -> bool:
    """A fix of an old Starlette's class that Accord serves in its place (`accord._backports`)."""
    return (
        inspect.isclass(ours)
        and inspect.isclass(theirs)
        and ours.__module__ == "accord._backports"
        and issubclass(ours, theirs)
    )


def mismatch(theirs: Any, ours: Any) -> str | None:
    """Why `ours` cannot stand in for FastAPI's `theirs`, or None when it can."""
    if isinstance(theirs, types.ModuleType):
        return None if isinstance(ours, types.ModuleType) else "not a module"
    if is_typing_construct(theirs):
        if type(theirs).__name__ in {"TypeVar", "ParamSpec"}:  # typing's or typing_extensions'
            same_kind = type(ours).__name__ == type(theirs).__name__
            return None if same_kind else "not the same kind of type variable"
        same_shape = alias_shape(ours) == alias_shape(theirs)
        return None if same_shape else f"{ours!r} is not {theirs!r}"
    if not defined_by_fastapi(theirs):
        if inspect.isclass(theirs) or inspect.isroutine(theirs):
            if ours is theirs or is_backport_of(ours, theirs):
                return None
            return "not the same object as FastAPI's re-export"
        return None if type(ours) is type(theirs) else f"not a {type(theirs).__name__}"
    if inspect.isclass(theirs):
        if not inspect.isclass(ours):
            return "not a class"
        foreign = [base for base in theirs.__mro__ if not defined_by_fastapi(base)]
        lacking = [base.__qualname__ for base in foreign if not issubclass(ours, base)]
        return f"does not subclass {lacking}" if lacking else None
    if callable(theirs):
        return None if callable(ours) else "not callable"
    return None if type(ours) is type(theirs) else f"not a {type(theirs).__name__}"


@pytest.mark.parametrize("path", CHECKED_MODULES)
def test_names_stand_for_the_same_things(path: str) -> None:
    problems = {}
    for name, theirs, ours in pairs(path):
        problem = mismatch(theirs, ours)
        if problem:
            problems[name] = problem
    assert not problems, f"{accord_path(path)}: {problems}"


def parameters(obj: Any) -> list[tuple[str, Any]]:
    """(name, kind) of each parameter; `**kwargs: Unpack[SomeTypedDict]` is spelled out."""
    try:
        signature = inspect.signature(obj, eval_str=True)
    except NameError:  # an annotation that cannot be resolved here
        signature = inspect.signature(obj)
    result = []
    for param in signature.parameters.values():
        unpacked = typing.get_args(param.annotation) if param.kind is param.VAR_KEYWORD else ()
        if unpacked and typing.is_typeddict(unpacked[0]):
            keys = typing.get_type_hints(unpacked[0])
            result += [(key, inspect.Parameter.KEYWORD_ONLY) for key in keys]
        else:
            result.append((param.name, param.kind))
    return result


def signature_gap(theirs: Any, ours: Any) -> str | None:
    """FastAPI's parameters that `ours` lacks or takes in another position or kind."""
    try:
        wanted, offered = parameters(theirs), parameters(ours)
    except (TypeError, ValueError):  # no introspectable signature on one side
        return None
    offered_kinds = dict(offered)
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    takes_any_keyword = inspect.Parameter.VAR_KEYWORD in offered_kinds.values()
    lacking = []
    for name, kind in wanted:
        if kind in variadic:  # `*args`/`**kwargs`: the name is irrelevant, the kind is not
            if kind not in offered_kinds.values():
                lacking.append(f"{'**' if kind is inspect.Parameter.VAR_KEYWORD else '*'}{name}")
        elif name not in offered_kinds and not (
            takes_any_keyword and kind is not inspect.Parameter.POSITIONAL_ONLY
        ):
            lacking.append(name)
    if lacking:
        return f"lacks parameters {lacking}"
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    wanted_order = [name for name, kind in wanted if kind in positional]
    offered_order = [name for name, kind in offered if kind in positional]
    if offered_order[: len(wanted_order)] != wanted_order:
        return f"positional order {offered_order} differs from {wanted_order}"
    return None


@pytest.mark.parametrize("path", CHECKED_MODULES)
def test_signatures_accept_fastapis_arguments(path: str) -> None:
    problems = {}
    for name, theirs, ours in pairs(path):
        is_model = inspect.isclass(theirs) and hasattr(theirs, "model_fields")
        if not defined_by_fastapi(theirs) or is_model or is_typing_construct(theirs):
            continue  # re-exports are identical; models are fields, not call signatures
        if (accord_path(path), name) in SIGNATURE_GAPS:
            continue
        if inspect.isroutine(theirs) or inspect.isclass(theirs):
            problem = signature_gap(theirs, ours)
            if problem:
                problems[name] = problem
    assert not problems, f"{accord_path(path)}: {problems}"


# --------------------------------------------------------------------------- the lists stay true


def test_gap_lists_name_real_fastapi_names() -> None:
    for listing in (NOT_YET_BUILT, FASTAPI_INTERNALS):
        for path, names in listing.items():
            assert path in FASTAPI_MODULES
            stale = set(names) - fastapi_names(path)
            assert not stale, f"FastAPI's {path} no longer has {sorted(stale)}: drop them"
    for path, name in SIGNATURE_GAPS:
        assert name in fastapi_names(path.replace("accord", "fastapi", 1)), (path, name)


def test_not_yet_built_names_are_still_missing() -> None:
    for path, names in NOT_YET_BUILT.items():
        ours = load(accord_path(path))
        built = sorted(name for name in names if hasattr(ours, name))
        assert not built, f"{built} now exist in {accord_path(path)}: drop them from NOT_YET_BUILT"


def test_expected_later_modules_are_not_complete_yet() -> None:
    for path in sorted(EXPECTED_LATER_MODULES):
        assert path in FASTAPI_MODULES
        try:
            ours = load(accord_path(path))
        except ImportError:
            continue  # not written yet: the entry is still true
        complete = all(hasattr(ours, name) for name in expected_names(path))
        assert not complete, f"{accord_path(path)} is complete: remove it from EXPECTED_LATER_MODULES"


# --------------------------------------------------------------------------- the rule itself


def test_name_rule_on_a_sample_module() -> None:
    source = (
        "import typing\n"
        "from x import helper\n"
        "from y import Thing as Thing\n"
        "import z.w as w\n"
        "CONSTANT = 1\n"
        "_private = 2\n"
        "alias: int = 3\n"
        "def func(): ...\n"
        "class Klass: ...\n"
        "try:\n    from q import Hidden as Hidden\nexcept ImportError:\n    pass\n"
    )
    assert top_level_names(ast.parse(source)) == {
        "Thing",
        "CONSTANT",
        "alias",
        "func",
        "Klass",
    }


def test_status_names_come_from_starlette() -> None:
    from accord._backports import STATUS_NAMES

    assert fastapi_names("fastapi.status") == set(STATUS_NAMES)
    assert "HTTP_404_NOT_FOUND" in fastapi_names("fastapi.status")


def test_status_deprecated_names_warn_like_starlette() -> None:
    import accord.status

    if "HTTP_422_UNPROCESSABLE_ENTITY" in DEPRECATED_STATUS_NAMES:
        with pytest.warns(StarletteDeprecationWarning, match="HTTP_422_UNPROCESSABLE_CONTENT"):
            assert accord.status.HTTP_422_UNPROCESSABLE_ENTITY == 422
    else:  # Starlette before 0.48: the old name is a plain constant, served silently
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert accord.status.HTTP_422_UNPROCESSABLE_ENTITY == 422
    with pytest.raises(AttributeError, match="accord.status"):
        accord.status.HTTP_999_NOT_A_STATUS  # noqa: B018
