"""The plan builder: a `Dependant` tree becomes an immutable `Plan` the runner executes.

A plan lists the inputs to extract (per location), one pydantic validator for all of them, the
body's validator, the dependency steps in call order (cached duplicates folded away), and the
order in which FastAPI would report errors, so the error path can reproduce it exactly.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo
from pydantic.warnings import UnsupportedFieldAttributeWarning
from typing_extensions import NotRequired, TypedDict

from accord import params
from accord._compiler.annotations import is_sequence_annotation, lenient_issubclass
from accord._compiler.calls import is_async_gen_callable, is_coroutine_callable, is_gen_callable
from accord._compiler.dependant import Dependant
from accord._compiler.fields import ModelField, annotated_type

__all__ = [
    "ASYNC",
    "ASYNC_GEN",
    "GEN",
    "SYNC",
    "BodyPlan",
    "Plan",
    "Slot",
    "Step",
    "build_plan",
    "should_embed_body",
]

SYNC, ASYNC, GEN, ASYNC_GEN = 0, 1, 2, 3
REQUEST, RESPONSE, BACKGROUND, WEBSOCKET, CONNECTION = (
    "!request",
    "!response",
    "!background",
    "!websocket",
    "!connection",
)


@dataclass(frozen=True, slots=True)
class Slot:
    """One declared path/query/header/cookie input.

    `model_fields` is set when the input is a parameter model (``Annotated[Filters, Query()]``):
    then the whole location is collected into a dict, as pairs of (lookup name, is sequence).
    """

    key: str
    field: ModelField
    location: str
    alias: str
    sequence: bool
    loc: tuple[str, ...]
    model_fields: tuple[tuple[str, str, bool], ...] | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One dependency call: its callable, kind, arguments (name -> value key) and result key."""

    call: Callable[..., Any]
    kind: int
    args: tuple[tuple[str, str], ...]
    result_key: str
    function_scope: bool
    subtree: frozenset[str]
    scopes: tuple[str, tuple[str, ...]] | None = None
    manager: Callable[..., Any] | None = None


