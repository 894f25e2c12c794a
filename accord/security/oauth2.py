"""OAuth2: the password and authorization-code bearer flows, and the password login form."""

from __future__ import annotations

from typing import Annotated, Any

from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from accord.exceptions import HTTPException
from accord.openapi.models import OAuth2 as OAuth2Model
from accord.openapi.models import OAuthFlows as OAuthFlowsModel
from accord.param_functions import Form
from accord.security.base import SecurityBase
from accord.security.scopes import SecurityScopes
from accord.security.utils import get_authorization_scheme_param

__all__ = [
    "OAuth2",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "SecurityScopes",
]


class OAuth2PasswordRequestForm:
    """The OAuth2 password-flow login form, used as ``Depends()`` on the token endpoint.

    Read from form fields (``application/x-www-form-urlencoded``). `grant_type` may be
    left out; when given it must be ``"password"``. Use
    :class:`OAuth2PasswordRequestFormStrict` to require it.

    Attributes:
        grant_type: ``"password"`` or None.
        username: The user name (the OAuth2 field name is fixed).
        password: The password.
        scopes: The space-separated ``scope`` field, split into a list.
        client_id: A client id sent in the form (OAuth2 prefers HTTP Basic for it).
        client_secret: A client secret sent in the form.
    """

    def __init__(
        self,
        *,
        grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
        username: Annotated[str, Form()],
        password: Annotated[str, Form(json_schema_extra={"format": "password"})],
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form(json_schema_extra={"format": "password"})] = None,
    ) -> None:
        self.grant_type = grant_type
        self.username = username
        self.password = password
        self.scopes = scope.split()
        self.client_id = client_id
        self.client_secret = client_secret


class OAuth2PasswordRequestFormStrict(OAuth2PasswordRequestForm):
    """:class:`OAuth2PasswordRequestForm` with `grant_type` required (it must be "password")."""

    def __init__(
        self,
        grant_type: Annotated[str, Form(pattern="^password$")],
        username: Annotated[str, Form()],
        password: Annotated[str, Form()],
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form()] = None,
    ) -> None:
        super().__init__(
            grant_type=grant_type,
            username=username,
            password=password,
            scope=scope,
            client_id=client_id,
            client_secret=client_secret,
        )


class OAuth2(SecurityBase):
    """An OAuth2 scheme with any flows; the base of the bearer flows below.

    The dependency's value is the whole ``Authorization`` header value.

    Args:
        flows: The OAuth2 flows, as a model or as the equivalent dict.
        scheme_name: The scheme's name in the OpenAPI document (default: the class name).
        description: The scheme's description in the OpenAPI document.
        auto_error: When True a missing header is answered with 401; when False the
            dependency returns None instead.
    """

    model: OAuth2Model

    def __init__(
        self,
        *,
        flows: OAuthFlowsModel | dict[str, dict[str, Any]] | None = None,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = OAuth2Model.model_validate(
            {"flows": OAuthFlowsModel() if flows is None else flows, "description": description}
        )
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 answer for a request without a usable token."""
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )

    def _refuse(self) -> None:
        """Answer 401 when `auto_error` is on; otherwise let the caller return None."""
        if self.auto_error:
            raise self.make_not_authenticated_error()

    def _bearer_token(self, request: HTTPConnection) -> str | None:
        """The token of a ``Bearer <token>`` header (scheme matched case-insensitively)."""
        authorization = request.headers.get("Authorization")
        scheme, param = get_authorization_scheme_param(authorization)
        if not authorization or scheme.lower() != "bearer":
            self._refuse()
            return None
        return param

    async def __call__(self, request: HTTPConnection) -> str | None:
        authorization = request.headers.get("Authorization")
        if not authorization:
            self._refuse()
            return None
        return authorization


def _flow(**fields: Any) -> dict[str, Any]:
    """One flow's fields; OAuth2 has no "no scopes" form, so None becomes an empty map."""
    fields["scopes"] = fields["scopes"] or {}
    return fields


class OAuth2PasswordBearer(OAuth2):
    """OAuth2 password flow: the client trades a user name and password for a bearer token.

    The dependency's value is the token of a ``Bearer <token>`` header. The token is not
    checked: the application decodes and verifies it.

    Args:
        tokenUrl: The URL (relative to the app) of the endpoint that issues tokens, the one
            taking an :class:`OAuth2PasswordRequestForm`.
        scheme_name: The scheme's name in the OpenAPI document (default: the class name).
        scopes: The scopes the application knows: name to description.
        description: The scheme's description in the OpenAPI document.
        auto_error: When True a missing or non-Bearer header is answered with 401; when
            False the dependency returns None instead.
        refreshUrl: The URL of the endpoint that refreshes tokens, if any.
    """

    def __init__(
        self,
        tokenUrl: str,
        scheme_name: str | None = None,
        scopes: dict[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
        refreshUrl: str | None = None,
    ) -> None:
        flow = _flow(tokenUrl=tokenUrl, refreshUrl=refreshUrl, scopes=scopes)
        super().__init__(
            flows={"password": flow},
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self._bearer_token(request)


class OAuth2AuthorizationCodeBearer(OAuth2):
    """OAuth2 authorization-code flow, read as a bearer token.

    The dependency's value is the token of a ``Bearer <token>`` header, unchecked.

    Args:
        authorizationUrl: The provider's authorization endpoint.
        tokenUrl: The provider's token endpoint.
        refreshUrl: The provider's refresh endpoint, if any.
        scheme_name: The scheme's name in the OpenAPI document (default: the class name).
        scopes: The scopes the application knows: name to description.
        description: The scheme's description in the OpenAPI document.
        auto_error: When True a missing or non-Bearer header is answered with 401; when
            False the dependency returns None instead.
    """

    def __init__(
        self,
        authorizationUrl: str,
        tokenUrl: str,
        refreshUrl: str | None = None,
        scheme_name: str | None = None,
        scopes: dict[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        flow = _flow(
            authorizationUrl=authorizationUrl,
            tokenUrl=tokenUrl,
            refreshUrl=refreshUrl,
            scopes=scopes,
        )
        super().__init__(
            flows={"authorizationCode": flow},
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self._bearer_token(request)
