"""Start-up diagnostics: declarations that work but very likely do not do what was meant.

FastAPI accepts each of these silently (or warns only when the OpenAPI document is built), so
Accord accepts them too and emits a :class:`~accord.exceptions.DeclarationWarning` when the
route is registered: the message names the route, the parameter and the fix, and the warning
points at the function that declares the parameter. Each is reported once per function (a
route copied by `include_router` does not report it again).

Route-level checks (:func:`check_route`): a body read implicitly on GET/HEAD/DELETE, a path
parameter nothing declares, ``Path()`` on a name the path does not have, a ``None`` default on
a type that does not admit None. Router-level checks (:func:`check_router`, on each new route):
a route shadowed by an earlier one, an operation id used twice.
"""

from __future__ import annotations

import inspect
import re
import types
import warnings
import weakref
from collections.abc import Hashable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, ForwardRef, Literal, TypeVar, Union, get_args
from typing import get_origin as typing_origin
from weakref import WeakKeyDictionary

from pydantic.fields import FieldInfo
from starlette.routing import Route

from accord._compiler.calls import call_name
from accord._compiler.dependant import Dependant
from accord._compiler.shadowing import RouterIndex
from accord._plan import ModelField
from accord.exceptions import DeclarationWarning

if TYPE_CHECKING:
    from accord.routing import APIRoute, APIRouter

__all__ = ["check_route", "check_router", "route_label"]

# Methods whose requests normally carry no body: a body parameter there is usually a mistake.
_BODYLESS = frozenset({"GET", "HEAD", "DELETE"})
# `module.` qualifiers in a type's repr (`list[app.models.Item]` reads `list[Item]`).
_QUALIFIER = re.compile(r"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_])")
# Functions (weakly held) -> the diagnostics already reported for them.
_reported: WeakKeyDictionary[Any, set[Hashable]] = WeakKeyDictionary()
# id(router) -> (a weak reference to it, what its earlier routes look like). Keyed by id
# because routers compare by value (Starlette defines `__eq__`), so they are not hashable.
_indexes: dict[int, tuple[weakref.ref[Any], RouterIndex]] = {}


def route_label(route: Any) -> str:
    """``GET /items/{item_id}``: how a route is named in messages."""
    methods = getattr(route, "methods", None)
    verbs = ",".join(sorted(methods)) if methods else "*"
    return f"{verbs} {getattr(route, 'path', '?')}"


# -- reporting ------------------------------------------------------------------------------


def _first_time(owner: Any, key: Hashable) -> bool:
    try:
        seen = _reported.setdefault(owner, set())
    except TypeError:  # not weak-referenceable: report every time rather than keep it alive
        return True
    if key in seen:
        return False
    seen.add(key)
    return True


def _warn(message: str, owner: Any, key: Hashable) -> None:
    """Emits `message` once per (`owner`, `key`), located at `owner`'s definition."""
    if not _first_time(owner, key):
        return
    filename, lineno = _source_of(owner)
    module = getattr(owner, "__module__", None) or "accord"
    warnings.warn_explicit(message, DeclarationWarning, filename, lineno, module=module)


def _source_of(call: Any) -> tuple[str, int]:
    target = inspect.unwrap(call) if callable(call) else call
    target = getattr(target, "func", target) if isinstance(target, partial) else target
    if isinstance(target, type):
        target = getattr(target, "__init__", target)
    code = getattr(target, "__code__", None)
    if code is None and callable(target):  # a callable instance: its class's method has it
        code = getattr(type(target).__call__, "__code__", None)
    if code is None:
        return "<unknown>", 0
    return code.co_filename, code.co_firstlineno


# -- route-level checks ---------------------------------------------------------------------


def check_route(route: APIRoute) -> None:
    """Warns about the route's declaration mistakes (see the module docstring)."""
    label = route_label(route)
    dependants = list(_walk(route.dependant))
    if route.methods and route.methods <= _BODYLESS:
        for dependant in dependants:
            _check_implicit_body(label, dependant)
    _check_path_params(route, label, dependants)
    for dependant in dependants:
        for model_field in _fields(dependant):
            _check_none_default(label, dependant, model_field)


