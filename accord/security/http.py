"""HTTP authentication schemes: Basic, Bearer and Digest (RFC 7235 ``Authorization``)."""

from __future__ import annotations

import binascii
from base64 import b64decode

from pydantic import BaseModel
from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from accord.exceptions import HTTPException
from accord.openapi.models import HTTPBase as HTTPBaseModel
from accord.openapi.models import HTTPBearer as HTTPBearerModel
from accord.security.base import SecurityBase
from accord.security.utils import get_authorization_scheme_param

__all__ = [
    "HTTPAuthorizationCredentials",
    "HTTPBase",
    "HTTPBasic",
    "HTTPBasicCredentials",
    "HTTPBearer",
    "HTTPDigest",
]


class HTTPBasicCredentials(BaseModel):
    """The user name and password decoded from an HTTP Basic ``Authorization`` header."""

    username: str
    password: str


class HTTPAuthorizationCredentials(BaseModel):
    """An ``Authorization`` header split at its first space.

    ``Authorization: Bearer abc`` gives ``scheme="Bearer"`` and ``credentials="abc"``.
    """

    scheme: str
    credentials: str


class HTTPBase(SecurityBase):
    """An HTTP authentication scheme named by `scheme`; the base of Basic, Bearer and Digest.

    The dependency's value is the header's :class:`HTTPAuthorizationCredentials`, whatever
    the scheme the client used.

    Args:
        scheme: The scheme's name in the OpenAPI document (``"basic"``, ``"bearer"``...).
        scheme_name: The security scheme's name in the OpenAPI document (default: the
            class name).
        description: The scheme's description in the OpenAPI document.
        auto_error: When True missing credentials are answered with 401; when False the
            dependency returns None instead.
    """

    model: HTTPBaseModel

    def __init__(
        self,
        *,
        scheme: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = HTTPBaseModel(scheme=scheme, description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    def make_authenticate_headers(self) -> dict[str, str]:
        """The ``WWW-Authenticate`` challenge sent with a 401."""
        return {"WWW-Authenticate": self.model.scheme.title()}

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 answer for missing or unusable credentials."""
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers=self.make_authenticate_headers(),
        )

    def _refuse(self) -> None:
        """Answer 401 when `auto_error` is on; otherwise let the caller return None."""
        if self.auto_error:
            raise self.make_not_authenticated_error()

    def _credentials(
        self, request: HTTPConnection, required_scheme: str | None
    ) -> HTTPAuthorizationCredentials | None:
        """The header's scheme and credentials, if both are present and the scheme fits."""
        authorization = request.headers.get("Authorization")
        scheme, credentials = get_authorization_scheme_param(authorization)
        usable = bool(scheme and credentials)
        if usable and required_scheme is not None:
            usable = scheme.lower() == required_scheme
        if not usable:
            self._refuse()
            return None
        return HTTPAuthorizationCredentials(scheme=scheme, credentials=credentials)

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        return self._credentials(request, None)


class HTTPBasic(HTTPBase):
    """HTTP Basic authentication (RFC 7617).

    The dependency's value is the decoded :class:`HTTPBasicCredentials`. A header that
    names another scheme, or none, is answered with 401 (or gives None when `auto_error` is
    False); a Basic header whose payload is not base64 of ``user:password`` is always
    answered with 401.

    Args:
        scheme_name: The security scheme's name in the OpenAPI document (default: the
            class name).
        realm: The realm named in the ``WWW-Authenticate`` challenge.
        description: The scheme's description in the OpenAPI document.
        auto_error: When True missing credentials are answered with 401; when False the
            dependency returns None instead.
    """

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        realm: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(
            scheme="basic", scheme_name=scheme_name, description=description, auto_error=auto_error
        )
        self.realm = realm

    def make_authenticate_headers(self) -> dict[str, str]:
        """The ``WWW-Authenticate`` challenge, with the realm when one is set."""
        if self.realm:
            return {"WWW-Authenticate": f'Basic realm="{self.realm}"'}
        return {"WWW-Authenticate": "Basic"}

    async def __call__(  # type: ignore[override]  # Basic credentials, not the raw pair
        self, request: HTTPConnection
    ) -> HTTPBasicCredentials | None:
        authorization = request.headers.get("Authorization")
        scheme, param = get_authorization_scheme_param(authorization)
        if not authorization or scheme.lower() != "basic":
            self._refuse()
            return None
        return self._decode(param)

    def _decode(self, param: str) -> HTTPBasicCredentials:
        """Decode base64 ``user:password``; anything else is a 401, even without auto_error."""
        try:
            data = b64decode(param).decode("ascii")
        except (ValueError, UnicodeDecodeError, binascii.Error) as error:
            # A non-ASCII str raises ValueError, bad padding binascii.Error.
            raise self.make_not_authenticated_error() from error
        username, separator, password = data.partition(":")
        if not separator:
            raise self.make_not_authenticated_error()
        return HTTPBasicCredentials(username=username, password=password)


class HTTPBearer(HTTPBase):
    """HTTP Bearer token authentication (RFC 6750).

    The dependency's value is the :class:`HTTPAuthorizationCredentials` of a
    ``Bearer <token>`` header (scheme matched case-insensitively).

    Args:
        bearerFormat: A hint about the token's format (``"JWT"``) for the OpenAPI document.
        scheme_name: The security scheme's name in the OpenAPI document (default: the
            class name).
        description: The scheme's description in the OpenAPI document.
        auto_error: When True missing or non-Bearer credentials are answered with 401;
            when False the dependency returns None instead.
    """

    model: HTTPBearerModel

    def __init__(
        self,
        *,
        bearerFormat: str | None = None,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = HTTPBearerModel(bearerFormat=bearerFormat, description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        return self._credentials(request, "bearer")


class HTTPDigest(HTTPBase):
    """HTTP Digest authentication (RFC 7616), for the OpenAPI document only.

    The dependency checks no digest: it returns the :class:`HTTPAuthorizationCredentials`
    of a ``Digest ...`` header, and a subclass or the endpoint does the verification.

    Args:
        scheme_name: The security scheme's name in the OpenAPI document (default: the
            class name).
        description: The scheme's description in the OpenAPI document.
        auto_error: When True missing or non-Digest credentials are answered with 401;
            when False the dependency returns None instead.
    """

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(
            scheme="digest", scheme_name=scheme_name, description=description, auto_error=auto_error
        )

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        return self._credentials(request, "digest")
