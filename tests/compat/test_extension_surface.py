"""The compatibility surface extensions import (`accord.dependencies.utils`, `accord.utils`,
`accord._compat`) gives the answers FastAPI 0.163.2's own helpers give, input by input."""

import inspect
from collections import deque
from collections.abc import Sequence
from typing import Annotated, Any

import fastapi
import fastapi._compat
import fastapi.dependencies.utils
import fastapi.utils
import pytest
from pydantic import BaseModel

import accord
import accord._compat
import accord.dependencies.models
import accord.dependencies.utils
import accord.utils
from tests.compat import helpers_module as helpers

CALLS = [
    helpers.endpoint,
    helpers.annotated,
    helpers.unannotated,
    helpers.wrapped,
    helpers.bound,
]


def shape(signature: inspect.Signature) -> list[tuple[str, Any, Any, Any]]:
    return [(p.name, p.kind, p.default, p.annotation) for p in signature.parameters.values()]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: getattr(c, "__name__", "partial"))
def test_typed_signatures_are_fastapis(call: Any) -> None:
    ours = accord.dependencies.utils.get_typed_signature(call)
    theirs = fastapi.dependencies.utils.get_typed_signature(call)
    assert shape(ours) == shape(theirs)
    assert accord.dependencies.utils.get_typed_return_annotation(
        call
    ) == fastapi.dependencies.utils.get_typed_return_annotation(call)


class Model(BaseModel):
    x: int


ANNOTATIONS: list[Any] = [
    int,
    str,
    list[int],
    set[str],
    tuple[int, ...],
    deque[int],
    Sequence[str],
    list[int] | None,
    Model,
    list[Model],
    dict[str, int],
    bytes,
    bytes | None,
    list[bytes],
    accord.UploadFile,
    list[accord.UploadFile],
    accord.UploadFile | None,
    Annotated[list[int], "meta"],
    int | str,
    None,
]

PREDICATES = [
    "field_annotation_is_sequence",
    "field_annotation_is_scalar",
    "field_annotation_is_scalar_sequence",
    "is_bytes_or_nonable_bytes_annotation",
    "is_bytes_sequence_annotation",
    "is_uploadfile_or_nonable_uploadfile_annotation",
    "is_uploadfile_sequence_annotation",
]


@pytest.mark.parametrize("name", PREDICATES)
def test_annotation_predicates_are_fastapis(name: str) -> None:
    ours = getattr(accord._compat, name)
    theirs = getattr(fastapi._compat, name)
    mismatches = [a for a in ANNOTATIONS if ours(a) != theirs(a)]
    assert not mismatches


def test_value_is_sequence_and_lenient_issubclass_are_fastapis() -> None:
    for value in ([1], (1,), {1}, deque([1]), "ab", b"ab", 1, None, {"a": 1}):
        assert accord._compat.value_is_sequence(value) == fastapi._compat.value_is_sequence(value)
    for cls, parent in ((Model, BaseModel), (int, BaseModel), (list[int], list), (None, int)):
        assert accord._compat.lenient_issubclass(cls, parent) == fastapi._compat.lenient_issubclass(
            cls, parent
        )


def test_utils_are_fastapis() -> None:
    for path in ("/items/{item_id}", "/a/{b}/{c:path}", "/plain"):
        assert accord.utils.get_path_param_names(path) == fastapi.utils.get_path_param_names(path)
    for status in (200, 204, 304, 101, "default", "2XX", None, 404):
        assert accord.utils.is_body_allowed_for_status_code(
            status
        ) == fastapi.utils.is_body_allowed_for_status_code(status)
    routes = {
        fw: next(r for r in fw_app.routes if getattr(r, "path", "") == "/items/{item_id}")
        for fw, fw_app in ((accord, accord_app()), (fastapi, fastapi_app()))
    }
    assert accord.utils.generate_unique_id(routes[accord]) == fastapi.utils.generate_unique_id(
        routes[fastapi]
    )


def accord_app() -> Any:
    app = accord.FastAPI()

    @app.get("/items/{item_id}")
    def read_item(item_id: int) -> int:
        return item_id

    return app


def fastapi_app() -> Any:
    app = fastapi.FastAPI()

    @app.get("/items/{item_id}")
    def read_item(item_id: int) -> int:
        return item_id

    return app


def test_create_model_field_validates_and_refuses_unusable_types() -> None:
    field = accord.utils.create_model_field("count", int, default=3)
    assert field.name == "count" and field.field_info.default == 3
    assert field.validate("4", loc=("body",)) == (4, [])
    value, errors = field.validate("x", loc=("body",))
    assert value is None and errors[0]["loc"] == ("body",) and errors[0]["type"] == "int_parsing"

    class NotPydantic:
        pass

    with pytest.raises(accord.exceptions.FastAPIError, match="Invalid type for 'thing'"):
        accord.utils.create_model_field("thing", NotPydantic)
    with pytest.raises(fastapi.exceptions.FastAPIError, match="Invalid args for response field"):
        fastapi.utils.create_model_field("thing", NotPydantic)


def test_dependants_from_the_surface_describe_the_callable() -> None:
    def dependency(token: str, limit: int = 10) -> str:
        return token

    def endpoint(item_id: int, user: Annotated[str, accord.Depends(dependency)]) -> None:
        return None

    dependant = accord.dependencies.utils.get_dependant(path="/items/{item_id}", call=endpoint)
    assert isinstance(dependant, accord.dependencies.models.Dependant)
    assert [f.name for f in dependant.path_params] == ["item_id"]
    assert [d.call for d in dependant.dependencies] == [dependency]
    flat = accord.dependencies.utils.get_flat_params(dependant)
    assert [(f.name, accord.dependencies.utils.get_validation_alias(f)) for f in flat] == [
        ("item_id", "item_id"),
        ("token", "token"),
        ("limit", "limit"),
    ]
    sub = accord.dependencies.utils.get_parameterless_sub_dependant(
        depends=accord.Security(dependency, scopes=["read"]), path="/"
    )
    assert sub.call is dependency and sub.oauth_scopes == ["read"]


def test_string_annotations_resolve_in_the_given_namespace() -> None:
    namespace = {"Model": Model}
    for resolve in (
        accord.dependencies.utils.get_typed_annotation,
        fastapi.dependencies.utils.get_typed_annotation,
    ):
        assert resolve("Model", namespace) is Model
        assert resolve("None", namespace) is None
        assert resolve(int, namespace) is int


def test_a_parameterless_dependency_must_be_callable() -> None:
    with pytest.raises(TypeError, match="callable"):
        accord.dependencies.utils.get_parameterless_sub_dependant(
            depends=accord.params.Depends(dependency=None), path="/"
        )


def test_the_submodules_name_the_same_objects() -> None:
    import accord._compat.shared
    import accord._compat.v2

    assert accord._compat.v2.ModelField is accord._compat.ModelField
    assert accord._compat.shared.field_annotation_is_sequence(list[int])
    assert accord._compat.is_scalar_field(accord.utils.create_model_field("n", int))


def test_a_field_answers_fastapis_private_adapter_name() -> None:
    # cadwyn 9 reads `field._type_adapter.core_schema` of the fields of a route.
    field = accord.utils.create_model_field("n", list[int])
    theirs = fastapi.utils.create_model_field("n", list[int])
    assert field._type_adapter is field.type_adapter
    assert field._type_adapter.core_schema == theirs._type_adapter.core_schema
    assert field._type_adapter.validate_python(["1"]) == [1]
