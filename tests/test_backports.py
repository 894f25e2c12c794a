"""`accord._backports`: the same names on the oldest and the newest supported releases.

Run by `make test` on the newest releases and by `make test-matrix` on the floors too.
"""

from __future__ import annotations

import warnings
from typing import Annotated, Any

import pytest
import starlette.status
from pydantic import Field, TypeAdapter
from pydantic.fields import FieldInfo

import accord.status
from accord._backports import (
    DEPRECATED_STATUS_NAMES,
    STATUS_NAMES,
    UnsupportedFieldAttributeWarning,
    field_info_asdict,
    field_info_parts,
)

CODES = {
    name
    for name, value in vars(starlette.status).items()
    if name.startswith(("HTTP_", "WS_")) and isinstance(value, int)
}


def test_status_names_are_every_code_starlette_defines() -> None:
    assert set(STATUS_NAMES) == CODES
    assert len(STATUS_NAMES) == len(CODES)
    assert "HTTP_404_NOT_FOUND" in STATUS_NAMES
    assert not DEPRECATED_STATUS_NAMES & CODES


def test_a_star_import_of_accord_status_gives_starlettes_codes() -> None:
    namespace: dict[str, Any] = {}
    exec("from accord.status import *", namespace)
    del namespace["__builtins__"]
    assert namespace == {name: getattr(starlette.status, name) for name in STATUS_NAMES}


def test_deprecated_and_unknown_status_names() -> None:
    for name in DEPRECATED_STATUS_NAMES:
        # Starlette's own warning class (a UserWarning), which older releases do not have.
        with pytest.warns(UserWarning, match=name):
            assert getattr(accord.status, name) == getattr(starlette.status, name)
    with pytest.raises(AttributeError, match="module 'accord.status' has no attribute"):
        accord.status.HTTP_999_NOT_A_STATUS  # noqa: B018


FIELDS = [
    Field(),
    Field(3, alias="n", title="N", description="a number", gt=1, examples=[4]),
    Field(default_factory=list, validation_alias="v", serialization_alias="s", deprecated=True),
    Field(None, max_length=5, pattern="^a", json_schema_extra={"x": 1}, frozen=True),
]


@pytest.mark.parametrize("field", FIELDS)
def test_a_field_rebuilt_from_its_parts_has_the_same_options(field: FieldInfo) -> None:
    info = FieldInfo.from_annotation(Annotated[str, field])  # type: ignore[arg-type]
    parts = field_info_asdict(info)
    args = (parts["annotation"], *parts["metadata"], Field(**parts["attributes"]))
    rebuilt = FieldInfo.from_annotation(Annotated[args])  # type: ignore[arg-type]
    assert field_info_asdict(rebuilt) == parts
    assert parts["annotation"] is str
    assert parts["metadata"] == info.metadata
    assert parts["attributes"]["alias"] == info.alias


@pytest.mark.parametrize("field", FIELDS)
def test_the_parts_read_from_attributes_are_what_asdict_returns(field: FieldInfo) -> None:
    info = FieldInfo.from_annotation(Annotated[int, field])  # type: ignore[arg-type]
    # On Pydantic >= 2.12 this compares the fallback with the release's own `asdict()`.
    expected = info.asdict() if hasattr(info, "asdict") else field_info_parts(info)
    assert field_info_parts(info) == expected
    assert field_info_asdict(info) == expected


def test_the_unsupported_attribute_filter_silences_what_pydantic_says() -> None:
    assert issubclass(UnsupportedFieldAttributeWarning, Warning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", UnsupportedFieldAttributeWarning)
        adapter = TypeAdapter(Annotated[int, Field(alias="a", validate_default=True)])
    assert adapter.validate_python("3") == 3
