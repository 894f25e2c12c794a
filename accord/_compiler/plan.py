"""The plan builder: a `Dependant` tree becomes an immutable `Plan` the runner executes.

A plan lists the inputs to extract (per location), one pydantic validator for all of them, the
body's validator, the dependency steps in call order (cached duplicates folded away), and the
order in which FastAPI would report errors, so the error path can reproduce it exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo
from typing_extensions import NotRequired, TypedDict

from accord import params
from accord._adapters import shared_adapter
from accord._compiler.annotations import (
    is_sequence_annotation,
    lenient_issubclass,
    param_model,
)
from accord._compiler.app_scope import app_scope_step
from accord._compiler.calls import (
    is_async_gen_callable,
    is_coroutine_callable,
    is_gen_callable,
    manager_factory,
    step_kind,
)
from accord._compiler.dependant import Dependant
from accord._compiler.form_models import (
    declared_alias,
    form_field,
    form_model_plan,
    form_models,
    is_json,
)
from accord._plan import (
    ASYNC,
    ASYNC_GEN,
    BACKGROUND,
    CONNECTION,
    GEN,
    REQUEST,
    RESPONSE,
    SYNC,
    WEBSOCKET,
    BodyPlan,
    FormField,
    FormModel,
    Location,
    ModelField,
    Plan,
    Slot,
    Step,
    StepKind,
    annotated_type,
    silenced_alias_warnings,
)

__all__ = ["build_plan", "should_embed_body"]


def should_embed_body(fields: list[ModelField]) -> bool:
    """Whether body fields are keys of one object rather than the whole body (FastAPI's rule).

    One form model (or union of models) is the whole form, even when dependencies declare it
    again under the same name with the same annotation; anything else beside it embeds.
    """
    if not fields:
        return False
    if len({f.name for f in fields}) > 1:
        return True
    first = fields[0].field_info
    if form_models(first) and any(
        not form_models(f.field_info) or f.field_info.annotation is not first.annotation
        for f in fields[1:]
    ):
        return True
    if getattr(first, "embed", None):
        return True
    return (
        isinstance(first, params.Form)
        and not lenient_issubclass(first.annotation, BaseModel)
        and not form_models(first)
    )


class _Builder:
    """Walks the dependency tree once, in FastAPI's solving order."""

    def __init__(self, root: Dependant, body_embed: bool) -> None:
        self.slots: list[Slot] = []
        self.body_fields: list[ModelField] = []
        self.body_keys: list[str] = []
        self.body_whole: list[bool] = []
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
            (Location.PATH, dependant.path_params),
            (Location.QUERY, dependant.query_params),
            (Location.HEADER, dependant.header_params),
            (Location.COOKIE, dependant.cookie_params),
        ):
            for key, name in self.add_slots(location, fields):
                by_name[name] = key
                subtree.add(key)
        whole = (
            not self.body_embed
            and len(dependant.body_params) == 1
            and not should_embed_body(dependant.body_params)
        )
        for body_field in dependant.body_params:
            key = self.body_key(body_field, whole and not form_models(body_field.field_info))
            by_name[body_field.name] = key
            subtree.add(key)
            self.error_order.append(key)
        scopes = self.specials(dependant, by_name)
        args = [(name, by_name[name]) for name in dependant.param_order if name in by_name]
        assert dependant.call is not None
        kind = step_kind(dependant.call) if not is_endpoint else _endpoint_kind(dependant.call)
        return Step(
            call=dependant.call,
            kind=kind,
            args=tuple(args),
            result_key="",
            function_scope=dependant.computed_scope == "function",
            subtree=frozenset(subtree),
            scopes=scopes,
            manager=manager_factory(dependant.call, kind),
            concurrency=dependant.concurrency,
        )

    def visit_sub(self, sub: Dependant) -> tuple[str, set[str]]:
        if sub.scope == "app":
            return self.visit_app(sub), set()
        step = self.visit(sub)
        key = sub.cache_key()
        if sub.use_cache and key in self.cache:
            return self.cache[key], set(step.subtree)
        result_key = f"d{len(self.steps)}"
        self.steps.append(replace(step, result_key=result_key))
        self.cache.setdefault(key, result_key)
        return result_key, set(step.subtree)

    def visit_app(self, sub: Dependant) -> str:
        """`scope="app"`: one read of the app's value (accord._compiler.app_scope), placed before
        the other steps (it needs none of them) so it never splits a run of `def` steps."""
        key = sub.cache_key()
        if key in self.cache:
            return self.cache[key]
        result_key = f"d{len(self.steps)}"
        self.steps.insert(self.app_reads, app_scope_step(sub, result_key))
        self.app_reads += 1
        self.cache[key] = result_key
        return result_key

    def add_slots(self, location: Location, fields: list[ModelField]) -> list[tuple[str, str]]:
        added: list[tuple[str, str]] = []
        for model_field in fields:
            key = self.field_keys.get(id(model_field))
            if key is None:
                key = f"p{len(self.field_keys)}"
                self.field_keys[id(model_field)] = key
                model = param_model(model_field.field_info)
                self.slots.append(_slot(key, location, model_field, model))
            added.append((key, model_field.name))
            self.error_order.append(key)
        return added

    def body_key(self, body_field: ModelField, whole: bool) -> str:
        key = self.field_keys.get(id(body_field))
        if key is None:
            key = f"b{len(self.body_fields)}"
            body_field.type_adapter  # noqa: B018 - built at registration, never per request
            self.field_keys[id(body_field)] = key
            self.body_fields.append(body_field)
            self.body_keys.append(key)
            self.body_whole.append(whole)
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
        # Not an argument key: the step builds a fresh `SecurityScopes` for this parameter.
        return (name, tuple(dependant.oauth_scopes))


