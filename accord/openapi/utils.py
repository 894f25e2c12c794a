"""`get_openapi`: the OpenAPI 3.1 document of a set of routes (and webhooks)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any

from starlette.routing import BaseRoute

from accord._plan import ModelField
from accord.encoders import jsonable_encoder
from accord.exceptions import AccordDeprecationWarning
from accord.openapi.models import OpenAPI
from accord.openapi.operations import (
    STATUS_RANGES,
    Context,
    declared_validation_field,
    flat_params,
    operation_metadata,
    operation_summary,
    path_item,
    request_body,
    validation_error_definitions,
)
from accord.openapi.schemas import FieldMapping, get_definitions

__all__ = [
    "generate_operation_id",
    "generate_operation_summary",
    "get_fields_from_routes",
    "get_openapi",
    "get_openapi_operation_metadata",
    "get_openapi_operation_request_body",
    "get_openapi_path",
    "status_code_ranges",
    "validation_error_definition",
    "validation_error_response_definition",
]

status_code_ranges: dict[str, str] = dict(STATUS_RANGES)
"""The description of a response declared by range (``"4XX"``) rather than by code."""

validation_error_definition: dict[str, Any] = validation_error_definitions()["ValidationError"]
"""The component schema of one validation error."""

validation_error_response_definition: dict[str, Any] = validation_error_definitions()[
    "HTTPValidationError"
]
"""The component schema of the 422 response body."""


def generate_operation_summary(*, route: Any, method: str) -> str:
    """The operation's summary: the route's `summary`, else its name in title case."""
    return operation_summary(route)


def generate_operation_id(*, route: Any, method: str) -> str:
    """The route's operation id, else one made of its name, path and `method` (deprecated)."""
    warnings.warn(
        "accord.openapi.utils.generate_operation_id() is deprecated and unused; "
        "use the route's unique_id",
        AccordDeprecationWarning,
        stacklevel=2,
    )
    if route.operation_id:
        return str(route.operation_id)
    operation_id = re.sub(r"\W", "_", f"{route.name}{route.path_format}")
    return f"{operation_id}_{method.lower()}"


def get_openapi_operation_metadata(
    *, route: Any, method: str, operation_ids: set[str]
) -> dict[str, Any]:
    """Tags, summary, description, operation id and deprecation of one operation."""
    return operation_metadata(route, Context({}, True, operation_ids))


def get_openapi_operation_request_body(
    *,
    body_field: ModelField | None,
    model_name_map: dict[Any, str] | None = None,
    field_mapping: FieldMapping,
    separate_input_output_schemas: bool = True,
) -> dict[str, Any] | None:
    """The ``requestBody`` object of `body_field`, with schemas from `field_mapping`."""
    return request_body(body_field, Context(field_mapping, separate_input_output_schemas, set()))


