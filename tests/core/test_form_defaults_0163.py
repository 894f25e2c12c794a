"""Form defaults as FastAPI 0.163 applies them, compared with FastAPI 0.163.2: a missing field
takes its default through validation (so `validate_default=True` validates it), an empty string
or an empty file input counts as absent, and `FastAPI(root_path=...)` warns as deprecated."""

import warnings
from typing import Annotated, Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import Field

import accord
from accord.testclient import TestClient


def build(fw: Any) -> Any:
    app = fw.FastAPI()

    @app.post("/defaults")
    def defaults(
        name: Annotated[str, fw.Form()] = "anon",
        count: Annotated[int, fw.Form(), Field(validate_default=True)] = "7",  # type: ignore[assignment]
        strict: Annotated[int, fw.Form(ge=10), Field(validate_default=True)] = 1,
    ) -> Any:
        return {"name": name, "count": count, "strict": strict}

    @app.post("/upload")
    async def upload(
        file: Annotated[fw.UploadFile | None, fw.File()] = None,
        files: Annotated[list[fw.UploadFile] | None, fw.File()] = None,
        note: Annotated[str | None, fw.Form()] = None,
    ) -> Any:
        return {
            "file": file.filename if file else None,
            "files": [f.filename for f in files] if files else None,
            "note": note,
        }

    return app


REQUESTS: list[dict[str, Any]] = [
    {"url": "/defaults", "data": {}},
    {"url": "/defaults", "data": {"name": ""}},
    {"url": "/defaults", "data": {"name": "ann", "count": "3", "strict": "12"}},
    {"url": "/defaults", "data": {"count": "x"}},
    {"url": "/upload", "data": {}},
    {"url": "/upload", "files": {"file": ("", b"")}, "data": {"note": ""}},
    {"url": "/upload", "files": [("files", ("", b"")), ("files", ("a.txt", b"a"))]},
    {"url": "/upload", "files": {"file": ("a.txt", b"a")}},
]


def answers(fw: Any, client_class: Any) -> list[tuple[int, Any]]:
    client = client_class(build(fw))
    found = []
    for request in REQUESTS:
        response = client.post(**request)
        found.append((response.status_code, response.json()))
    return found


def test_every_request_answers_as_in_fastapi() -> None:
    ours, theirs = answers(accord, TestClient), answers(fastapi, FastAPIClient)
    for request, mine, reference in zip(REQUESTS, ours, theirs, strict=True):
        assert mine == reference, request


def test_defaults_are_validated_when_asked() -> None:
    client = TestClient(build(accord))
    answer = client.post("/defaults", data={"strict": "12"}).json()
    assert answer == {"name": "anon", "count": 7, "strict": 12}  # "7" validated into 7
    error = client.post("/defaults", data={}).json()["detail"][0]
    assert error["loc"] == ["body", "strict"] and error["type"] == "greater_than_equal"


@pytest.mark.parametrize("fw", [accord, fastapi], ids=["accord", "fastapi"])
def test_root_path_on_the_app_is_deprecated(fw: Any) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fw.FastAPI(root_path="/proxy")
    assert len(caught) == 1
    assert isinstance(caught[0].message, fw.exceptions.FastAPIDeprecationWarning)
    assert "root_path" in str(caught[0].message)
