"""Parity: error ordering, shared names, scoped cache keys, teardown failures, handler lookup."""

from .harness import Case, Req, get, head, parity_test, post, seq


def events(*requests, id: str):
    return seq(get("/events"), *requests, get("/events"), id=id)


CASES = [
    post("/order/x", content=b"{", headers={"content-type": "application/json"}),
    post("/order/x", json={"x": "y"}),
    post("/order/x?q=z&d=w", json={}, headers={"h": "no", "dh": "no", "cookie": "c=no"}),
    post("/order/1?q=1&d=1", json={"x": 1}, headers={"h": "1", "dh": "1", "cookie": "c=1"}),
    get("/same-name?q=5"),
    get("/same-name?q=five"),
    get("/same-name"),
    get("/query-model-alias?page-size=5&sort=name"),
    get("/query-model-alias?page_size=5"),
    get("/query-model-alias?page-size=x"),
    get("/header-model-no-convert", headers={"x_trace_id": "t1", "accept_language": "fr"}),
    get("/header-model-no-convert", headers={"x-trace-id": "t2"}),
    get("/special-headers"),
    Req("GET", "/special-headers", content=b"abc", headers={"content-type": "text/x"}),
    get("/special-headers", headers={"content-length": "abc"}),
    get("/cookie-quoted", headers={"cookie": 'a="b c"; b=\\"x\\"'}),
    get("/cookie-quoted", headers={"cookie": "a=1; a=2; b"}),
    get("/cookie-quoted", headers={"cookie": "a=%20x%3B"}),
    get("/collections?t=1&t=2&fs=3&fs=3&fs=1&raw=abc"),
    get("/collections?t=1"),
    get("/collections?t=1&t=2&t=3"),
    get("/collections?fs=x"),
    get("/security-cache"),
    events(get("/yield-cached"), id="cached yield dependency entered once"),
    events(get("/yield-fail?mode=http"), id="HTTPException before yield"),
    events(get("/yield-fail?mode=crash"), id="crash before yield"),
    events(get("/yield-fail?mode=ok"), id="yield ok"),
    events(get("/yield-fail?mode=after-http"), id="HTTPException after yield"),
    events(get("/yield-fail?mode=after-crash"), id="crash after yield"),
    get("/sync-dep-crash"),
    get("/raise-validation"),
    get("/raise-pydantic"),
    get("/raise-422"),
    get("/status-httpstatus"),
    get("/thing/"),
    post("/thing"),
    get("/thing"),
    post("/thing/"),
    head("/head-ok"),
    get("/head-ok"),
    get("//thing"),
    get("/thing//"),
    get("/sub/dep"),
    get("/sub/fail"),
    get("/parent-value"),
    get("/parent-dep"),
]

HANDLERS = [
    Case((get(url),), app="app_handlers")
    for url in ["/http", "/pydantic", "/value", "/validation?n=x", "/response-validation", "/nope"]
] + [Case((post("/http"),), app="app_handlers")]

test_edge_cases = parity_test("edge_cases", CASES)
test_handler_lookup = parity_test("edge_cases", HANDLERS)
