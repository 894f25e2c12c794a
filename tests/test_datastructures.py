"""`accord.datastructures`: UploadFile in Pydantic, the Default marker, re-exports.

FastAPI's module is the oracle for the Pydantic behaviour of `UploadFile` (validation
errors and JSON Schema) and for the semantics of `Default`/`DefaultPlaceholder`.
"""

from __future__ import annotations

import io
from typing import Any, Optional, Union

import anyio
import fastapi.datastructures
import pytest
import starlette.datastructures
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.datastructures import UploadFile as StarletteUploadFile

import accord.datastructures
from accord.datastructures import Default, DefaultPlaceholder, UploadFile


def starlette_file(content: bytes = b"hello", name: str = "a.txt") -> StarletteUploadFile:
    return StarletteUploadFile(io.BytesIO(content), filename=name, size=len(content))


# --------------------------------------------------------------------------- re-exports


@pytest.mark.parametrize("name", ["URL", "Address", "FormData", "Headers", "QueryParams", "State"])
def test_starlette_classes_are_reexported(name: str) -> None:
    assert getattr(accord.datastructures, name) is getattr(starlette.datastructures, name)


def test_upload_file_is_starlettes_subclass() -> None:
    assert issubclass(UploadFile, StarletteUploadFile)
    assert UploadFile is not StarletteUploadFile


# --------------------------------------------------------------------------- UploadFile


def test_upload_file_async_methods() -> None:
    async def main() -> tuple[bytes, bytes]:
        upload = UploadFile(io.BytesIO(), filename="f.bin")
        await upload.write(b"abcdef")
        await upload.seek(2)
        middle = await upload.read(2)
        await upload.seek(0)
        whole = await upload.read()
        await upload.close()
        assert upload.file.closed
        return middle, whole

    assert anyio.run(main) == (b"cd", b"abcdef")


@pytest.mark.parametrize("make", [starlette_file, lambda: UploadFile(io.BytesIO(b"x"))])
def test_validation_accepts_any_starlette_upload_file(make: Any) -> None:
    value = make()
    assert TypeAdapter(UploadFile).validate_python(value) is value


@pytest.mark.parametrize("bad", ["text", b"bytes", None, 3, io.BytesIO(b"x"), {"filename": "a"}])
def test_validation_errors_match_fastapi(bad: Any) -> None:
    def errors(annotation: Any) -> list[Any]:
        with pytest.raises(ValidationError) as info:
            TypeAdapter(annotation).validate_python(bad)
        return info.value.errors(include_url=False, include_context=False)

    ours = errors(UploadFile)
    assert ours == errors(fastapi.datastructures.UploadFile)
    assert ours[0]["msg"] == f"Value error, Expected UploadFile, received: {type(bad)}"


def annotations_for(upload: Any) -> list[Any]:
    return [upload, Optional[upload], list[upload], Union[upload, str], dict[str, upload]]


@pytest.mark.parametrize("index", range(5))
@pytest.mark.parametrize("mode", ["validation", "serialization"])
def test_json_schema_matches_fastapi(index: int, mode: Any) -> None:
    ours = annotations_for(UploadFile)[index]
    theirs = annotations_for(fastapi.datastructures.UploadFile)[index]
    assert TypeAdapter(ours).json_schema(mode=mode) == TypeAdapter(theirs).json_schema(mode=mode)


def test_json_schema_is_binary_string() -> None:
    assert TypeAdapter(UploadFile).json_schema() == {
        "type": "string",
        "contentMediaType": "application/octet-stream",
    }


def model_with(upload: Any) -> type[BaseModel]:
    class Form(BaseModel):
        file: upload
        files: Optional[list[upload]] = None
        note: str = ""

    return Form


def test_in_a_model_matches_fastapi() -> None:
    ours, theirs = model_with(UploadFile), model_with(fastapi.datastructures.UploadFile)
    assert ours.model_json_schema() == theirs.model_json_schema()
    upload = starlette_file()
    form = ours(file=upload, files=[upload])
    assert form.file is upload  # kept as is: the endpoint receives the live file
    assert form.model_dump()["files"][0] is upload


def test_json_dump_fails_like_fastapi() -> None:
    def failure(model: type[BaseModel]) -> str:
        with pytest.raises(Exception) as info:
            model(file=starlette_file()).model_dump_json()
        return f"{type(info.value).__name__}: {info.value}"

    assert failure(model_with(UploadFile)) == failure(model_with(fastapi.datastructures.UploadFile))


# --------------------------------------------------------------------------- Default


SAMPLES = [None, 0, 1, "", "x", [], [1], {"a": 1}, False, True, 2.5]


@pytest.mark.parametrize("value", SAMPLES)
def test_default_wraps_its_value(value: Any) -> None:
    marker = Default(value)
    assert isinstance(marker, DefaultPlaceholder)
    assert marker.value is value
    assert bool(marker) is bool(value) is bool(fastapi.datastructures.Default(value))


@pytest.mark.parametrize("left", SAMPLES)
@pytest.mark.parametrize("right", SAMPLES)
def test_equality_matches_fastapi(left: Any, right: Any) -> None:
    fa = fastapi.datastructures.Default
    ours = Default(left) == Default(right)
    assert ours is (fa(left) == fa(right))
    assert ours is (left == right)


def test_placeholder_equals_only_placeholders() -> None:
    assert Default(1) != 1
    assert Default("x") != "x"
    assert DefaultPlaceholder(3) == Default(3)
    assert Default(3) != fastapi.datastructures.Default(3)  # a different class


def test_placeholder_is_unhashable_like_fastapis() -> None:
    with pytest.raises(TypeError):
        hash(Default(1))
    with pytest.raises(TypeError):
        hash(fastapi.datastructures.Default(1))


def test_placeholder_repr() -> None:
    assert repr(Default("a")) == "Default('a')"
