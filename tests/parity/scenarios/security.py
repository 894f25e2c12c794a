"""Security: Security() with scopes, SecurityScopes accumulation, the fw.security schemes."""

from typing import Annotated

import fw
from pydantic import BaseModel

oauth2 = fw.security.OAuth2PasswordBearer(
    tokenUrl="token", scopes={"me": "Read me", "items": "Read items", "admin": "Admin"}
)
oauth2_optional = fw.security.OAuth2PasswordBearer(tokenUrl="token", auto_error=False)
basic = fw.security.HTTPBasic()
basic_realm = fw.security.HTTPBasic(realm="private")
bearer = fw.security.HTTPBearer()
bearer_optional = fw.security.HTTPBearer(auto_error=False)
digest = fw.security.HTTPDigest()
key_header = fw.security.APIKeyHeader(name="X-API-Key")
key_query = fw.security.APIKeyQuery(name="api_key", auto_error=False)
key_cookie = fw.security.APIKeyCookie(name="session")
oidc = fw.security.OpenIdConnect(openIdConnectUrl="https://id.example/.well-known")
auth_code = fw.security.OAuth2AuthorizationCodeBearer(
    authorizationUrl="https://id.example/auth", tokenUrl="https://id.example/token"
)

TOKENS = {"alice": ["me", "items"], "root": ["me", "items", "admin"]}


class User(BaseModel):
    name: str
    scopes: list[str]


def current_user(
    security_scopes: fw.security.SecurityScopes, token: Annotated[str, fw.Depends(oauth2)]
):
    granted = TOKENS.get(token)
    authenticate = (
        f'Bearer scope="{security_scopes.scope_str}"' if security_scopes.scopes else "Bearer"
    )
    if granted is None:
        raise fw.HTTPException(
            401, "Could not validate credentials", {"WWW-Authenticate": authenticate}
        )
    for scope in security_scopes.scopes:
        if scope not in granted:
            raise fw.HTTPException(
                401, "Not enough permissions", {"WWW-Authenticate": authenticate}
            )
    return User(name=token, scopes=security_scopes.scopes)


def active_user(user: Annotated[User, fw.Security(current_user, scopes=["me"])]):
    return user


app = fw.FastAPI()


@app.get("/me")
def read_me(user: Annotated[User, fw.Depends(active_user)]):
    return user


@app.get("/me/items")
def read_items(user: Annotated[User, fw.Security(active_user, scopes=["items"])]):
    return user


@app.get("/admin", dependencies=[fw.Security(current_user, scopes=["admin", "me"])])
def admin():
    return {"admin": True}


@app.get("/scopes")
def scopes_seen(security_scopes: fw.security.SecurityScopes):
    return {"scopes": security_scopes.scopes, "scope_str": security_scopes.scope_str}


@app.get("/token-optional")
def token_optional(token: Annotated[str | None, fw.Depends(oauth2_optional)]):
    return {"token": token}


@app.get("/basic")
def read_basic(credentials: Annotated[fw.security.HTTPBasicCredentials, fw.Depends(basic)]):
    return {"username": credentials.username, "password": credentials.password}


@app.get("/basic-realm")
def read_basic_realm(
    credentials: Annotated[fw.security.HTTPBasicCredentials, fw.Depends(basic_realm)],
):
    return {"username": credentials.username}


@app.get("/bearer")
def read_bearer(
    credentials: Annotated[fw.security.HTTPAuthorizationCredentials, fw.Depends(bearer)],
):
    return {"scheme": credentials.scheme, "credentials": credentials.credentials}


@app.get("/bearer-optional")
def read_bearer_optional(credentials=fw.Depends(bearer_optional)):
    return {"credentials": credentials and credentials.credentials}


@app.get("/digest")
def read_digest(credentials=fw.Depends(digest)):
    return {"scheme": credentials.scheme, "credentials": credentials.credentials}


@app.get("/key-header")
def read_key_header(key: Annotated[str, fw.Security(key_header)]):
    return {"key": key}


@app.get("/key-query")
def read_key_query(key: Annotated[str | None, fw.Security(key_query)]):
    return {"key": key}


@app.get("/key-cookie")
def read_key_cookie(key: Annotated[str, fw.Depends(key_cookie)]):
    return {"key": key}


@app.get("/oidc")
def read_oidc(value: Annotated[str, fw.Depends(oidc)]):
    return {"value": value}


@app.get("/auth-code")
def read_auth_code(value: Annotated[str, fw.Depends(auth_code)]):
    return {"value": value}


@app.post("/token")
def login(form: Annotated[fw.security.OAuth2PasswordRequestForm, fw.Depends()]):
    return {"access_token": form.username, "token_type": "bearer", "scopes": form.scopes}