def _endpoint_kind(call: Callable[..., Any]) -> StepKind:
    return ASYNC if is_coroutine_callable(call) else SYNC


def _slot(
    key: str, location: Location, model_field: ModelField, model: type[BaseModel] | None
) -> Slot:
    field_info = model_field.field_info
    if model is not None:
        convert = getattr(field_info, "convert_underscores", True)
        lookups = tuple(
            (
                name,
                _model_lookup(name, info, location, convert),
                declared_alias(name, info),
                is_sequence_annotation(info.annotation),
            )
            for name, info in model.model_fields.items()
        )
        renamed: tuple[tuple[str, str], ...] = ()
        if location == Location.HEADER and model.model_config.get("loc_by_alias", True):
            renamed = tuple(
                (declared, declared.replace("_", "-"))
                for _, lookup, declared, _ in lookups
                if lookup == declared.replace("_", "-").lower() and "_" in declared
            )
        optional = field_info.annotation is not model
        return Slot(
            key,
            model_field,
            location,
            "",
            False,
            (location.value,),
            lookups,
            error_aliases=renamed,
            model_optional=optional,
            model_takes_extras=model.model_config.get("extra") in ("allow", "forbid"),
        )
    aliases = model_field.lookup_aliases if location != Location.PATH else ()
    alias = model_field.lookup_alias
    if location == Location.HEADER:
        alias = alias.lower()
        aliases = tuple(a.lower() for a in aliases)
    sequence = is_sequence_annotation(field_info.annotation) and not is_json(field_info)
    loc = (location.value, model_field.lookup_alias)
    choices = aliases if len(aliases) > 1 else ()
    return Slot(key, model_field, location, alias, sequence, loc, choices=choices)


def _model_lookup(name: str, info: FieldInfo, location: Location, convert: bool) -> str:
    alias = declared_alias(name, info)
    if location == "header":
        convert = getattr(info, "convert_underscores", convert)
        if convert and alias == name:
            alias = alias.replace("_", "-")
        return alias.lower()
    return alias


def _combined_validator(slots: list[Slot]) -> TypeAdapter[Any] | None:
    """One TypedDict adapter that validates every non-body input in one pydantic-core call."""
    if not slots:
        return None
    fields = [(slot.key, slot.field) for slot in slots]
    try:
        return _dict_adapter("_Inputs", fields)
    except Exception:
        # Name the parameter pydantic cannot handle: its own adapter raises the
        # `AccordError` that says which one and what to do (built only on this path; a
        # valid route builds them on first use).
        for slot in slots:
            slot.field.type_adapter  # noqa: B018
        raise


