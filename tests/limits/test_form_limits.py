"""Upload limits: per file, per request, and counts of parts, answered with 413."""

from __future__ import annotations

import inspect
import itertools
from typing import Annotated, Any

import fastapi
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from starlette.formparsers import FormParser

from accord import APIRouter, FastAPI, File, Form, Request, UploadFile
from accord.exceptions import AccordError
from accord.limits import FormLimits
from accord.testclient import TestClient
from tests.limits.asgi import call, endless


def upload_app(**options: Any) -> FastAPI:
    app = FastAPI(**options)

    @app.post("/upload")
    async def upload(files: list[UploadFile], note: Annotated[str, Form()] = "") -> dict[str, Any]:
        return {"sizes": [len(await f.read()) for f in files], "note": note}

    @app.post("/fields")
    async def fields(name: Annotated[str, Form()], extra: Annotated[str, Form()] = "") -> str:
        return name + extra

    return app


def files(*sizes: int) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (f"f{i}.bin", b"a" * size)) for i, size in enumerate(sizes)]


def test_a_file_over_the_per_file_limit_is_refused() -> None:
    client = TestClient(upload_app(form_limits=FormLimits(max_file_size=1000)))
    ok = client.post("/upload", files=files(1000, 1000))
    assert ok.status_code == 200
    assert ok.json()["sizes"] == [1000, 1000]
    response = client.post("/upload", files=files(10, 1001))
    assert response.status_code == 413
    assert response.json() == {"detail": "File 'files' is larger than the limit of 1000 bytes"}


def test_the_request_limit_bounds_the_whole_upload() -> None:
    client = TestClient(upload_app(max_body_size=5000))
    assert client.post("/upload", files=files(2000, 2000)).status_code == 200
    response = client.post("/upload", files=files(2000, 2000, 2000))
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body is larger than the limit of 5000 bytes"}


def test_an_endless_upload_stops_being_read_at_the_file_limit() -> None:
    app = upload_app(form_limits=FormLimits(max_file_size=4096), max_body_size=None)
    boundary = "xyz"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    chunks = itertools.chain([head], endless(b"b" * 1024))
    headers = [("content-type", f"multipart/form-data; boundary={boundary}")]
    exchange = call(app, "/upload", chunks, headers=headers)
    assert exchange.status == 413
    assert exchange.receive_calls == 6  # the head, then 4 KiB of data, then the chunk past it


def test_counts_and_field_sizes_are_413_when_limits_are_set() -> None:
    limits = FormLimits(max_files=2, max_fields=2, max_part_size=10)
    client = TestClient(upload_app(form_limits=limits))
    assert client.post("/upload", files=files(1, 1)).status_code == 200
    too_many_files = client.post("/upload", files=files(1, 1, 1))
    assert too_many_files.status_code == 413
    assert too_many_files.json() == {"detail": "Too many files: the limit is 2"}
    many = {"name": "a", "extra": "b", "more": "c"}
    too_many_fields = client.post("/fields", data=many)
    assert (too_many_fields.status_code, too_many_fields.json()) == (
        413,
        {"detail": "Too many fields: the limit is 2"},
    )
    multipart_fields = client.post("/fields", data=many, files={"f": ("f", b"")})
    assert multipart_fields.status_code == 413
    big_field = client.post("/fields", data={"name": "x" * 11})
    assert big_field.status_code == 413
    assert big_field.json() == {"detail": "A form field is larger than the limit of 10 bytes"}
    big_multipart_field = client.post("/upload", data={"note": "x" * 11}, files=files(1))
    assert big_multipart_field.status_code == 413


def fastapi_upload_app() -> Any:
    app = fastapi.FastAPI()

    @app.post("/fields")
    async def fields(name: Annotated[str, fastapi.Form()]) -> str:
        return name

    return app


@pytest.mark.parametrize(
    "send",
    [
        {"data": {f"k{i}": "v" for i in range(1001)}},
        {"data": {"name": "x" * (1024 * 1024 + 1)}},
        {"data": {"name": "x" * (1024 * 1024 + 1)}, "files": {"f": ("f", b"")}},
        {"files": {f"f{i}": ("f", b"") for i in range(1001)}},
        {"content": b"--b\r\nbroken", "headers": {"content-type": "multipart/form-data"}},
    ],
)
def test_without_form_limits_starlettes_limits_answer_as_in_fastapi(send: dict[str, Any]) -> None:
    ours = TestClient(upload_app()).post("/fields", **send)
    theirs = FastAPIClient(fastapi_upload_app()).post("/fields", **send)
    assert ours.status_code == 400
    if STARLETTE_LIMITS_URLENCODED or "files" in send or "content" in send:
        assert theirs.status_code == 400
        assert ours.json() == theirs.json()
    else:
        # Starlette before 1.4 reads an urlencoded form without limits; Accord keeps 1.4's.
        assert theirs.status_code in (200, 422)
        assert ours.json()["detail"].startswith(("Too many fields", "Field exceeded"))


STARLETTE_LIMITS_URLENCODED = "max_fields" in inspect.signature(FormParser).parameters


def test_form_limits_follow_route_router_and_include_precedence() -> None:
    app = FastAPI(form_limits=FormLimits(max_file_size=100))
    router = APIRouter(form_limits=FormLimits(max_file_size=50))

    @router.post("/router")
    async def on_router(file: UploadFile) -> int:
        return len(await file.read())

    @router.post("/route", form_limits=FormLimits(max_file_size=20))
    async def on_route(file: Annotated[bytes, File()]) -> int:
        return len(file)

    @router.post("/free", form_limits=None)
    async def free(file: Annotated[bytes, File()]) -> int:
        return len(file)

    @app.post("/app")
    async def on_app(file: UploadFile) -> int:
        return len(await file.read())

    app.include_router(router, prefix="/r")
    client = TestClient(app)
    for path, limit in [("/app", 100), ("/r/router", 50), ("/r/route", 20), ("/r/free", 1000)]:
        assert client.post(path, files={"file": ("f", b"a" * limit)}).json() == limit, path
        over = client.post(path, files={"file": ("f", b"a" * (limit + 1))})
        assert over.status_code == (200 if path == "/r/free" else 413), path


def test_an_urlencoded_body_is_bound_by_the_request_limit() -> None:
    client = TestClient(upload_app(max_body_size=20))
    assert client.post("/fields", data={"name": "x" * 10}).json() == "x" * 10
    assert client.post("/fields", data={"name": "x" * 30}).status_code == 413


def test_the_form_is_cached_for_the_endpoint() -> None:
    app = FastAPI(form_limits=FormLimits(max_file_size=100))

    @app.post("/again")
    async def again(request: Request, name: Annotated[str, Form()]) -> list[str]:
        form = await request.form()
        return [name, str(form["name"])]

    client = TestClient(app)
    assert client.post("/again", data={"name": "n"}).json() == ["n", "n"]
    assert (
        client.post("/again", content=b"", headers={"content-type": "text/plain"}).status_code
        == 422
    )


@pytest.mark.parametrize("bad", [{"max_file_size": -1}, {"max_files": "3"}])
def test_bad_form_limits_fail_at_once(bad: dict[str, Any]) -> None:
    with pytest.raises(AccordError, match="FormLimits"):
        FormLimits(**bad)


def test_form_limits_must_be_a_form_limits_object() -> None:
    app = FastAPI()
    with pytest.raises(AccordError, match=r"form_limits.*'/up'"):

        @app.post("/up", form_limits={"max_file_size": 3})  # type: ignore[typeddict-item]
        async def up(file: UploadFile) -> None: ...
