"""The OpenAPI document describes the error responses the app actually sends."""

from __future__ import annotations

from typing import Annotated, Any

import fastapi
import pytest
from pydantic import BaseModel

import accord
from accord import APIRouter, FastAPI, File, Request, UploadFile
from accord.exceptions import RequestValidationError
from accord.limits import FormLimits
from accord.responses import JSONResponse
from accord.testclient import TestClient

PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetails"}
VALIDATION_PROBLEM_REF = {"$ref": "#/components/schemas/ValidationProblemDetails"}
DEFAULT_422 = {
    "description": "Validation Error",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
    },
}


class Item(BaseModel):
    name: str


class Message(BaseModel):
    message: str


def build(fw: Any, **options: Any) -> Any:
    app = fw.FastAPI(**options)

    @app.post("/items", responses={404: {"description": "No such shelf"}, 409: {"model": Message}})
    async def create(item: Item) -> Item:
        return item

    @app.get("/items/{item_id}", responses={"5XX": {"description": "Upstream"}})
    async def read(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    @app.get("/health")
    async def health() -> str:
        return "ok"

    return app


def responses(app: Any, path: str, method: str) -> dict[str, Any]:
    result: dict[str, Any] = app.openapi()["paths"][path][method]["responses"]
    return result


def test_by_default_the_document_is_fastapis() -> None:
    assert build(accord).openapi() == build(fastapi).openapi()


def test_an_explicit_fastapi_format_and_unset_limits_change_nothing() -> None:
    explicit = build(accord, error_format="fastapi", form_limits=None)
    assert explicit.openapi() == build(fastapi).openapi()


def test_problem_format_documents_problems() -> None:
    app = build(accord, error_format="problem")
    document = app.openapi()
    posted = responses(app, "/items", "post")
    assert posted["422"] == {
        "description": "Validation Error",
        "content": {"application/problem+json": {"schema": VALIDATION_PROBLEM_REF}},
    }
    # A declared 4xx without a body of its own gets the problem schema; a declared model stays.
    assert posted["404"] == {
        "description": "No such shelf",
        "content": {"application/problem+json": {"schema": PROBLEM_REF}},
    }
    assert posted["409"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Message"}}
    }
    assert responses(app, "/items/{item_id}", "get")["5XX"]["content"] == {
        "application/problem+json": {"schema": PROBLEM_REF}
    }
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert schemas["ValidationProblemDetails"]["properties"]["errors"]["items"] == {
        "$ref": "#/components/schemas/ValidationError"
    }
    assert schemas["ProblemDetails"]["required"] == ["type", "title", "status"]
    assert set(schemas["ProblemDetails"]["properties"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
    }


JSON_TYPES = {"string": str, "integer": int, "array": list, "object": dict}


def conforms(value: dict[str, Any], schema: dict[str, Any]) -> bool:
    """The checks of a JSON Schema object that the error schemas use: required, types."""
    properties = schema["properties"]
    if not set(schema["required"]) <= set(value) or not set(value) <= set(properties):
        return False
    return all(
        isinstance(value[key], JSON_TYPES[spec["type"]])
        for key, spec in properties.items()
        if key in value and "type" in spec
    )


def test_the_documented_problems_match_what_is_sent() -> None:
    app = build(accord, error_format="problem")

    @app.get("/gone")
    async def gone() -> None:
        raise accord.HTTPException(410, "Moved away")

    schemas = app.openapi()["components"]["schemas"]
    client = TestClient(app)
    invalid = client.post("/items", json={}).json()
    assert conforms(invalid, schemas["ValidationProblemDetails"])
    assert all(conforms(error, schemas["ValidationError"]) for error in invalid["errors"])
    assert conforms(client.get("/gone").json(), schemas["ProblemDetails"])
    assert conforms(client.get("/nowhere").json(), schemas["ProblemDetails"])
    assert not conforms({"title": "no type"}, schemas["ProblemDetails"])


def test_each_route_documents_its_own_format() -> None:
    app = FastAPI()
    router = APIRouter(error_format="problem")

    @router.post("/p")
    async def problem_route(item: Item) -> Item:
        return item

    @app.post("/d")
    async def default_route(item: Item) -> Item:
        return item

    app.include_router(router)
    assert responses(app, "/p", "post")["422"]["content"] == {
        "application/problem+json": {"schema": VALIDATION_PROBLEM_REF}
    }
    assert responses(app, "/d", "post")["422"] == DEFAULT_422
    schemas = app.openapi()["components"]["schemas"]
    assert {"HTTPValidationError", "ValidationProblemDetails", "ValidationError"} <= set(schemas)


class ErrorReport(BaseModel):
    message: str
    fields: list[str]


def custom_handler_app(**options: Any) -> FastAPI:
    app = FastAPI(**options)

    @app.exception_handler(RequestValidationError, model=ErrorReport)
    async def report(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [str(error["loc"][-1]) for error in exc.errors()]
        return JSONResponse({"message": "invalid", "fields": fields}, status_code=422)

    @app.post("/items")
    async def create(item: Item) -> Item:
        return item

    return app


@pytest.mark.parametrize("error_format", ["fastapi", "problem"])
def test_a_custom_validation_handler_declares_the_documented_422(error_format: str) -> None:
    app = custom_handler_app(error_format=error_format)
    assert responses(app, "/items", "post")["422"] == {
        "description": "Validation Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorReport"}}},
    }
    schemas = app.openapi()["components"]["schemas"]
    assert schemas["ErrorReport"]["required"] == ["message", "fields"]
    assert "HTTPValidationError" not in schemas
    sent = TestClient(app).post("/items", json={})
    assert ErrorReport.model_validate(sent.json()) == ErrorReport(
        message="invalid", fields=["name"]
    )