def _fast_body(
    body_fields: list[ModelField], embed: bool, is_form: bool, whole: tuple[bool, ...]
) -> TypeAdapter[Any] | None:
    """An adapter validating the raw JSON bytes in one call, where that agrees with FastAPI."""
    if is_form or not body_fields or _has_strict(body_fields):
        return None
    if any(len(f.lookup_aliases) > 1 for f in body_fields):
        return None  # `AliasChoices`: the first name sent wins, read key by key
    if not embed:
        # Several fields of one name (dependencies declaring it again) each read the whole
        # body with their own annotation: one adapter cannot stand for them all; nor for
        # fields of an override read key by key under a route that is not embedded.
        return body_fields[0].type_adapter if whole == (True,) else None
    aliases = [f.lookup_alias for f in body_fields]
    if len(set(aliases)) != len(aliases):
        return None
    fields = list(zip(aliases, body_fields, strict=True))
    return _dict_adapter("_Body", fields)


def _dict_adapter(name: str, fields: list[tuple[str, ModelField]]) -> TypeAdapter[Any]:
    """One adapter for a dict of these fields by key (the required ones must be present),
    shared by every route whose fields are declared the same way."""
    keys = [f.unaliased_key for _, f in fields]
    shared: Hashable | None = None
    if None not in keys:
        shared = (
            name,
            tuple((k, f.required, key) for (k, f), key in zip(fields, keys, strict=True)),
        )
    return shared_adapter(shared, lambda: _new_dict_adapter(name, fields))


def _new_dict_adapter(name: str, fields: list[tuple[str, ModelField]]) -> TypeAdapter[Any]:
    items: dict[str, Any] = {}
    for key, model_field in fields:
        annotated = annotated_type(model_field.field_info, keep_aliases=False)
        items[key] = annotated if model_field.required else NotRequired[annotated]
    inputs: Any = TypedDict(name, items)  # type: ignore[misc]
    with silenced_alias_warnings():
        return TypeAdapter(inputs)


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
        # A limited step waits for its slot on the loop: it gets a hop of its own.
        groups = step.kind in (SYNC, GEN) and step.concurrency is None
        last = stages[-1][0] if stages else None
        if groups and last is not None and last.kind in (SYNC, GEN) and last.concurrency is None:
            stages[-1] = (*stages[-1], step)
        else:
            stages.append((step,))
    return tuple(stages)


def _form_plans(
    body_fields: list[ModelField],
) -> tuple[tuple[FormField, ...], tuple[FormModel | None, ...]]:
    """How a form is read: its plain fields together, each form model on its own."""
    models = tuple(form_model_plan(f.field_info) for f in body_fields)
    plain = tuple(
        replace(form_field(f.lookup_alias, f.field_info), fallbacks=f.lookup_aliases[1:])
        for f, model in zip(body_fields, models, strict=True)
        if model is None
    )
    return plain, models


def build_plan(dependant: Dependant, *, flat_body: list[ModelField], embed: bool) -> Plan:
    """Compiles a route's dependency tree into its plan."""
    builder = _Builder(dependant, embed)
    is_form = bool(flat_body) and isinstance(flat_body[0].field_info, params.Form)
    body = None
    if builder.body_fields:
        form_fields, models = _form_plans(builder.body_fields) if is_form else ((), ())
        whole = tuple(builder.body_whole)
        body = BodyPlan(
            fields=tuple(builder.body_fields),
            keys=tuple(builder.body_keys),
            embed=embed,
            is_form=is_form,
            fast=_fast_body(builder.body_fields, embed, is_form, whole),
            form_fields=form_fields,
            form_models=models,
            whole=whole,
        )
    steps = tuple(builder.steps)
    stages = _stages(steps)
    endpoint = builder.endpoint
    joins_last_stage = (
        endpoint.kind == SYNC
        and bool(stages)
        and stages[-1][0].kind in (SYNC, GEN)
        and stages[-1][0].concurrency is None
        and not is_gen_callable(endpoint.call)
        and not is_async_gen_callable(endpoint.call)
    )
    return Plan(
        slots=tuple(builder.slots),
        validator=_combined_validator(builder.slots),
        locations=frozenset(slot.location for slot in builder.slots),
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
