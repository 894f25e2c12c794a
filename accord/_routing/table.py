"""The compiled route table and the matcher: path -> candidate routes, so lookup cost does not
grow with routes.

Exact (parameter-free) paths are a dict lookup. Other requests only try the routes whose first
path segment is the request's, plus those that start with a parameter or are mounts/hosts. The
order of candidates is registration order, so the first match wins exactly as in Starlette.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from starlette._utils import get_route_path
from starlette.convertors import StringConvertor
from starlette.datastructures import URL
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Host, Match, Mount, Route, WebSocketRoute
from starlette.types import Receive, Scope, Send

from accord._routing.frontend import serve_frontend
from accord.telemetry._config import SCOPE_KEY

__all__ = ["Entry", "EntryKind", "RouteTable", "dispatch", "handlers_changed"]


class EntryKind(IntEnum):
    """How the matcher treats a route: its own HTTP or WebSocket match, or Starlette's."""

    HTTP = 0
    WEBSOCKET = 1
    GENERIC = 2


HTTP, WEBSOCKET, GENERIC = EntryKind.HTTP, EntryKind.WEBSOCKET, EntryKind.GENERIC


@dataclass(frozen=True, slots=True)
class Entry:
    """One route as the table sees it."""

    route: BaseRoute
    kind: EntryKind
    regex: re.Pattern[str] | None
    convertors: dict[str, Any] | None
    methods: frozenset[str] | None
    handler: Any
    endpoint: Any
    scope_route: Any = None


def _entry(route: BaseRoute) -> Entry:
    if isinstance(route, Route) and _standard_matches(route):
        converts = {k: c for k, c in route.param_convertors.items() if not _is_string(c)}
        # An API route's `app` is its runner (or the runner wrapped in its routers' scopes, or a
        # custom handler): the table checked the method already, so no `handle` frame.
        handler = route.app if _is_api_route(route) else route.handle
        return Entry(
            route,
            HTTP,
            route.path_regex,
            converts or None,
            frozenset(route.methods) if route.methods else None,
            handler,
            route.endpoint,
            getattr(route, "origin", route),
        )
    if isinstance(route, WebSocketRoute) or hasattr(route, "websocket_runner"):
        regex = getattr(route, "path_regex", None)
        endpoint = getattr(route, "endpoint", None)
        return Entry(route, WEBSOCKET, regex, None, None, route.handle, endpoint)
    origin = getattr(route, "origin", route)
    return Entry(route, GENERIC, None, None, None, route.handle, None, origin)


def _standard_matches(route: Route) -> bool:
    """Whether the route matches as Starlette's `Route` or Accord's own route classes do.

    A route class that overrides `matches` (routing on a header, on what a middleware put in
    the scope) is asked, as Starlette's router asks it; the table's regex stands in only for
    the `matches` of Starlette and of Accord.
    """
    owner = next(cls for cls in type(route).__mro__ if "matches" in vars(cls))
    return owner is Route or owner.__module__.startswith("accord.")


def _is_api_route(route: BaseRoute) -> bool:
    return hasattr(route, "route_plan") and isinstance(route, Route)


def _is_string(convertor: Any) -> bool:
    return type(convertor) is StringConvertor


def _first_segment(route: BaseRoute) -> str | None:
    """The literal first path segment of `route`, or None when it may match any."""
    if isinstance(route, Host):
        return None
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return None
    segment = path.lstrip("/").split("/", 1)[0]
    if "{" in segment or (isinstance(route, Mount) and segment == ""):
        return None
    return segment


class _Handlers:
    """How many times a route's `app` was set: a table built before the last one is stale."""

    generation = 0


def handlers_changed() -> None:
    """A route's `app` was set (at registration, or by an extension rebuilding its handler)."""
    _Handlers.generation += 1


