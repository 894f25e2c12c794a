"""`SecurityScopes`: the OAuth2 scopes a dependant requires, injected by type."""

from __future__ import annotations

__all__ = ["SecurityScopes"]


class SecurityScopes:
    """The OAuth2 scopes required by all the dependants above and including this one."""

    def __init__(self, scopes: list[str] | None = None) -> None:
        self.scopes: list[str] = scopes or []
        self.scope_str: str = " ".join(self.scopes)
