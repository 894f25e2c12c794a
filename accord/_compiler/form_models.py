"""Form models as FastAPI 0.163 has them: what they are, how they are read, how they are documented.

A ``Form()`` parameter annotated with a pydantic model (``F``), an optional one (``F | None``) or
a union of models (``F1 | F2``, optionally ``| None``) stands for the whole form rather than
one key of it. Such a parameter is read from the whole form on its own, beside any other form
models and plain form fields of the route (its dependencies' included), and validated at
``["body"]``. An optional model is absent unless one of its fields' keys is in the form (or,
for ``extra="allow"``/``"forbid"``, unless the form has any key). Everything here runs at
registration or when the OpenAPI document is built, never per request.
"""

from __future__ import annotations

from copy import copy, deepcopy
from dataclasses import is_dataclass, replace
from functools import partial
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AliasChoices,
    AliasPath,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetJsonSchemaHandler,
    GetPydanticSchema,
    Json,
    Tag,
    create_model,
)
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from accord import params
from accord._compiler.annotations import (
    is_bytes_annotation,
    is_bytes_sequence_annotation,
    is_sequence_annotation,
    is_union,
    lenient_issubclass,
    sequence_container,
)
from accord._form_values import BranchValidator, FormBranch
from accord._plan import FormField, FormModel, ModelField

__all__ = [
    "branch_reader",
    "declared_alias",
    "form_body_model",
    "form_field",
    "form_model_plan",
    "form_models",
    "is_json",
    "is_nullable",
    "model_form_fields",
    "normalize_form_model",
    "request_names",
    "union_models",
    "with_branch_readers",
]

_NONE = type(None)


def is_json(field_info: FieldInfo) -> bool:
    """``Annotated[..., Json]``: the value is a JSON document, never a model's fields."""
    return any(type(item) is Json for item in field_info.metadata)


def _single_model(annotation: Any) -> type[BaseModel] | None:
    if is_union(annotation):
        args = get_args(annotation)
        if len(args) == 2 and _NONE in args:
            annotation = args[0] if args[1] is _NONE else args[1]
    return annotation if lenient_issubclass(annotation, BaseModel) else None


def union_models(annotation: Any) -> tuple[type[BaseModel], ...]:
    """The models of a union of two or more models (``None`` allowed beside them), else ()."""
    if not is_union(annotation):
        return ()
    models: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        if arg is _NONE:
            continue
        if get_origin(arg) is Annotated:
            arg = get_args(arg)[0]
        if not lenient_issubclass(arg, BaseModel):
            return ()
        models.append(arg)
    return tuple(models) if len(models) > 1 else ()


def form_models(field_info: FieldInfo) -> tuple[type[BaseModel], ...]:
    """The models a form parameter stands for: one, several (a union), or none (a plain field)."""
    if not isinstance(field_info, params.Form) or field_info.embed or is_json(field_info):
        return ()
    model = _single_model(field_info.annotation)
    return (model,) if model is not None else union_models(field_info.annotation)


def is_nullable(field_info: FieldInfo) -> bool:
    """``... | None``."""
    return _NONE in get_args(field_info.annotation)


def declared_alias(name: str, info: FieldInfo) -> str:
    """The key a model field is read under: its string validation alias, alias or name."""
    alias = info.validation_alias if isinstance(info.validation_alias, str) else None
    return alias or info.alias or name


def form_field(alias: str, info: FieldInfo) -> FormField:
    """How one form key is read: as a sequence or not, uploads read into bytes or not.

    Only `File()` fields read uploads into bytes; a model's fields are plain `FieldInfo`s, so
    uploads and empty strings reach the model as they are, as in FastAPI.
    """
    annotation = info.annotation
    is_file = isinstance(info, params.File)
    read: Any = ""
    container = None
    if is_file and is_bytes_annotation(annotation):
        read = "one"
    elif is_file and is_bytes_sequence_annotation(annotation):
        read, container = "many", sequence_container(annotation)
    return FormField(
        alias=alias,
        info=info,
        # A `Json[list[...]]` value is one JSON document, never the key's repeated values.
        sequence=is_sequence_annotation(annotation) and not is_json(info),
        read_bytes=read,
        container=container,
    )


