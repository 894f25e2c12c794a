"""A route's path template, its regex compiled when the route is first matched.

Compiling the regexes of a thousand paths is a fifth of registering a thousand routes, and an
app serves only some of its routes soon after start-up (a router's own routes are never matched
once it is included). The path's format and convertors are found at registration, so that a
mistake in it (an unknown convertor, a parameter named twice) still fails there, with
Starlette's own message.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.convertors import CONVERTOR_TYPES, Convertor
from starlette.routing import compile_path

__all__ = ["LazyPathRegex", "parse_path"]

_PARAMETER = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-zA-Z_][a-zA-Z0-9_]*)?}")


def parse_path(path: str) -> tuple[str, dict[str, Convertor[Any]]]:
    """The format and the convertors of `path`, as `starlette.routing.compile_path` finds them.

    A path whose parameters are all plain ``{name}`` is its own format, and each parameter
    gets the string convertor; any other path (a ``{name:int}``, a name used twice) goes
    through Starlette's own parse, which also raises its errors.
    """
    names = [name for name, convertor in _PARAMETER.findall(path) if not convertor]
    if len(names) != path.count("{") or len(set(names)) != len(names):
        _, path_format, convertors = compile_path(path)
        return path_format, convertors
    string = CONVERTOR_TYPES["str"]
    return path, dict.fromkeys(names, string)


class LazyPathRegex:
    """``route.path_regex``: compiled from the path the route was registered with, on first
    use; an assigned pattern replaces it (extensions set their own)."""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.slot = "_" + name

    def __get__(self, route: Any, owner: type[Any] | None = None) -> Any:
        if route is None:
            return self
        found = route.__dict__.get(self.slot)
        if found is None:
            found = route.__dict__[self.slot] = compile_path(route._regex_path)[0]
        return found

    def __set__(self, route: Any, pattern: re.Pattern[str]) -> None:
        route.__dict__[self.slot] = pattern
