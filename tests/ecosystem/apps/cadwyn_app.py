"""cadwyn on Accord: one API in two versions, picked by the `x-api-version` header.

Run as a script (the alias on from its first line); prints what each version answered as JSON.
Since 2001-01-01 a user has a list of `addresses`; 2000-01-01 knew a single `address`. A
`VersionChange` says so: cadwyn generates each version's models from it, copies every route
once per version with its own `dependant` and a wrapped endpoint, and migrates the old
version's request body forward and the latest version's response back. 2002-01-01 added an
endpoint and a field of a form model. cadwyn serves one OpenAPI document per version at
`/openapi.json?version=...`.
"""

import accord.as_fastapi  # noqa: F401, I001 - first: cadwyn imports fastapi

import json
from typing import Annotated, Any

from cadwyn import (
    Cadwyn,
    HeadVersion,
    RequestInfo,
    ResponseInfo,
    Version,
    VersionBundle,
    VersionChange,
    VersionedAPIRouter,
    convert_request_to_next_version_for,
    convert_response_to_previous_version_for,
    endpoint,
    schema,
)
from fastapi import Form, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field


class UserCreateRequest(BaseModel):
    name: str
    addresses: list[str] = Field(min_length=1)


class UserResource(BaseModel):
    id: int
    name: str
    addresses: list[str]


class SignUp(BaseModel):
    email: str
    newsletter: bool = False


class NewsletterAndAddressBook(VersionChange):
    description = "Sign-up forms may ask for the newsletter; users have an address book."
    instructions_to_migrate_to_previous_version = (
        schema(SignUp).field("newsletter").didnt_exist,
        endpoint("/users/{user_id}/addresses", ["GET"]).didnt_exist,
    )


class AddressesBecameAList(VersionChange):
    description = "A user has a list of addresses instead of a single address."
    instructions_to_migrate_to_previous_version = (
        schema(UserCreateRequest).field("addresses").didnt_exist,
        schema(UserCreateRequest).field("address").existed_as(type=str),
        schema(UserResource).field("addresses").didnt_exist,
        schema(UserResource).field("address").existed_as(type=str),
    )

    @convert_request_to_next_version_for(UserCreateRequest)
    def address_to_addresses(request: RequestInfo) -> None:  # noqa: N805 - cadwyn's form
        request.body["addresses"] = [request.body.pop("address")]

    @convert_response_to_previous_version_for(UserResource)
    def addresses_to_address(response: ResponseInfo) -> None:  # noqa: N805 - cadwyn's form
        response.body["address"] = response.body.pop("addresses")[0]


versions = VersionBundle(
    HeadVersion(),
    Version("2002-01-01", NewsletterAndAddressBook),
    Version("2001-01-01", AddressesBecameAList),
    Version("2000-01-01"),
)
router = VersionedAPIRouter()
users: dict[int, dict[str, Any]] = {}


@router.post("/users", response_model=UserResource, status_code=201)
async def create_user(user: UserCreateRequest) -> dict[str, Any]:
    users[len(users) + 1] = {"id": len(users) + 1, **user.model_dump()}
    return users[len(users)]


@router.get("/users/{user_id}", response_model=UserResource)
async def read_user(user_id: int) -> dict[str, Any]:
    if user_id not in users:
        raise HTTPException(404, "no such user")
    return users[user_id]


@router.get("/users/{user_id}/addresses")
async def read_addresses(user_id: int) -> list[str]:
    return list((await read_user(user_id))["addresses"])


@router.post("/signups")
async def sign_up(form: Annotated[SignUp, Form()]) -> dict[str, Any]:
    return form.model_dump()


app = Cadwyn(versions=versions, title="Versioned users")
app.generate_and_include_versioned_routers(router)

NEW, OLD = {"x-api-version": "2001-01-01"}, {"x-api-version": "2000-01-01"}
LATEST = {"x-api-version": "2002-01-01"}


def answer(response: Any) -> list[Any]:
    return [response.status_code, response.json()]


def request_schema(document: dict[str, Any]) -> list[str]:
    body = document["paths"]["/users"]["post"]["requestBody"]["content"]["application/json"]
    name = body["schema"]["$ref"].rsplit("/", 1)[-1]
    return sorted(document["components"]["schemas"][name]["properties"])


with TestClient(app) as client:
    created_new = client.post("/users", json={"name": "Ada", "addresses": ["1 Main St", "2 Elm"]},
                              headers=NEW)
    created_old = client.post("/users", json={"name": "Bob", "address": "3 Oak"}, headers=OLD)
    old_reads_new = client.get("/users/1", headers=OLD)
    new_reads_old = client.get("/users/2", headers=NEW)
    old_with_new_body = client.post("/users", json={"name": "Eve", "addresses": ["x"]},
                                    headers=OLD)
    new_with_old_body = client.post("/users", json={"name": "Eve", "address": "x"}, headers=NEW)
    missing = client.get("/users/9", headers=OLD)
    unknown_version = client.get("/users/1", headers={"x-api-version": "1999-01-01"})
    no_version = client.get("/users/1")
    book_latest = client.get("/users/1/addresses", headers=LATEST)
    book_new = client.get("/users/1/addresses", headers=NEW)
    latest_reads = client.get("/users/2", headers=LATEST)
    signup_latest = client.post("/signups", data={"email": "a@b.c", "newsletter": "yes"},
                                headers=LATEST)
    signup_new = client.post("/signups", data={"email": "a@b.c", "newsletter": "yes"},
                             headers=NEW)
    signup_missing = client.post("/signups", data={"newsletter": "yes"}, headers=NEW)
    latest_doc = client.get("/openapi.json", params={"version": "2002-01-01"})
    new_doc = client.get("/openapi.json", params={"version": "2001-01-01"})
    old_doc = client.get("/openapi.json", params={"version": "2000-01-01"})
    no_doc = client.get("/openapi.json", params={"version": "1999-01-01"})


def errors(response: Any) -> list[Any]:
    return [response.status_code, [[e["type"], e["loc"]] for e in response.json()["detail"]]]


version_header = next(
    p for p in new_doc.json()["paths"]["/users/{user_id}"]["get"]["parameters"]
    if p["in"] == "header"
)
print(json.dumps({
    "created_new": answer(created_new),
    "created_old": answer(created_old),
    "old_reads_new": answer(old_reads_new),
    "new_reads_old": answer(new_reads_old),
    "old_with_new_body": errors(old_with_new_body),
    "new_with_old_body": errors(new_with_old_body),
    "missing": answer(missing),
    "unknown_version": unknown_version.status_code,
    "no_version": no_version.status_code,
    "book": [answer(book_latest), answer(book_new)],
    "latest_reads": answer(latest_reads),
    "signups": [answer(signup_latest), answer(signup_new), errors(signup_missing)],
    "paths": [sorted(latest_doc.json()["paths"]), sorted(new_doc.json()["paths"])],
    "latest_doc": latest_doc.json(),
    "docs": [new_doc.status_code, old_doc.status_code, no_doc.status_code],
    "doc_versions": [new_doc.json()["info"]["version"], old_doc.json()["info"]["version"]],
    "request_fields": [request_schema(new_doc.json()), request_schema(old_doc.json())],
    "version_header": [version_header["name"], version_header["required"]],
    "new_doc": new_doc.json(),
    "old_doc": old_doc.json(),
    "stored": sorted(users),
    "framework": type(app).__mro__[1].__module__.split(".")[0],
}))
