"""Security schemes usable as dependencies: OAuth2, HTTP Basic/Bearer/Digest, API keys, OpenID.

Each scheme is a callable dependency that reads the request's credentials and is also
described in the OpenAPI document's ``securitySchemes``.

The schemes load with their first use (``from accord.security import HTTPBearer``): an app
that declares none does not import them, nor the OpenAPI models they describe themselves with.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.security.api_key import APIKeyCookie as APIKeyCookie
    from accord.security.api_key import APIKeyHeader as APIKeyHeader
    from accord.security.api_key import APIKeyQuery as APIKeyQuery
    from accord.security.base import SecurityBase as SecurityBase
    from accord.security.http import HTTPAuthorizationCredentials as HTTPAuthorizationCredentials
    from accord.security.http import HTTPBasic as HTTPBasic
    from accord.security.http import HTTPBasicCredentials as HTTPBasicCredentials
    from accord.security.http import HTTPBearer as HTTPBearer
    from accord.security.http import HTTPDigest as HTTPDigest
    from accord.security.oauth2 import OAuth2 as OAuth2
    from accord.security.oauth2 import (
        OAuth2AuthorizationCodeBearer as OAuth2AuthorizationCodeBearer,
    )
    from accord.security.oauth2 import OAuth2PasswordBearer as OAuth2PasswordBearer
    from accord.security.oauth2 import OAuth2PasswordRequestForm as OAuth2PasswordRequestForm
    from accord.security.oauth2 import (
        OAuth2PasswordRequestFormStrict as OAuth2PasswordRequestFormStrict,
    )
    from accord.security.open_id_connect_url import OpenIdConnect as OpenIdConnect
    from accord.security.scopes import SecurityScopes as SecurityScopes

_MODULES = {
    "APIKeyCookie": "accord.security.api_key",
    "APIKeyHeader": "accord.security.api_key",
    "APIKeyQuery": "accord.security.api_key",
    "SecurityBase": "accord.security.base",
    "HTTPAuthorizationCredentials": "accord.security.http",
    "HTTPBasic": "accord.security.http",
    "HTTPBasicCredentials": "accord.security.http",
    "HTTPBearer": "accord.security.http",
    "HTTPDigest": "accord.security.http",
    "OAuth2": "accord.security.oauth2",
    "OAuth2AuthorizationCodeBearer": "accord.security.oauth2",
    "OAuth2PasswordBearer": "accord.security.oauth2",
    "OAuth2PasswordRequestForm": "accord.security.oauth2",
    "OAuth2PasswordRequestFormStrict": "accord.security.oauth2",
    "OpenIdConnect": "accord.security.open_id_connect_url",
    "SecurityScopes": "accord.security.scopes",
}

__all__ = [
    "APIKeyCookie",
    "APIKeyHeader",
    "APIKeyQuery",
    "HTTPAuthorizationCredentials",
    "HTTPBasic",
    "HTTPBasicCredentials",
    "HTTPBearer",
    "HTTPDigest",
    "OAuth2",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "OpenIdConnect",
    "SecurityScopes",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
