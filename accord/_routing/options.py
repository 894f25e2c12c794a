"""`RouterOptions`: the settings a router gives its routes, merged by one rule.

The app's router, every `APIRouter`, every `include_router` call and every route carry the same
set of options; "the nearest setting wins" is `inherit`, written once: lists (tags,
dependencies, callbacks) are the outer ones then the inner ones, responses are merged with the
inner winning, `deprecated` is either's, `include_in_schema` both's, and every option whose
default is a `DefaultPlaceholder` takes the inner value unless the inner one was never set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse
from starlette.routing import BaseRoute

from accord import params
from accord.datastructures import Default, DefaultPlaceholder
from accord.exceptions import AccordError
from accord.limits import DEFAULT_MAX_BODY_SIZE

if TYPE_CHECKING:
    from accord.routing import APIRoute

__all__ = [
    "OPTION_NAMES",
    "RouterOptions", "check_prefix", "generate_unique_id", "get_value_or_default"]


def generate_unique_id(route: APIRoute) -> str:
    """FastAPI's operation id: name, path and first method, non-word characters as ``_``."""
    operation_id = re.sub(r"\W", "_", f"{route.name}{route.path_format}")
    return f"{operation_id}_{next(iter(route.methods)).lower()}"


def get_value_or_default(first: Any, *others: Any) -> Any:
    """The first value that is not a `DefaultPlaceholder`, else the first placeholder."""
    for item in (first, *others):
        if not isinstance(item, DefaultPlaceholder):
            return item
    return first


def check_prefix(prefix: str) -> None:
    """A router or include prefix starts with ``/`` and does not end with one."""
    if not prefix:
        return
    if not prefix.startswith("/"):
        raise AccordError(f"A path prefix must start with '/' (got {prefix!r})")
    if prefix.endswith("/"):
        raise AccordError(
            "A path prefix must not end with '/', as the routes will start with '/' "
            f"(got {prefix!r})"
        )


_PLACEHOLDERS = (
    "response_class",
    "generate_unique_id_function",
    "strict_content_type",
    "error_format",
    "max_body_size",
    "form_limits",
)


@dataclass(frozen=True)
class RouterOptions:
    """The options a router, an include or a route sets for the routes under it."""

    tags: list[str | Enum] = field(default_factory=list)
    dependencies: list[params.Depends] = field(default_factory=list)
    responses: dict[int | str, dict[str, Any]] = field(default_factory=dict)
    callbacks: list[BaseRoute] = field(default_factory=list)
    deprecated: bool | None = None
    include_in_schema: bool = True
    response_class: Any = field(default_factory=lambda: Default(JSONResponse))
    generate_unique_id_function: Callable[[Any], str] | DefaultPlaceholder = field(
        default_factory=lambda: Default(generate_unique_id)
    )
    strict_content_type: Any = field(default_factory=lambda: Default(True))
    error_format: Any = field(default_factory=lambda: Default("fastapi"))
    max_body_size: Any = field(default_factory=lambda: Default(DEFAULT_MAX_BODY_SIZE))
    form_limits: Any = field(default_factory=lambda: Default(None))

    @classmethod
    def build(cls, **given: Any) -> RouterOptions:
        """Options from keyword arguments as the public signatures take them (None: unset)."""
        values = dict(given)
        # For the collections `None` means "none given"; for the others it is a value (a
        # `max_body_size` of None lifts the limit).
        for name in ("tags", "dependencies", "callbacks"):
            if name in values:
                values[name] = list(values[name] or [])
        if "responses" in values:
            values["responses"] = dict(values["responses"] or {})
        if "default_response_class" in values:
            values["response_class"] = values.pop("default_response_class")
        if values.get("include_in_schema") is None:
            values.pop("include_in_schema", None)
        return cls(**values)

    @classmethod
    def of(cls, holder: Any) -> RouterOptions:
        """The options a router (or route) holds now, read from its attributes."""
        values = {f.name: getattr(holder, f.name) for f in fields(cls) if hasattr(holder, f.name)}
        if hasattr(holder, "default_response_class"):
            values["response_class"] = holder.default_response_class
        return cls.build(**values)

    def inherit(self, outer: RouterOptions) -> RouterOptions:
        """These options under `outer`'s: the nearest setting wins."""
        merged: dict[str, Any] = {
            "tags": [*outer.tags, *self.tags],
            "dependencies": [*outer.dependencies, *self.dependencies],
            "responses": {**outer.responses, **self.responses},
            "callbacks": [*outer.callbacks, *self.callbacks],
            "deprecated": self.deprecated or outer.deprecated,
            "include_in_schema": self.include_in_schema and outer.include_in_schema,
        }
        for name in _PLACEHOLDERS:
            merged[name] = get_value_or_default(getattr(self, name), getattr(outer, name))
        return RouterOptions(**merged)

    def router_kwargs(self) -> dict[str, Any]:
        """The options as `APIRouter(...)` keyword arguments."""
        kwargs = {f.name: getattr(self, f.name) for f in fields(self)}
        kwargs["default_response_class"] = kwargs.pop("response_class")
        return kwargs

    def route_kwargs(self) -> dict[str, Any]:
        """The options as `add_api_route(...)` keyword arguments."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


OPTION_NAMES = frozenset(f.name for f in fields(RouterOptions))
"""The route options that a router's own settings merge with."""
