"""APIs FastAPI 0.163 removed are refused by Accord the same way: extra keywords on parameter
markers, `openapi_prefix=`, arbitrary application keywords and `app.extra`."""

from collections.abc import Callable
from typing import Any

import fastapi
import pytest

import accord

MARKERS = ["Path", "Query", "Header", "Cookie", "Body", "Form", "File"]


def failure(make: Callable[[], Any]) -> tuple[str, str]:
    """The exception `make()` raises: its class and the message up to Accord's hint."""
    with pytest.raises(Exception) as raised:  # noqa: PT011 - the class is what is compared
        make()
    return type(raised.value).__name__, str(raised.value).split(";")[0]


@pytest.mark.parametrize("marker", MARKERS)
def test_unknown_marker_keyword_raises_type_error(marker: str) -> None:
    ours, theirs = (
        failure(lambda fw=fw: getattr(fw, marker)(not_an_option=1)) for fw in (accord, fastapi)
    )
    assert (
        ours
        == theirs
        == ("TypeError", f"{marker}() got an unexpected keyword argument 'not_an_option'")
    )


def test_the_marker_error_names_the_replacement() -> None:
    with pytest.raises(TypeError, match=r"json_schema_extra=\{'x_order': \.\.\.\}"):
        accord.Query(x_order=1)


@pytest.mark.parametrize("keyword", ["openapi_prefix", "my_setting"])
def test_removed_application_keywords_raise_type_error(keyword: str) -> None:
    ours, theirs = (
        failure(lambda fw=fw: fw.FastAPI(**{keyword: "/x"})) for fw in (accord, fastapi)
    )
    assert ours[0] == theirs[0] == "TypeError"
    assert ours[1].endswith(f"unexpected keyword argument '{keyword}'")
    assert theirs[1].endswith(f"unexpected keyword argument '{keyword}'")


def test_the_app_has_no_extra_attribute() -> None:
    for fw in (accord, fastapi):
        assert not hasattr(fw.FastAPI(), "extra"), fw.__name__
