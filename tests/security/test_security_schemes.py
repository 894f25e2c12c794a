"""The schemes called directly on hand-built requests: values, 401s, auto_error=False.

Headers go into the ASGI scope untouched, so malformed values (bad base64, no colon,
non-ASCII bytes, empty, very long) reach the scheme exactly as a client could send them.
"""

from __future__ import annotations

import base64
import types
from typing import Any

import pytest
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from .helpers import authorization, call, make_request


def b64(raw: bytes | str) -> str:
    data = raw.encode() if isinstance(raw, str) else raw
    return base64.b64encode(data).decode()


def outcome(scheme: Any, headers: list[tuple[bytes, bytes]], query: bytes = b"") -> Any:
    """The value the dependency gives, or ``(status, detail, headers)`` of what it raised."""
    try:
        value = call(scheme, make_request(headers, query))
    except StarletteHTTPException as exc:
        return (exc.status_code, exc.detail, exc.headers)
    return value.model_dump() if isinstance(value, BaseModel) else value


def refused(challenge: str) -> tuple[int, str, dict[str, str]]:
    return (401, "Not authenticated", {"WWW-Authenticate": challenge})


LONG = "A" * 100_000

# (header value or None for no header, result with auto_error=True, with auto_error=False)
BASIC_CASES = [
    (None, refused("Basic"), None),
    ("", refused("Basic"), None),
    ("Basic", refused("Basic"), refused("Basic")),
    ("Basic    ", refused("Basic"), refused("Basic")),
    ("Basic !!notbase64", refused("Basic"), refused("Basic")),
    ("Basic " + b64("nocolon"), refused("Basic"), refused("Basic")),
    ("Basic " + b64("jos\u00e9:pw"), refused("Basic"), refused("Basic")),  # not ASCII
    (b"Basic \xc3\xa9\xff", refused("Basic"), refused("Basic")),  # raw non-ASCII bytes
    ("Basic " + LONG, refused("Basic"), refused("Basic")),  # decodes to NULs, no colon
    ("Bearer x", refused("Basic"), None),
    ("Basicx " + b64("a:b"), refused("Basic"), None),
    ("Basic " + b64("ann:secret"), {"username": "ann", "password": "secret"}, None),
    ("basic " + b64("a:b:c"), {"username": "a", "password": "b:c"}, None),
    ("BASIC   " + b64(":") + "  ", {"username": "", "password": ""}, None),
    ("Basic " + b64("u:" + "p" * 60_000), {"username": "u", "password": "p" * 60_000}, None),
]


@pytest.mark.parametrize(("value", "strict", "lenient"), BASIC_CASES)
def test_http_basic(fw: types.ModuleType, value: Any, strict: Any, lenient: Any) -> None:
    headers = [] if value is None else authorization(value)
    assert outcome(fw.security.HTTPBasic(), headers) == strict
    expected_lenient = strict if isinstance(strict, dict) else lenient
    assert outcome(fw.security.HTTPBasic(auto_error=False), headers) == expected_lenient


def test_http_basic_realm_in_challenge(fw: types.ModuleType) -> None:
    scheme = fw.security.HTTPBasic(realm="private")
    assert outcome(scheme, []) == refused('Basic realm="private"')
    assert outcome(scheme, authorization("Basic %%%")) == refused('Basic realm="private"')


BEARER_CASES = [
    (None, refused("Bearer"), None),
    ("", refused("Bearer"), None),
    ("Bearer", refused("Bearer"), None),
    ("Bearer    ", refused("Bearer"), None),
    ("Basic tok", refused("Bearer"), None),
    ("Bearer\ttok", refused("Bearer"), None),  # only a space separates scheme and token
    ("bearer tok", {"scheme": "bearer", "credentials": "tok"}, None),
    ("Bearer a b ", {"scheme": "Bearer", "credentials": "a b"}, None),
    ("Bearer " + LONG, {"scheme": "Bearer", "credentials": LONG}, None),
    (b"Bearer \xe2\x82\xac", {"scheme": "Bearer", "credentials": "\xe2\x82\xac"}, None),
]


@pytest.mark.parametrize(("value", "strict", "lenient"), BEARER_CASES)
def test_http_bearer(fw: types.ModuleType, value: Any, strict: Any, lenient: Any) -> None:
    headers = [] if value is None else authorization(value)
    assert outcome(fw.security.HTTPBearer(), headers) == strict
    expected_lenient = strict if isinstance(strict, dict) else lenient
    assert outcome(fw.security.HTTPBearer(auto_error=False), headers) == expected_lenient


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, refused("Digest")),
        ("Digest", refused("Digest")),
        ("Bearer abc", refused("Digest")),
        (
            'digest username="a", nonce="n"',
            {"scheme": "digest", "credentials": 'username="a", nonce="n"'},
        ),
    ],
)
def test_http_digest(fw: types.ModuleType, value: Any, expected: Any) -> None:
    headers = [] if value is None else authorization(value)
    assert outcome(fw.security.HTTPDigest(), headers) == expected
    lenient = expected if isinstance(expected, dict) else None
    assert outcome(fw.security.HTTPDigest(auto_error=False), headers) == lenient


def test_http_base_takes_any_scheme(fw: types.ModuleType) -> None:
    scheme = fw.security.http.HTTPBase(scheme="custom")
    assert outcome(scheme, authorization("Other abc")) == {"scheme": "Other", "credentials": "abc"}
    assert outcome(scheme, authorization("Other")) == refused("Custom")
    assert outcome(fw.security.http.HTTPBase(scheme="custom", auto_error=False), []) is None