def request_names(name: str, info: FieldInfo, config: ConfigDict | None) -> tuple[str, ...]:
    """The keys a model field is read under, in preference order (FastAPI's rule).

    `AliasChoices` of plain names give each name; a model that validates by name also reads
    the field's name (and only it, when it does not validate by alias).
    """
    names = [declared_alias(name, info)]
    chosen = info.validation_alias
    if isinstance(chosen, AliasPath):
        return tuple(names)
    if isinstance(chosen, AliasChoices):
        if not all(isinstance(choice, str) for choice in chosen.choices):
            return tuple(names)
        names = [str(choice) for choice in chosen.choices]
    config = config or {}
    if config.get("validate_by_alias") is False:
        return (name,)
    by_name = config.get("validate_by_name", config.get("populate_by_name", False))
    if by_name and name not in names:
        names.append(name)
    return tuple(names)


def _field_config(model: type[BaseModel], info: FieldInfo) -> ConfigDict | None:
    # As FastAPI: a field typed as a model, a dict or a dataclass does not take the config.
    annotation = info.annotation
    nested = lenient_issubclass(annotation, (BaseModel, dict)) or is_dataclass(annotation)
    return None if nested else model.model_config


def model_form_fields(model: type[BaseModel]) -> tuple[FormField, ...]:
    """The fields a model is read through (each under its first name, then the others)."""
    fields = []
    for name, info in model.model_fields.items():
        first, *more = request_names(name, info, _field_config(model, info))
        fields.append(replace(form_field(first, info), fallbacks=tuple(more)))
    return tuple(fields)


def _all_names(fields: tuple[FormField, ...]) -> frozenset[str]:
    return frozenset(name for f in fields for name in (f.alias, *f.fallbacks))


def branch_reader(model: type[BaseModel]) -> FormBranch:
    """How one model of a union form model reads the form's keys given to the union."""
    fields = model_form_fields(model)
    return FormBranch(fields, _all_names(fields))


def normalize_form_model(value: Any, *, model: type[BaseModel]) -> Any:
    """A union form model's input (every key of the form) as `model` reads it (FastAPI's
    `_normalize_form_model`, the function of every `BranchValidator`)."""
    return branch_reader(model)(value)


def _branch_validator(model: type[BaseModel]) -> BranchValidator:
    validator = BranchValidator(normalize_form_model, model=model)
    validator.branch = branch_reader(model)
    return validator


def with_branch_readers(annotation: Any) -> Any:
    """A union form model's annotation with each model reading the form its own way.

    Each model gets a `BranchValidator` (its `FormBranch`) and keeps its name (or its own `Tag`) in
    error locations, as in FastAPI: ``["body", "Card", "number"]``.
    """
    choices: list[Any] = []
    for choice in get_args(annotation):
        if choice is _NONE:
            choices.append(choice)
            continue
        model, *metadata = get_args(choice) if get_origin(choice) is Annotated else (choice,)
        tag = next((m for m in reversed(metadata) if isinstance(m, Tag)), Tag(model.__name__))
        choices.append(Annotated[choice, BeforeValidator(_branch_validator(model)), tag])
    return Union[tuple(choices)]


def form_model_plan(field_info: FieldInfo) -> FormModel | None:
    """How a request reads the parameter, if it is a form model."""
    models = form_models(field_info)
    if not models:
        return None
    fields = model_form_fields(models[0]) if len(models) == 1 else ()
    names = frozenset().union(*(_all_names(model_form_fields(model)) for model in models))
    return FormModel(
        fields=fields,
        declared=_all_names(fields),
        names=names,
        optional=is_nullable(field_info),
        takes_extras=any(m.model_config.get("extra") in ("allow", "forbid") for m in models),
    )


# -- the OpenAPI request body --------------------------------------------------------------


