"""The route listing of ``accord routes``: one row per route, mount and WebSocket route."""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from rich.table import Table
from rich.text import Text
from starlette.routing import BaseRoute, Host, Mount, Route, WebSocketRoute

__all__ = ["RouteRow", "format_type", "route_rows", "routes_table"]

_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT")
_METHOD_STYLES = {"GET": "green", "POST": "yellow", "PUT": "blue", "PATCH": "cyan", "DELETE": "red"}


@dataclass(frozen=True)
class RouteRow:
    """One line of the listing.

    Attributes:
        methods: HTTP methods, comma-separated; ``WS`` for a WebSocket route, ``MOUNT`` for a
            mounted app, ``ANY`` for a route that accepts every method.
        path: The full path, prefixes of enclosing mounts included.
        name: The route's name (what ``url_path_for`` takes).
        endpoint: The dotted name of the endpoint, or the type of a mounted app.
        response_model: The response model, as written in Python; empty when there is none.
        dependencies: The dependencies the route declares (route and router level first, then
            the endpoint's parameters), comma-separated.
        hidden: An HTTP route left out of the OpenAPI document (``include_in_schema=False``).
    """

    methods: str
    path: str
    name: str
    endpoint: str
    response_model: str = ""
    dependencies: str = ""
    hidden: bool = False


def route_rows(routes: Iterable[BaseRoute], prefix: str = "") -> list[RouteRow]:
    """List ``routes`` in matching order, descending into mounted apps that have routes.

    Args:
        routes: The app's routes (``app.routes``).
        prefix: The path of the enclosing mount.
    """
    rows: list[RouteRow] = []
    for route in routes:
        if isinstance(route, Route):
            rows.append(_http_row(route, prefix))
        elif isinstance(route, WebSocketRoute):
            rows.append(_websocket_row(route, prefix))
        elif isinstance(route, Mount):
            rows.extend(_mount_rows(route, prefix))
        elif isinstance(route, Host):
            rows.extend(route_rows(route.routes, route.host + prefix))
        else:
            rows.append(RouteRow("?", prefix, "", _dotted(type(route))))
    return rows


def _http_row(route: Route, prefix: str) -> RouteRow:
    return RouteRow(
        methods=_methods(route.methods),
        path=prefix + route.path,
        name=route.name,
        endpoint=_dotted(route.endpoint),
        response_model=format_type(getattr(route, "response_model", None)),
        dependencies=", ".join(_dependency_names(route)),
        hidden=not getattr(route, "include_in_schema", True),
    )


def _websocket_row(route: WebSocketRoute, prefix: str) -> RouteRow:
    return RouteRow(
        methods="WS",
        path=prefix + route.path,
        name=route.name,
        endpoint=_dotted(route.endpoint),
        dependencies=", ".join(_dependency_names(route)),
    )


def _mount_rows(mount: Mount, prefix: str) -> list[RouteRow]:
    if mount.routes:
        return route_rows(mount.routes, prefix + mount.path)
    # An app without routes (StaticFiles, a WSGI app...) is listed as one opaque entry.
    return [RouteRow("MOUNT", prefix + mount.path, mount.name or "", _dotted(type(mount.app)))]


def _methods(methods: Iterable[str] | None) -> str:
    if methods is None:
        return "ANY"

    def rank(method: str) -> tuple[int, str]:
        known = method in _METHOD_ORDER
        return (_METHOD_ORDER.index(method) if known else len(_METHOD_ORDER), method)

    return ", ".join(sorted(methods, key=rank))


def _dependency_names(route: Route | WebSocketRoute) -> list[str]:
    declared = [_target(marker, None) for marker in getattr(route, "dependencies", ())]
    declared += _parameter_dependencies(route.endpoint)
    return [_dotted(target) for target in declared]


def _parameter_dependencies(endpoint: Callable[..., Any]) -> list[object]:
    """The callables behind ``Depends(...)`` in the endpoint's own parameters."""
    try:
        signature = inspect.signature(endpoint, eval_str=True)
    except (NameError, TypeError, ValueError):
        # Unresolvable string annotations: the defaults (`x = Depends(f)`) still tell.
        try:
            signature = inspect.signature(endpoint)
        except (TypeError, ValueError):
            return []
    targets: list[object] = []
    for parameter in signature.parameters.values():
        annotation = parameter.annotation
        markers = [parameter.default]
        if typing.get_origin(annotation) is Annotated:
            markers += list(annotation.__metadata__)
            annotation = typing.get_args(annotation)[0]
        found = [marker for marker in markers if _is_depends(marker)]
        if found:
            targets.append(_target(found[-1], annotation))
    return targets


def _is_depends(marker: object) -> bool:
    # Duck-typed: Depends and Security markers both carry these two attributes.
    return hasattr(marker, "dependency") and hasattr(marker, "use_cache")


def _target(marker: object, annotation: object) -> object:
    """What a ``Depends`` marker calls: its callable, or the annotated class for ``Depends()``."""
    dependency = getattr(marker, "dependency", None)
    return dependency if dependency is not None else annotation


def _dotted(obj: object) -> str:
    if isinstance(obj, str):  # an annotation left unevaluated
        return obj
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if qualname is None:
        return _dotted(type(obj)) if not isinstance(obj, type) else repr(obj)
    return f"{module}.{qualname}" if module else str(qualname)


def format_type(annotation: object) -> str:
    """Write a type the way it reads in source: ``list[Item]``, ``Item | None``.

    Args:
        annotation: A class, a generic alias, a union, ``Annotated[...]``, or ``None`` (no
            model: an empty string).
    """
    if annotation is None:
        return ""
    if annotation is type(None):
        return "None"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return format_type(args[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(format_type(arg) for arg in args)
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(arg) for arg in args)}]"
    if origin is not None:
        return f"{format_type(origin)}[{', '.join(format_type(arg) for arg in args)}]"
    if isinstance(annotation, type):
        return annotation.__qualname__
    return str(annotation).replace("typing.", "")


def routes_table(rows: Sequence[RouteRow], title: str) -> Table:
    """Lay ``rows`` out as a rich table; routes left out of the OpenAPI document are dimmed."""
    table = Table(title=title, title_justify="left", caption=_caption(rows), caption_justify="left")
    table.add_column("Methods", no_wrap=True)
    table.add_column("Path", no_wrap=True, style="bold")
    for header in ("Name", "Endpoint", "Response model", "Dependencies"):
        table.add_column(header, overflow="fold")
    for row in rows:
        style = _METHOD_STYLES.get(row.methods.split(",")[0], "magenta")
        # Text, not markup: `list[Item]` must not be read as a rich style tag.
        cells = (row.path, row.name, row.endpoint, row.response_model, row.dependencies)
        table.add_row(
            Text(row.methods, style=style),
            *(Text(cell) for cell in cells),
            style="dim" if row.hidden else None,
        )
    return table


def _caption(rows: Sequence[RouteRow]) -> str:
    hidden = sum(row.hidden for row in rows)
    note = f"; {hidden} not in the OpenAPI document (dimmed)" if hidden else ""
    return f"{len(rows)} routes{note}"
