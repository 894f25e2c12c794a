"""How a route turns the endpoint's return value into a response, decided at registration."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from dataclasses import field as derived
from typing import Any

from starlette.responses import Response

from accord._compiler.fields import ModelField
from accord.exceptions import EndpointContext

__all__ = ["ResponsePlan", "endpoint_context", "is_body_allowed_for_status_code"]


@dataclass(frozen=True, slots=True)
class ResponsePlan:
    """The status code, response class and serializer of one route."""

    status_code: int | None
    field: ModelField | None
    response_class: type[Response]
    class_is_default: bool
    dump_options: dict[str, Any]
    endpoint_ctx: EndpointContext
    # Derived, so that a request reads a flag instead of working it out:
    dump_json: bool = derived(init=False)
    """Serialize straight to JSON bytes (a response model and the default class)."""
    json_status: int | None = derived(init=False)
    """The status of a default-class JSON answer with a body, when the route fixes it
    (`None`: work it out per response, through the response class)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "dump_json", self.field is not None and self.class_is_default)
        status = 200 if self.status_code is None else self.status_code
        fixed = (
            self.class_is_default
            and isinstance(status, int)
            and is_body_allowed_for_status_code(status)
        )
        object.__setattr__(self, "json_status", status if fixed else None)


def endpoint_context(call: Any, method_path: str | None) -> EndpointContext:
    """Where the endpoint is defined, for the text of validation errors."""
    ctx = EndpointContext()
    try:
        source = inspect.getsourcefile(call)
        if source is not None:
            ctx["file"] = source
        ctx["line"] = inspect.getsourcelines(call)[1]
        name = getattr(call, "__name__", None)
        if name is not None:
            ctx["function"] = name
    except Exception:
        ctx = EndpointContext()
    if method_path:
        ctx["path"] = method_path
    return ctx


def is_body_allowed_for_status_code(status_code: int | str | None) -> bool:
    """No body for 1xx, 204, 205 and 304 (OpenAPI range strings such as ``"2XX"`` allow one)."""
    if status_code is None:
        return True
    if status_code in {"default", "1XX", "2XX", "3XX", "4XX", "5XX"}:
        return True
    code = int(status_code)
    return not (code < 200 or code in {204, 205, 304})