def form_body_model(name: str, body_params: list[ModelField]) -> type[BaseModel]:
    """The ``Body_...`` model documenting a form body with form models, as FastAPI writes it.

    Its fields are numbered (``field_0``...) so that same-named parameters stay apart; the
    schema is then rewritten (`_rewrite_form_schema`): plain fields become properties, each
    form model an ``allOf`` entry, optional ones an ``anyOf`` with the form lacking them.
    """
    fields: dict[str, Any] = {}
    for index, param in enumerate(body_params):
        info = copy(param.field_info)
        models = form_models(param.field_info)
        if len(models) == 1:
            # Documented through a schema hook, as in FastAPI (so the reference carries no title
            # of its own), which renames fields this form reads under other names.
            hook = GetPydanticSchema(get_pydantic_json_schema=partial(_model_schema, models[0]))
            model: Any = Annotated[models[0], hook]
            info.annotation = model if param.field_info.annotation is models[0] else model | None
        key = f"field_{index}"
        info.alias = info.validation_alias = info.serialization_alias = key
        info.title = info.title or param.name.replace("_", " ").title()
        fields[key] = (info.annotation, info)
    config = ConfigDict(json_schema_extra=partial(_rewrite_form_schema, tuple(body_params)))
    body: type[BaseModel] = create_model(name, __config__=config, **fields)
    return body


def _model_schema(
    model: type[BaseModel], core_schema: CoreSchema, handler: GetJsonSchemaHandler
) -> JsonSchemaValue:
    """The model's schema as this form reads it: the shared reference, unless a field is read
    under other names than its schema says (then a copy, renamed for this form alone)."""
    schema = handler(core_schema)
    resolved = handler.resolve_ref_schema(schema)
    properties = resolved.get("properties", {})
    required = resolved.get("required", [])
    renamed: dict[str, tuple[str, ...]] = {}
    for name, info in model.model_fields.items():
        chosen = info.validation_alias
        listed = chosen.choices[0] if isinstance(chosen, AliasChoices) else None
        schema_name = listed if listed is not None else declared_alias(name, info)
        names = request_names(name, info, _field_config(model, info))
        read_otherwise = names[0] != schema_name or (len(names) > 1 and schema_name in required)
        if isinstance(schema_name, str) and schema_name in properties and read_otherwise:
            renamed[schema_name] = names
    if not renamed:
        return schema
    copied = deepcopy(resolved)
    copied["properties"] = {
        renamed.get(key, (key,))[0]: value for key, value in copied["properties"].items()
    }
    copied["required"] = []
    for key in required:
        names = renamed.get(key, (key,))
        if len(names) == 1:
            copied["required"].append(names[0])
        else:
            either = {"anyOf": [{"required": [n]} for n in names]}
            copied.setdefault("allOf", []).append(either)
    return copied


def _absent(models: tuple[type[BaseModel], ...]) -> dict[str, Any]:
    """The schema of a form that does not send any of `models`."""
    if any(m.model_config.get("extra") in ("allow", "forbid") for m in models):
        return {"maxProperties": 0}
    names = sorted(frozenset().union(*(_all_names(model_form_fields(m)) for m in models)))
    return {"not": {"anyOf": [{"required": [n]} for n in names]}} if names else {}


def _rewrite_form_schema(body_params: tuple[ModelField, ...], schema: dict[str, Any]) -> None:
    numbered = schema.pop("properties")
    schema.pop("required", None)
    properties: dict[str, Any] = {}
    required: list[str] = []
    conditions: list[dict[str, Any]] = []
    for index, param in enumerate(body_params):
        field_schema = numbered[f"field_{index}"]
        models = form_models(param.field_info)
        if not models:
            alias = param.lookup_alias
            if alias in properties:
                conditions.append({"properties": {alias: field_schema}})
            else:
                properties[alias] = field_schema
            if param.required and alias not in required:
                required.append(alias)
            continue
        field_schema.pop("default", None)
        if is_nullable(param.field_info):
            # An optional form model is left out by sending none of its keys, not a null.
            field_schema["anyOf"] = [c for c in field_schema["anyOf"] if c.get("type") != "null"]
            absent = _absent(models)
            if param.required:
                conditions.append({"not": absent})
            else:
                field_schema = {"anyOf": [absent, field_schema]}
        conditions.append(field_schema)
    if properties:
        schema["properties"] = properties
    if required:
        schema["required"] = required
    schema["allOf"] = conditions
