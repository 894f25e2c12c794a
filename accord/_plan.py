"""The data the compiler writes and the runtime reads: one route's plan, and nothing that acts.

Layer 1 of the package: `accord._compiler` turns a declaration into a `RoutePlan` made of these
immutable records, `accord._runtime` executes it, and neither imports the other. The kinds a
request would otherwise have to work out (how to read the body, which exit stacks it needs, how
to write the response) are enum members fixed here at registration.

`ModelField` lives here too: the compiler builds one per declared input and output, and the
runtime's error path validates through it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass
from dataclasses import field as derived
from enum import Enum, IntEnum
from functools import cached_property
from typing import Annotated, Any, Literal, Protocol

from pydantic import AliasChoices, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from starlette.responses import Response

from accord._adapters import ALIAS_ATTRIBUTES, field_key, shared_adapter
from accord._backports import UnsupportedFieldAttributeWarning as _AliasWarning
from accord._backports import field_info_asdict
from accord._row_codec import RowCodec, row_codec
from accord.exceptions import AccordError, EndpointContext
from accord.limits import FormLimits

__all__ = [
    "APP",
    "ASYNC",
    "ASYNC_GEN",
    "BACKGROUND",
    "CONNECTION",
    "ENDPOINT_RESULT",
    "GEN",
    "REQUEST",
    "RESPONSE",
    "SYNC",
    "WEBSOCKET",
    "AppRecipe",
    "BodyKind",
    "BodyLimits",
    "BodyPlan",
    "FormField",
    "FormModel",
    "Location",
    "ModelField",
    "Plan",
    "ResponseKind",
    "ResponsePlan",
    "RouteLike",
    "RoutePlan",
    "Slot",
    "StackKind",
    "Step",
    "StepKind",
    "StreamPlan",
    "annotated_type",
    "copy_field_info",
    "is_body_allowed_for_status_code",
    "missing_error",
    "regenerate_errors",
    "silenced_alias_warnings",
]


class StepKind(IntEnum):
    """How a dependency step (or the endpoint) is called."""

    SYNC = 0
    """``def``: in the thread pool."""
    ASYNC = 1
    """``async def``: awaited on the loop."""
    GEN = 2
    """``def ... yield``: entered in the thread pool, torn down with the request."""
    ASYNC_GEN = 3
    """``async def ... yield``: entered on the loop, torn down with the request."""
    APP = 4
    """``Depends(..., scope="app")``: a read of the app's value, bound by the runtime."""


# Module-level aliases: the request path compares against these, not through the enum class.
SYNC, ASYNC, GEN, ASYNC_GEN, APP = (
    StepKind.SYNC,
    StepKind.ASYNC,
    StepKind.GEN,
    StepKind.ASYNC_GEN,
    StepKind.APP,
)


class Location(str, Enum):
    """Where a non-body input is read from; one runtime extractor each."""

    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


class BodyKind(IntEnum):
    """How a route reads its body."""

    NONE = 0
    """No body parameter: the body is never read."""
    JSON = 1
    """JSON (or raw bytes) straight from ``receive``: nothing else needs a `Request`."""
    REQUEST = 2
    """JSON or bytes through the `Request` something else injects (it may read it too)."""
    FORM = 3
    """urlencoded or multipart form data, through a `Request`."""


class StackKind(IntEnum):
    """Which exit stacks a request of the route opens."""

    NONE = 0
    """No yield dependency, no form: no stack at all."""
    REQUEST = 1
    """One stack, closed after the response is sent."""
    FUNCTION = 2
    """The request's stack and one closed right after the endpoint returns."""


class ResponseKind(IntEnum):
    """How the endpoint's return value becomes the response."""

    JSON = 0
    """The default class, no response model, the status fixed: JSON bytes, headers known."""
    MODEL = 1
    """As JSON, through the response model's serializer."""
    GENERAL = 2
    """Any other combination: a custom class, an injected `Response`, a status per response."""
    JSONL = 3
    """A generator endpoint streamed as JSON Lines."""
    SSE = 4
    """A generator endpoint streamed as Server-Sent Events."""
    RAW = 5
    """A generator endpoint streamed through its response class as it yields."""


# Keys of the values a request provides itself (the rest are "p0", "b0", "d0": inputs, body
# fields and dependency results). Plain strings: they are dict keys on the request path.
REQUEST = "!request"
RESPONSE = "!response"
BACKGROUND = "!background"
WEBSOCKET = "!websocket"
CONNECTION = "!connection"
ENDPOINT_RESULT = "!endpoint"


