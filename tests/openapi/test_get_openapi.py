"""`get_openapi` behaviour that FastAPI leaves undefined or that only Accord has."""

from __future__ import annotations

from typing import Any

import fastapi
import fastapi.openapi.utils as fastapi_utils
import pytest
from pydantic import BaseModel
from starlette.responses import Response

import accord
from accord.openapi import utils
from accord.openapi.schemas import get_definitions
from accord.openapi.setup import docs_static_url
from accord.openapi.utils import get_openapi


class BareResponse(Response):
    """A response class whose constructor has no `status_code` parameter."""

    media_type = "text/plain"

    def __init__(self, content: Any = None) -> None:
        super().__init__(content)


def test_response_class_without_status_code_parameter_documents_200() -> None:
    app = accord.FastAPI()

    @app.get("/bare", response_class=BareResponse)
    def bare() -> None:
        return None

    document = get_openapi(title="T", version="1", routes=app.routes)
    responses = document["paths"]["/bare"]["get"]["responses"]
    assert responses == {
        "200": {
            "description": "Successful Response",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    }


def test_docs_static_url_setting() -> None:
    assert docs_static_url(accord.FastAPI(docs_static_url="/assets/")) == "/assets"
    assert docs_static_url(accord.FastAPI(docs_static_url=None)) is None
    assert docs_static_url(accord.FastAPI()) == "/docs/static"


# -- FastAPI's helper functions of fastapi.openapi.utils, by their FastAPI signatures -----



class Item(BaseModel):
    name: str


def _route(framework: Any) -> Any:
    app = framework.FastAPI()

    @app.post("/items/{item_id}", tags=["items"], deprecated=True, description="Adds.")
    def add_item(item_id: int, item: Item) -> Item:
        return item

    return app.routes[-1]


def test_helper_dicts_match_fastapi() -> None:
    assert utils.status_code_ranges == fastapi_utils.status_code_ranges
    assert utils.validation_error_definition == fastapi_utils.validation_error_definition
    assert (
        utils.validation_error_response_definition
        == fastapi_utils.validation_error_response_definition
    )


def test_summary_metadata_and_operation_id_match_fastapi() -> None:
    ours, theirs = _route(accord), _route(fastapi)
    assert utils.generate_operation_summary(
        route=ours, method="POST"
    ) == fastapi_utils.generate_operation_summary(route=theirs, method="POST")
    ids: set[str] = set()
    metadata = utils.get_openapi_operation_metadata(route=ours, method="POST", operation_ids=ids)
    expected = fastapi_utils.get_openapi_operation_metadata(
        route=theirs, method="POST", operation_ids=set()
    )
    assert metadata == expected
    assert ids == {"add_item_items__item_id__post"}
    with pytest.warns(accord.exceptions.AccordDeprecationWarning):
        operation_id = utils.generate_operation_id(route=ours, method="POST")
    with pytest.warns(fastapi.exceptions.FastAPIDeprecationWarning):
        assert operation_id == fastapi_utils.generate_operation_id(route=theirs, method="POST")
    ours.operation_id = theirs.operation_id = "explicit"
    with pytest.warns(accord.exceptions.AccordDeprecationWarning):
        assert utils.generate_operation_id(route=ours, method="GET") == "explicit"


def test_path_and_request_body_helpers_agree_with_the_document() -> None:
    route = _route(accord)
    mapping, _ = get_definitions(utils.get_fields_from_routes([route]))
    path, schemes, definitions = utils.get_openapi_path(
        route=route, operation_ids=set(), model_name_map={}, field_mapping=mapping
    )
    assert schemes == {}
    assert set(definitions) == {"HTTPValidationError", "ValidationError"}
    document = get_openapi(title="T", version="1", routes=[route])
    assert accord.encoders.jsonable_encoder(path) == document["paths"]["/items/{item_id}"]
    body = utils.get_openapi_operation_request_body(
        body_field=route.body_field, model_name_map={}, field_mapping=mapping
    )
    assert body == document["paths"]["/items/{item_id}"]["post"]["requestBody"]
    assert utils.get_openapi_operation_request_body(body_field=None, field_mapping=mapping) is None
