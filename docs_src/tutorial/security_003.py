from typing import Annotated

from accord import FastAPI, HTTPException, Security
from accord.security import OAuth2PasswordBearer, SecurityScopes

oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="token",
    scopes={
        "books:read": "Read the catalogue",
        "books:write": "Change the catalogue",
    },
)
app = FastAPI(title="Bookshop")

# Stands in for the scopes a real token (a JWT, as above) would carry.
TOKEN_SCOPES = {
    "reader-token": {"books:read"},
    "editor-token": {"books:read", "books:write"},
}


def granted(
    scopes: SecurityScopes, token: Annotated[str, Security(oauth2_scheme)]
) -> str:
    missing = set(scopes.scopes) - TOKEN_SCOPES.get(token, set())
    if missing:
        raise HTTPException(
            status_code=403,
            detail=f"Missing scope: {' '.join(sorted(missing))}",
            headers={"WWW-Authenticate": f'Bearer scope="{scopes.scope_str}"'},
        )
    return token


@app.get("/books")
def list_books(
    _: Annotated[str, Security(granted, scopes=["books:read"])],
) -> list[str]:
    return ["Dune", "Emma"]


@app.post("/books")
def add_book(
    title: str, _: Annotated[str, Security(granted, scopes=["books:write"])]
) -> str:
    return title
