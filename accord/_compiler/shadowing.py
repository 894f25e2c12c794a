"""Which earlier route, if any, matches every request a new route would match.

A router tries its routes in registration order, so a route whose every path is matched by an
earlier route with (at least) the same methods is never reached: ``/items/{item_id}`` before
``/items/me``. The index keeps the earlier routes bucketed by segment count and first literal
segment, so checking a new route costs a few comparisons, not one per route.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.convertors import CONVERTOR_TYPES
from starlette.routing import BaseRoute, Route, compile_path

__all__ = ["RouterIndex", "Shape", "covers", "shape_of"]

LITERAL, PARAM, MIXED, PATH = 0, 1, 2, 3
_PARAM = re.compile(r"^\{(\w+)(?::(\w+))?\}$")
_NAMES = re.compile(r"\{\w+")
# Which convertor's values another convertor's pattern also matches.
_WIDER = {"str": {"str", "int", "float", "uuid"}, "float": {"float", "int"}}


@dataclass(frozen=True, slots=True)
class Segment:
    """One ``/``-separated part of a path template."""

    kind: int
    text: str
    convertor: str = ""


@dataclass(frozen=True, slots=True)
class Shape:
    """A route as the shadowing check sees it."""

    route: Route
    position: int
    segments: tuple[Segment, ...]
    methods: frozenset[str] | None

    @property
    def static(self) -> bool:
        """A path without parameters."""
        return all(s.kind == LITERAL for s in self.segments)

    @property
    def open_ended(self) -> bool:
        """A path ending in a ``{name:path}`` parameter (matches any number of segments)."""
        return self.segments[-1].kind == PATH

    def bucket(self) -> tuple[int, str | None]:
        """Segment count and the first segment when it is literal."""
        first = self.segments[0]
        return len(self.segments), first.text if first.kind == LITERAL else None


def _segment(text: str) -> Segment:
    found = _PARAM.match(text)
    if found is not None:
        convertor = found.group(2) or "str"
        return Segment(PATH if convertor == "path" else PARAM, text, convertor)
    return Segment(MIXED if "{" in text else LITERAL, text)


def shape_of(route: BaseRoute, position: int) -> Shape | None:
    """The route's shape, or None for what the check does not cover (mounts, WebSockets)."""
    path = getattr(route, "path", None)
    if not isinstance(route, Route) or not isinstance(path, str) or not path.startswith("/"):
        return None
    methods = frozenset(route.methods) if route.methods else None
    segments = tuple(_segment(part) for part in path[1:].split("/"))
    if any(s.kind == PATH for s in segments[:-1]):  # `{p:path}` mid-path: not analysed
        return None
    return Shape(route, position, segments, methods)


def _segment_covers(earlier: Segment, later: Segment) -> bool:
    if earlier.kind == LITERAL:
        return later.kind == LITERAL and later.text == earlier.text
    if later.kind == PATH:
        return False
    if earlier.kind == PARAM:
        if later.kind == PARAM:
            return later.convertor in _WIDER.get(earlier.convertor, {earlier.convertor})
        if earlier.convertor == "str":
            return later.text != ""  # a literal or a mixed segment: one non-empty segment
        return later.kind == LITERAL and _fullmatch(CONVERTOR_TYPES[earlier.convertor], later.text)
    # MIXED (``{name}.json``): the same template up to parameter names, or a literal it matches.
    if later.kind == LITERAL:
        return compile_path("/" + earlier.text)[0].match("/" + later.text) is not None
    return _NAMES.sub("{", earlier.text) == _NAMES.sub("{", later.text)


def _fullmatch(convertor: Any, text: str) -> bool:
    return re.fullmatch(convertor.regex, text) is not None


def covers(earlier: Shape, later: Shape) -> bool:
    """Whether every request `later` matches is matched by `earlier` first."""
    if earlier.methods is not None and (
        later.methods is None or not later.methods <= earlier.methods
    ):
        return False
    if later.static:  # exact: ask the earlier route's own pattern
        return earlier.route.path_regex.match(later.route.path) is not None
    for i, segment in enumerate(earlier.segments):
        if segment.kind == PATH:
            return len(later.segments) > i
        if i >= len(later.segments) or not _segment_covers(segment, later.segments[i]):
            return False
    return len(later.segments) == len(earlier.segments)


@dataclass
class RouterIndex:
    """The routes of a router seen so far, for the checks made as each new route arrives."""

    count: int = 0
    last: BaseRoute | None = None
    buckets: dict[tuple[int, str | None], list[Shape]] = field(default_factory=dict)
    open_ended: list[Shape] = field(default_factory=list)
    operation_ids: dict[str, Any] = field(default_factory=dict)

    def still_prefix_of(self, routes: Sequence[BaseRoute]) -> bool:
        """Whether `routes` only grew since the index saw it (else it must start over)."""
        if len(routes) < self.count:
            return False
        return self.count == 0 or routes[self.count - 1] is self.last

    def add(self, route: BaseRoute) -> Route | None:
        """Records `route` as the router's next route; returns the earlier route shadowing it.

        The shadowing route is the first earlier route, in registration order, that matches
        every request `route` matches (None if there is none).
        """
        shape = shape_of(route, self.count)
        self.count += 1
        self.last = route
        if shape is None:
            return None
        found = [e for e in self._candidates(shape) if covers(e, shape)]
        if shape.open_ended:
            self.open_ended.append(shape)
        else:
            self.buckets.setdefault(shape.bucket(), []).append(shape)
        return min(found, key=lambda e: e.position).route if found else None

    def _candidates(self, later: Shape) -> list[Shape]:
        if later.open_ended:
            return self.open_ended
        size, first = later.bucket()
        same_first = self.buckets.get((size, first), []) if first is not None else []
        return [*same_first, *self.buckets.get((size, None), []), *self.open_ended]
