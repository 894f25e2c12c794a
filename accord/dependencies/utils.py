"""Compatibility surface for extensions: `fastapi.dependencies.utils`.

The helpers FastAPI extensions call, working over Accord's own signature analysis:
`get_typed_signature` and `get_typed_return_annotation` (string annotations resolved in the
callable's module, as fastapi-cache2 expects), `get_dependant` and
`get_parameterless_sub_dependant` (Accord's `Dependant`), `get_flat_params`,
`get_validation_alias`, `lenient_issubclass`, the body-field helpers, the form-model helpers
cadwyn calls by their private names (`_get_form_models`, `_get_param_aliases`,
`_should_embed_body_fields`, `_get_multidict_value`, `_normalize_form_model`,
`_is_form_model_supplied`), and `solve_dependencies`:
FastAPI's request solver, here a compile of the tree into an Accord plan (once per tree and
override set) that the runtime solves (`accord._runtime.solve`); it returns what FastAPI's
returns (`SolvedDependency`: the callable's keyword arguments, the errors, the background
tasks, the response, the dependency cache).
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from pydantic import AliasChoices, BaseModel
from pydantic_core import PydanticUndefined
from starlette.background import BackgroundTasks
from starlette.datastructures import FormData, Headers, ImmutableMultiDict
from starlette.requests import HTTPConnection
from starlette.responses import Response

from accord import params
from accord._compat import get_cached_model_fields
from accord._compiler.annotations import is_sequence_annotation, lenient_issubclass
from accord._compiler.dependant import Dependant, get_dependant, typed_signature
from accord._compiler.form_models import (
    branch_reader,
    form_model_plan,
    form_models,
    is_json,
    request_names,
)
from accord._compiler.overrides import apply_overrides
from accord._compiler.plan import build_plan, should_embed_body
from accord._compiler.replaced import complete, shape
from accord._compiler.route import flat_body_params, get_body_field, return_annotation
from accord._form_values import is_empty_upload
from accord._plan import ModelField, Plan
from accord._runtime.solve import solve_plan
from accord.openapi.operations import flat_params

__all__ = [
    "SolvedDependency",
    "get_cached_model_fields",
    "get_dependant",
    "get_flat_params",
    "get_parameterless_sub_dependant",
    "get_typed_annotation",
    "get_typed_return_annotation",
    "get_typed_signature",
    "get_validation_alias",
    "lenient_issubclass",
    "solve_dependencies",
]


def get_typed_signature(call: Callable[..., Any]) -> inspect.Signature:
    """`call`'s signature with string annotations evaluated in its module (None for ``None``)."""
    typed = typed_signature(call)
    return inspect.Signature(list(typed.parameters.values()))


def get_typed_annotation(annotation: Any, globalns: dict[str, Any]) -> Any:
    """`annotation`, evaluated in `globalns` when it is a string."""
    if not isinstance(annotation, str):
        return annotation
    value = eval(annotation, globalns, globalns)  # the annotation's own module namespace
    return None if value is type(None) else value


def get_typed_return_annotation(call: Callable[..., Any]) -> Any:
    """`call`'s return annotation, evaluated; None when it has none."""
    annotation = return_annotation(call)
    if annotation is inspect.Signature.empty or annotation is None:
        return None
    if isinstance(annotation, str):
        globalns = getattr(inspect.unwrap(call), "__globals__", {})
        return get_typed_annotation(annotation, globalns)
    return annotation


def get_parameterless_sub_dependant(*, depends: params.Depends, path: str) -> Dependant:
    """The `Dependant` of a `dependencies=[Depends(...)]` entry (no value is passed on)."""
    if not callable(depends.dependency):
        raise TypeError("A parameter-less dependency must have a callable dependency")
    scopes = list(depends.scopes or []) if isinstance(depends, params.Security) else []
    return get_dependant(
        path=path,
        call=depends.dependency,
        scope=depends.scope,
        concurrency=depends._concurrency,
        own_oauth_scopes=scopes,
    )


def get_flat_params(dependant: Dependant) -> list[ModelField]:
    """Every path, query, header and cookie parameter of the tree (models as their fields)."""
    return flat_params(dependant)


def get_validation_alias(field: ModelField) -> str:
    """The name a field is read under: its validation alias, else its alias."""
    return field.validation_alias or field.alias


def _get_flat_body_params(dependant: Dependant) -> list[ModelField]:
    """Every body field of the tree, depth first (FastAPI's private helper, by its name)."""
    return flat_body_params(dependant)


def _get_body_field(
    *, body_params: list[ModelField], name: str, embed_body_fields: bool
) -> ModelField | None:
    """The one field describing the body in the OpenAPI document (FastAPI's private helper)."""
    return get_body_field(body_params, name, embed_body_fields)


# -- form models, under FastAPI's private names (cadwyn reads forms through them) ----------


def _get_form_models(field: ModelField) -> list[type[BaseModel]]:
    """The models a `Form()` field stands for: one, those of a union, or none."""
    return list(form_models(field.field_info))


