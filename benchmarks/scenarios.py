"""The requests every app answers: what to send, and what status must come back."""

import json
from dataclasses import dataclass, field

from benchmarks.apps import FRAMEWORKS

# The apps that serve every endpoint; the other two serve some (see `MODEL_APPS` and "raw").
FULL_APPS = tuple(f for f in FRAMEWORKS if f not in ("raw", "litestar-msgspec"))
# The endpoints whose answers are models, served by the msgspec app too.
MODEL_APPS = (*FULL_APPS, "litestar-msgspec")

ORDER = {
    "customer_email": "ada@example.com",
    "currency": "EUR",
    "lines": [
        {"sku": "SKU-1", "quantity": 2, "unit_price": "9.99"},
        {"sku": "SKU-2", "quantity": 1, "unit_price": "25.00"},
    ],
}
TOKEN = ("x-token", "tok-ada")


@dataclass(frozen=True)
class Scenario:
    """One request, described independently of any server or harness.

    Attributes:
        key: short identifier used in results.
        item: the endpoint's number in the benchmark issue (1 to 6).
        title: what the endpoint exercises, for the report.
        method: HTTP method.
        path: request path.
        query: query string without the ``?``.
        headers: extra request headers (lower-case names).
        body: request body (JSON bytes) or empty.
        status: the status a correct app answers with.
        frameworks: which apps implement it.
    """

    key: str
    item: int
    title: str
    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    status: int = 200
    frameworks: tuple[str, ...] = FULL_APPS
    accepted: tuple[int, ...] = field(default=())

    @property
    def target(self) -> str:
        """Path plus query string, as it appears on the request line."""
        return f"{self.path}?{self.query}" if self.query else self.path

    def ok(self, status: int) -> bool:
        """Whether ``status`` is a correct answer."""
        return status in self.accepted if self.accepted else status == self.status


def _json(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("plaintext", 1, "GET /plaintext", "GET", "/plaintext", frameworks=(*FULL_APPS, "raw")),
    Scenario("json", 1, "GET /json", "GET", "/json", frameworks=(*FULL_APPS, "raw")),
    Scenario("items", 2, "path + query validation", "GET", "/items/42", "q=hello&limit=25"),
    Scenario(
        "orders",
        3,
        "POST nested body -> 201 + response_model",
        "POST",
        "/orders",
        headers=(("content-type", "application/json"),),
        body=_json(ORDER),
        status=201,
    ),
    Scenario(
        "profile",
        4,
        "3-level async dependency chain",
        "GET",
        "/users/7/profile",
        headers=(TOKEN,),
        frameworks=MODEL_APPS,
    ),
    Scenario(
        "profile_sync",
        4,
        "3-level sync dependency chain",
        "GET",
        "/users/7/profile-sync",
        headers=(TOKEN,),
        frameworks=MODEL_APPS,
    ),
    Scenario(
        "list",
        5,
        "100 nested items, response_model=list[Item]",
        "GET",
        "/list",
        frameworks=MODEL_APPS,
    ),
    Scenario("nested", 6, "GET /json three routers deep", "GET", "/r1/r2/r3/json"),
)

_INVALID = (400, 422)

# Requests every app must refuse: proof that the hand-written app really validates.
REJECTS: tuple[Scenario, ...] = (
    Scenario("limit_too_big", 2, "", "GET", "/items/42", "limit=101", accepted=_INVALID),
    Scenario("limit_not_int", 2, "", "GET", "/items/42", "limit=ten", accepted=_INVALID),
    Scenario(
        "no_lines",
        3,
        "",
        "POST",
        "/orders",
        headers=(("content-type", "application/json"),),
        body=_json({**ORDER, "lines": []}),
        accepted=_INVALID,
    ),
    Scenario(
        "zero_quantity",
        3,
        "",
        "POST",
        "/orders",
        headers=(("content-type", "application/json"),),
        body=_json({**ORDER, "lines": [{"sku": "A", "quantity": 0, "unit_price": "1"}]}),
        accepted=_INVALID,
    ),
    Scenario(
        "negative_price",
        3,
        "",
        "POST",
        "/orders",
        headers=(("content-type", "application/json"),),
        body=_json({**ORDER, "lines": [{"sku": "A", "quantity": 1, "unit_price": "-1"}]}),
        accepted=_INVALID,
    ),
    Scenario(
        "bad_currency",
        3,
        "",
        "POST",
        "/orders",
        headers=(("content-type", "application/json"),),
        body=_json({**ORDER, "currency": "eur"}),
        accepted=_INVALID,
    ),
    Scenario(
        "bad_email",
        3,
        "",
        "POST",
        "/orders",
        headers=(("content-type", "application/json"),),
        body=_json({**ORDER, "customer_email": "not-an-email"}),
        accepted=_INVALID,
    ),
    Scenario(
        "no_token", 4, "", "GET", "/users/7/profile", accepted=_INVALID, frameworks=MODEL_APPS
    ),
    Scenario(
        "bad_token",
        4,
        "",
        "GET",
        "/users/7/profile",
        headers=(("x-token", "nope"),),
        status=401,
        frameworks=MODEL_APPS,
    ),
    Scenario(
        "other_user",
        4,
        "",
        "GET",
        "/users/8/profile-sync",
        headers=(TOKEN,),
        status=403,
        frameworks=MODEL_APPS,
    ),
)


def for_framework(framework: str, scenarios: tuple[Scenario, ...] = SCENARIOS) -> list[Scenario]:
    """The scenarios that ``framework``'s app implements."""
    return [s for s in scenarios if framework in s.frameworks]


def by_key(key: str) -> Scenario:
    """Look a scenario up by its key."""
    for scenario in (*SCENARIOS, *REJECTS):
        if scenario.key == key:
            return scenario
    raise KeyError(key)
