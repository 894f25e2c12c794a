"""Compiling one path operation: `compile_route(declaration) -> CompiledRoute`.

The one place where a route's declaration (an `APIRoute`, read through the `Declaration`
protocol) becomes what serves it: the dependency tree, the plan, the response plan and kinds,
the validated limits and error format, and what the OpenAPI document reads (body field,
response fields). `accord.routing` only declares; `accord._runtime.make_runner` executes.
"""

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
from copy import copy
from dataclasses import dataclass, replace
from typing import Any, Protocol, get_args, get_origin

from pydantic import BaseModel, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from starlette.responses import Response

from accord import params
from accord._compiler.annotations import lenient_issubclass
from accord._compiler.app_scope import recipe_for_call
from accord._compiler.calls import is_async_gen_callable, is_gen_callable
from accord._compiler.dependant import Dependant, get_dependant, get_path_param_names
from accord._compiler.form_models import form_body_model, form_models, is_nullable
from accord._compiler.overrides import apply_overrides
from accord._compiler.plan import build_plan, should_embed_body
from accord._compiler.response import endpoint_context
from accord._plan import (
    BodyKind,
    BodyLimits,
    ModelField,
    Plan,
    ResponseKind,
    ResponsePlan,
    RoutePlan,
    StackKind,
    StreamPlan,
    is_body_allowed_for_status_code,
)
from accord.datastructures import DefaultPlaceholder
from accord.exceptions import AccordError, ResponseModelError
from accord.limits import FormLimits
from accord.problems import check_error_format
from accord.sse import EventSourceResponse, ServerSentEvent

__all__ = [
    "CompiledRoute",
    "Declaration",
    "build_dependant",
    "check_copy",
    "compile_overrides",
    "compile_plan",
    "compile_route",
    "flat_body_params",
    "get_body_field",
    "make_response_field",
    "recipe_for_call",
    "replan",
    "return_annotation",
    "served_through_request",
    "stream_item_type",
    "websocket_route_plan",
]

_STREAM_ORIGINS = frozenset(
    {AsyncGenerator, AsyncIterable, AsyncIterator, Generator, Iterable, Iterator}
)


def build_dependant(
    path: str, call: Callable[..., Any], dependencies: Sequence[params.Depends]
) -> Dependant:
    """The endpoint's tree, with the route's parameterless dependencies first."""
    dependant = get_dependant(path=path, call=call, scope="function")
    dependant.dependencies[:0] = [route_dependency(path, depends) for depends in dependencies]
    return dependant


def route_dependency(path: str, depends: params.Depends) -> Dependant:
    """One of a route's parameterless dependencies (`dependencies=[...]`), analysed."""
    if not callable(depends.dependency):
        raise AccordError(
            f"A dependency in `dependencies=[...]` of path {path!r} has no callable: "
            "use Depends(some_function)."
        )
    own = list(depends.scopes or []) if isinstance(depends, params.Security) else []
    return get_dependant(
        path=path,
        call=depends.dependency,
        scope=depends.scope,
        own_oauth_scopes=own,
        concurrency=depends._concurrency,
    )


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
    """The single field describing the body in the OpenAPI document (``Body_<id>`` if embedded).

    An optional form model is described by a ``Body_<id>`` model even alone, as in FastAPI.
    """
    if not body_params:
        return None
    first = body_params[0]
    nullable_model = any(
        form_models(f.field_info) and is_nullable(f.field_info) for f in body_params
    )
    if not embed and not nullable_model:
        return first
    model: type[BaseModel]
    if any(form_models(f.field_info) for f in body_params):
        model = form_body_model("Body_" + name, body_params)
    else:
        fields = {f.name: (f.field_info.annotation, f.field_info) for f in body_params}
        model = create_model("Body_" + name, **fields)  # type: ignore[call-overload]
    if not embed:
        # The parameter's own marker describes the body; its constraints are the model's.
        info = copy(first.field_info)
        info.annotation = model
        info.metadata = []
        info.discriminator = None
        return ModelField(field_info=info, name=first.name)
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
    if marker is not params.File:
        media_types = {
            f.field_info.media_type for f in body_params if isinstance(f.field_info, marker)
        }
        if marker is params.Form and "multipart/form-data" in media_types:
            kwargs["media_type"] = "multipart/form-data"  # any multipart field: all of it
        elif len(media_types) == 1:
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


