from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from pwdlib import PasswordHash
from pydantic import BaseModel

from accord import Depends, FastAPI, HTTPException, status
from accord.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm

# Read these from your settings in a real service (see the settings page).
SECRET_KEY = "0b5e4b2f3a7c9d1e8f6a4b2c0d9e7f5a3b1c8d6e4f2a0b9c7d5e3f1a8b6c4d2e"
ALGORITHM = "HS256"
TOKEN_LIFETIME = timedelta(minutes=30)

password_hash = PasswordHash.recommended()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
app = FastAPI(title="Bookshop")


class Customer(BaseModel):
    username: str
    full_name: str


class StoredCustomer(Customer):
    password_hash: str


class Token(BaseModel):
    access_token: str
    token_type: str


CUSTOMERS = {
    "ada": StoredCustomer(
        username="ada",
        full_name="Ada Lovelace",
        password_hash=password_hash.hash("engine"),
    )
}
DUMMY_HASH = password_hash.hash("never-matches")


def authenticate(username: str, password: str) -> StoredCustomer | None:
    customer = CUSTOMERS.get(username)
    # Verify against a dummy hash for unknown names, so both cases take as long.
    valid = password_hash.verify(
        password, customer.password_hash if customer else DUMMY_HASH
    )
    return customer if customer and valid else None


def create_token(username: str) -> str:
    claims = {"sub": username, "exp": datetime.now(UTC) + TOKEN_LIFETIME}
    return jwt.encode(claims, SECRET_KEY, algorithm=ALGORITHM)


def current_customer(token: Annotated[str, Depends(oauth2_scheme)]) -> Customer:
    unauthorized = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Invalid or expired token",
        headers={"WWW-Authenticate": "Bearer"},
    )
    try:
        username = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])["sub"]
    except (jwt.InvalidTokenError, KeyError):
        raise unauthorized from None
    if username not in CUSTOMERS:
        raise unauthorized
    return CUSTOMERS[username]


@app.post("/token")
def log_in(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    customer = authenticate(form.username, form.password)
    if customer is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Wrong username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Token(access_token=create_token(customer.username), token_type="bearer")


@app.get("/me")
def read_me(customer: Annotated[Customer, Depends(current_customer)]) -> Customer:
    return customer
