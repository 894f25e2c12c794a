"""The operation objects of one route: parameters, request body, responses and security."""

from __future__ import annotations

import copy
import functools
import http.client
import inspect
import warnings
from dataclasses import dataclass, field
from typing import Any

from pydantic.fields import FieldInfo
from starlette.responses import JSONResponse, Response

from accord._compiler.annotations import lenient_issubclass, param_model
from accord._compiler.dependant import Dependant
from accord._plan import ModelField, is_body_allowed_for_status_code
from accord.datastructures import DefaultPlaceholder
from accord.encoders import jsonable_encoder
from accord.exceptions import RequestValidationError
from accord.openapi.constants import METHODS_WITH_BODY, REF_PREFIX
from accord.openapi.schemas import FieldMapping, flatten_param_fields, schema_for_field
from accord.params import Form, ParamTypes, _Unset
from accord.problems import PROBLEM_MEDIA_TYPE
from accord.security.base import SecurityBase

__all__ = [
    "STATUS_RANGES",
    "Context",
    "DependencyData",
    "declared_validation_field",
    "deep_dict_update",
    "dependency_data",
    "flat_params",
    "operation_metadata",
    "operation_summary",
    "path_item",
    "request_body",
    "validation_error_definitions",
]

# The body of a 413 in FastAPI's error format (inline: a component name could clash).
_DETAIL_SCHEMA = {
    "title": "HTTPError",
    "type": "object",
    "properties": {"detail": {"title": "Detail", "type": "string"}},
    "required": ["detail"],
}

STATUS_RANGES = {
    "1XX": "Information",
    "2XX": "Success",
    "3XX": "Redirection",
    "4XX": "Client Error",
    "5XX": "Server Error",
    "DEFAULT": "Default Response",
}