class Declaration(Protocol):
    """What `compile_route` reads of a path operation (an `APIRoute`)."""

    path: str
    path_format: str
    endpoint: Callable[..., Any]
    methods: set[str]
    name: str
    unique_id: str
    dependencies: list[params.Depends]
    responses: dict[int | str, dict[str, Any]]
    response_model: Any
    status_code: int | None
    response_class: Any
    response_model_include: Any
    response_model_exclude: Any
    response_model_by_alias: bool
    response_model_exclude_unset: bool
    response_model_exclude_defaults: bool
    response_model_exclude_none: bool
    strict_content_type: Any
    error_format: Any
    max_body_size: Any
    form_limits: Any


@dataclass(frozen=True, slots=True)
class CompiledRoute:
    """`compile_route`'s result: the runner's `RoutePlan`, and what the document reads."""

    route_plan: RoutePlan
    dependant: Dependant
    body_field: ModelField | None
    embed_body_fields: bool
    response_model: Any
    response_field: ModelField | None
    response_fields: dict[int | str, ModelField]
    stream_item_type: Any
    is_sse_stream: bool
    is_json_stream: bool


def _resolved(value: Any) -> Any:
    return value.value if isinstance(value, DefaultPlaceholder) else value


def where_of(route: Declaration) -> str:
    """How an error message names the route."""
    return f"path operation {sorted(route.methods)} {route.path!r} ({route.name})"


class Compiled(Protocol):
    """What an included copy may take over from the route it copies (an `APIRoute`)."""

    path_format: str
    endpoint: Callable[..., Any]
    dependencies: list[params.Depends]
    responses: dict[int | str, dict[str, Any]]
    dependant: Dependant
    plan: Plan


def compile_route(
    route: Declaration,
    copied: Compiled | None = None,
    taken: tuple[Dependant, Plan | None] | None = None,
) -> CompiledRoute:
    """Compiles `route`; every configuration mistake raises now, naming the route and the fix.

    `copied` is the route that `route` copies into an including router: its analysis (the
    dependency tree and, when no dependency was added, the plan) is taken over when the copy
    cannot change it, instead of being done again. `taken` is that analysis when
    `check_copy` did it already.
    """
    where = where_of(route)
    response_fields = _additional_responses(route, where)
    dependant, plan = taken if taken is not None else _taken_over(route, copied)
    if plan is None:
        plan, body_params, embed = compile_plan(dependant)
    else:
        body_params = flat_body_params(dependant)
        embed = plan.body.embed if plan.body is not None else False
    body_field = get_body_field(body_params, route.unique_id, embed)
    kind, is_async = _stream_kind(route)
    response_model, item_type = _response_model(route, kind)
    response_field = None
    if response_model:
        if not is_body_allowed_for_status_code(route.status_code):
            raise AccordError(
                f"Status code {route.status_code} must not have a response body ({where}): "
                "remove the response model or use another status code."
            )
        response_field = make_response_field("Response_" + route.unique_id, response_model, where)
    stream = None
    if kind is not None:
        item_field = None
        if item_type:
            item_field = make_response_field("StreamItem_" + route.unique_id, item_type, where)
        stream = StreamPlan(item_field=item_field, is_async=is_async)
    route_plan = _route_plan(route, plan, _response_plan(route, response_field), kind, stream)
    return CompiledRoute(
        route_plan=route_plan,
        dependant=dependant,
        body_field=body_field,
        embed_body_fields=embed,
        response_model=response_model,
        response_field=response_field,
        response_fields=response_fields,
        stream_item_type=item_type,
        is_sse_stream=kind == ResponseKind.SSE,
        is_json_stream=kind == ResponseKind.JSONL,
    )


def check_copy(route: Declaration, copied: Compiled) -> tuple[Dependant, Plan | None]:
    """What an included copy may get wrong that the route it copies did not, checked now so
    that its compilation can wait for its first use: the dependencies the include adds, its
    responses, its body limits and error format. Returns the copy's analysis.
    """
    where = where_of(route)
    taken = _taken_over(route, copied)
    if route.responses != copied.responses:
        _additional_responses(route, where)
    check_error_format(_resolved(route.error_format), where)
    _limits(route, where)
    return taken


