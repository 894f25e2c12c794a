"""A load generator for the fault scenarios: partners creating orders and moving them on.

Each client loops: create an order under a fresh Idempotency-Key, then move it through the
given transitions; every call is retried (same key, same body) on a connection error or a 5xx
until it gets an answer, as a partner's integration would. What the server acknowledged (2xx)
is recorded, so the database can be checked against it afterwards.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.harbor.conftest import order_body

__all__ = ["Load"]


@dataclass
class Figures:
    requests: int = 0
    ok: int = 0  # 2xx answers
    retries: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    problems_503: int = 0  # 503s that were Problem Details with Retry-After
    other_503: int = 0  # 503s that were not (must stay 0)
    unexpected: list[str] = field(default_factory=list)  # answers no retry explains


class Load:
    """`clients` concurrent partners on one event loop in a thread of its own."""

    def __init__(
        self,
        base: str,
        api_key: str,
        *,
        clients: int = 6,
        transitions: tuple[str, ...] = ("authorized",),
        seed: int = 0,
        drain: float = 2.0,
    ) -> None:
        self.base = base
        self.headers = {"X-API-Key": api_key}
        self.clients = clients
        self.transitions = transitions
        self.rng = random.Random(seed)
        self.drain = drain  # after stop(), how long a call in progress keeps retrying
        self.figures = Figures()
        self.acked: dict[str, str] = {}  # Idempotency-Key -> order id of its first 2xx
        self.conflicts: list[str] = []  # keys acknowledged with two different order ids
        self.acked_status: dict[str, str] = {}  # order id -> the last status acknowledged
        self._stopping: float | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def start(self) -> Load:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping = time.monotonic()
        self._thread.join(timeout=self.drain + 30)
        assert not self._thread.is_alive(), "the load generator did not stop"

    def _given_up(self) -> bool:
        return self._stopping is not None and time.monotonic() - self._stopping > self.drain

    async def _run(self) -> None:
        limits = httpx.Limits(max_connections=self.clients)
        async with httpx.AsyncClient(base_url=self.base, limits=limits, timeout=3) as client:
            await asyncio.gather(*(self._client(client, n) for n in range(self.clients)))

    async def _client(self, client: httpx.AsyncClient, number: int) -> None:
        count = 0
        while self._stopping is None:
            count += 1
            key = f"load-{number}-{count}"
            order_id = await self._create(client, key)
            for target in self.transitions if order_id else ():
                if not await self._transition(client, order_id, target):
                    break

    async def _create(self, client: httpx.AsyncClient, key: str) -> str | None:
        headers = {**self.headers, "Idempotency-Key": key}
        response = await self._retried(client, "POST", "/api/v1/orders", headers, order_body())
        if response is None:
            return None
        if response.status_code != 201:
            self.figures.unexpected.append(f"create {key}: {response.status_code}")
            return None
        order_id: str = response.json()["id"]
        first = self.acked.setdefault(key, order_id)
        if first != order_id:
            self.conflicts.append(key)
        self.acked_status[order_id] = "pending"
        return order_id

    async def _transition(self, client: httpx.AsyncClient, order_id: str, target: str) -> bool:
        path = f"/api/v1/orders/{order_id}/status"
        response = await self._retried(client, "PATCH", path, self.headers, {"status": target})
        if response is not None and response.status_code == 409:
            # An earlier try whose answer was lost may have moved it already: look.
            response = await self._retried(client, "GET", f"/api/v1/orders/{order_id}", None)
            if response is not None and response.json()["status"] != target:
                self.figures.unexpected.append(f"{order_id} -> {target}: {response.text}")
                return False
        if response is None:
            return False
        if response.status_code != 200:
            self.figures.unexpected.append(f"{order_id} -> {target}: {response.status_code}")
            return False
        self.acked_status[order_id] = target
        return True

    async def _retried(
        self,
        client: httpx.AsyncClient,
        method: str,
        path: str,
        headers: dict[str, str] | None,
        body: Any = None,
    ) -> httpx.Response | None:
        """The first answer that is not a 5xx; None when given up (after stop + drain)."""
        while True:
            response = await self._once(client, method, path, headers or self.headers, body)
            if response is not None and response.status_code < 500:
                return response
            if self._given_up():
                return None
            self.figures.retries += 1
            await asyncio.sleep(self.rng.uniform(0.02, 0.1))

    async def _once(
        self, client: httpx.AsyncClient, method: str, path: str, headers: Any, body: Any
    ) -> httpx.Response | None:
        figures = self.figures
        figures.requests += 1
        try:
            response = await client.request(method, path, headers=headers, json=body)
        except httpx.HTTPError as exc:
            figures.errors[type(exc).__name__] += 1
            return None
        figures.statuses[response.status_code] += 1
        if response.is_success:
            figures.ok += 1
        elif response.status_code == 503:
            problem = response.headers.get("content-type") == "application/problem+json"
            if problem and response.headers.get("retry-after") and _is_problem(response):
                figures.problems_503 += 1
            else:
                figures.other_503 += 1
        return response


def _is_problem(response: httpx.Response) -> bool:
    body = response.json()
    return body.get("status") == 503 and body.get("code") == "database_unavailable"
