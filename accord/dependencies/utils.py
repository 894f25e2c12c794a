"""Compatibility surface for extensions: `fastapi.dependencies.utils`.

The helpers FastAPI extensions call, working over Accord's own signature analysis:
`get_typed_signature` and `get_typed_return_annotation` (string annotations resolved in the
callable's module, as fastapi-cache2 expects), `get_dependant` and
`get_parameterless_sub_dependant` (Accord's `Dependant`), `get_flat_params`,
`get_validation_alias`, `lenient_issubclass`, the body-field helpers, `request_body_to_args`
and the form helpers cadwyn calls by FastAPI's private names (`accord.dependencies._forms`),
and `solve_dependencies`:
FastAPI's request solver, here a compile of the tree into an Accord plan (once per tree and
override set) that the runtime solves (`accord._runtime.solve`); it returns what FastAPI's
returns (`SolvedDependency`: the callable's keyword arguments, the errors, the background
tasks, the response, the dependency cache).
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from pydantic_core import PydanticUndefined
from starlette.background import BackgroundTasks
from starlette.requests import HTTPConnection
from starlette.responses import Response

from accord import params
from accord._compat import get_cached_model_fields
from accord._compiler.annotations import lenient_issubclass
from accord._compiler.dependant import Dependant, get_dependant, typed_signature
from accord._compiler.overrides import apply_overrides
from accord._compiler.plan import build_plan
from accord._compiler.replaced import complete, shape
from accord._compiler.route import flat_body_params, get_body_field, return_annotation
from accord._plan import ModelField, Plan
from accord._runtime.solve import solve_plan

# With FastAPI's private helpers that extensions call (not in `__all__`: not public).
from accord.dependencies._forms import (  # noqa: F401
    _extract_form_body,
    _extract_form_items,
    _get_form_model,
    _get_form_models,
    _get_multidict_value,
    _get_param_aliases,
    _is_form_model_supplied,
    _normalize_form_model,
    _should_embed_body_fields,
    get_validation_alias,
    request_body_to_args,
)
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
    "request_body_to_args",
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


def _get_flat_body_params(dependant: Dependant) -> list[ModelField]:
    """Every body field of the tree, depth first (FastAPI's private helper, by its name)."""
    return flat_body_params(dependant)


def _get_body_field(
    *, body_params: list[ModelField], name: str, embed_body_fields: bool
) -> ModelField | None:
    """The one field describing the body in the OpenAPI document (FastAPI's private helper)."""
    return get_body_field(body_params, name, embed_body_fields)


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