def _taken_over(route: Declaration, copied: Compiled | None) -> tuple[Dependant, Plan | None]:
    """The copy's dependency tree (and plan), from the route it copies where they agree.

    They do when the endpoint is the same, the prefix adds no path parameter, and the copy's
    dependencies are the copied route's behind some added in front (an include's, a
    router's): those are analysed and put in front, as `build_dependant` would.
    """
    if copied is None or copied.endpoint is not route.endpoint:
        return build_dependant(route.path_format, route.endpoint, route.dependencies), None
    own, theirs = route.dependencies, copied.dependencies
    added = len(own) - len(theirs)
    same_path = get_path_param_names(route.path_format) == get_path_param_names(copied.path_format)
    if (
        added < 0
        or not same_path
        or any(a is not b for a, b in zip(own[added:], theirs, strict=True))
    ):
        return build_dependant(route.path_format, route.endpoint, route.dependencies), None
    subs = [route_dependency(route.path_format, depends) for depends in own[:added]]
    tree = copied.dependant
    tree = replace(tree, path=route.path_format, dependencies=[*subs, *tree.dependencies])
    return tree, None if added else copied.plan


def _additional_responses(route: Declaration, where: str) -> dict[int | str, ModelField]:
    fields: dict[int | str, ModelField] = {}
    for code, response in route.responses.items():
        if not isinstance(response, dict):
            raise AccordError(f"An additional response must be a dict ({where}, {code})")
        model = response.get("model")
        if model:
            if not is_body_allowed_for_status_code(code):
                raise AccordError(f"Status code {code} must not have a response body ({where})")
            name = f"Response_{code}_{route.unique_id}"
            fields[code] = make_response_field(name, model, where)
    return fields


def _stream_kind(route: Declaration) -> tuple[ResponseKind | None, bool]:
    """A generator endpoint streams: SSE with `EventSourceResponse`, else JSON Lines."""
    is_async = is_async_gen_callable(route.endpoint)
    if not (is_async or is_gen_callable(route.endpoint)):
        return None, False
    is_default = isinstance(route.response_class, DefaultPlaceholder)
    if lenient_issubclass(_resolved(route.response_class), EventSourceResponse):
        return ResponseKind.SSE, is_async
    return (ResponseKind.JSONL if is_default else ResponseKind.RAW), is_async


def _response_model(route: Declaration, kind: ResponseKind | None) -> tuple[Any, Any]:
    """The response model (declared, or inferred from the return annotation) and item type."""
    if not isinstance(route.response_model, DefaultPlaceholder):
        return route.response_model, None
    annotation = return_annotation(route.endpoint)
    item = stream_item_type(annotation) if kind is not None else None
    if is_response_class(annotation):
        return None, None
    if item is not None:
        # The items are the response: each is validated and serialized on its own.
        # A `ServerSentEvent` is the transport's envelope, not a data type.
        streams_items = kind in (ResponseKind.JSONL, ResponseKind.SSE)
        if streams_items and not lenient_issubclass(item, ServerSentEvent):
            return None, item
        return None, None
    return annotation, None


def _response_plan(route: Declaration, field: ModelField | None) -> ResponsePlan:
    is_default = isinstance(route.response_class, DefaultPlaceholder)
    return ResponsePlan(
        status_code=route.status_code,
        field=field,
        response_class=_resolved(route.response_class),
        class_is_default=is_default,
        dump_options={
            "include": route.response_model_include,
            "exclude": route.response_model_exclude,
            "by_alias": route.response_model_by_alias,
            "exclude_unset": route.response_model_exclude_unset,
            "exclude_defaults": route.response_model_exclude_defaults,
            "exclude_none": route.response_model_exclude_none,
        },
        endpoint_ctx=endpoint_context(route.endpoint, None),
    )


