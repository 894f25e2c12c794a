"""The form-model helpers cadwyn calls by FastAPI's private names
(`fastapi.dependencies.utils._get_form_models`, `_get_param_aliases`, ...) and the schema
helpers of `fastapi._compat` it imports give the answers FastAPI 0.163.2's own give.

Each case is built twice, once with Accord's parameter classes and field type and once with
FastAPI's, since the helpers recognise a form parameter by its class.
"""

import functools
from collections.abc import Callable
from enum import Enum
from types import FunctionType, ModuleType
from typing import Annotated, Any, get_args

import anyio
import fastapi
import fastapi._compat
import fastapi.dependencies.utils
import pytest
from pydantic import AliasChoices, AliasPath, BaseModel, BeforeValidator, ConfigDict, Field, Json
from starlette.datastructures import FormData, Headers, QueryParams, UploadFile

import accord
import accord._compat
import accord.dependencies.utils

FRAMEWORKS = (accord, fastapi)


class Card(BaseModel):
    number: str
    holder: str = Field(alias="holder-name")


class Transfer(BaseModel):
    iban: str
    tags: list[str] = []


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")
    note: str = ""


class ByName(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    given_name: str = Field(alias="givenName")


Field_ = Callable[[ModuleType], Any]  # framework -> ModelField


def form(name: str, annotation: Any, **kwargs: Any) -> Field_:
    """A `Form()` field; `annotation` may be a function of the framework (its `UploadFile`)."""

    def make(fw: ModuleType) -> Any:
        hint = annotation(fw) if isinstance(annotation, FunctionType) else annotation
        info = fw.params.Form(annotation=hint, **kwargs)
        return fw._compat.ModelField(field_info=info, name=name)

    return make


def param(kind: str, name: str, annotation: Any, config: Any = None, **kwargs: Any) -> Field_:
    def make(fw: ModuleType) -> Any:
        info = getattr(fw.params, kind)(annotation=annotation, **kwargs)
        return fw._compat.ModelField(field_info=info, name=name, config=config)

    return make


def helper(fw: ModuleType, name: str) -> Any:
    return getattr(fw.dependencies.utils, name)


MODEL_FIELDS: dict[str, Field_] = {
    "model": form("card", Card),
    "optional model": form("card", Card | None),
    "union": form("payment", Card | Transfer),
    "optional union": form("payment", Card | Transfer | None),
    "json model": form("card", Json[Card]),
    "plain": form("name", str),
    "query model": param("Query", "card", Card),
}


@pytest.mark.parametrize("case", MODEL_FIELDS)
def test_form_models_are_fastapis(case: str) -> None:
    ours, theirs = (MODEL_FIELDS[case](fw) for fw in FRAMEWORKS)
    assert helper(accord, "_get_form_models")(ours) == helper(fastapi, "_get_form_models")(theirs)
    assert helper(accord, "_get_form_model")(ours) is helper(fastapi, "_get_form_model")(theirs)


def test_form_models_finds_the_models_a_form_stands_for() -> None:
    get = accord.dependencies.utils._get_form_models
    assert get(MODEL_FIELDS["optional union"](accord)) == [Card, Transfer]
    assert get(MODEL_FIELDS["plain"](accord)) == []


EMBEDS: dict[str, list[Field_]] = {
    "none": [],
    "one model": [form("card", Card)],
    "one plain form field": [form("name", str)],
    "two names": [form("card", Card), form("name", str)],
    "same model twice": [form("card", Card), form("card", Card)],
    "same name, other model": [form("card", Card), form("card", Transfer)],
    "one body model": [param("Body", "card", Card)],
    "one body field, embedded": [param("Body", "n", int, embed=True)],
    "one body scalar": [param("Body", "n", int)],
}


@pytest.mark.parametrize("case", EMBEDS)
def test_embedding_is_fastapis(case: str) -> None:
    ours, theirs = ([make(fw) for make in EMBEDS[case]] for fw in FRAMEWORKS)
    assert helper(accord, "_should_embed_body_fields")(ours) == helper(
        fastapi, "_should_embed_body_fields"
    )(theirs)


ALIASES: dict[str, Field_] = {
    "name": param("Query", "page_size", int),
    "alias": param("Query", "page_size", int, alias="size"),
    "validation alias": param("Query", "page_size", int, validation_alias="size"),
    "choices": param("Query", "page_size", int, validation_alias=AliasChoices("size", "page_size")),
    "path in choices": param(
        "Query", "page_size", int, validation_alias=AliasChoices("size", AliasPath("p", 0))
    ),
    "alias path": param("Query", "page_size", int, validation_alias=AliasPath("p", 0)),
    "path param": param("Path", "item_id", int, validation_alias=AliasChoices("id", "item")),
    "by name": param("Query", "page_size", int, {"populate_by_name": True}, alias="size"),
    "not by alias": param(
        "Query", "page_size", int, {"validate_by_alias": False, "validate_by_name": True},
        alias="size",
    ),
    "header": param("Header", "x_token", str),
    "header by name": param("Header", "x_token", str, {"validate_by_name": True}, alias="tok"),
    "header choices": param(
        "Header", "x_token", str, validation_alias=AliasChoices("x_token", "token")
    ),
}


@pytest.mark.parametrize("convert", [False, True])
@pytest.mark.parametrize("case", ALIASES)
def test_param_aliases_are_fastapis(case: str, convert: bool) -> None:
    ours, theirs = (ALIASES[case](fw) for fw in FRAMEWORKS)
    found = helper(accord, "_get_param_aliases")(ours, convert_underscores=convert)
    assert found == helper(fastapi, "_get_param_aliases")(theirs, convert_underscores=convert)


def test_param_aliases_send_a_headers_own_name_with_hyphens() -> None:
    aliases = accord.dependencies.utils._get_param_aliases
    header = ALIASES["header"](accord)
    assert aliases(header, convert_underscores=True) == [("x_token", "x-token")]
    assert aliases(ALIASES["choices"](accord)) == [("size", "size"), ("page_size", "page_size")]


def upload(name: str, content: bytes) -> UploadFile:
    import io

    return UploadFile(io.BytesIO(content), size=len(content), filename=name)


def values() -> dict[str, Any]:
    return {
        "form": FormData(
            [("tag", "a"), ("tag", "b"), ("name", ""), ("file", upload("", b"")), ("one", "x")]
        ),
        "empty uploads": FormData([("files", upload("", b"")), ("files", upload("", b""))]),
        "query": QueryParams("tag=a&tag=b&name=&one=x"),
        "headers": Headers(raw=[(b"tag", b"a"), (b"tag", b"b"), (b"one", b"x")]),
        "dict": {"tag": ["a"], "one": "x", "name": ""},
    }


MULTIDICT: list[tuple[Field_, str]] = [
    (param("Query", "tag", list[str]), "tag"),
    (param("Query", "tag", str), "tag"),
    (param("Query", "name", str), "name"),
    (param("Query", "one", str), "one"),
    (param("Query", "missing", str), "missing"),
    (param("Query", "missing", list[str]), "missing"),
    (param("Query", "tag", Json[list[str]]), "tag"),
    (form("file", lambda fw: fw.UploadFile), "file"),
    (form("files", lambda fw: list[fw.UploadFile]), "files"),
]


@pytest.mark.parametrize("source", values())
@pytest.mark.parametrize(("make", "alias"), MULTIDICT)
def test_multidict_values_are_fastapis(make: Field_, alias: str, source: str) -> None:
    ours = helper(accord, "_get_multidict_value")(make(accord), values()[source], alias)
    theirs = helper(fastapi, "_get_multidict_value")(make(fastapi), values()[source], alias)
    # Uploads are compared by what they hold: each call reads a fresh form.
    if isinstance(ours, UploadFile):
        ours, theirs = (ours.filename, ours.size), (theirs.filename, theirs.size)
    assert ours == theirs


def test_an_empty_form_entry_is_absent_and_a_sequence_collects_repeats() -> None:
    value = accord.dependencies.utils._get_multidict_value
    form_values = values()["form"]
    assert value(MULTIDICT[0][0](accord), form_values, "tag") == ["a", "b"]
    assert value(MULTIDICT[2][0](accord), form_values, "name") is fastapi._compat.Undefined


NORMALIZED: list[tuple[type[BaseModel], Any]] = [
    (Card, {"number": "4111", "holder-name": "Ada", "extra": ["1", "2"]}),
    (Card, {"number": ["1", "2"], "holder-name": ""}),
    (Transfer, {"iban": "DE00", "tags": "a"}),
    (Transfer, {"iban": "DE00", "tags": ["a", "b"], "note": None, "more": []}),
    (ByName, {"given_name": "Ada"}),
    (Card, "not a form"),
]


@pytest.mark.parametrize(("model", "value"), NORMALIZED)
def test_normalized_form_models_are_fastapis(model: type[BaseModel], value: Any) -> None:
    ours = accord.dependencies.utils._normalize_form_model(value, model=model)
    assert ours == fastapi.dependencies.utils._normalize_form_model(value, model=model)


def test_a_union_form_models_validators_are_spelled_as_fastapis() -> None:
    # cadwyn learns which models of a union form model read the form as form data from the
    # field's annotation: each model's `BeforeValidator` is ``partial(_normalize_form_model,
    # model=Model)`` (with the function of `fastapi.dependencies.utils`, found by identity).
    found = []
    for fw in FRAMEWORKS:

        def endpoint(payment: Annotated[Card | Transfer, fw.Form()]) -> None:
            raise AssertionError("never called")

        field = fw.dependencies.utils.get_dependant(path="/", call=endpoint).body_params[0]
        validators = [
            item
            for choice in get_args(field.field_info.annotation)
            for item in getattr(choice, "__metadata__", ())
            if isinstance(item, BeforeValidator)
        ]
        found.append([
            (
                isinstance(item.func, functools.partial),
                item.func.func is fw.dependencies.utils._normalize_form_model,
                item.func.keywords,
                item.func({"number": ["1", "2"], "holder-name": "Ada", "tags": "a"}),
            )
            for item in validators
        ])
    assert found[0] == found[1]
    assert [(spelled, same, keywords) for spelled, same, keywords, _ in found[0]] == [
        (True, True, {"model": Card}), (True, True, {"model": Transfer})
    ]


SUPPLIED: list[tuple[type[BaseModel], list[tuple[str, str]]]] = [
    (Card, [("number", "1")]),
    (Card, [("holder-name", "Ada")]),
    (Card, [("holder", "Ada")]),
    (Card, []),
    (Loose, [("anything", "1")]),
    (Loose, []),
    (ByName, [("given_name", "Ada")]),
]


@pytest.mark.parametrize(("model", "items"), SUPPLIED)
def test_supplied_form_models_are_fastapis(
    model: type[BaseModel], items: list[tuple[str, str]]
) -> None:
    received = FormData(items)
    ours = accord.dependencies.utils._is_form_model_supplied(model, received)
    assert ours is fastapi.dependencies.utils._is_form_model_supplied(model, received)


@pytest.mark.parametrize("model", [Card, Transfer, ByName])
def test_cached_model_fields_are_fastapis(model: type[BaseModel]) -> None:
    def described(fields: list[Any]) -> list[tuple[str, str, Any, Any]]:
        return [(f.name, f.alias, f.field_info.annotation, f.config) for f in fields]

    ours = accord._compat.get_cached_model_fields(model)
    assert described(ours) == described(fastapi._compat.get_cached_model_fields(model))
    assert accord._compat.get_cached_model_fields(model) is ours  # cached: the same objects
    assert accord.dependencies.utils.get_cached_model_fields is accord._compat.get_cached_model_fields


class Color(Enum):
    RED = "red"


class Palette(BaseModel):
    main: Color
    cards: list[Card]


class Deck(BaseModel):
    palette: Palette | None = None


def test_flat_models_and_their_names_are_fastapis() -> None:
    def fields(fw: ModuleType) -> list[Any]:
        return [
            fw._compat.ModelField(field_info=fw.params.Body(annotation=Deck), name="deck"),
            fw._compat.ModelField(field_info=fw.params.Query(annotation=int), name="n"),
        ]

    ours = accord._compat.get_flat_models_from_fields(fields(accord), known_models=set())
    theirs = fastapi._compat.get_flat_models_from_fields(fields(fastapi), known_models=set())
    assert ours == theirs == {Deck, Palette, Color, Card}
    assert accord._compat.get_model_name_map(ours) == fastapi._compat.get_model_name_map(theirs)
    known: set[Any] = {Transfer}
    assert accord._compat.get_flat_models_from_fields(fields(accord), known) is known
    assert Transfer in known and Deck in known


def test_definitions_take_fastapis_model_name_map() -> None:
    def fields(fw: ModuleType) -> list[Any]:
        info = fw.params.Body(annotation=Deck)
        return [fw._compat.ModelField(field_info=info, name="deck", mode="validation")]

    results = []
    for fw in FRAMEWORKS:
        models = fw._compat.get_flat_models_from_fields(fields(fw), known_models=set())
        made = fields(fw)
        mapping, definitions = fw._compat.get_definitions(
            fields=made,
            model_name_map=fw._compat.get_model_name_map(models),
            separate_input_output_schemas=False,
        )
        results.append((mapping[(made[0], "validation")], definitions))
    assert results[0] == results[1]
    assert results[0][0] == {"$ref": "#/components/schemas/Deck"}


class Signup(BaseModel):
    email: str
    tags: list[str] = []


def form_fields(fw: ModuleType) -> list[Any]:
    return [
        form("name", str, validation_alias=AliasChoices("name", "full_name"))(fw),
        form("tags", list[str])(fw),
        file_field(fw, "avatar", bytes),
        file_field(fw, "photos", list[bytes]),
        file_field(fw, "doc", lambda fw: fw.UploadFile),
    ]


def file_field(fw: ModuleType, name: str, annotation: Any) -> Any:
    hint = annotation(fw) if isinstance(annotation, FunctionType) else annotation
    return fw._compat.ModelField(field_info=fw.params.File(annotation=hint), name=name)


def received_form() -> FormData:
    return FormData(
        [
            ("full_name", "Ada"),
            ("name", ""),
            ("tags", "a"),
            ("tags", "b"),
            ("avatar", upload("a.png", b"png")),
            ("photos", upload("1.jpg", b"one")),
            ("photos", upload("2.jpg", b"two")),
            ("doc", upload("d.txt", b"text")),
            ("other", "1"),
            ("other", "2"),
            ("single", "x"),
        ]
    )


def comparable(items: list[tuple[str, Any, Any]]) -> list[tuple[str, Any, Any]]:
    def value(item: Any) -> Any:
        if isinstance(item, UploadFile):
            return ("upload", item.filename)
        if isinstance(item, list):
            return [value(sub) for sub in item]
        return item

    return [(alias, value(found), None if f is None else f.name) for alias, found, f in items]


def test_form_items_are_fastapis() -> None:
    ours = accord.dependencies.utils._extract_form_items(form_fields(accord), received_form())
    theirs = fastapi.dependencies.utils._extract_form_items(form_fields(fastapi), received_form())
    assert comparable(list(ours)) == comparable(list(theirs))


def test_form_bodies_are_fastapis() -> None:
    async def extracted(fw: ModuleType) -> list[tuple[str, Any, Any]]:
        extract = fw.dependencies.utils._extract_form_body
        return comparable([item async for item in extract(form_fields(fw), received_form())])

    found = [anyio.run(extracted, fw) for fw in FRAMEWORKS]
    assert found[0] == found[1]
    by_alias = {alias: value for alias, value, _ in found[0]}
    assert by_alias["avatar"] == b"png" and by_alias["photos"] == [b"one", b"two"]
    assert by_alias["full_name"] == "Ada" and by_alias["other"] == ["1", "2"]


def json_fields(fw: ModuleType) -> list[Any]:
    return [
        param("Body", "item", Card)(fw),
        param("Body", "count", int, validation_alias=AliasChoices("count", "n"))(fw),
    ]


BODIES: dict[str, tuple[Callable[[ModuleType], list[Any]], Any, bool]] = {
    "embedded": (json_fields, {"item": {"number": "1", "holder-name": "Ada"}, "n": 2}, True),
    "embedded, errors": (json_fields, {"item": {"number": 1}}, True),
    "embedded, not an object": (json_fields, [1, 2], True),
    "embedded, none": (json_fields, None, True),
    "whole body": (lambda fw: json_fields(fw)[:1], {"number": "1", "holder-name": "Ada"}, False),
    "whole body, errors": (lambda fw: json_fields(fw)[:1], {"holder-name": 3}, False),
    "whole body, absent": (lambda fw: json_fields(fw)[:1], fastapi._compat.Undefined, False),
    # A JSON null is a value: a nullable body gets None, not its default.
    "whole body, null": (
        lambda fw: [param("Body", "payload", dict[str, int] | None, default={"d": 1})(fw)],
        None,
        False,
    ),
    # One name twice (a dependency declaring it again): read by key, not as the whole body.
    "one name twice": (lambda fw: [param("Body", "item", Card)(fw) for _ in "ab"], {"item": {}}, False),
    "one name twice, whole body": (
        lambda fw: [param("Body", "item", Card)(fw) for _ in "ab"],
        {"number": "1", "holder-name": "Ada"},
        False,
    ),
    "form model": (lambda fw: [form("signup", Signup)(fw)], "form:email=a&tags=x&tags=y", False),
    "form model, missing": (lambda fw: [form("signup", Signup)(fw)], "form:tags=x", False),
    # A dict (a body an extension built) is looked up under the form model's name.
    "form model, dict": (
        lambda fw: [form("signup", Signup)(fw)], {"signup": {"email": "a"}, "email": "b"}, False
    ),
    "form model, dict without its name": (
        lambda fw: [form("signup", Signup)(fw)], {"email": "a"}, False
    ),
    "form fields": (
        lambda fw: [form("name", str)(fw), form("tags", list[str])(fw)],
        "form:name=Ada&tags=x",
        True,
    ),
    "form fields, missing": (lambda fw: [form("name", str)(fw)], "form:tags=x", True),
}


def body_of(spec: Any) -> Any:
    if isinstance(spec, str) and spec.startswith("form:"):
        return FormData(QueryParams(spec.removeprefix("form:")).multi_items())
    return spec


@pytest.mark.parametrize("case", BODIES)
def test_request_bodies_validate_as_in_fastapi(case: str) -> None:
    make, received, embed = BODIES[case]
    found = []
    for fw in FRAMEWORKS:
        values, errors = anyio.run(
            fw.dependencies.utils.request_body_to_args, make(fw), body_of(received), embed
        )
        dumped = {k: v.model_dump() if isinstance(v, BaseModel) else v for k, v in values.items()}
        found.append((dumped, [(e["type"], e["loc"], e.get("input")) for e in errors]))
    assert found[0] == found[1]
    if case == "embedded":
        assert found[0] == ({"item": {"number": "1", "holder": "Ada"}, "count": 2}, [])
