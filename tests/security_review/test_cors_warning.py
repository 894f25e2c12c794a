"""A wildcard CORS origin with credentials is warned about; behaviour stays Starlette's.

`check_cors_setup` inspects the app's middleware entries (Accord's and Starlette's import
path name the same class). The application calls it when it builds its middleware stack.
"""

import logging

import pytest
from starlette.middleware.cors import CORSMiddleware as StarletteCORSMiddleware

from accord.middleware import Middleware
from accord.middleware.cors import WILDCARD_CREDENTIALS_WARNING, CORSMiddleware, check_cors_setup

RISKY = [
    {"allow_origins": ["*"], "allow_credentials": True},
    {
        "allow_origins": ("https://a.example", "*"),
        "allow_credentials": True,
        "allow_methods": ["*"],
    },
    {"allow_origin_regex": ".*", "allow_credentials": True},
]
SAFE = [
    {"allow_origins": ["*"]},
    {"allow_origins": ["https://a.example"], "allow_credentials": True},
    {"allow_origin_regex": r"https://.*\.example\.com", "allow_credentials": True},
]


def logged(caplog: pytest.LogCaptureFixture, entries: list[Middleware]) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="accord"):
        returned = check_cors_setup(entries)
    messages = [r.getMessage() for r in caplog.records if r.name == "accord"]
    assert messages == returned
    return messages


@pytest.mark.parametrize("options", RISKY)
def test_wildcard_origin_with_credentials_is_warned(caplog, options) -> None:
    assert logged(caplog, [Middleware(CORSMiddleware, **options)]) == [WILDCARD_CREDENTIALS_WARNING]


@pytest.mark.parametrize("options", SAFE)
def test_safe_setups_are_not_warned(caplog, options) -> None:
    assert logged(caplog, [Middleware(CORSMiddleware, **options)]) == []


def test_positional_options_and_subclasses_are_understood(caplog) -> None:
    class Custom(StarletteCORSMiddleware):
        pass

    entries = [
        Middleware(CORSMiddleware, ["*"], ["GET"], [], True),
        Middleware(Custom, allow_origins=["*"], allow_credentials=True),
    ]
    assert len(logged(caplog, entries)) == 2


def test_other_middleware_and_broken_options_are_ignored(caplog) -> None:
    class NotCors:
        def __init__(self, app, allow_origins=("*",), allow_credentials=True): ...

    entries = [
        Middleware(NotCors),
        Middleware(CORSMiddleware, no_such_option=True),  # its constructor will complain
    ]
    assert logged(caplog, entries) == []


def test_the_middleware_is_starlettes_own_class() -> None:
    # Behaviour (and FastAPI's import path) unchanged: the warning is the only addition.
    assert CORSMiddleware is StarletteCORSMiddleware


def test_the_app_warns_once_when_it_starts(caplog) -> None:
    from accord import Accord
    from accord.testclient import TestClient

    app = Accord(middleware=[Middleware(StarletteCORSMiddleware, **RISKY[0])])
    with caplog.at_level(logging.WARNING, logger="accord"), TestClient(app) as client:
        client.get("/nothing-here")
        client.get("/nothing-here")
    messages = [r.getMessage() for r in caplog.records if r.name == "accord"]
    assert messages == [WILDCARD_CREDENTIALS_WARNING]
