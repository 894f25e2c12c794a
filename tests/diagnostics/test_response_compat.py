"""`response_mismatch`: a reason only when a value of the returned type cannot validate as the
response model. Each case carries a sample value of the return annotation, and pydantic itself
is the judge: for a reported case the sample fails to validate (as FastAPI prepares it); for a
case not reported, the sample is a value that validates, so reporting it would be false."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, NewType, Optional, TypeVar, Union

import pytest
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from accord._compiler.response_compat import response_mismatch, type_text


class Item(BaseModel):
    id: int
    name: str


class Wide(BaseModel):
    id: int
    name: str
    secret: str = "s"


class Narrow(BaseModel):
    id: int


class Aliased(BaseModel):
    item_id: int = Field(alias="id")


class Optional_(BaseModel):
    id: int
    note: str | None = None


class Nested(BaseModel):
    item: Item


class NestedNarrow(BaseModel):
    item: Narrow


class Named(BaseModel):
    name: int


class Keyed(BaseModel):
    id: str


class Color(str, enum.Enum):
    red = "red"


class Plain(enum.Enum):
    a = 1


@dataclasses.dataclass
class Point:
    id: int
    name: str


@dataclasses.dataclass
class Half:
    x: int = 0


class Movie(TypedDict):
    id: int
    name: str


T = TypeVar("T")
UserId = NewType("UserId", int)


def _dump(value: Any) -> Any:
    """What FastAPI hands to the response model: models and dataclasses as dicts."""
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


item = Item(id=1, name="n")
CASES: list[tuple[Any, Any, Any]] = [
    # (response model, return annotation, a value of that annotation)
    (Item, Item, item),
    (list[Item], Item, item),
    (Item, list[Item], [item]),
    (Narrow, Item, item),
    (Item, Narrow, Narrow(id=1)),
    (Item, Wide, Wide(id=1, name="n")),
    (Wide, Item, item),
    (Narrow, Aliased, Aliased(id=1)),
    (Optional_, Narrow, Narrow(id=1)),
    (Nested, NestedNarrow, NestedNarrow(item=Narrow(id=1))),
    (NestedNarrow, Nested, Nested(item=item)),
    (Named, Item, Item(id=1, name="3")),  # "3" is an int in lax mode
    (Keyed, Item, item),
    (Item, Point, Point(1, "n")),
    (Item, Half, Half()),
    (Item, Movie, {"id": 1, "name": "n"}),
    (Movie, Narrow, Narrow(id=1)),
    (Movie, Item, item),
    (Movie, Movie, {"id": 1, "name": "n"}),
    (list[str], tuple[str, str], ("a", "b")),
    (dict[str, int], Item, Item(id=1, name="3")),
    (dict[str, int], dict[str, str], {"a": "3"}),
    (dict[str, str], dict[str, int], {"a": 1}),
    (Mapping[str, int], list[int], [1]),
    (list[int], tuple[int, ...], (1,)),
    (list[str], tuple[int, ...], (1,)),
    (list[str], tuple[int, str], (1, "a")),
    (Sequence[str], set[int], {1}),
    (str, int, 3),
    (str, bool, True),
    (int, str, "3"),
    (float, int, 3),
    (bool, str, "yes"),
    (bytes, float, 1.5),
    (str, Color, Color.red),
    (int, Plain, Plain.a),
    (str, Literal["a", "b"], "a"),
    (str, Literal[1, 2], 1),
    (Literal["a", "b"], Literal["a"], "a"),
    (Literal["a"], Literal["a", "b"], "b"),
    (Literal["a"], str, "a"),
    (Item, Optional[Item], None),
    (Optional[Item], Item | None, None),
    (Union[Item, list[Item]], list[Item], [item]),
    (Union[str, list[str]], int, 3),
    (Item, int, 3),
    (int, Item, item),
    (list[Item], dict[str, Item], {"a": item}),
    (Annotated[str, "meta"], Annotated[int, "x"], 3),
    (str, UserId, UserId(3)),
    (Item, Any, {"id": 1, "name": "n"}),
    (Any, Item, item),
    (Item, T, item),
    (Item, object, item),
    (str, "Item", "x"),
]


def _fails(model: Any, value: Any) -> bool:
    try:
        TypeAdapter(model).validate_python(_dump(value))
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize(("model", "returned", "value"), CASES, ids=lambda c: type_text(c))
def test_reported_exactly_when_pydantic_rejects_the_sample(
    model: Any, returned: Any, value: Any
) -> None:
    reason = response_mismatch(model, returned)
    assert (reason is not None) == _fails(model, value), reason


def test_the_cases_include_both_outcomes() -> None:
    outcomes = [response_mismatch(m, r) is not None for m, r, _ in CASES]
    assert 15 <= sum(outcomes) <= len(outcomes) - 15


@pytest.mark.parametrize(
    ("model", "returned", "reason"),
    [
        (list[Item], Item, "a single Item is not a list"),
        (Item, Narrow, "Narrow has no field 'name', which Item requires"),
        (Keyed, Item, "field 'id': an int is not a str"),
        (Nested, NestedNarrow, "field 'item': Narrow has no field 'name', which Item requires"),
        (dict[str, str], dict[str, int], "a value: an int is not a str"),
        (list[str], tuple[int, ...], "an item: an int is not a str"),
        (Literal["a"], Literal["a", "b"], "'b' is not one of Literal['a']"),
        (Item, Optional[Item], "it may return None, which Item does not admit"),
        (Item, int, "an int is not an Item"),
    ],
)
def test_the_reason_says_what_cannot_fit(model: Any, returned: Any, reason: str) -> None:
    assert response_mismatch(model, returned) == reason


def test_deep_nesting_stops_judging() -> None:
    deep_model: Any = str
    deep_returned: Any = int
    for _ in range(8):
        deep_model, deep_returned = list[deep_model], list[deep_returned]
    assert response_mismatch(deep_model, deep_returned) is None


def test_a_typeddict_with_unresolvable_hints_is_not_judged() -> None:
    class Broken(TypedDict):
        x: NotDefinedAnywhere  # type: ignore[name-defined] # noqa: F821

    assert response_mismatch(Broken, Item) is None


def test_type_text_reads_like_source() -> None:
    class Local(BaseModel):
        x: int

    assert type_text(Local) == "Local"
    assert type_text(None) == "None"
    assert type_text(list[Item]) == "list[Item]"
    assert type_text(Item | None) == "Item | None"


def test_bare_containers_and_type_aliases() -> None:
    from typing_extensions import TypeAliasType

    Names = TypeAliasType("Names", list[str])
    assert response_mismatch(list, Item) == "a single Item is not a list"
    assert response_mismatch(dict, list[int]) == "a list[int] is not a dict"
    assert response_mismatch(Names, int) == "a single int is not a list"
    assert response_mismatch(str, Literal["a", "b"]) is None


def test_only_explicit_models_of_plain_endpoints_with_an_annotation_are_judged() -> None:
    from collections.abc import Iterator

    from accord import Accord
    from accord._compiler.response_compat import response_model_findings

    app = Accord()

    @app.get("/inferred")
    def inferred() -> Item: ...

    @app.get("/stream", response_model=list[Item])
    def stream() -> Iterator[Item]:
        yield item

    @app.get("/unannotated", response_model=list[Item])
    def unannotated():  # type: ignore[no-untyped-def]
        return []

    @app.get("/unresolvable", response_model=list[Item])
    def unresolvable() -> NotDefinedAnywhere:  # type: ignore[name-defined] # noqa: F821
        return []

    @app.get("/wrong", response_model=list[Item])
    def wrong() -> Item: ...

    judged = [r.path for r in app.routes if response_model_findings(r, "x")]
    assert judged == ["/wrong"]