def _get_form_model(field: ModelField) -> type[BaseModel] | None:
    """The one model a `Form()` field stands for, else None (a union has several)."""
    models = form_models(field.field_info)
    return models[0] if len(models) == 1 else None


def _should_embed_body_fields(fields: list[ModelField]) -> bool:
    """Whether the body fields are keys of one object rather than the whole body."""
    return should_embed_body(fields)


def _get_param_aliases(
    field: ModelField, *, convert_underscores: bool = False
) -> list[tuple[str, str]]:
    """The (validation key, request key) pairs the field is read under, preferred first.

    With ``convert_underscores`` (headers), a key that is the field's own name is sent with
    hyphens; names given by `AliasChoices` are sent as written.
    """
    info = field.field_info
    if isinstance(info, params.Path):
        names: tuple[str, ...] = (get_validation_alias(field),)
    else:
        names = request_names(field.name, info, field.config)
    chosen = info.validation_alias
    literal = list(chosen.choices) if isinstance(chosen, AliasChoices) else []

    def sent_as(name: str) -> str:
        if convert_underscores and name == field.name and name not in literal:
            return name.replace("_", "-")
        return name

    return [(name, sent_as(name)) for name in names]


def _get_multidict_value(field: ModelField, values: Mapping[str, Any], alias: str) -> Any:
    """The field's value under `alias` in query, header or form values (all of them for a
    sequence), or `PydanticUndefined` when absent, empty, or an empty form entry."""
    sequence = is_sequence_annotation(field.field_info.annotation)
    value: Any
    if (
        sequence
        and isinstance(values, ImmutableMultiDict | Headers)
        and not is_json(field.field_info)
    ):
        value = values.getlist(alias)
        if isinstance(values, FormData):
            value = [item for item in value if not is_empty_upload(item)]
    else:
        value = values.get(alias)
    if value is None or (sequence and len(value) == 0):
        return PydanticUndefined
    if isinstance(values, FormData) and (value == "" or is_empty_upload(value)):
        return PydanticUndefined
    return value


def _normalize_form_model(value: Any, *, model: type[BaseModel]) -> Any:
    """A union form model's input (every key of the form) as `model` reads it."""
    return branch_reader(model)(value)


def _is_form_model_supplied(model: type[BaseModel], received_body: FormData) -> bool:
    """Whether the form sends an optional form model: one of its keys is there, or, for a
    model taking extra keys (``extra="allow"``/``"forbid"``), any key."""
    plan = form_model_plan(params.Form(annotation=model))
    if plan is None or not received_body:
        return False
    return plan.takes_extras or not plan.names.isdisjoint(received_body.keys())


@dataclass
class SolvedDependency:
    """What `solve_dependencies` found: the callable's arguments, or the errors."""

    values: dict[str, Any]
    errors: list[Any]
    background_tasks: BackgroundTasks | None
    response: Response
    dependency_cache: dict[Any, Any]


# Per tree: (its shape, the overrides, embed) it was compiled for, and the plan.
_PLANS: weakref.WeakKeyDictionary[Dependant, tuple[Any, Plan]] = weakref.WeakKeyDictionary()


def _plan_of(dependant: Dependant, embed: bool, overrides: dict[Any, Any] | None) -> Plan:
    key = (shape(dependant), tuple(overrides.items()) if overrides else (), embed)
    found = _PLANS.get(dependant)
    if found is not None and found[0] == key:
        return found[1]
    tree = complete(apply_overrides(dependant, overrides) if overrides else dependant)
    plan = build_plan(tree, flat_body=flat_body_params(tree), embed=embed)
    _PLANS[dependant] = (key, plan)
    return plan


async def solve_dependencies(
    *,
    request: HTTPConnection,
    dependant: Dependant,
    body: Any = PydanticUndefined,
    background_tasks: BackgroundTasks | None = None,
    response: Response | None = None,
    dependency_overrides_provider: Any | None = None,
    dependency_cache: dict[Any, Any] | None = None,
    async_exit_stack: AsyncExitStack,
    embed_body_fields: bool,
    _uses_scopes_cache: Any = None,
) -> SolvedDependency:
    """Validates `dependant`'s inputs from `request` (and `body`, as received) and runs its
    dependencies; the callable of `dependant` itself is not called.

    Yield dependencies are entered on the request's exit stack when Accord serves the
    request through one, else on `async_exit_stack`.
    """
    overrides = getattr(dependency_overrides_provider, "dependency_overrides", None)
    plan = _plan_of(dependant, embed_body_fields, overrides)
    if response is None:
        response = Response()
        del response.headers["content-length"]
        response.status_code = None  # type: ignore[assignment]
    stack = request.scope.get("accord.request_stack") or async_exit_stack
    app = dependency_overrides_provider or request.scope.get("app")
    values, errors, tasks = await solve_plan(
        plan, request, body, response, background_tasks, (stack, async_exit_stack), app
    )
    cache = {} if dependency_cache is None else dependency_cache
    return SolvedDependency(values, errors, tasks, response, cache)
