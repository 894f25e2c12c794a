"""Error documents that echo odd input stay valid JSON (FastAPI answers these with a 500)."""

import json
from typing import Annotated

import fastapi
import pytest
from pydantic import BaseModel, Field
from starlette.testclient import TestClient

import accord
from accord._safe_json import safe_json_bytes
from accord.exceptions import HTTPException

JSON = {"content-type": "application/json"}


class Item(BaseModel):
    price: Annotated[float, Field(le=1e6)] = 0
    count: int = 0


def build(fw: object, **options: object) -> TestClient:
    app = fw.FastAPI(**options)  # type: ignore[attr-defined]

    @app.post("/item")
    def item(body: Item) -> Item:
        return body

    @app.get("/missing/{name}")
    def missing(name: str) -> None:
        raise HTTPException(404, f"no {name}")

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("body", "echoed"),
    [
        (b'{"price":1e999999}', "Infinity"),
        (b'{"count":-1e999999}', "-Infinity"),
        (b'{"count":NaN}', "NaN"),
        (b'{"count":"\\ud800"}', "\ud800"),
    ],
)
@pytest.mark.parametrize("error_format", ["fastapi", "problem"])
def test_the_422_echoes_odd_input_as_valid_json(
    body: bytes, echoed: str, error_format: str
) -> None:
    response = build(accord, error_format=error_format).post("/item", content=body, headers=JSON)
    assert response.status_code == 422
    document = json.loads(response.content)  # valid JSON, or this raises
    errors = document["detail"] if error_format == "fastapi" else document["errors"]
    assert [error["input"] for error in errors] == [echoed]


def test_fastapi_fails_on_the_same_input() -> None:
    """The reason this is an improvement: the oracle cannot write the document at all."""
    response = build(fastapi).post("/item", content=b'{"count":NaN}', headers=JSON)
    assert response.status_code == 500


@pytest.mark.parametrize(
    "body", [b'{"price":"x"}', b'{"count":"\xc3\xa9t\xc3\xa9"}', b"[1, 2]", b'{"count":1.5}']
)
def test_ordinary_422_bytes_are_fastapis(body: bytes) -> None:
    ours, theirs = (build(fw).post("/item", content=body, headers=JSON) for fw in (accord, fastapi))
    assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content)


def test_an_http_exception_echoing_a_lone_surrogate_is_not_a_500() -> None:
    response = build(accord).get("/missing/%ED%A0%80")
    assert response.status_code == 404
    assert json.loads(response.content)["detail"].startswith("no ")


def test_safe_json_bytes_matches_starlette_when_it_can() -> None:
    content = {"a": [1, 2.5, "é", None, True], "b": {"c": "d"}}
    assert safe_json_bytes(content) == accord.responses.JSONResponse(content).body


def test_safe_json_bytes_spells_out_non_finite_numbers_in_nested_data() -> None:
    content = {"x": (float("inf"), [float("nan")]), "y": {"z": float("-inf")}}
    assert json.loads(safe_json_bytes(content)) == {
        "x": ["Infinity", ["NaN"]],
        "y": {"z": "-Infinity"},
    }


class Note(BaseModel):
    text: str


def echo_app(fw: object) -> TestClient:
    app = fw.FastAPI()  # type: ignore[attr-defined]

    @app.post("/note")
    def note(body: Note) -> Note:
        return body

    @app.post("/note-dict", response_model=None)
    def note_dict(body: Note) -> dict[str, str]:
        return {"text": body.text}

    @app.post("/any")
    def any_(body: Annotated[object, fw.Body()] = None) -> object:  # type: ignore[attr-defined]
        return body

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("path", ["/note", "/note-dict"])
def test_a_lone_surrogate_echoed_in_a_response_is_written_back_escaped(path: str) -> None:
    body = b'{"text":"\\ud800 and \xc3\xa9"}'
    response = echo_app(accord).post(path, content=body, headers=JSON)
    assert response.status_code == 200
    assert response.content == b'{"text":"\\ud800 and \\u00e9"}'
    assert echo_app(fastapi).post(path, content=body, headers=JSON).status_code == 500


def test_a_non_finite_number_through_an_any_response_model_is_null_as_in_fastapi() -> None:
    ours, theirs = (
        echo_app(fw).post("/any", content=b"[1e999999, 2]", headers=JSON)
        for fw in (accord, fastapi)
    )
    assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content)
    assert ours.json() == [None, 2]


def test_ordinary_responses_are_fastapis_bytes() -> None:
    for path, body in [("/note", b'{"text":"\xc3\xa9"}'), ("/any", b'{"a":[1.5,null,"x"]}')]:
        ours, theirs = (
            echo_app(fw).post(path, content=body, headers=JSON) for fw in (accord, fastapi)
        )
        assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content)


def test_a_non_finite_number_without_any_response_model_is_null_not_a_500() -> None:
    def build_raw(fw):
        app = fw.FastAPI()

        @app.post("/raw")
        def raw(body: Annotated[object, fw.Body()] = None):  # no response model at all
            return {"echo": body}

        return TestClient(app, raise_server_exceptions=False)

    response = build_raw(accord).post("/raw", content=b"[1e999999]", headers=JSON)
    assert (response.status_code, response.json()) == (200, {"echo": [None]})
    assert build_raw(fastapi).post("/raw", content=b"[1e999999]", headers=JSON).status_code == 500