def test_replacing_the_handler_without_a_model_brings_back_the_default_422() -> None:
    app = custom_handler_app()

    @app.exception_handler(RequestValidationError)
    async def plain(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": exc.errors()}, status_code=422)

    assert responses(app, "/items", "post")["422"] == DEFAULT_422


def test_a_status_keyed_model_with_its_media_type() -> None:
    app = FastAPI()

    @app.exception_handler(422, model=ErrorReport, media_type="application/vnd.errors+json")
    async def report(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({}, status_code=422)

    @app.get("/q")
    async def query(n: int) -> int:
        return n

    assert list(responses(app, "/q", "get")["422"]["content"]) == ["application/vnd.errors+json"]


# -- 413 -----------------------------------------------------------------------------------


def limited_app(app_options: dict[str, Any], route_options: dict[str, Any]) -> FastAPI:
    app = FastAPI(**app_options)

    @app.post("/items", **route_options)
    async def create(item: Item) -> Item:
        return item

    @app.post("/upload", **route_options)
    async def upload(file: Annotated[bytes, File()]) -> int:
        return len(file)

    @app.get("/read", **route_options)
    async def read(n: int) -> int:
        return n

    return app


HTTP_ERROR = {
    "title": "HTTPError",
    "type": "object",
    "properties": {"detail": {"title": "Detail", "type": "string"}},
    "required": ["detail"],
}


@pytest.mark.parametrize(
    ("app_options", "route_options"),
    [({"max_body_size": 1000}, {}), ({}, {"max_body_size": 1000})],
)
def test_an_explicit_body_limit_is_documented_on_body_routes(
    app_options: dict[str, Any], route_options: dict[str, Any]
) -> None:
    app = limited_app(app_options, route_options)
    expected = {
        "description": "Content Too Large",
        "content": {"application/json": {"schema": HTTP_ERROR}},
    }
    assert responses(app, "/items", "post")["413"] == expected
    assert responses(app, "/upload", "post")["413"] == expected
    assert "413" not in responses(app, "/read", "get")
    assert list(responses(app, "/items", "post")) == ["200", "413", "422"]


def test_a_router_limit_is_documented_and_the_default_is_not() -> None:
    app = FastAPI()
    router = APIRouter(max_body_size=10)

    @router.post("/limited")
    async def limited(item: Item) -> Item:
        return item

    @app.post("/default")
    async def default(item: Item) -> Item:
        return item

    @app.post("/unlimited", max_body_size=None)
    async def unlimited(item: Item) -> Item:
        return item

    app.include_router(router)
    assert "413" in responses(app, "/limited", "post")
    assert "413" not in responses(app, "/default", "post")
    assert "413" not in responses(app, "/unlimited", "post")


def test_form_limits_document_413_on_form_routes_only() -> None:
    app = limited_app({"form_limits": FormLimits(max_file_size=10)}, {})
    assert "413" in responses(app, "/upload", "post")
    assert "413" not in responses(app, "/items", "post")


def test_a_declared_413_is_kept_and_problem_apps_document_problems() -> None:
    app = limited_app(
        {"max_body_size": 10, "error_format": "problem"},
        {"responses": {413: {"description": "Too big for us"}}},
    )
    assert responses(app, "/items", "post")["413"] == {
        "description": "Too big for us",
        "content": {"application/problem+json": {"schema": PROBLEM_REF}},
    }
    other = limited_app({"max_body_size": 10, "error_format": "problem"}, {})
    assert responses(other, "/items", "post")["413"] == {
        "description": "Content Too Large",
        "content": {"application/problem+json": {"schema": PROBLEM_REF}},
    }


def test_uploads_through_upload_file_are_documented_too() -> None:
    app = FastAPI(max_body_size=100)

    @app.post("/up")
    async def up(file: UploadFile) -> int:
        return file.size or 0

    assert "413" in responses(app, "/up", "post")
