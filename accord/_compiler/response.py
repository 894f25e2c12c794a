"""How a route turns the endpoint's return value into a response, decided at registration."""

from __future__ import annotations

import inspect
from typing import Any

from accord.exceptions import EndpointContext

__all__ = ["endpoint_context"]


def endpoint_context(call: Any, method_path: str | None) -> EndpointContext:
    """Where the endpoint is defined, for the text of validation errors."""
    ctx = EndpointContext()
    try:
        source = inspect.getsourcefile(call)
        if source is not None:
            ctx["file"] = source
        # A function's first line (its first decorator's) is on its code object: reading and
        # tokenizing the source, as `getsourcelines` does, costs more than the rest of a route.
        code = getattr(inspect.unwrap(call), "__code__", None)
        ctx["line"] = code.co_firstlineno if code is not None else inspect.getsourcelines(call)[1]
        name = getattr(call, "__name__", None)
        if name is not None:
            ctx["function"] = name
    except Exception:
        ctx = EndpointContext()
    if method_path:
        ctx["path"] = method_path
    return ctx