@dataclass(frozen=True, slots=True)
class BodyPlan:
    """How to read and validate the body."""

    fields: tuple[ModelField, ...]
    keys: tuple[str, ...]
    embed: bool
    is_form: bool
    fast: TypeAdapter[Any] | None


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything the runner needs for one route, decided at registration."""

    slots: tuple[Slot, ...]
    validator: TypeAdapter[Any] | None
    needs_query: bool
    needs_headers: bool
    needs_cookies: bool
    body: BodyPlan | None
    steps: tuple[Step, ...]
    endpoint: Step
    error_order: tuple[str, ...]
    needs_request: bool
    needs_response: bool
    needs_background: bool
    has_exit_stack: bool
    has_function_scope: bool = False
    stages: tuple[tuple[Step, ...], ...] = ()
    endpoint_in_last_stage: bool = False


def should_embed_body(fields: list[ModelField]) -> bool:
    """Whether body fields are keys of one JSON object rather than the whole body."""
    if not fields:
        return False
    if len({f.name for f in fields}) > 1:
        return True
    first = fields[0].field_info
    if getattr(first, "embed", None):
        return True
    return isinstance(first, params.Form) and not _is_model_or_model_union(first.annotation)


def _is_model_or_model_union(annotation: Any) -> bool:
    from accord._compiler.annotations import is_union

    if lenient_issubclass(annotation, BaseModel):
        return True
    args = getattr(annotation, "__args__", ())
    return is_union(annotation) and all(lenient_issubclass(a, BaseModel) for a in args)


class _Builder:
    """Walks the dependency tree once, in FastAPI's solving order."""

    def __init__(self, root: Dependant, body_embed: bool) -> None:
        self.slots: list[Slot] = []
        self.body_fields: list[ModelField] = []
        self.body_keys: list[str] = []
        self.steps: list[Step] = []
        self.error_order: list[str] = []
        self.cache: dict[Any, str] = {}
        self.field_keys: dict[int, str] = {}
        self.body_embed = body_embed
        self.needs: set[str] = set()
        self.app_reads = 0
        self.endpoint = self.visit(root, is_endpoint=True)

    def visit(self, dependant: Dependant, is_endpoint: bool = False) -> Step:
        args: list[tuple[str, str]] = []
        subtree: set[str] = set()
        by_name: dict[str, str] = {}
        for sub in dependant.dependencies:
            step_key, sub_tree = self.visit_sub(sub)
            subtree |= sub_tree
            if sub.name is not None:
                by_name[sub.name] = step_key
        for location, fields in (
            ("path", dependant.path_params),
            ("query", dependant.query_params),
            ("header", dependant.header_params),
            ("cookie", dependant.cookie_params),
        ):
            for key, name in self.add_slots(location, fields):
                by_name[name] = key
                subtree.add(key)
        for body_field in dependant.body_params:
            key = self.body_key(body_field)
            by_name[body_field.name] = key
            subtree.add(key)
            self.error_order.append(key)
        scopes = self.specials(dependant, by_name)
        args = [(name, by_name[name]) for name in dependant.param_order if name in by_name]
        assert dependant.call is not None
        kind = _kind(dependant.call) if not is_endpoint else _endpoint_kind(dependant.call)
        return Step(
            call=dependant.call,
            kind=kind,
            args=tuple(args),
            result_key="",
            function_scope=dependant.computed_scope == "function",
            subtree=frozenset(subtree),
            scopes=scopes,
            manager=_manager_factory(dependant.call, kind),
        )

    def visit_sub(self, sub: Dependant) -> tuple[str, set[str]]:
        if sub.scope == "app":
            return self.visit_app(sub), set()
        step = self.visit(sub)
        key = sub.cache_key()
        if sub.use_cache and key in self.cache:
            return self.cache[key], set(step.subtree)
        result_key = f"d{len(self.steps)}"
        self.steps.append(_with_result(step, result_key))
        self.cache.setdefault(key, result_key)
        return result_key, set(step.subtree)

    def visit_app(self, sub: Dependant) -> str:
        """`scope="app"`: one read of the app's value (accord._compiler.app_scope), placed before
        the other steps (it needs none of them) so it never splits a run of `def` steps."""
        from accord._compiler.app_scope import app_scope_step

        key = sub.cache_key()
        if key in self.cache:
            return self.cache[key]
        result_key = f"d{len(self.steps)}"
        self.steps.insert(self.app_reads, _with_result(app_scope_step(sub), result_key))
        self.app_reads += 1
        self.cache[key] = result_key
        return result_key

    def add_slots(self, location: str, fields: list[ModelField]) -> list[tuple[str, str]]:
        added: list[tuple[str, str]] = []
        is_model = len(fields) == 1 and lenient_issubclass(fields[0].type_, BaseModel)
        for model_field in fields:
            key = self.field_keys.get(id(model_field))
            if key is None:
                key = f"p{len(self.field_keys)}"
                self.field_keys[id(model_field)] = key
                self.slots.append(_slot(key, location, model_field, is_model))
            added.append((key, model_field.name))
            self.error_order.append(key)
        return added

    def body_key(self, body_field: ModelField) -> str:
        key = self.field_keys.get(id(body_field))
        if key is None:
            key = f"b{len(self.body_fields)}"
            body_field.type_adapter  # noqa: B018 - built at registration, never per request
            self.field_keys[id(body_field)] = key
            self.body_fields.append(body_field)
            self.body_keys.append(key)
        return key

    def specials(
        self, dependant: Dependant, by_name: dict[str, str]
    ) -> tuple[str, tuple[str, ...]] | None:
        for attribute, key in (
            ("request_param_name", REQUEST),
            ("response_param_name", RESPONSE),
            ("background_tasks_param_name", BACKGROUND),
            ("websocket_param_name", WEBSOCKET),
            ("http_connection_param_name", CONNECTION),
        ):
            name = getattr(dependant, attribute)
            if name is not None:
                by_name[name] = key
                self.needs.add(key)
        name = dependant.security_scopes_param_name
        if name is None:
            return None
        by_name[name] = f"!scopes:{name}"
        return (name, tuple(dependant.oauth_scopes))


def _with_result(step: Step, result_key: str) -> Step:
    return Step(
        call=step.call,
        kind=step.kind,
        args=step.args,
        result_key=result_key,
        function_scope=step.function_scope,
        subtree=step.subtree,
        scopes=step.scopes,
        manager=step.manager,
    )


def _manager_factory(call: Callable[..., Any], kind: int) -> Callable[..., Any] | None:
    """The context-manager factory of a yield dependency, built once rather than per request."""
    if kind == ASYNC_GEN:
        return asynccontextmanager(call)
    if kind == GEN:
        return contextmanager(call)
    return None


def _kind(call: Callable[..., Any]) -> int:
    if is_async_gen_callable(call):
        return ASYNC_GEN
    if is_gen_callable(call):
        return GEN
    return ASYNC if is_coroutine_callable(call) else SYNC


def _endpoint_kind(call: Callable[..., Any]) -> int:
    return ASYNC if is_coroutine_callable(call) else SYNC


def _slot(key: str, location: str, model_field: ModelField, is_model: bool) -> Slot:
    model_field.type_adapter  # noqa: B018 - the error path's validator, built now, not per request
    field_info = model_field.field_info
    if is_model:
        convert = getattr(field_info, "convert_underscores", True)
        model = model_field.type_
        lookups = tuple(
            (
                name,
                _model_lookup(name, info, location, convert),
                is_sequence_annotation(info.annotation),
            )
            for name, info in model.model_fields.items()
        )
        return Slot(key, model_field, location, "", False, (location,), lookups)
    alias = model_field.lookup_alias
    if location == "header":
        alias = alias.lower()
    sequence = is_sequence_annotation(field_info.annotation) and not _is_json(field_info)
    return Slot(key, model_field, location, alias, sequence, (location, model_field.lookup_alias))