def _limits(route: Declaration, where: str) -> BodyLimits:
    max_body_size = _resolved(route.max_body_size)
    if max_body_size is not None and (
        not isinstance(max_body_size, int) or isinstance(max_body_size, bool) or max_body_size < 0
    ):
        raise AccordError(
            f"max_body_size must be a number of bytes (an int >= 0) or None for no limit "
            f"(got {max_body_size!r}, {where})"
        )
    form = _resolved(route.form_limits)
    if form is not None and not isinstance(form, FormLimits):
        raise AccordError(
            f"form_limits must be an accord.limits.FormLimits(...) or None (got {form!r}, {where})"
        )
    return BodyLimits(max_body_size, form)


def _route_plan(
    route: Declaration,
    plan: Plan,
    response: ResponsePlan,
    stream_kind: ResponseKind | None,
    stream: StreamPlan | None,
) -> RoutePlan:
    where = where_of(route)
    error_format = _resolved(route.error_format)
    check_error_format(error_format, where)
    return replan(
        RoutePlan(
            plan=plan,
            response=response,
            response_kind=stream_kind if stream_kind is not None else ResponseKind.GENERAL,
            body_kind=BodyKind.NONE,
            stack_kind=StackKind.NONE,
            limits=_limits(route, where),
            error_format=error_format,
            strict_content_type=bool(_resolved(route.strict_content_type)),
            stream=stream,
        ),
        plan,
    )


_STREAM_KINDS = (ResponseKind.JSONL, ResponseKind.SSE, ResponseKind.RAW)


def replan(route_plan: RoutePlan, plan: Plan) -> RoutePlan:
    """`route_plan` serving `plan` (the route's own, or one with dependency overrides), with
    the body, stack and response kinds that follow from it."""
    body = plan.body
    if body is None:
        body_kind = BodyKind.NONE
    elif body.is_form:
        body_kind = BodyKind.FORM
    else:
        body_kind = BodyKind.REQUEST if plan.needs_request else BodyKind.JSON
    streams = route_plan.response_kind in _STREAM_KINDS
    if plan.has_function_scope:
        stack_kind = StackKind.FUNCTION
    elif plan.has_exit_stack or streams:
        stack_kind = StackKind.REQUEST
    else:
        stack_kind = StackKind.NONE
    response = route_plan.response
    kind = route_plan.response_kind
    if not streams:
        kind = ResponseKind.GENERAL
        if not plan.needs_response and response.json_status is not None:
            kind = ResponseKind.JSON if response.field is None else ResponseKind.MODEL
    simple = (
        not streams
        and not plan.slots
        and body is None
        and not plan.steps
        and not plan.endpoint.args
        and plan.endpoint.scopes is None
        and response.field is None
        and response.class_is_default
    )
    return replace(
        route_plan,
        plan=plan,
        body_kind=body_kind,
        stack_kind=stack_kind,
        response_kind=kind,
        simple=simple,
    )


def compile_overrides(
    route_plan: RoutePlan, dependant: Dependant, overrides: dict[Any, Any]
) -> RoutePlan:
    """The route plan with `overrides` replacing some dependencies.

    Whether the body is embedded stays the route's own, as in FastAPI (which decides it once,
    from the tree as declared): an override's body fields are read under it.
    """
    tree = apply_overrides(dependant, overrides)
    body = route_plan.plan.body
    embed = body.embed if body is not None else False
    return replan(route_plan, build_plan(tree, flat_body=flat_body_params(tree), embed=embed))


def websocket_route_plan(plan: Plan, endpoint: Callable[..., Any]) -> RoutePlan:
    """The route plan of a WebSocket route: its inputs and steps; no body, no response."""
    response = ResponsePlan(
        status_code=None,
        field=None,
        response_class=Response,
        class_is_default=True,
        dump_options={},
        endpoint_ctx=endpoint_context(endpoint, None),
    )
    return RoutePlan(
        plan=plan,
        response=response,
        response_kind=ResponseKind.GENERAL,
        body_kind=BodyKind.NONE,
        stack_kind=StackKind.REQUEST,
        limits=BodyLimits(None, None),
        error_format="fastapi",
        strict_content_type=True,
    )


def served_through_request(route_plan: RoutePlan) -> RoutePlan:
    """`route_plan` for a custom `get_route_handler`, which hands its own `Request` to the
    runner: the body is then read through that request (it may transform it)."""
    if route_plan.body_kind == BodyKind.JSON:
        return replace(route_plan, body_kind=BodyKind.REQUEST)
    return route_plan
