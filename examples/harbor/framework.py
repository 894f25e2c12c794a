"""The framework Harbor is written against: Accord, or FastAPI for a side-by-side comparison.

Harbor's modules import the framework's names from here. By default they are Accord's; with
``HARBOR_FRAMEWORK=fastapi`` (read once, at import) they are FastAPI's own, so that the same
Harbor code runs on FastAPI 0.163.2 (``benchmarks/harbor_load.py`` compares the two) and Accord
is not imported at all. Accord's Problem Details helpers have no FastAPI counterpart: in that
mode two small equivalents below stand in for them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

__all__ = [
    "FRAMEWORK",
    "PROBLEM_MEDIA_TYPE",
    "APIKeyHeader",
    "APIRouter",
    "App",
    "Depends",
    "Header",
    "Path",
    "ProblemResponse",
    "Query",
    "RequestValidationError",
    "Security",
    "jsonable_encoder",
    "problem_content",
]

FRAMEWORK = os.environ.get("HARBOR_FRAMEWORK", "accord").strip().lower()
if FRAMEWORK not in ("accord", "fastapi"):
    raise RuntimeError(f"HARBOR_FRAMEWORK must be 'accord' or 'fastapi', not {FRAMEWORK!r}")

if TYPE_CHECKING or FRAMEWORK == "accord":
    from accord import Accord as App
    from accord import APIRouter, Depends, Header, Path, Query, Security
    from accord.encoders import jsonable_encoder
    from accord.exceptions import RequestValidationError
    from accord.problems import PROBLEM_MEDIA_TYPE, ProblemResponse, problem_content
    from accord.security import APIKeyHeader
else:
    from fastapi import APIRouter, Depends, Header, Path, Query, Security
    from fastapi import FastAPI as App
    from fastapi.encoders import jsonable_encoder
    from fastapi.exceptions import RequestValidationError
    from fastapi.security import APIKeyHeader
    from starlette.responses import JSONResponse

    PROBLEM_MEDIA_TYPE = "application/problem+json"

    class ProblemResponse(JSONResponse):  # type: ignore[no-redef]
        """A JSON response sent as ``application/problem+json``."""

        media_type = PROBLEM_MEDIA_TYPE

    def problem_content(  # type: ignore[no-redef]
        status_code: int,
        *,
        detail: Any = None,
        type: str = "about:blank",
        title: str | None = None,
        instance: str | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """RFC 9457 members in order (``type``, ``title``, ``status``...), then extensions."""
        content: dict[str, Any] = {
            "type": type,
            "title": title or HTTPStatus(status_code).phrase,
            "status": status_code,
        }
        if detail is not None:
            content["detail"] = detail
        if instance is not None:
            content["instance"] = instance
        for key, value in (extensions or {}).items():
            content.setdefault(key, value)
        return content
