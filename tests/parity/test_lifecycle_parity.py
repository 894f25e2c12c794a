"""Parity: background tasks, lifespan (with and without the client context), middleware."""

from .harness import Case, get, options, parity_test, post, seq

ORIGIN = {"origin": "https://allowed.example"}

LIFESPAN = [
    seq(get("/log"), get("/state"), get("/router-state"), get("/log"), id="no context manager"),
    seq(get("/log"), get("/state"), get("/router-state"), lifespan=True, id="context manager"),
    seq(get("/log"), id="log after shutdown"),
]

TASKS = [
    seq(get("/log"), post("/tasks/hello"), get("/log"), id="injected sync and async tasks"),
    seq(get("/log"), post("/tasks-response"), get("/log"), id="task attached to a response"),
    seq(get("/log"), post("/tasks-response-only"), get("/log"), id="injected tasks on a response"),
    seq(get("/log"), post("/tasks-failing"), get("/log"), id="failing task"),
    seq(get("/log"), post("/tasks-then-error"), get("/log"), id="tasks before an HTTPException"),
]

MIDDLEWARE = [
    get("/plain"),
    get("/blocked"),
    get("/nowhere"),
    get("/validate?n=x"),
    get("/endpoint-error"),
    get("/middleware-crash"),
    get("/large", headers={"accept-encoding": "gzip"}),
    get("/large", headers={"accept-encoding": "identity"}),
    get("/plain", headers={"accept-encoding": "gzip"}),
    get("/plain", headers=ORIGIN),
    get("/plain", headers={"origin": "https://evil.example"}),
    options(
        "/plain",
        headers={
            **ORIGIN,
            "access-control-request-method": "GET",
            "access-control-request-headers": "x-custom",
        },
    ),
    options("/plain", headers={**ORIGIN, "access-control-request-method": "DELETE"}),
    options(
        "/plain", headers={"origin": "https://evil.example", "access-control-request-method": "GET"}
    ),
    options("/plain"),
    post("/plain", headers=ORIGIN),
    Case((get("/host", headers={"host": "good.example"}),), app="app_hosts"),
    Case((get("/host", headers={"host": "a.ok.example"}),), app="app_hosts"),
    Case((get("/host", headers={"host": "bad.example"}),), app="app_hosts"),
    Case((get("/host"),), app="app_hosts"),
    Case((get("/secure?x=1"),), app="app_https"),
    Case((get("/secure"),), app="app_https", client={"base_url": "https://testserver"}),
]

test_lifespan = parity_test("lifecycle", LIFESPAN)
test_background_tasks = parity_test("lifecycle", TASKS)
test_middleware = parity_test("lifecycle", MIDDLEWARE)