@contextmanager
def silenced_alias_warnings() -> Iterator[None]:
    """A block in which pydantic's "this option means nothing here" warning is silent.

    Options such as `alias` mean nothing on a standalone type; pydantic (2.12 and later) says
    so, and Accord builds such types on purpose.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", _AliasWarning)
        yield


def annotated_type(field_info: FieldInfo, *, keep_aliases: bool = True) -> Any:
    """``Annotated[type, *constraints, Field(...)]``: the field as a standalone type.

    With `keep_aliases=False` the alias options are dropped, so that the type can sit in a
    container keyed by Accord's own names (a default is validated only with
    `validate_default=True`, as in FastAPI 0.163).
    """
    parts = field_info_asdict(field_info)
    attributes = dict(parts["attributes"])
    if not keep_aliases:
        for name in ALIAS_ATTRIBUTES:
            attributes.pop(name, None)
    args = (parts["annotation"], *parts["metadata"], Field(**attributes))
    return Annotated[args]


def copy_field_info(field_info: FieldInfo, annotation: Any) -> FieldInfo:
    """A copy of `field_info` with everything `annotation` declares merged in: its type, its
    constraints and, as in FastAPI 0.163, the options of a `Field(...)` beside the marker
    (``Annotated[int, Form(), Field(validate_default=True)]``)."""
    merged = type(field_info).from_annotation(annotation)
    new = copy(field_info)
    for name, value in field_info_asdict(merged)["attributes"].items():
        setattr(new, name, value)
    new._attributes_set = dict(merged._attributes_set)
    new.metadata = merged.metadata
    new.annotation = merged.annotation
    return new


def missing_error(loc: tuple[int | str, ...]) -> dict[str, Any]:
    """The error entry for a required input that is absent."""
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


def regenerate_errors(errors: list[Any], prefix: tuple[int | str, ...]) -> list[dict[str, Any]]:
    """Prefixes each pydantic error's `loc` with where the input came from."""
    return [{**error, "loc": prefix + tuple(error["loc"])} for error in errors]


def is_body_allowed_for_status_code(status_code: int | str | None) -> bool:
    """No body for 1xx, 204, 205 and 304 (OpenAPI range strings such as ``"2XX"`` allow one)."""
    if status_code is None:
        return True
    if status_code in {"default", "1XX", "2XX", "3XX", "4XX", "5XX"}:
        return True
    code = int(status_code)
    return not (code < 200 or code in {204, 205, 304})


class ModelField:
    """A named input or output: its `FieldInfo`, its alias and its pydantic adapter.

    A field is built once, when its route is registered; its `TypeAdapter` on first use (the
    OpenAPI document needs one even for inputs the runtime validates in bulk).
    """

    __slots__ = ("__dict__", "config", "field_info", "mode", "name")

    def __init__(
        self,
        field_info: FieldInfo,
        name: str,
        mode: Literal["validation", "serialization"] = "validation",
        config: ConfigDict | None = None,
    ) -> None:
        self.field_info = field_info
        self.name = name
        self.mode = mode
        self.config = config

    def __repr__(self) -> str:
        return f"ModelField(name={self.name!r}, type={self.field_info.annotation!r})"

    @property
    def alias(self) -> str:
        """The name the field has on the wire."""
        alias = self.field_info.alias
        return alias if alias is not None else self.name

    @property
    def validation_alias(self) -> str | None:
        """The string validation alias, when one is set."""
        alias = self.field_info.validation_alias
        return alias if isinstance(alias, str) and alias else None

    @property
    def serialization_alias(self) -> str | None:
        """The serialization alias, when one is set."""
        return self.field_info.serialization_alias or None

    @property
    def lookup_alias(self) -> str:
        """The key the input is read under: the validation alias (the first of
        `AliasChoices`), else the alias."""
        return self.lookup_aliases[0]

    @property
    def lookup_aliases(self) -> tuple[str, ...]:
        """Every key the input may be read under, in preference order (`AliasChoices` of
        names give several; an `AliasPath` is pydantic's to follow, not a key)."""
        chosen = self.field_info.validation_alias
        if isinstance(chosen, AliasChoices):
            names = tuple(c for c in chosen.choices if isinstance(c, str))
            if names and len(names) == len(chosen.choices):
                return names
        return (self.validation_alias or self.alias,)

    @property
    def required(self) -> bool:
        """Whether the input must be present."""
        return self.field_info.is_required()

    @property
    def default(self) -> Any:
        """The default value (a fresh one from a factory), or `PydanticUndefined`."""
        if self.field_info.is_required():
            return PydanticUndefined
        return self.field_info.get_default(call_default_factory=True)

    @property
    def type_(self) -> Any:
        """The declared annotation."""
        return self.field_info.annotation

    @cached_property
    def type_adapter(self) -> TypeAdapter[Any]:
        """The pydantic adapter for ``Annotated[type, constraints, Field(...)]``, shared with
        every field declared the same way (`accord._adapters`)."""
        key = field_key(self.field_info, config=self.config)
        try:
            return shared_adapter(key, self._new_adapter)
        except Exception as exc:  # pydantic raises several kinds here
            raise AccordError(
                f"Invalid type for {self.name!r}: {self.field_info.annotation!r} is not a "
                f"type pydantic can validate or serialize ({exc}). Use a pydantic model, a "
                "dataclass or a standard type, or set response_model=None."
            ) from exc

    @cached_property
    def unaliased_key(self) -> Hashable | None:
        """The adapter key of the field without its aliases (the routes whose inputs are
        declared alike share one combined validator), computed once per field."""
        return field_key(self.field_info, keep_aliases=False)

    def _new_adapter(self) -> TypeAdapter[Any]:
        with silenced_alias_warnings():  # only when an adapter is built, not on a shared one
            return TypeAdapter(annotated_type(self.field_info), config=self.config)

    @cached_property
    def row_codec(self) -> RowCodec | None:
        """The typed-dict twin of a plain response model (`accord._row_codec`), if it is one."""
        return row_codec(self.type_adapter.core_schema) if self.config is None else None

    @property
    def _type_adapter(self) -> TypeAdapter[Any]:
        """`type_adapter` under FastAPI's private name, which extensions read (cadwyn 9)."""
        return self.type_adapter

    def validate(
        self, value: Any, *, loc: tuple[int | str, ...] = ()
    ) -> tuple[Any, list[dict[str, Any]]]:
        """Validates a Python value; returns ``(value, [])`` or ``(None, errors)``."""
        try:
            return self.type_adapter.validate_python(value, from_attributes=True), []
        except ValidationError as exc:
            return None, regenerate_errors(exc.errors(include_url=False), loc)


