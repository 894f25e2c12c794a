"""Declaration diagnostics: declarations that work but very likely do not do what was meant.

FastAPI accepts each of these silently (or warns only when the OpenAPI document is built), so
Accord accepts them too and, by default, says nothing at registration either: a test suite run
with warnings as errors must not fail on an app that runs on FastAPI. The findings are reported
by ``accord dev`` at start-up and by ``accord check`` (:func:`collect_findings` recomputes them
for a loaded app), and become a :class:`~accord.exceptions.DeclarationWarning` at registration
with ``Accord(diagnostics="warn")``: the message names the route, the parameter and the fix,
and the warning points at the function that makes the declaration. A warning is given once per
app and function (a route copied by `include_router` does not report it again).

Route-level rules (:func:`route_findings`): a body read implicitly on GET/HEAD/DELETE, a path
parameter nothing declares, ``Path()`` on a name the path does not have, a ``None`` default on
a type that does not admit None, a response model that cannot validate what the return
annotation says, a blocking call in async code. Router-level rules (:func:`router_findings`):
a route shadowed by an earlier one, an operation id used twice.

Nothing here is kept in module globals: what warning mode has reported lives on the app, what
a router's earlier routes look like lives on the router, so both go when the app goes.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import types
import warnings
from collections.abc import Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, ForwardRef, Literal, TypeVar, Union, get_args
from typing import get_origin as typing_origin

from pydantic.fields import FieldInfo
from starlette.routing import BaseRoute, Mount, Route

from accord._compiler.blocking_calls import blocking_call_findings
from accord._compiler.calls import call_name
from accord._compiler.dependant import Dependant
from accord._compiler.findings import Finding, source_of
from accord._compiler.response_compat import response_model_findings
from accord._compiler.shadowing import RouterIndex
from accord._plan import ModelField
from accord.exceptions import AccordError, DeclarationWarning

if TYPE_CHECKING:
    from accord.routing import APIRoute, APIRouter

__all__ = [
    "DIAGNOSTICS_MODES",
    "DiagnosticsMode",
    "check_route",
    "check_router",
    "collect_findings",
    "diagnostics_enabled",
    "diagnostics_mode",
    "route_findings",
    "route_label",
    "router_findings",
]

DiagnosticsMode = Literal["off", "warn"]
DIAGNOSTICS_MODES: tuple[DiagnosticsMode, ...] = ("off", "warn")

# Methods whose requests normally carry no body: a body parameter there is usually a mistake.
_BODYLESS = frozenset({"GET", "HEAD", "DELETE"})
# `module.` qualifiers in a type's repr (`list[app.models.Item]` reads `list[Item]`).
_QUALIFIER = re.compile(r"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_])")
# Where warning mode keeps its state: on the app (what it reported) and on each router (what
# its earlier routes look like). Attributes, not module-level dicts, so nothing outlives them.
_REPORTED_ATTR = "_accord_reported_diagnostics"
_INDEX_ATTR = "_accord_diagnostics_index"

# A finding, with what makes it "the same" for the once-per-function rule of warning mode.
_Report = tuple[Finding, Hashable]


def diagnostics_mode(value: object) -> DiagnosticsMode:
    """Checks ``Accord(diagnostics=...)``: ``"off"`` (the default) or ``"warn"``.

    Raises:
        AccordError: Any other value, with the accepted ones.
    """
    if value == "off" or value == "warn":
        return "warn" if value == "warn" else "off"
    raise AccordError(
        f"Accord(diagnostics=...) must be 'off' or 'warn', got {value!r}. 'off' (the "
        "default) registers routes silently, as FastAPI does, and leaves the findings to "
        "`accord dev` and `accord check`; 'warn' also emits a DeclarationWarning for each "
        "finding when the route is registered."
    )


def route_label(route: Any, prefix: str = "") -> str:
    """``GET /items/{item_id}``: how a route is named in messages."""
    methods = getattr(route, "methods", None)
    verbs = ",".join(sorted(methods)) if methods else "*"
    return f"{verbs} {prefix}{getattr(route, 'path', '?')}"


# -- warning mode ---------------------------------------------------------------------------


def _warning_app(provider: Any) -> Any | None:
    """The app to warn for, when the route's or router's app asked for warnings."""
    return provider if getattr(provider, "diagnostics", "off") == "warn" else None


def diagnostics_enabled(provider: Any) -> bool:
    """Whether the app `provider` (a route's `dependency_overrides_provider`) warns."""
    return _warning_app(provider) is not None


def check_route(route: APIRoute) -> None:
    """Warns about the route's declaration mistakes when its app has ``diagnostics="warn"``.

    Called as the route is compiled, before any router holds it; the app comes from the
    route's `dependency_overrides_provider`. A route of a router that no app owns yet is
    reported when `include_router` creates it again under the app.
    """
    app = _warning_app(getattr(route, "dependency_overrides_provider", None))
    if app is not None:
        _emit(app, _route_reports(route, route_label(route)))


def check_router(router: APIRouter) -> None:
    """Checks the routes added to `router` since the last call against the earlier ones.

    Only when the router's app has ``diagnostics="warn"``; the index of the earlier routes is
    kept on the router itself.
    """
    app = _warning_app(getattr(router, "dependency_overrides_provider", None))
    if app is None:
        return
    routes = router.routes
    index = getattr(router, _INDEX_ATTR, None)
    if not isinstance(index, RouterIndex) or not index.still_prefix_of(routes):
        index = RouterIndex()
        setattr(router, _INDEX_ATTR, index)
    reports: list[_Report] = []
    for position in range(index.count, len(routes)):
        reports.extend(_next_route_reports(index, routes[position], ""))
    _emit(app, reports)


def _emit(app: Any, reports: Iterable[_Report]) -> None:
    reported = getattr(app, _REPORTED_ATTR, None)
    if reported is None:
        reported = set()
        # An object without a __dict__ keeps no record: it is warned every time.
        with contextlib.suppress(AttributeError, TypeError):
            setattr(app, _REPORTED_ATTR, reported)
    for finding, key in reports:
        if key in reported:
            continue
        reported.add(key)
        warnings.warn_explicit(
            finding.text, DeclarationWarning, finding.file, finding.line, module=finding.module
        )


# -- collecting: what `accord dev` and `accord check` report --------------------------------


def collect_findings(app: Any) -> list[Finding]:
    """Every finding of a loaded app (or router), in route order, whatever its mode.

    Routes of mounted apps and routers are included, their paths prefixed with the mount's.
    A function shared by several routes is reported for each route it is a mistake in.
    """
    return list(_collect(getattr(app, "routes", None) or [], ""))


def _collect(routes: Iterable[BaseRoute], prefix: str) -> Iterator[Finding]:
    index = RouterIndex()
    for route in routes:
        if isinstance(route, Mount):
            yield from _collect(route.routes, prefix + route.path)
        for finding, _ in _next_route_reports(index, route, prefix):
            yield finding
        if hasattr(route, "dependant") and isinstance(route, Route):
            for finding, _ in _route_reports(route, route_label(route, prefix)):
                yield finding


def route_findings(route: APIRoute, prefix: str = "") -> list[Finding]:
    """The route-level findings of one route (see the module docstring)."""
    return [finding for finding, _ in _route_reports(route, route_label(route, prefix))]


def router_findings(routes: Iterable[BaseRoute], prefix: str = "") -> list[Finding]:
    """The router-level findings of a router's routes, in registration order."""
    index = RouterIndex()
    return [f for route in routes for f, _ in _next_route_reports(index, route, prefix)]


def _route_reports(route: Any, label: str) -> Iterator[_Report]:
    dependants = list(_walk(route.dependant))
    if route.methods and route.methods <= _BODYLESS:
        for dependant in dependants:
            yield from _implicit_body(label, dependant)
    yield from _path_params(route, label, dependants)
    for dependant in dependants:
        for model_field in _fields(dependant):
            yield from _none_default(label, dependant, model_field)
    for finding in response_model_findings(route, label):
        yield finding, ("response-model", id(route.endpoint), finding.message)
    calls = [d.call for d in dependants if d.call is not None]
    for finding in blocking_call_findings(calls, label):
        yield finding, ("blocking", finding.file, finding.line)


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


def _finding(rule: str, label: str, owner: Any, message: str, fix: str, **extra: Any) -> Finding:
    filename, lineno = source_of(owner)
    module = getattr(owner, "__module__", None) or "accord"
    return Finding(rule, label, message, fix, filename, lineno, module=module, **extra)


# -- route-level rules ----------------------------------------------------------------------


def _implicit_body(label: str, dependant: Dependant) -> Iterator[_Report]:
    verb = label.split()[0]
    for model_field in dependant.body_params:
        if _declares_marker(dependant.call, model_field.name):
            continue
        name, type_text = model_field.name, _type_text(model_field.field_info.annotation)
        finding = _finding(
            "implicit-body",
            label,
            dependant.call,
            f"{label}: parameter {name!r} ({type_text}) of {call_name(dependant.call)!r} is "
            f"read from the request body, which {verb} requests normally do not carry "
            "(clients, proxies and caches may drop it).",
            f"if you meant query parameters, declare `{name}: Annotated[{type_text}, Query()]`;"
            f" if a body is intended, declare it explicitly: "
            f"`{name}: Annotated[{type_text}, Body()]`.",
            parameter=name,
        )
        yield finding, ("implicit-body", id(dependant.call), name, verb)


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


def _path_params(route: Any, label: str, dependants: list[Dependant]) -> Iterator[_Report]:
    in_path = set(route.param_convertors)
    declared: set[str] = set()
    for dependant in dependants:
        for model_field in dependant.path_params:
            declared.add(model_field.alias)
            if model_field.alias not in in_path:
                yield _path_not_in_path(label, dependant, model_field)
    reads_request = any(
        d.request_param_name or d.websocket_param_name or d.http_connection_param_name
        for d in dependants
    )
    if reads_request:  # it may read `request.path_params` itself
        return
    for name in sorted(in_path - declared):
        finding = _finding(
            "undeclared-path-param",
            label,
            route.endpoint,
            f"{label}: the path parameter {{{name}}} is not declared by "
            f"{call_name(route.endpoint)!r} or its dependencies, so its value is neither "
            "validated nor passed to the endpoint.",
            f"add a parameter `{name}: str` (or the type it has) to the endpoint or to a "
            "dependency; or take it out of the path.",
            parameter=name,
        )
        yield finding, ("path-undeclared", id(route.endpoint), route.path, name)


def _path_not_in_path(label: str, dependant: Dependant, model_field: ModelField) -> _Report:
    name, alias = model_field.name, model_field.alias
    named = f"{name!r}" if alias == name else f"{name!r} (alias {alias!r})"
    finding = _finding(
        "path-param-not-in-path",
        label,
        dependant.call,
        f"{label}: parameter {named} of {call_name(dependant.call)!r} is declared with "
        f"Path(), but the path has no {{{alias}}}; the parameter never gets a value, so every "
        "request fails with 422.",
        f"add {{{alias}}} to the path, or declare the parameter with Query() if it comes "
        "from the query string.",
        parameter=name,
    )
    return finding, ("path-missing", id(dependant.call), name, label)


def _none_default(label: str, dependant: Dependant, model_field: ModelField) -> Iterator[_Report]:
    info = model_field.field_info
    if info.default is not None or _admits_none(info.annotation):
        return
    name, type_text = model_field.name, _type_text(info.annotation)
    finding = _finding(
        "none-default",
        label,
        dependant.call,
        f"{label}: parameter {name!r} of {call_name(dependant.call)!r} is annotated "
        f"{type_text} but defaults to None, so it is None in code typed as {type_text} and "
        "the OpenAPI document does not say it may be missing.",
        f"annotate it `{name}: {type_text} | None = None`, or give it a default of type "
        f"{type_text}.",
        parameter=name,
    )
    yield finding, ("none-default", id(dependant.call), name)


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


# -- router-level rules ---------------------------------------------------------------------


def _next_route_reports(index: RouterIndex, route: BaseRoute, prefix: str) -> Iterator[_Report]:
    """Records `route` as the index's next route; reports it against the earlier ones."""
    earlier = index.add(route)
    if not isinstance(route, Route):
        return
    if earlier is not None:
        yield _shadowed(route, earlier, prefix)
    yield from _operation_id(index, route, prefix)


def _shadowed(route: Route, earlier: Route, prefix: str) -> _Report:
    later_label, earlier_label = route_label(route, prefix), route_label(earlier, prefix)
    finding = _finding(
        "shadowed-route",
        later_label,
        route.endpoint,
        f"{later_label} ({call_name(route.endpoint)!r}) is unreachable: the earlier route "
        f"{earlier_label} ({call_name(earlier.endpoint)!r}) matches every request it would "
        "match, and routes are tried in the order they are registered.",
        f"register {later_label} before {earlier_label} (define it earlier, or include its "
        "router first), or change one of the paths.",
    )
    return finding, ("shadowed", id(route.endpoint), id(earlier.endpoint))


def _operation_id(index: RouterIndex, route: Route, prefix: str) -> Iterator[_Report]:
    unique_id = getattr(route, "unique_id", None)
    if unique_id is None or not getattr(route, "include_in_schema", False):
        return
    operation_id = getattr(route, "operation_id", None) or unique_id
    first = index.operation_ids.setdefault(operation_id, route)
    if first is route:
        return
    label = route_label(route, prefix)
    finding = _finding(
        "duplicate-operation-id",
        label,
        route.endpoint,
        f"{label} ({call_name(route.endpoint)!r}) has the operation id {operation_id!r}, "
        f"already used by {route_label(first, prefix)} ({call_name(first.endpoint)!r}); "
        "operation ids must be unique in the OpenAPI document (client generators name "
        "functions after them).",
        "pass a different operation_id=..., or adjust generate_unique_id_function.",
    )
    yield finding, ("operation-id", operation_id, id(first.endpoint), id(route.endpoint))
