"""API keys: 401 without or with a wrong key; keys are stored hashed; revoked keys stop working."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from examples.harbor.partners.keys import hash_api_key
from examples.harbor.partners.models import ApiKey
from tests.harbor.conftest import PEPPER, Harbor, PartnerKeys, order_body

ENDPOINTS = [
    ("GET", "/api/v1/orders", None),
    ("GET", "/api/v1/orders/ord_x", None),
    ("POST", "/api/v1/orders", order_body()),
    ("PATCH", "/api/v1/orders/ord_x/status", {"status": "authorized"}),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("key", [None, "", "hp_wrong", "x" * 5000])
def test_missing_or_wrong_keys_are_401(
    harbor: Harbor, alpha: PartnerKeys, method: str, path: str, body: object, key: str | None
) -> None:
    headers = {"Idempotency-Key": "k", **({"X-API-Key": key} if key is not None else {})}
    response = harbor.client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.headers["www-authenticate"] == "APIKey"


def test_keys_are_stored_hashed(harbor: Harbor, alpha: PartnerKeys) -> None:
    stored = harbor.rows(ApiKey.__table__.select())
    assert [row.key_hash for row in stored] == [hash_api_key(alpha.key, PEPPER)]
    assert alpha.key not in {row.key_hash for row in stored}
    assert stored[0].prefix == alpha.key[:10]


def test_a_revoked_key_is_401(harbor: Harbor, alpha: PartnerKeys) -> None:
    assert harbor.client.get("/api/v1/orders", headers=alpha.headers).status_code == 200

    async def revoke() -> None:
        async with harbor.database.sessions() as session, session.begin():
            await session.execute(update(ApiKey).values(revoked_at=ApiKey.created_at))

    harbor.call(revoke)
    assert harbor.client.get("/api/v1/orders", headers=alpha.headers).status_code == 401


def test_the_hash_depends_on_the_pepper() -> None:
    assert hash_api_key("hp_abc", "one") != hash_api_key("hp_abc", "two")
    assert len(hash_api_key("hp_abc", "one")) == 64