class RouteTable:
    """Candidates per exact path and per first segment, built from a router's route list.

    A segment's entries (and the index of its static paths) are built when a request first
    asks for that segment: building an entry compiles its route's path regex, and an app of a
    thousand routes need not compile them all before its first answer.
    """

    __slots__ = (
        "_anywhere",
        "any_segment",
        "by_segment",
        "generation",
        "pending",
        "size",
        "static",
    )

    def __init__(self, routes: list[BaseRoute]) -> None:
        self.size = len(routes)
        self.generation = _Handlers.generation
        segments = [(route, _first_segment(route)) for route in routes]
        # Each route with its position, so that a segment's candidates keep registration order.
        self.pending: dict[str, list[tuple[int, BaseRoute]]] = {}
        anywhere: list[tuple[int, Entry]] = []
        for position, (route, segment) in enumerate(segments):
            if segment is None:
                anywhere.append((position, _entry(route)))
            else:
                self.pending.setdefault(segment, []).append((position, route))
        self.any_segment = [entry for _, entry in anywhere]
        self._anywhere = anywhere
        self.by_segment: dict[str, list[Entry]] = {}
        self.static: dict[str, list[Entry]] = {}

    def candidates(self, path: str) -> list[Entry]:
        """The entries to try, in order, for `path`."""
        found = self.static.get(path)
        if found is not None:
            return found
        segment = path[1:].split("/", 1)[0] if path.startswith("/") else path
        entries = self.by_segment.get(segment)
        if entries is not None:
            return entries
        if segment not in self.pending:
            return self.any_segment
        self._build(segment)
        found = self.static.get(path)
        return found if found is not None else self.by_segment[segment]

    def _build(self, segment: str) -> None:
        own = [(position, _entry(route)) for position, route in self.pending.pop(segment)]
        merged = sorted([*own, *self._anywhere], key=lambda pair: pair[0])
        entries = self.by_segment[segment] = [entry for _, entry in merged]
        for _, entry in own:
            route = entry.route
            if entry.kind == HTTP and isinstance(route, Route) and not route.param_convertors:
                path = route.path_format
                if path not in self.static:
                    # Only the entries of its first segment can match it: trying all of them
                    # made the table quadratic in the number of routes.
                    self.static[path] = [e for e in entries if _may_match(e, path)]

    def build_all(self) -> None:
        """Builds every segment now (what a lookup would build on demand)."""
        for segment in list(self.pending):
            self._build(segment)


def _may_match(entry: Entry, path: str) -> bool:
    if entry.kind == GENERIC or entry.regex is None:
        return True
    return entry.regex.match(path) is not None


async def dispatch(router: Any, scope: Scope, receive: Receive, send: Send) -> None:
    """`APIRouter.app`: finds the route for `scope` in the router's table and runs it."""
    if "router" not in scope:
        scope["router"] = router
    kind = scope["type"]
    if kind == "lifespan":
        await router.lifespan(scope, receive, send)
        return
    table = router._table
    stale = table is None or table.generation != _Handlers.generation
    if stale or table.size != len(router.routes):
        table = router._table = RouteTable(router.routes)
    path = get_route_path(scope)
    wanted = HTTP if kind == "http" else WEBSOCKET
    partial: tuple[BaseRoute, Scope] | None = None
    for entry in table.candidates(path):
        if entry.kind == wanted:
            match = entry.regex.match(path) if entry.regex is not None else None
            if match is None:
                continue
            path_params = match.groupdict()
            if entry.convertors:
                for key, convertor in entry.convertors.items():
                    path_params[key] = convertor.convert(path_params[key])
            inherited = scope.get("path_params")
            if inherited:
                path_params = {**inherited, **path_params}
            if entry.methods is not None and scope["method"] not in entry.methods:
                if partial is None:
                    child = {"endpoint": entry.endpoint, "path_params": path_params}
                    partial = (entry.route, child)
                continue
            scope["route"] = entry.scope_route
            scope["endpoint"] = entry.endpoint
            scope["path_params"] = path_params
            telemetry = scope.get(SCOPE_KEY)
            if telemetry is not None:  # a traced request: its span gets the route template
                telemetry.route_selected(getattr(entry.route, "path_format", None))
            await entry.handler(scope, receive, send)
            return
        if entry.kind != GENERIC:
            continue
        found, child_scope = entry.route.matches(scope)
        if found is Match.FULL:
            scope["route"] = entry.scope_route
            scope.update(child_scope)
            _selected(scope, entry.route)
            await entry.route.handle(scope, receive, send)
            return
        if found is Match.PARTIAL and partial is None:
            partial = (entry.route, child_scope)
    if partial is not None:
        scope["route"] = partial[0]
        scope.update(partial[1])
        _selected(scope, partial[0])
        await partial[0].handle(scope, receive, send)
        return
    await _not_found(router, scope, receive, send, path)


def _selected(scope: Scope, route: BaseRoute, mount: bool | None = None) -> None:
    telemetry = scope.get(SCOPE_KEY)
    if telemetry is not None:
        is_mount = isinstance(route, Mount) if mount is None else mount
        telemetry.route_selected(getattr(route, "path_format", None), is_mount)


async def _not_found(router: Any, scope: Scope, receive: Receive, send: Send, path: str) -> None:
    if scope["type"] == "http" and router.redirect_slashes and path != "/":
        redirect_scope = dict(scope)
        if path.endswith("/"):
            redirect_scope["path"] = redirect_scope["path"].rstrip("/")
        else:
            redirect_scope["path"] = redirect_scope["path"] + "/"
        for route in router.routes:
            found, _ = route.matches(redirect_scope)
            if found is not Match.NONE:
                _selected(scope, route, mount=False)
                response = RedirectResponse(url=str(URL(scope=redirect_scope)))
                await response(scope, receive, send)
                return
    frontends = getattr(router, "_frontends", None)
    if frontends and await serve_frontend(frontends, scope, receive, send):
        return
    await router.default(scope, receive, send)
