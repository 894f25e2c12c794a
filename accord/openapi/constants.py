"""Constants shared by the OpenAPI generator: methods that may carry a body, `$ref` prefix."""

from __future__ import annotations

__all__ = ["METHODS_WITH_BODY", "REF_PREFIX", "REF_TEMPLATE"]

METHODS_WITH_BODY = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"}
"""Methods whose operations document a request body when the endpoint declares one."""

REF_PREFIX = "#/components/schemas/"
"""Where component schemas live in the document."""

REF_TEMPLATE = "#/components/schemas/{model}"
"""The `ref_template` given to pydantic's JSON Schema generator."""