def _model_lookup(name: str, info: FieldInfo, location: str, convert: bool) -> str:
    alias = info.validation_alias if isinstance(info.validation_alias, str) else None
    alias = alias or info.alias or name
    if location == "header":
        convert = getattr(info, "convert_underscores", convert)
        if convert and alias == name:
            alias = alias.replace("_", "-")
        return alias.lower()
    return alias


def _is_json(field_info: FieldInfo) -> bool:
    from pydantic import Json

    return any(type(item) is Json for item in field_info.metadata)


def _combined_validator(slots: list[Slot]) -> TypeAdapter[Any] | None:
    """One TypedDict adapter that validates every non-body input in one pydantic-core call."""
    if not slots:
        return None
    items: dict[str, Any] = {}
    for slot in slots:
        annotated = annotated_type(slot.field.field_info, keep_aliases=False)
        items[slot.key] = annotated if slot.field.required else NotRequired[annotated]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnsupportedFieldAttributeWarning)
        inputs: Any = TypedDict("_Inputs", items)  # type: ignore[misc]
        return TypeAdapter(inputs)


def _fast_body(
    body_fields: list[ModelField], embed: bool, is_form: bool
) -> TypeAdapter[Any] | None:
    """An adapter validating the raw JSON bytes in one call, where that agrees with FastAPI."""
    if is_form or not body_fields or _has_strict(body_fields):
        return None
    if not embed:
        return body_fields[0].type_adapter
    aliases = [f.lookup_alias for f in body_fields]
    if len(set(aliases)) != len(aliases):
        return None
    items: dict[str, Any] = {}
    for body_field in body_fields:
        annotated = annotated_type(body_field.field_info, keep_aliases=False)
        items[body_field.lookup_alias] = (
            annotated if body_field.required else NotRequired[annotated]
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnsupportedFieldAttributeWarning)
        body: Any = TypedDict("_Body", items)  # type: ignore[misc]
        return TypeAdapter(body)


def _has_strict(body_fields: list[ModelField]) -> bool:
    """Strict fields accept strings for dates, UUIDs... from JSON but not from Python."""
    return any("'strict': True" in repr(f.type_adapter.core_schema) for f in body_fields)


def _stages(steps: tuple[Step, ...]) -> tuple[tuple[Step, ...], ...]:
    """Consecutive `def` dependencies (plain or yield) grouped: one thread-pool hop each group.

    Every sync step still runs in a worker thread, never on the event loop; a group just runs
    its steps one after the other in the same hop instead of paying a hop per step.
    """
    stages: list[tuple[Step, ...]] = []
    for step in steps:
        if step.kind in (SYNC, GEN) and stages and stages[-1][0].kind in (SYNC, GEN):
            stages[-1] = (*stages[-1], step)
        else:
            stages.append((step,))
    return tuple(stages)


def build_plan(dependant: Dependant, *, flat_body: list[ModelField], embed: bool) -> Plan:
    """Compiles a route's dependency tree into its plan."""
    builder = _Builder(dependant, embed)
    is_form = bool(flat_body) and isinstance(flat_body[0].field_info, params.Form)
    body = None
    if builder.body_fields:
        body = BodyPlan(
            fields=tuple(builder.body_fields),
            keys=tuple(builder.body_keys),
            embed=embed,
            is_form=is_form,
            fast=_fast_body(builder.body_fields, embed, is_form),
        )
    locations = {slot.location for slot in builder.slots}
    steps = tuple(builder.steps)
    stages = _stages(steps)
    endpoint = builder.endpoint
    joins_last_stage = (
        endpoint.kind == SYNC
        and bool(stages)
        and stages[-1][0].kind in (SYNC, GEN)
        and not is_gen_callable(endpoint.call)
        and not is_async_gen_callable(endpoint.call)
    )
    return Plan(
        slots=tuple(builder.slots),
        validator=_combined_validator(builder.slots),
        needs_query="query" in locations,
        needs_headers="header" in locations,
        needs_cookies="cookie" in locations,
        body=body,
        steps=steps,
        endpoint=builder.endpoint,
        error_order=tuple(builder.error_order),
        needs_request=REQUEST in builder.needs or CONNECTION in builder.needs,
        needs_response=RESPONSE in builder.needs,
        needs_background=BACKGROUND in builder.needs,
        has_exit_stack=is_form or any(step.kind in (GEN, ASYNC_GEN) for step in steps),
        has_function_scope=any(
            step.function_scope and step.kind in (GEN, ASYNC_GEN) for step in steps
        ),
        stages=stages,
        endpoint_in_last_stage=joins_last_stage,
    )