def validation_error_definitions() -> dict[str, dict[str, Any]]:
    """The component schemas of the 422 document (`HTTPValidationError`, `ValidationError`)."""
    return {
        "ValidationError": {
            "title": "ValidationError",
            "type": "object",
            "properties": {
                "loc": {
                    "title": "Location",
                    "type": "array",
                    "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                },
                "msg": {"title": "Message", "type": "string"},
                "type": {"title": "Error Type", "type": "string"},
                "input": {"title": "Input"},
                "ctx": {"title": "Context", "type": "object"},
            },
            "required": ["loc", "msg", "type"],
        },
        "HTTPValidationError": {
            "title": "HTTPValidationError",
            "type": "object",
            "properties": {
                "detail": {
                    "title": "Detail",
                    "type": "array",
                    "items": {"$ref": REF_PREFIX + "ValidationError"},
                }
            },
        },
    }


def _problem_properties() -> dict[str, Any]:
    return {
        "type": {"title": "Type", "type": "string", "default": "about:blank"},
        "title": {"title": "Title", "type": "string"},
        "status": {"title": "Status", "type": "integer"},
        "detail": {"title": "Detail", "type": "string"},
        "instance": {"title": "Instance", "type": "string"},
    }


def problem_definitions() -> dict[str, dict[str, Any]]:
    """The component schemas of RFC 9457 problem documents (`error_format="problem"`)."""
    validation = _problem_properties()
    validation["errors"] = {
        "title": "Errors",
        "type": "array",
        "items": {"$ref": REF_PREFIX + "ValidationError"},
    }
    return {
        "ProblemDetails": {
            "title": "ProblemDetails",
            "description": "An RFC 9457 problem document.",
            "type": "object",
            "properties": _problem_properties(),
            "required": ["type", "title", "status"],
        },
        "ValidationProblemDetails": {
            "title": "ValidationProblemDetails",
            "description": "An RFC 9457 problem document listing the request's validation errors.",
            "type": "object",
            "properties": validation,
            "required": ["type", "title", "status", "errors"],
        },
        "ValidationError": validation_error_definitions()["ValidationError"],
    }


def _declared_validation_model(route: Any) -> tuple[Any, str] | None:
    """The (model, media type) the app's `RequestValidationError` handler declared, if any.

    Declared with ``app.exception_handler(RequestValidationError, model=...)``; a route knows
    its app as its `dependency_overrides_provider`.
    """
    provider = getattr(route, "dependency_overrides_provider", None)
    models = getattr(provider, "exception_handler_models", None)
    if not models:
        return None
    found: tuple[Any, str] | None = models.get(RequestValidationError) or models.get(422)
    return found


@functools.lru_cache(maxsize=64)
def _model_field(model: Any) -> ModelField:
    # One field per model, so the document's schema map (keyed by field) finds it again.
    info = FieldInfo(annotation=model)
    return ModelField(field_info=info, name="ValidationErrorResponse", mode="serialization")


def declared_validation_field(route: Any) -> ModelField | None:
    """The field of the model a custom 422 handler declared, for the document's schema pass."""
    declared = _declared_validation_model(route)
    return _model_field(declared[0]) if declared is not None else None


# -- the dependency tree, flattened --------------------------------------------------------


@dataclass
class DependencyData:
    """The parameters and security schemes of a whole dependency tree (each dependant once)."""

    path_params: list[ModelField] = field(default_factory=list)
    query_params: list[ModelField] = field(default_factory=list)
    header_params: list[ModelField] = field(default_factory=list)
    cookie_params: list[ModelField] = field(default_factory=list)
    security: list[tuple[SecurityBase, list[str]]] = field(default_factory=list)

    def locations(self) -> list[tuple[ParamTypes, list[ModelField]]]:
        """Each location with its parameters as declared."""
        return [
            (ParamTypes.path, self.path_params),
            (ParamTypes.query, self.query_params),
            (ParamTypes.header, self.header_params),
            (ParamTypes.cookie, self.cookie_params),
        ]

    def groups(self) -> list[tuple[ParamTypes, list[ModelField]]]:
        """Each location with its parameters (a parameter model as its fields)."""
        return [(where, flatten_param_fields(fields)) for where, fields in self.locations()]


def _security_scheme(call: Any) -> SecurityBase | None:
    while isinstance(call, functools.partial):
        call = call.func
    call = inspect.unwrap(call) if call is not None else None
    return call if isinstance(call, SecurityBase) else None


def dependency_data(dependant: Dependant) -> DependencyData:
    """Walks the tree depth first, in declaration order, skipping repeated dependants."""
    data = DependencyData()
    seen: list[Any] = []
    pending: list[tuple[Dependant, list[str], bool]] = [(dependant, [], True)]
    while pending:
        current, parent_scopes, is_root = pending.pop()
        key = current.cache_key()
        if key in seen:
            continue
        seen.append(key)
        data.path_params.extend(current.path_params)
        data.query_params.extend(current.query_params)
        data.header_params.extend(current.header_params)
        data.cookie_params.extend(current.cookie_params)
        scopes = list(parent_scopes)
        scopes.extend(s for s in current.oauth_scopes if s not in scopes)
        scheme = _security_scheme(current.call)
        if not is_root and scheme is not None:
            data.security.append((scheme, scopes))
        pending.extend((sub, scopes, False) for sub in reversed(current.dependencies))
    return data


def flat_params(dependant: Dependant) -> list[ModelField]:
    """Every path, query, header and cookie field of the tree, in that order."""
    return [f for _, fields in dependency_data(dependant).groups() for f in fields]


# -- security -----------------------------------------------------------------------------


def _security(
    found: list[tuple[SecurityBase, list[str]]],
) -> tuple[dict[str, Any], list[dict[str, list[str]]]]:
    """The schemes to register and the operation's requirements (scopes merged by scheme)."""
    schemes: dict[str, Any] = {}
    requirements: dict[str, list[str]] = {}
    for scheme, scopes in found:
        name = scheme.scheme_name
        schemes[name] = jsonable_encoder(scheme.model, by_alias=True, exclude_none=True)
        merged = requirements.setdefault(name, [])
        merged.extend(s for s in scopes if s not in merged)
    return schemes, [{name: scopes} for name, scopes in requirements.items()]


# -- parameters and body ------------------------------------------------------------------


@dataclass
class Context:
    """What every operation of one document shares: the schema map and the operation ids."""

    mapping: FieldMapping
    separate: bool
    operation_ids: set[str]

    def schema(self, model_field: ModelField) -> dict[str, Any]:
        """The field's schema, titled, from the document's schema map."""
        return schema_for_field(
            model_field, self.mapping, separate_input_output_schemas=self.separate
        )


def _examples_into(target: dict[str, Any], info: Any) -> None:
    examples = getattr(info, "openapi_examples", None)
    example = getattr(info, "example", None)
    if examples:
        target["examples"] = jsonable_encoder(examples)
    elif example is not _Unset:
        target["example"] = jsonable_encoder(example)


def _parameters(data: DependencyData, ctx: Context) -> list[dict[str, Any]]:
    parameters = []
    for location, declared in data.locations():
        for parent in declared:
            info = parent.field_info
            if not getattr(info, "include_in_schema", True):
                continue
            model = param_model(info)
            # `Filters | None = None`: none of its fields is required of the client.
            optional = model is not None and info.annotation is not model and not info.is_required()
            # A parameter model's own marker decides for its fields.
            convert = getattr(info, "convert_underscores", True)
            for param in flatten_param_fields([parent]):
                parameters.append(_parameter(param, location, ctx, convert, optional))
    return parameters


def _parameter(
    param: ModelField, location: ParamTypes, ctx: Context, convert_default: bool, optional: bool
) -> dict[str, Any]:
    info = param.field_info
    schema = ctx.schema(param)
    name = param.lookup_alias
    convert = getattr(info, "convert_underscores", convert_default)
    if location == ParamTypes.header and name == param.name and convert:
        name = param.name.replace("_", "-")
    parameter: dict[str, Any] = {
        "name": name,
        "in": location.value,
        "required": info.is_required() and not optional,
        "schema": schema,
    }
    if info.description:
        parameter["description"] = info.description
    _examples_into(parameter, info)
    if getattr(info, "deprecated", None):
        parameter["deprecated"] = True
    return parameter


def _merge_parameters(parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per (location, name); a required declaration wins over an optional one."""
    by_key = {(p["in"], p["name"]): p for p in parameters}
    by_key.update({(p["in"], p["name"]): p for p in parameters if p.get("required")})
    return list(by_key.values())


def request_body(body_field: ModelField | None, ctx: Context) -> dict[str, Any] | None:
    """The operation's ``requestBody`` object for `body_field` (none without a body)."""
    if not body_field:
        return None
    info: Any = body_field.field_info
    body: dict[str, Any] = {}
    if info.is_required():
        body["required"] = True
    content: dict[str, Any] = {"schema": ctx.schema(body_field)}
    _examples_into(content, info)
    body["content"] = {info.media_type: content}
    return body


# -- responses ----------------------------------------------------------------------------


def _response_class(route: Any) -> type[Response]:
    cls = route.response_class
    return cls.value if isinstance(cls, DefaultPlaceholder) else cls  # type: ignore[no-any-return]


def _default_status(route: Any, cls: type[Response]) -> str:
    if route.status_code is not None:
        return str(route.status_code)
    parameter = inspect.signature(cls.__init__).parameters.get("status_code")
    if parameter is not None and isinstance(parameter.default, int):
        return str(parameter.default)
    return "200"


def _main_response(operation: dict[str, Any], route: Any, ctx: Context) -> None:
    cls = _response_class(route)
    status = _default_status(route, cls)
    response = operation.setdefault("responses", {}).setdefault(status, {})
    response["description"] = route.response_description
    if not is_body_allowed_for_status_code(route.status_code):
        return
    item_field = getattr(route, "stream_item_field", None)
    if getattr(route, "is_json_stream", False):
        item_schema = ctx.schema(item_field) if item_field else {}
        response.setdefault("content", {})["application/jsonl"] = {"itemSchema": item_schema}
    elif getattr(route, "is_sse_stream", False):
        response.setdefault("content", {})["text/event-stream"] = {
            "itemSchema": _sse_item_schema(item_field, ctx)
        }
    elif cls.media_type:
        schema: dict[str, Any] = {"type": "string"}
        if lenient_issubclass(cls, JSONResponse):
            schema = ctx.schema(route.response_field) if route.response_field else {}
        response.setdefault("content", {}).setdefault(cls.media_type, {})["schema"] = schema


def _sse_item_schema(item_field: ModelField | None, ctx: Context) -> dict[str, Any]:
    """One server-sent event; a typed stream's `data` is that type's JSON."""
    from accord.sse import SSE_EVENT_SCHEMA

    schema = copy.deepcopy(SSE_EVENT_SCHEMA)
    if item_field:
        schema["required"] = ["data"]
        schema["properties"]["data"] = {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": ctx.schema(item_field),
        }
    return schema


def _additional_responses(
    operation: dict[str, Any], route: Any, ctx: Context, defs: dict[str, Any]
) -> None:
    is_problem = error_format(route) == "problem"
    responses = operation.setdefault("responses", {})
    media_type = _response_class(route).media_type or "application/json"
    for code, declared in route.responses.items():
        extra = copy.deepcopy(declared)
        extra.pop("model", None)
        key = str(code).upper()
        key = "default" if key == "DEFAULT" else key
        target = responses.setdefault(key, {})
        model_field = route.response_fields.get(code)
        if model_field:
            schema = extra.setdefault("content", {}).setdefault(media_type, {})
            deep_dict_update(schema.setdefault("schema", {}), ctx.schema(model_field))
        status_text = STATUS_RANGES.get(str(code).upper()) or http.client.responses.get(int(code))
        description = (
            extra.get("description")
            or target.get("description")
            or status_text
            or "Additional Response"
        )
        deep_dict_update(target, extra)
        target["description"] = description
        if is_problem and not model_field and "content" not in target and key[0] in "45":
            ref = "ValidationProblemDetails" if key == "422" else "ProblemDetails"
            target["content"] = _problem_content(ref, defs)


def deep_dict_update(main: dict[Any, Any], update: dict[Any, Any]) -> None:
    """Merges `update` into `main`: dicts recursively, lists concatenated, the rest replaced."""
    for key, value in update.items():
        current = main.get(key) if key in main else None
        if isinstance(current, dict) and isinstance(value, dict):
            deep_dict_update(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            main[key] = current + value
        else:
            main[key] = value


# -- one route ----------------------------------------------------------------------------


def operation_summary(route: Any) -> str:
    """The route's summary, else its name in title case (``read_items`` -> ``Read Items``)."""
    return str(route.summary or route.name.replace("_", " ").title())


def operation_metadata(route: Any, ctx: Context) -> dict[str, Any]:
    """Tags, summary, description, operation id (warning on a repeat) and deprecation."""
    operation: dict[str, Any] = {}
    if route.tags:
        operation["tags"] = route.tags
    operation["summary"] = operation_summary(route)
    if route.description:
        operation["description"] = route.description
    operation_id = route.operation_id or route.unique_id
    if operation_id in ctx.operation_ids:
        endpoint_name = getattr(route.endpoint, "__name__", "<unnamed_endpoint>")
        message = f"Duplicate Operation ID {operation_id} for function {endpoint_name}"
        file_name = getattr(route.endpoint, "__globals__", {}).get("__file__")
        if file_name:
            message += f" at {file_name}"
        warnings.warn(message, stacklevel=1)
    ctx.operation_ids.add(operation_id)
    operation["operationId"] = operation_id
    if route.deprecated:
        operation["deprecated"] = route.deprecated
    return operation


def _callbacks(route: Any, ctx: Context) -> dict[str, Any]:
    from accord.routing import APIRoute

    callbacks: dict[str, Any] = {}
    for callback in route.callbacks:
        if isinstance(callback, APIRoute):
            path, _, _ = path_item(callback, ctx)
            callbacks[callback.name] = {callback.path: path}
    return callbacks


def _operation(
    route: Any, method: str, data: DependencyData, ctx: Context, defs: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    operation = operation_metadata(route, ctx)
    schemes, requirements = _security(data.security)
    if requirements:
        operation.setdefault("security", []).extend(requirements)
    parameters = _parameters(data, ctx)
    if parameters:
        operation["parameters"] = _merge_parameters(parameters)
    if method in METHODS_WITH_BODY:
        body = request_body(route.body_field, ctx)
        if body:
            operation["requestBody"] = body
    if route.callbacks:
        operation["callbacks"] = _callbacks(route, ctx)
    _main_response(operation, route, ctx)
    if route.responses:
        _additional_responses(operation, route, ctx, defs)
    if method in METHODS_WITH_BODY and route.body_field and "413" not in operation["responses"]:
        _too_large_response(operation["responses"], route, defs)
    has_inputs = any(fields for _, fields in data.groups()) or route.body_field
    if has_inputs and not any(s in operation["responses"] for s in ("422", "4XX", "default")):
        operation["responses"]["422"] = _validation_response(route, ctx, defs)
    if route.openapi_extra:
        deep_dict_update(operation, route.openapi_extra)
    return operation, schemes


def error_format(route: Any) -> str:
    """The route's error format (``"fastapi"`` unless it or its routers chose another)."""
    chosen = getattr(route, "error_format", "fastapi")
    return str(chosen.value if isinstance(chosen, DefaultPlaceholder) else chosen)


def _problem_content(name: str, defs: dict[str, Any]) -> dict[str, Any]:
    if name not in defs:
        defs.update(problem_definitions())
    return {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": REF_PREFIX + name}}}


def _validation_response(route: Any, ctx: Context, defs: dict[str, Any]) -> dict[str, Any]:
    """The 422 the route answers with: a custom handler's model, a problem, or FastAPI's."""
    declared = _declared_validation_model(route)
    if declared is not None:
        model, media_type = declared
        content = {media_type: {"schema": ctx.schema(_model_field(model))}}
        return {"description": "Validation Error", "content": content}
    if error_format(route) == "problem":
        return {
            "description": "Validation Error",
            "content": _problem_content("ValidationProblemDetails", defs),
        }
    if "ValidationError" not in defs:
        defs.update(validation_error_definitions())
    return {
        "description": "Validation Error",
        "content": {"application/json": {"schema": {"$ref": REF_PREFIX + "HTTPValidationError"}}},
    }


def _too_large_response(responses: dict[str, Any], route: Any, defs: dict[str, Any]) -> None:
    """A 413 entry, for a route whose body limit was set explicitly.

    The app's default limit is left out of the document, which then stays FastAPI's.
    """
    limit = getattr(route, "max_body_size", None)
    form_limits = getattr(route, "form_limits", None)
    explicit_limit = limit is not None and not isinstance(limit, DefaultPlaceholder)
    explicit_form = form_limits is not None and not isinstance(form_limits, DefaultPlaceholder)
    is_form = isinstance(route.body_field.field_info, Form)
    if not explicit_limit and not (explicit_form and is_form):
        return
    if error_format(route) == "problem":
        content = _problem_content("ProblemDetails", defs)
    else:
        content = {"application/json": {"schema": copy.deepcopy(_DETAIL_SCHEMA)}}
    responses["413"] = {"description": "Content Too Large", "content": content}


def path_item(
    route: Any, ctx: Context
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The path item of `route` (one operation per method), its security schemes and the
    component schemas it adds."""
    path: dict[str, Any] = {}
    schemes: dict[str, Any] = {}
    defs: dict[str, Any] = {}
    if not route.include_in_schema:
        return path, schemes, defs
    data = dependency_data(route.dependant)
    for method in route.methods:
        operation, found = _operation(route, method, data, ctx, defs)
        schemes.update(found)
        path[method.lower()] = operation
    return path, schemes, defs

