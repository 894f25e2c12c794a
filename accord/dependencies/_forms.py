"""FastAPI's form-reading helpers, under the private names cadwyn calls them by.

cadwyn migrates a form request between API versions the way FastAPI 0.163.2 would read it, so
it asks FastAPI's own helpers which models a form parameter stands for, which keys a field is
read under, what a form holds for it, and whether an optional form model was sent. These are
the same decisions Accord's compiler (`accord._compiler.form_models`) and its form reader
(`accord._form_values`, `accord._runtime.forms`) make, here with FastAPI's signatures; they run
when an extension calls them, never on Accord's own request path.
`accord.dependencies.utils` re-exports them at FastAPI's path.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

from pydantic import AliasChoices, BaseModel
from pydantic_core import PydanticUndefined
from starlette.datastructures import FormData, Headers, ImmutableMultiDict, UploadFile

from accord import params
from accord._compiler.annotations import (
    is_bytes_annotation,
    is_bytes_sequence_annotation,
    is_sequence_annotation,
    sequence_container,
)
from accord._compiler.dependant import Dependant
from accord._compiler.form_models import (
    form_model_plan,
    form_models,
    is_json,
    normalize_form_model,
    request_names,
)
from accord._compiler.plan import build_plan, should_embed_body
from accord._form_values import is_empty_upload
from accord._plan import ModelField
from accord._runtime.body import ABSENT, validate_received
from accord._runtime.forms import validate_form

__all__ = [
    "_extract_form_body",
    "_extract_form_items",
    "_get_form_model",
    "_get_form_models",
    "_get_multidict_value",
    "_get_param_aliases",
    "_is_form_model_supplied",
    "_normalize_form_model",
    "_should_embed_body_fields",
    "get_validation_alias",
    "request_body_to_args",
]


def get_validation_alias(field: ModelField) -> str:
    """The name a field is read under: its validation alias, else its alias."""
    return field.validation_alias or field.alias


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


# The function of the validators on a union form model's models: one object, so that an
# extension finds it there by identity, as it finds FastAPI's.
_normalize_form_model = normalize_form_model


def _is_form_model_supplied(model: type[BaseModel], received_body: FormData) -> bool:
    """Whether the form sends an optional form model: one of its keys is there, or, for a
    model taking extra keys (``extra="allow"``/``"forbid"``), any key."""
    plan = form_model_plan(params.Form(annotation=model))
    if plan is None or not received_body:
        return False
    return plan.takes_extras or not plan.names.isdisjoint(received_body.keys())


def _extra_items(received: Mapping[str, Any], taken: set[str]) -> Iterator[tuple[str, Any]]:
    """Every key not in `taken`, once, with its value (several values as a list)."""
    if isinstance(received, ImmutableMultiDict | Headers):
        grouped: dict[str, list[Any]] = {}
        items = (
            received.multi_items() if isinstance(received, ImmutableMultiDict) else received.items()
        )
        for key, value in items:
            if key not in taken:
                grouped.setdefault(key, []).append(value)
        for key, found in grouped.items():
            yield key, found[0] if len(found) == 1 else found
        return
    for key in received:
        if key not in taken:
            yield key, received.get(key)


def _extract_form_items(
    body_fields: list[ModelField], received_body: FormData
) -> Iterator[tuple[str, Any, ModelField | None]]:
    """What the form holds for each field (under the first of its keys it sends, uploads as
    they are), then every other key of the form with None for the field.

    A field's keys after the one found are not its own: they come back among the others.
    """
    taken: set[str] = set()
    for field in body_fields:
        for alias, _ in _get_param_aliases(field):
            taken.add(alias)
            value = _get_multidict_value(field, received_body, alias)
            if value is not PydanticUndefined:
                yield alias, value, field
                break
    for key, value in _extra_items(received_body, taken):
        yield key, value, None


async def _upload_bytes(upload: UploadFile) -> bytes:
    """An upload's content, leaving its position where it was for whoever reads it next."""
    position = upload.file.tell()
    try:
        return await upload.read()
    finally:
        await upload.seek(position)


async def _extract_form_body(
    body_fields: list[ModelField], received_body: FormData
) -> AsyncIterator[tuple[str, Any, ModelField | None]]:
    """`_extract_form_items`, with the uploads of `File()` fields typed as bytes read."""
    for alias, value, field in _extract_form_items(body_fields, received_body):
        if field is not None and isinstance(field.field_info, params.File):
            annotation = field.field_info.annotation
            if is_bytes_annotation(annotation) and isinstance(value, UploadFile):
                value = await _upload_bytes(value)
            elif is_bytes_sequence_annotation(annotation) and isinstance(value, list | tuple):
                read = [
                    await _upload_bytes(item) if isinstance(item, UploadFile) else item
                    for item in value
                ]
                value = sequence_container(annotation)(read)
        yield alias, value, field


def _validated_only() -> None:
    """The callable of the tree `request_body_to_args` compiles: only its body is used."""


async def request_body_to_args(
    body_fields: list[ModelField], received_body: Any, embed_body_fields: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The body fields' validated values by name, and the errors, for a body as received
    (parsed JSON, None for a JSON null, form data, or `PydanticUndefined` for none).

    Validated as a route with these body fields validates its body: the fields compiled into
    a body plan, run by Accord's JSON or form validation.
    """
    if not body_fields:
        raise ValueError("request_body_to_args() takes at least one body field")
    fields = list(body_fields)
    # Several fields are read key by key even under one name: only a single field that is
    # not embedded is the whole body.
    embed = embed_body_fields or len(fields) > 1 or should_embed_body(fields)
    tree = Dependant(body_params=fields, call=_validated_only)
    plan = build_plan(tree, flat_body=fields, embed=embed).body
    if plan is None:  # pragma: no cover - body fields always compile into a body plan
        raise ValueError("request_body_to_args() takes at least one body field")
    if isinstance(received_body, FormData):
        found, failed = await validate_form(plan, received_body)
    else:
        # No body is `PydanticUndefined`; None is a JSON null, validated as a value.
        absent = received_body is PydanticUndefined or received_body is ABSENT
        found, failed = validate_received(plan, ABSENT if absent else received_body)
    errors = [error for key in plan.keys for error in failed.get(key, ())]
    if not embed and not form_models(fields[0].field_info):
        # The whole body is the one field's: FastAPI names it even when it failed (None).
        return {fields[0].name: found.get(plan.keys[0])}, errors
    values = {
        field.name: found[key]
        for key, field in zip(plan.keys, plan.fields, strict=True)
        if key in found
    }
    return values, errors