OAUTH2_BEARER_CASES = [
    (None, refused("Bearer"), None),
    ("", refused("Bearer"), None),
    ("Basic abc", refused("Bearer"), None),
    ("Bearer", "", ""),  # the scheme alone passes, with an empty token
    ("bearer tok", "tok", "tok"),
    ("Bearer  tok  ", "tok", "tok"),
    (b"Bearer \xff", "\xff", "\xff"),
]


@pytest.mark.parametrize(("value", "strict", "lenient"), OAUTH2_BEARER_CASES)
@pytest.mark.parametrize("flow", ["password", "authorization_code"])
def test_oauth2_bearers(
    fw: types.ModuleType, flow: str, value: Any, strict: Any, lenient: Any
) -> None:
    def make(**options: Any) -> Any:
        if flow == "password":
            return fw.security.OAuth2PasswordBearer(tokenUrl="token", **options)
        return fw.security.OAuth2AuthorizationCodeBearer(
            "https://a/auth", "https://a/tok", **options
        )

    headers = [] if value is None else authorization(value)
    assert outcome(make(), headers) == strict
    assert outcome(make(auto_error=False), headers) == lenient


@pytest.mark.parametrize("cls", ["OAuth2", "OpenIdConnect"])
def test_whole_header_schemes(fw: types.ModuleType, cls: str) -> None:
    def make(**options: Any) -> Any:
        if cls == "OAuth2":
            return fw.security.OAuth2(**options)
        return fw.security.OpenIdConnect(openIdConnectUrl="https://id/.well-known", **options)

    assert outcome(make(), authorization("Anything at all")) == "Anything at all"
    assert outcome(make(), []) == refused("Bearer")
    assert outcome(make(), authorization("")) == refused("Bearer")
    assert outcome(make(auto_error=False), []) is None


@pytest.mark.parametrize(
    ("cls", "headers", "query"),
    [
        ("APIKeyHeader", [(b"x-key", b"k1")], b""),
        ("APIKeyQuery", [], b"key=k1"),
        ("APIKeyCookie", [(b"cookie", b"other=1; key=k1")], b""),
    ],
)
def test_api_keys(fw: types.ModuleType, cls: str, headers: Any, query: bytes) -> None:
    scheme_class = getattr(fw.security, cls)
    name = "X-Key" if cls == "APIKeyHeader" else "key"
    assert outcome(scheme_class(name=name), headers, query) == "k1"
    assert outcome(scheme_class(name=name), [], b"") == refused("APIKey")
    assert outcome(scheme_class(name=name, auto_error=False), [], b"") is None
    empty_headers = [(name.lower().encode(), b"")] if cls == "APIKeyHeader" else []
    empty_query = b"key=" if cls == "APIKeyQuery" else b""
    if cls == "APIKeyCookie":
        empty_headers = [(b"cookie", b"key=")]
    assert outcome(scheme_class(name=name), empty_headers, empty_query) == refused("APIKey")


def test_error_classes_match_fastapis_choice(fw: types.ModuleType) -> None:
    # Handlers are looked up by exception class: API-key and OpenID Connect schemes raise
    # Starlette's HTTPException itself, the HTTP and OAuth2 schemes the framework's subclass.
    def raised(scheme: Any) -> type[BaseException]:
        with pytest.raises(StarletteHTTPException) as info:
            call(scheme, make_request())
        return info.type

    assert raised(fw.security.APIKeyHeader(name="k")) is StarletteHTTPException
    assert raised(fw.security.OpenIdConnect(openIdConnectUrl="u")) is StarletteHTTPException
    assert raised(fw.security.HTTPBearer()) is fw.HTTPException
    assert raised(fw.security.OAuth2PasswordBearer("t")) is fw.HTTPException


def test_scheme_names_and_models(fw: types.ModuleType) -> None:
    bearer = fw.security.HTTPBearer(bearerFormat="JWT", scheme_name="jwt", description="d")
    assert bearer.scheme_name == "jwt"
    assert bearer.model.model_dump(mode="json", by_alias=True, exclude_none=True) == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "d",
    }
    key = fw.security.APIKeyCookie(name="session")
    assert key.scheme_name == "APIKeyCookie"
    assert key.model.model_dump(mode="json", by_alias=True, exclude_none=True) == {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
    }
    code = fw.security.OAuth2AuthorizationCodeBearer("https://a", "https://t", "https://r")
    flows = code.model.model_dump(mode="json", by_alias=True, exclude_none=True)["flows"]
    assert flows == {
        "authorizationCode": {
            "authorizationUrl": "https://a",
            "tokenUrl": "https://t",
            "refreshUrl": "https://r",
            "scopes": {},
        }
    }
    custom = fw.security.OAuth2(
        flows={"clientCredentials": {"tokenUrl": "t", "scopes": {"a": "A"}}}
    )
    dumped = custom.model.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert dumped == {
        "type": "oauth2",
        "flows": {"clientCredentials": {"tokenUrl": "t", "scopes": {"a": "A"}}},
    }


def test_security_scopes_is_the_injected_class() -> None:
    import accord.security
    import accord.security.oauth2
    from accord._compiler.dependant import SecurityScopes

    assert accord.security.SecurityScopes is SecurityScopes
    assert accord.security.oauth2.SecurityScopes is SecurityScopes
    with pytest.raises(AttributeError):
        accord.security.NoSuchName  # noqa: B018
    with pytest.raises(AttributeError):
        accord.security.oauth2.NoSuchName  # noqa: B018


def test_get_authorization_scheme_param(fw: types.ModuleType) -> None:
    from importlib import import_module

    split = import_module(f"{fw.__name__}.security.utils").get_authorization_scheme_param
    assert split(None) == ("", "")
    assert split("") == ("", "")
    assert split("Bearer") == ("Bearer", "")
    assert split("Bearer  a b  ") == ("Bearer", "a b")
