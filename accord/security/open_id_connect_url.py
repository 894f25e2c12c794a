"""OpenID Connect: the scheme points at the provider's discovery document."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from accord.openapi.models import OpenIdConnect as OpenIdConnectModel
from accord.security.base import SecurityBase

__all__ = ["OpenIdConnect"]


class OpenIdConnect(SecurityBase):
    """OpenID Connect authentication, for the OpenAPI document and the docs UI.

    The dependency only reads the ``Authorization`` header and returns its whole value
    (scheme included); validating the token is the application's job.

    Args:
        openIdConnectUrl: The provider's OpenID Connect discovery URL.
        scheme_name: The scheme's name in the OpenAPI document (default: the class name).
        description: The scheme's description in the OpenAPI document.
        auto_error: When True a missing header is answered with 401; when False the
            dependency returns None instead.
    """

    model: OpenIdConnectModel

    def __init__(
        self,
        *,
        openIdConnectUrl: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = OpenIdConnectModel(openIdConnectUrl=openIdConnectUrl, description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 answer for a request without an ``Authorization`` header."""
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        authorization = request.headers.get("Authorization")
        if authorization:
            return authorization
        if self.auto_error:
            raise self.make_not_authenticated_error()
        return None
