"""Parity: 422 documents, HTTPException, exception handlers (custom, delegating, catch-all)."""

from .harness import Case, get, parity_test, post, seq

JSON = {"content-type": "application/json"}

COMMON = [
    get("/http/400"),
    get("/http/404?detail=gone"),
    get("/http/418"),
    get("/http/204"),
    get("/http/304"),
    get("/http/500"),
    get("/http/599"),
    get("/http-headers"),
    get("/http-dict"),
    get("/http-list"),
    get("/starlette-http"),
    get("/unicorn/rainbow"),
    get("/teapot"),
    get("/boom"),
    get("/boom-async"),
    get("/no-such-route"),
    post("/http/400"),
    post("/items", json={"name": "n", "price": 2}),
    post("/items", json={"name": "", "price": 0, "code": "low"}),
    post("/items?q=9", json={"name": "n", "price": "free"}),
    post("/items", json=[]),
    post("/items", json="text"),
    post("/items"),
    post("/items", content=b'{"name": "n", "price": ', headers=JSON),
    post("/items", content=b"{'name': 'n'}", headers=JSON),
    post("/items", content=b'{"name": "n", "price": 1}', headers={"content-type": "text/plain"}),
    post("/items", content=b'{"name": "n", "price": 1}'),
    post("/range", json={"low": 5, "high": 1}),
    post("/range", json={"low": "a", "high": None}),
    get("/validated"),
    get("/validated?a=x&b=long&c=1&c=y"),
    get("/validated?a=1&b=ok&c=2"),
]


def for_app(app: str, items: list) -> list[Case]:
    return [Case((item,), app=app) for item in items]


test_default_handlers = parity_test("errors", COMMON)
test_custom_handlers = parity_test("errors", for_app("app_custom", COMMON))
test_catch_all = parity_test(
    "errors",
    for_app("app_500", [get("/boom"), get("/boom-async"), get("/unicorn/x"), get("/http/500")])
    + for_app("app_500_code", [get("/boom"), get("/boom-async"), get("/http/500")]),
)
test_delegating_handlers = parity_test(
    "errors",
    [
        seq(
            get("/seen"),
            get("/http/401?detail=who"),
            get("/http-headers"),
            post("/items", json={"name": ""}),
            get("/no-such-route"),
            get("/validated?a=x"),
            post("/items", content=b"{", headers=JSON),
            get("/seen"),
            app="app_delegate",
            id="delegating handlers record then answer like the defaults",
        )
    ],
)