def _walk(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _walk(sub)


def _fields(dependant: Dependant) -> Iterator[ModelField]:
    yield from dependant.path_params
    yield from dependant.query_params
    yield from dependant.header_params
    yield from dependant.cookie_params
    yield from dependant.body_params


def _check_implicit_body(label: str, dependant: Dependant) -> None:
    for model_field in dependant.body_params:
        if _declares_marker(dependant.call, model_field.name):
            continue
        name, type_text = model_field.name, _type_text(model_field.field_info.annotation)
        _warn(
            f"{label}: parameter {name!r} ({type_text}) of {call_name(dependant.call)!r} is "
            f"read from the request body, which {label.split()[0]} requests normally do not "
            "carry (clients, proxies and caches may drop it). Fix: if you meant query "
            f"parameters, declare `{name}: Annotated[{type_text}, Query()]`; if a body is "
            f"intended, declare it explicitly: `{name}: Annotated[{type_text}, Body()]`.",
            dependant.call,
            ("implicit-body", name, label.split()[0]),
        )


def _declares_marker(call: Any, name: str) -> bool:
    """Whether parameter `name` of `call` carries an explicit marker (`Body()`, `Query()`...)."""
    try:
        parameter = inspect.signature(call, eval_str=True).parameters.get(name)
    except Exception:  # an annotation that does not evaluate: do not guess, stay silent
        return True
    if parameter is None or isinstance(parameter.default, FieldInfo):
        return True
    annotation = parameter.annotation
    return typing_origin(annotation) is Annotated and any(
        isinstance(extra, FieldInfo) for extra in get_args(annotation)[1:]
    )


def _check_path_params(route: APIRoute, label: str, dependants: list[Dependant]) -> None:
    in_path = set(route.param_convertors)
    declared: set[str] = set()
    for dependant in dependants:
        for model_field in dependant.path_params:
            alias = model_field.alias
            declared.add(alias)
            if alias not in in_path:
                _warn_path_not_in_path(label, dependant, model_field)
    reads_request = any(
        d.request_param_name or d.websocket_param_name or d.http_connection_param_name
        for d in dependants
    )
    if reads_request:  # it may read `request.path_params` itself
        return
    for name in sorted(in_path - declared):
        _warn(
            f"{label}: the path parameter {{{name}}} is not declared by "
            f"{call_name(route.endpoint)!r} or its dependencies, so its value is neither "
            f"validated nor passed to the endpoint. Fix: add a parameter `{name}: str` (or "
            "the type it has) to the endpoint or to a dependency; or take it out of the path.",
            route.endpoint,
            ("path-undeclared", route.path, name),
        )


def _warn_path_not_in_path(label: str, dependant: Dependant, model_field: ModelField) -> None:
    name, alias = model_field.name, model_field.alias
    named = f"{name!r}" if alias == name else f"{name!r} (alias {alias!r})"
    _warn(
        f"{label}: parameter {named} of {call_name(dependant.call)!r} is declared with "
        f"Path(), but the path has no {{{alias}}}; the parameter never gets a value, so every "
        f"request fails with 422. Fix: add {{{alias}}} to the path, or declare the "
        "parameter with Query() if it comes from the query string.",
        dependant.call,
        ("path-missing", name, label),
    )


def _check_none_default(label: str, dependant: Dependant, model_field: ModelField) -> None:
    info = model_field.field_info
    if info.default is not None or _admits_none(info.annotation):
        return
    name, type_text = model_field.name, _type_text(info.annotation)
    _warn(
        f"{label}: parameter {name!r} of {call_name(dependant.call)!r} is annotated "
        f"{type_text} but defaults to None, so it is None in code typed as {type_text} and "
        f"the OpenAPI document does not say it may be missing. Fix: annotate it "
        f"`{name}: {type_text} | None = None`, or give it a default of type {type_text}.",
        dependant.call,
        ("none-default", name),
    )


def _admits_none(annotation: Any) -> bool:
    """Whether None is a value of `annotation` (unknown kinds count as yes: stay silent)."""
    if annotation in (Any, object, None, type(None)):
        return True
    origin = typing_origin(annotation)
    if origin is Annotated:
        return _admits_none(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return any(_admits_none(arg) for arg in get_args(annotation))
    if origin is Literal:
        return None in get_args(annotation)
    if isinstance(annotation, (TypeVar, ForwardRef, str)):
        return True
    if hasattr(annotation, "__supertype__"):  # NewType
        return _admits_none(annotation.__supertype__)
    if type(annotation).__name__ == "TypeAliasType":
        return _admits_none(annotation.__value__)
    return False


def _type_text(annotation: Any) -> str:
    """How the type reads in source: ``Filters``, ``list[str]``, ``UserId``."""
    if (isinstance(annotation, type) and not get_args(annotation)) or hasattr(
        annotation, "__supertype__"
    ):
        return str(annotation.__name__)
    text = repr(annotation)
    return text if "'" in text else _QUALIFIER.sub("", text)


# -- router-level checks --------------------------------------------------------------------


def check_router(router: APIRouter) -> None:
    """Checks the routes added to `router` since the last call against the earlier ones."""
    routes = router.routes
    index = _index_of(router)
    if not index.still_prefix_of(routes):
        index = _index_of(router, fresh=True)
    for position in range(index.count, len(routes)):
        route = routes[position]
        earlier = index.add(route)
        if isinstance(route, Route):
            if earlier is not None:
                _warn_shadowed(route, earlier)
            _check_operation_id(index, route)


def _index_of(router: APIRouter, *, fresh: bool = False) -> RouterIndex:
    key = id(router)
    known = _indexes.get(key)
    if known is not None and known[0]() is router and not fresh:
        return known[1]
    index = RouterIndex()
    _indexes[key] = (weakref.ref(router, lambda _: _indexes.pop(key, None)), index)
    return index


def _warn_shadowed(route: Route, earlier: Route) -> None:
    later_label, earlier_label = route_label(route), route_label(earlier)
    _warn(
        f"{later_label} ({call_name(route.endpoint)!r}) is unreachable: the earlier route "
        f"{earlier_label} ({call_name(earlier.endpoint)!r}) matches every request it would "
        "match, and routes are tried in the order they are registered. Fix: register "
        f"{later_label} before {earlier_label} (define it earlier, or include its router "
        "first), or change one of the paths.",
        route.endpoint,
        ("shadowed", id(earlier.endpoint)),
    )


def _check_operation_id(index: RouterIndex, route: Route) -> None:
    unique_id = getattr(route, "unique_id", None)
    if unique_id is None or not getattr(route, "include_in_schema", False):
        return
    operation_id = getattr(route, "operation_id", None) or unique_id
    first = index.operation_ids.setdefault(operation_id, route)
    if first is route:
        return
    _warn(
        f"{route_label(route)} ({call_name(route.endpoint)!r}) has the operation id "
        f"{operation_id!r}, already used by {route_label(first)} "
        f"({call_name(first.endpoint)!r}); operation ids must be unique in the OpenAPI "
        "document (client generators name functions after them). Fix: pass a different "
        "operation_id=..., or adjust generate_unique_id_function.",
        route.endpoint,
        ("operation-id", operation_id, id(first.endpoint)),
    )
