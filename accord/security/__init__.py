"""Security schemes usable as dependencies: OAuth2, HTTP Basic/Bearer/Digest, API keys, OpenID.

Each scheme is a callable dependency that reads the request's credentials and is also
described in the OpenAPI document's ``securitySchemes``.
"""


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
from accord.security.oauth2 import OAuth2AuthorizationCodeBearer as OAuth2AuthorizationCodeBearer
from accord.security.oauth2 import OAuth2PasswordBearer as OAuth2PasswordBearer
from accord.security.oauth2 import OAuth2PasswordRequestForm as OAuth2PasswordRequestForm
from accord.security.oauth2 import (
    OAuth2PasswordRequestFormStrict as OAuth2PasswordRequestFormStrict,
)
from accord.security.open_id_connect_url import OpenIdConnect as OpenIdConnect
from accord.security.scopes import SecurityScopes as SecurityScopes

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