@dataclass(frozen=True, slots=True)
class Slot:
    """One declared path/query/header/cookie input.

    `model_fields` is set when the input is a parameter model (``Annotated[Filters, Query()]``):
    then the whole location is collected into a dict, as (field name, lookup name, declared
    alias, is sequence) for each of the model's fields.
    """

    key: str
    field: ModelField
    location: Location
    alias: str
    sequence: bool
    loc: tuple[str, ...]
    model_fields: tuple[tuple[str, str, str, bool], ...] | None = None
    choices: tuple[str, ...] = ()
    """More than one name to read the input under (`AliasChoices`): tried in order."""
    error_aliases: tuple[tuple[str, str], ...] = ()
    """A header model's (field alias, header name) pairs: errors name the header."""
    model_optional: bool = False
    """``Filters | None``: absent (its default applies) unless one of its fields was sent, or,
    for a model with ``extra="allow"`` or ``"forbid"``, anything was."""
    model_takes_extras: bool = False


@dataclass(frozen=True, slots=True)
class AppRecipe:
    """How to build one app-scoped value: its call, kind and the recipes of its arguments.

    `key` identifies the value in the app's container: the call and, recursively, the keys of
    its arguments, so an override of an inner dependency gives a distinct value.
    """

    name: str
    call: Callable[..., Any]
    kind: StepKind
    manager: Callable[..., Any] | None
    args: tuple[tuple[str, AppRecipe], ...]
    key: Hashable


@dataclass(frozen=True, slots=True)
class Step:
    """One dependency call: its callable, kind, arguments (name -> value key) and result key.

    `scopes` is the parameter that receives a fresh `SecurityScopes`, with the scopes it lists;
    `recipe` is set on `APP` steps, which the runtime binds to the application's container.
    """

    call: Callable[..., Any]
    kind: StepKind
    args: tuple[tuple[str, str], ...]
    result_key: str
    function_scope: bool
    subtree: frozenset[str]
    scopes: tuple[str, tuple[str, ...]] | None = None
    manager: Callable[..., Any] | None = None
    recipe: AppRecipe | None = None
    concurrency: Any = None
    """`Depends(max_concurrency=N)`: an `accord.concurrency._DependencyConcurrency`."""


@dataclass(frozen=True, slots=True)
class FormField:
    """One field a form is read through, with what its reading needs decided at registration."""

    alias: str
    info: FieldInfo
    sequence: bool
    read_bytes: Literal["", "one", "many"]
    """A `File()` field annotated as bytes: the uploads are read into bytes."""
    container: Callable[[list[Any]], Any] | None = None
    """The sequence type to build from several uploaded files' bytes."""
    fallbacks: tuple[str, ...] = ()
    """More keys to read the field under, in order, when `alias` is absent
    (`AliasChoices`, or the field's name with ``validate_by_name``)."""


