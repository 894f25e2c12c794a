"""Turning received form data into the dict the body fields validate."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from pydantic import BaseModel
from starlette.datastructures import FormData, UploadFile

from accord import params
from accord._compiler.annotations import (
    is_bytes_annotation,
    is_bytes_sequence_annotation,
    is_sequence_annotation,
    lenient_issubclass,
    sequence_container,
)
from accord._compiler.plan import BodyPlan

__all__ = ["collect_form"]


def _form_fields(body: BodyPlan) -> list[tuple[str, Any]]:
    """(lookup name, FieldInfo) for each field the form is read through.

    A form model is read through its own fields, whose plain `FieldInfo`s are neither `Form`
    nor `File` markers (so, as in FastAPI, empty strings and uploads reach the model as they are).
    """
    first = body.fields[0]
    if not body.embed and lenient_issubclass(first.type_, BaseModel):
        return [(_alias(name, info), info) for name, info in first.type_.model_fields.items()]
    return [(f.lookup_alias, f.field_info) for f in body.fields]


def _alias(name: str, info: Any) -> str:
    alias = info.validation_alias if isinstance(info.validation_alias, str) else None
    return alias or info.alias or name


def _lookup(form: FormData, alias: str, info: Any, is_form_marker: bool) -> Any:
    sequence = is_sequence_annotation(info.annotation)
    value: Any = form.getlist(alias) if sequence else form.get(alias)
    empty_text = is_form_marker and isinstance(value, str) and value == ""
    if value is None or empty_text or (sequence and len(value) == 0):
        if info.is_required():
            return None
        return deepcopy(info.get_default(call_default_factory=True))
    return value


async def collect_form(body: BodyPlan, form: FormData) -> dict[str, Any]:
    """FastAPI's reading of a form: declared fields, uploaded bytes read, then extra keys."""
    collected: dict[str, Any] = {}
    fields = _form_fields(body)
    for alias, info in fields:
        is_file = isinstance(info, params.File)
        value = _lookup(form, alias, info, isinstance(info, params.Form))
        annotation = info.annotation
        if is_file and is_bytes_annotation(annotation) and isinstance(value, UploadFile):
            value = await value.read()
        elif is_file and is_bytes_sequence_annotation(annotation) and isinstance(value, list):
            contents = [await item.read() for item in value]
            value = sequence_container(annotation)(contents)
        if value is not None:
            collected[alias] = value
    declared = {alias for alias, _ in fields}
    for key in form:
        if key not in declared:
            found = form.getlist(key)
            collected[key] = found[0] if len(found) == 1 else found
    return collected


