"""Compiling one path operation: response model inference, the dependency tree, the plan."""

from __future__ import annotations

import inspect
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Sequence,
)
from typing import Any, get_args, get_origin

from pydantic import BaseModel, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from starlette.responses import Response

from accord import params
from accord._compiler.annotations import lenient_issubclass
from accord._compiler.dependant import Dependant, get_dependant
from accord._compiler.fields import ModelField
from accord._compiler.plan import Plan, build_plan, should_embed_body
from accord.exceptions import AccordError, ResponseModelError

__all__ = [
    "build_dependant",
    "flat_body_params",
    "get_body_field",
    "make_response_field",
    "return_annotation",
    "stream_item_type",
]

_STREAM_ORIGINS = frozenset(
    {AsyncGenerator, AsyncIterable, AsyncIterator, Generator, Iterable, Iterator}
)


def build_dependant(
    path: str, call: Callable[..., Any], dependencies: Sequence[params.Depends]
) -> Dependant:
    """The endpoint's tree, with the route's parameterless dependencies first."""
    dependant = get_dependant(path=path, call=call, scope="function")
    for depends in reversed(dependencies):
        if not callable(depends.dependency):
            raise AccordError(
                f"A dependency in `dependencies=[...]` of path {path!r} has no callable: "
                "use Depends(some_function)."
            )
        own = list(depends.scopes or []) if isinstance(depends, params.Security) else []
        sub = get_dependant(
            path=path, call=depends.dependency, scope=depends.scope, own_oauth_scopes=own
        )
        dependant.dependencies.insert(0, sub)
    return dependant


def flat_body_params(dependant: Dependant) -> list[ModelField]:
    """Every body field in the tree, depth first, sub-dependencies before their parent's."""
    found: list[ModelField] = []
    pending = [dependant]
    while pending:
        current = pending.pop()
        found.extend(current.body_params)
        pending.extend(reversed(current.dependencies))
    return found


def compile_plan(dependant: Dependant) -> tuple[Plan, list[ModelField], bool]:
    """The plan, the flat body fields and whether they are embedded."""
    body = flat_body_params(dependant)
    embed = should_embed_body(body)
    return build_plan(dependant, flat_body=body, embed=embed), body, embed


def get_body_field(body_params: list[ModelField], name: str, embed: bool) -> ModelField | None:
    """The single field describing the body in the OpenAPI document (``Body_<id>`` if embedded)."""
    if not body_params:
        return None
    if not embed:
        return body_params[0]
    fields = {f.name: (f.field_info.annotation, f.field_info) for f in body_params}
    model: type[BaseModel] = create_model("Body_" + name, **fields)  # type: ignore[call-overload]
    required = any(f.field_info.is_required() for f in body_params)
    kwargs: dict[str, Any] = {"annotation": model, "alias": "body"}
    if not required:
        kwargs["default"] = None
    marker: type[params.Body]
    if any(isinstance(f.field_info, params.File) for f in body_params):
        marker = params.File
    elif any(isinstance(f.field_info, params.Form) for f in body_params):
        marker = params.Form
    else:
        marker = params.Body
        media_types = {
            f.field_info.media_type for f in body_params if isinstance(f.field_info, params.Body)
        }
        if len(media_types) == 1:
            kwargs["media_type"] = media_types.pop()
    info = marker(kwargs.pop("default", PydanticUndefined), **kwargs)
    return ModelField(field_info=info, name="body")


def return_annotation(endpoint: Callable[..., Any]) -> Any:
    """The evaluated return annotation, or None."""
    try:
        signature = inspect.signature(endpoint, eval_str=True)
    except NameError:
        signature = inspect.signature(endpoint)
    annotation = signature.return_annotation
    if annotation is inspect.Signature.empty:
        return None
    if isinstance(annotation, str):
        globalns = getattr(inspect.unwrap(endpoint), "__globals__", {})
        try:
            annotation = eval(annotation, globalns, globalns)
        except Exception:
            return None
    return None if annotation is type(None) else annotation


def make_response_field(name: str, type_: Any, where: str) -> ModelField:
    """A serialization-mode field for a response model; fails now if pydantic cannot use it.

    Raises:
        ResponseModelError: pydantic cannot build a serializer for `type_`.
    """
    model_field = ModelField(
        field_info=FieldInfo(annotation=type_), name=name, mode="serialization"
    )
    try:
        model_field.type_adapter  # noqa: B018 - built now so a bad type fails at start-up
    except AccordError as exc:
        raise ResponseModelError(_response_model_message(type_, where, exc.__cause__)) from None
    return model_field


def _response_model_message(type_: Any, where: str, cause: BaseException | None) -> str:
    # pydantic's first sentence names the offending type; the rest suggests model options that
    # do not apply to a response model.
    text = str(cause) if cause is not None else ""
    reason = text.splitlines()[0].split(". ")[0].rstrip(".") if text else "unsupported type"
    return (
        f"Invalid response model for {where}: {type_!r} is not a type pydantic can validate "
        f"or serialize (pydantic: {reason}). Fix: return and declare a pydantic model, a "
        "dataclass, a TypedDict or a standard type; or, to keep returning this object, pass "
        "response_model=None to the decorator (the value is then encoded as it is, without "
        "a response model), or annotate the return type as a Response class."
    )


def is_response_class(annotation: Any) -> bool:
    """A return annotation naming a Response class switches response-model inference off."""
    return lenient_issubclass(annotation, Response)


def stream_item_type(annotation: Any) -> Any | None:
    """The item type of an iterator or generator annotation (`Any` when unparametrized), or None.

    ``Iterator[Tick]``, ``AsyncGenerator[Tick, None]`` and the like give ``Tick``: the type each
    yielded item of a streaming endpoint is validated and serialized as.
    """
    if get_origin(annotation) not in _STREAM_ORIGINS:
        return None
    args = get_args(annotation)
    return args[0] if args else Any