@dataclass(frozen=True, slots=True)
class FormModel:
    """A form body field that stands for a whole model, or a union of models (FastAPI 0.163).

    It is read from the whole form, independently of the other body fields, and validated at
    ``["body"]``: its own fields' values, then every other key of the form.
    """

    fields: tuple[FormField, ...]
    """The model's fields; none for a union, whose models each read for themselves."""
    declared: frozenset[str]
    """The keys `fields` read; every other key is passed on as it is."""
    names: frozenset[str]
    """The keys of every model's fields: one of them in the form means the model was sent."""
    optional: bool
    """``Model | None``: absent (its default, or a missing error) unless it was sent."""
    takes_extras: bool
    """``extra="allow"`` or ``"forbid"``: any key at all means the model was sent."""


@dataclass(frozen=True, slots=True)
class BodyPlan:
    """How to validate the body (how to read it is the route's `BodyKind`).

    For a form, `form_fields` reads the plain form fields and `form_models` holds, for each of
    `fields` in order, its `FormModel` (None for a plain field).
    """

    fields: tuple[ModelField, ...]
    keys: tuple[str, ...]
    embed: bool
    is_form: bool
    fast: TypeAdapter[Any] | None
    form_fields: tuple[FormField, ...] = ()
    form_models: tuple[FormModel | None, ...] = ()
    whole: tuple[bool, ...] = ()
    """For each of `fields`, whether it is the whole body (FastAPI decides it per dependant:
    the route is not embedded and the field is its dependant's one body field, not embedded
    and not a form model); the others are read key by key."""


@dataclass(frozen=True, slots=True)
class Plan:
    """A route's inputs, dependency steps and endpoint call, decided at registration."""

    slots: tuple[Slot, ...]
    validator: TypeAdapter[Any] | None
    locations: frozenset[Location]
    body: BodyPlan | None
    steps: tuple[Step, ...]
    endpoint: Step
    error_order: tuple[str, ...]
    needs_request: bool
    needs_response: bool
    needs_background: bool
    has_exit_stack: bool
    has_function_scope: bool = False
    stages: tuple[tuple[Step, ...], ...] = ()
    endpoint_in_last_stage: bool = False


@dataclass(frozen=True, slots=True)
class ResponsePlan:
    """The status code, response class and serializer of one route."""

    status_code: int | None
    field: ModelField | None
    response_class: type[Response]
    class_is_default: bool
    dump_options: dict[str, Any]
    endpoint_ctx: EndpointContext
    json_status: int | None = derived(init=False)
    """The status of a default-class JSON answer with a body, when the route fixes it
    (`None`: work it out per response, through the response class)."""
    plain_dump: bool = derived(init=False)
    """Whether the model is written whole (no include, exclude or exclude_* option), so that
    its typed-dict twin (`ModelField.row_codec`) writes the same."""

    def __post_init__(self) -> None:
        status = 200 if self.status_code is None else self.status_code
        fixed = (
            self.class_is_default
            and isinstance(status, int)
            and is_body_allowed_for_status_code(status)
        )
        object.__setattr__(self, "json_status", status if fixed else None)
        options = self.dump_options
        trims = any(options.get(k) for k in ("exclude_unset", "exclude_defaults", "exclude_none"))
        whole = options.get("include") is None and options.get("exclude") is None
        object.__setattr__(self, "plain_dump", whole and not trims)


@dataclass(frozen=True, slots=True)
class StreamPlan:
    """A generator endpoint's stream: the items' field (if typed) and whether it is async."""

    item_field: ModelField | None
    is_async: bool


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """A route's limits, resolved at registration (`None`: unlimited)."""

    max_body_size: int | None
    form: FormLimits | None


@dataclass(frozen=True, slots=True)
class RoutePlan:
    """Everything a route's runner needs, in one record: what `compile_route` returns."""

    plan: Plan
    response: ResponsePlan
    response_kind: ResponseKind
    body_kind: BodyKind
    stack_kind: StackKind
    limits: BodyLimits
    error_format: str
    strict_content_type: bool
    stream: StreamPlan | None = None
    simple: bool = False
    """No inputs, no dependencies, a JSON answer: the shortest runner serves it."""


class RouteLike(Protocol):
    """What the runtime asks of the route it serves (a Protocol: no import of `routing`)."""

    @property
    def dependency_overrides_provider(self) -> Any:
        """The object whose `dependency_overrides` apply (the application), or None."""

    def runner_for_overrides(self, overrides: dict[Any, Any]) -> Any:
        """The route's runner with `overrides` applied, compiled once per override set."""