def get_openapi_path(
    *,
    route: Any,
    operation_ids: set[str],
    model_name_map: dict[Any, str] | None = None,
    field_mapping: FieldMapping,
    separate_input_output_schemas: bool = True,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The path item of `route`, the security schemes and the component schemas it adds.

    `model_name_map` is accepted for FastAPI compatibility; pydantic names the components.
    """
    ctx = Context(field_mapping, separate_input_output_schemas, operation_ids)
    return path_item(route, ctx)


def _api_routes(routes: Sequence[BaseRoute]) -> list[Any]:
    from accord.routing import APIRoute

    return [route for route in routes if isinstance(route, APIRoute)]


def get_fields_from_routes(routes: Sequence[BaseRoute]) -> list[ModelField]:
    """Every field the document describes: callbacks' first, then bodies, responses, params."""
    bodies: list[ModelField] = []
    responses: list[ModelField] = []
    params: list[ModelField] = []
    callbacks: list[ModelField] = []
    for route in _api_routes(routes):
        if not route.include_in_schema:
            continue
        if route.body_field:
            bodies.append(route.body_field)
        if route.response_field:
            responses.append(route.response_field)
        responses.extend(route.response_fields.values())
        declared = declared_validation_field(route)  # a custom 422 handler's model
        if declared is not None and declared not in responses:
            responses.append(declared)
        stream_item = getattr(route, "stream_item_field", None)
        if stream_item:
            responses.append(stream_item)
        if route.callbacks:
            callbacks.extend(get_fields_from_routes(route.callbacks))
        params.extend(flat_params(route.dependant))
    return callbacks + bodies + responses + params


def _info(
    title: str,
    version: str,
    summary: str | None,
    description: str | None,
    terms_of_service: str | None,
    contact: dict[str, Any] | None,
    license_info: dict[str, Any] | None,
) -> dict[str, Any]:
    info: dict[str, Any] = {"title": title, "version": version}
    optional = {
        "summary": summary,
        "description": description,
        "termsOfService": terms_of_service,
        "contact": contact,
        "license": license_info,
    }
    info.update({key: value for key, value in optional.items() if value})
    return info


def _add_paths(
    routes: Sequence[BaseRoute],
    ctx: Context,
    target: dict[str, dict[str, Any]],
    components: dict[str, dict[str, Any]],
    definitions: dict[str, Any],
) -> None:
    for route in _api_routes(routes):
        path, schemes, path_definitions = path_item(route, ctx)
        if path:
            target.setdefault(route.path_format, {}).update(path)
        if schemes:
            components.setdefault("securitySchemes", {}).update(schemes)
        definitions.update(path_definitions)


def get_openapi(
    *,
    title: str,
    version: str,
    openapi_version: str = "3.1.0",
    summary: str | None = None,
    description: str | None = None,
    routes: Sequence[BaseRoute],
    webhooks: Sequence[BaseRoute] | None = None,
    tags: list[dict[str, Any]] | None = None,
    servers: list[dict[str, Any]] | None = None,
    terms_of_service: str | None = None,
    contact: dict[str, Any] | None = None,
    license_info: dict[str, Any] | None = None,
    separate_input_output_schemas: bool = True,
    external_docs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Builds the OpenAPI document of `routes` (and `webhooks`) as JSON-ready data.

    Args:
        title: The API's title (``info.title``).
        version: The API's own version (``info.version``), not OpenAPI's.
        openapi_version: The OpenAPI version the document declares.
        summary: A short summary (``info.summary``).
        description: A longer description, Markdown allowed.
        routes: The routes to document; only path operations (`APIRoute`) appear.
        webhooks: Path operations the API sends rather than receives.
        tags: Metadata for the tags the operations use, in display order.
        servers: The servers the API is reachable at.
        terms_of_service: A URL to the terms of service.
        contact: ``name``, ``url`` and ``email`` of the API's contact.
        license_info: ``name`` and ``identifier`` or ``url`` of the API's licence.
        separate_input_output_schemas: Describe a model whose input and output differ as two
            schemas (``Item-Input``, ``Item-Output``); `False` uses the input one for both.
        external_docs: ``url`` and ``description`` of outside documentation.

    Returns:
        The document, validated by :class:`accord.openapi.models.OpenAPI` and dumped by alias
        without empty values.
    """
    output: dict[str, Any] = {
        "openapi": openapi_version,
        "info": _info(
            title, version, summary, description, terms_of_service, contact, license_info
        ),
    }
    if servers:
        output["servers"] = servers
    all_routes = [*routes, *(webhooks or [])]
    mapping, definitions = get_definitions(
        get_fields_from_routes(all_routes),
        separate_input_output_schemas=separate_input_output_schemas,
    )
    ctx = Context(mapping, separate_input_output_schemas, set())
    components: dict[str, dict[str, Any]] = {}
    paths: dict[str, dict[str, Any]] = {}
    webhook_paths: dict[str, dict[str, Any]] = {}
    _add_paths(routes, ctx, paths, components, definitions)
    _add_paths(webhooks or [], ctx, webhook_paths, components, definitions)
    if definitions:
        components["schemas"] = {name: definitions[name] for name in sorted(definitions)}
    if components:
        output["components"] = components
    output["paths"] = paths
    if webhook_paths:
        output["webhooks"] = webhook_paths
    if tags:
        output["tags"] = tags
    if external_docs:
        output["externalDocs"] = external_docs
    document: dict[str, Any] = jsonable_encoder(
        OpenAPI(**output), by_alias=True, exclude_none=True
    )
    return document
