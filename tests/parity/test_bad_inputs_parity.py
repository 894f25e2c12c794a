"""Parity: malformed and hostile inputs (JSON, content types, encodings, extremes, nesting)."""

import json

from .harness import get, parity_test, post

JSON = {"content-type": "application/json"}


def raw(url: str, body: bytes | str, content_type: str | None = "application/json"):
    headers = {"content-type": content_type} if content_type else {}
    return post(url, content=body, headers=headers)


def nested_lists(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def nested_nodes(depth: int) -> dict:
    node: dict = {"value": depth}
    for i in range(depth - 1, 0, -1):
        node = {"value": i, "child": node}
    return node


MALFORMED_JSON = [
    raw("/item", b'{"name": "a", "count": 1'),
    raw("/item", b'{"name": "a",}'),
    raw("/item", b'{"name": "a"} trailing'),
    raw("/item", b"{name: 'a'}"),
    raw("/item", b'{"name": "a\\x"}'),
    raw("/item", b"nul"),
    raw("/item", b"   "),
    raw("/item", b"\n"),
    raw("/item", b""),
    raw("/item", b'{"name": "a", "price": NaN}'),
    raw("/item", b'{"name": "a", "price": Infinity}'),
    raw("/item", b'{"name": "a", "name": "b"}'),
    raw("/item", b'\xef\xbb\xbf{"name": "bom"}'),
    raw("/item", b'{"name": "\xff\xfe"}'),
    raw("/item", b'{"name": "\xc3\xa9t\xc3\xa9"}'),
    raw("/item", '{"name": "\\ud800"}'),
    raw("/item", b"\x00\x01\x02"),
    raw("/item", b'"just a string"'),
    raw("/item", b"null"),
    raw("/item-optional", b""),
    raw("/item-optional", b"null"),
    raw("/item-optional", b"{"),
    raw("/echo", b"[1, 2"),
    raw("/echo", b""),
    raw("/echo", b"1e400"),
    raw("/echo", b"-0"),
    raw("/echo", b"123456789012345678901234567890"),
]

CONTENT_TYPES = [
    raw("/item", b'{"name": "a"}', "application/json; charset=utf-8"),
    raw("/item", b'{"name": "a"}', "application/vnd.api+json"),
    raw("/item", b'{"name": "a"}', "application/merge-patch+json"),
    raw("/item", b'{"name": "a"}', "APPLICATION/JSON"),
    raw("/item", b'{"name": "a"}', "text/json"),
    raw("/item", b'{"name": "a"}', "text/plain"),
    raw("/item", b'{"name": "a"}', "application/x-www-form-urlencoded"),
    raw("/item", b'{"name": "a"}', "application/jsonx"),
    raw("/item", b'{"name": "a"}', "multipart/form-data; boundary=x"),
    raw("/item", b'{"name": "a"}', "application/json; charset=latin-1"),
    raw("/item", b'{"name": "a"}', None),
    raw("/item", b'{"name": "a"}', ""),
    raw("/item", b'{"name": "a"}', "garbage"),
    post("/item", data={"name": "a"}),
    post("/item", files={"name": ("n.txt", b"a")}),
    raw("/echo", b"abc", "text/plain"),
    raw("/text", b"plain text", "text/plain"),
    raw("/text", b'"json text"'),
]

FIELDS = [
    post("/item", json={}),
    post("/item", json={"name": "a", "unknown": 1, "extra": {"x": 1}}),
    post("/item", json={"name": 1, "count": "2", "price": "3.5", "active": "yes", "tags": "x"}),
    post("/item", json={"name": None, "count": None}),
    post("/item", json={"name": "a", "count": 1.0}),
    post("/item", json={"name": "a", "count": 1.5}),
    post("/item", json={"name": "a", "count": True}),
    post("/item", json={"name": "a", "count": "1_000"}),
    post("/item", json={"name": "a", "count": " 7 "}),
    post("/item", json={"name": "a", "count": "0x10"}),
    post("/item", json={"name": "a", "count": 10**30}),
    post("/item", json={"name": "a", "count": -(10**30)}),
    post("/item", json={"name": "a", "price": 1e308}),
    post("/item", json={"name": "a", "price": -1e-320}),
    post("/item", json={"name": "a", "active": "maybe", "tags": [1, None]}),
    post("/item", json={"name": "日本語 ✓ 😀", "tags": ["é", "\u0000"]}),
    post("/item", json={"name": "x" * 10_000}),
    post("/strict", json={"name": "a", "count": 1}),
    post("/strict", json={"name": "a", "count": "1"}),
    post("/strict", json={"name": "a", "count": 1, "more": True}),
    post("/strict", json={"name": 5}),
    post("/bounded", json={"small": 127, "positive": 0.1, "text": "0123456789"}),
    post("/bounded", json={"small": 128, "positive": 0, "text": "01234567890"}),
    post("/bounded", json={"small": -129, "positive": -1}),
    post("/bounded", json={"small": 2**64, "positive": "inf"}),
    post("/ints", json=list(range(1000))),
    post("/ints", json=[1, "2", 3.0, "x", None, 4.5]),
    post("/ints", json={"0": 1}),
]

NESTING = [
    raw("/any", nested_lists(50)),
    raw("/any", nested_lists(100)),
    post("/node", json=nested_nodes(50)),
    post("/node", json=nested_nodes(90)),
    post("/node", json={"value": 1, "child": {"value": 2, "child": {"value": "x"}}}),
    raw("/echo", json.dumps({"a": [{"b": [{"c": [None] * 3}]}]})),
]

QUERIES = [
    get("/q?n=1&n=2&n=3"),
    get("/q?n="),
    get("/q?n"),
    get("/q?=x"),
    get("/q?n=%2B5"),
    get("/q?n=-0"),
    get("/q?n=%205%20"),
    get("/q?n=1_000"),
    get("/q?n=99999999999999999999999999999999"),
    get("/q?n=-99999999999999999999999999999999"),
    get("/q?n=1e2"),
    get("/q?n=%D9%A3"),
    get("/q?f=1e400"),
    get("/q?f=-inf"),
    get("/q?f=NaN"),
    get("/q?f=1,5"),
    get("/q?s=" + "y" * 5000),
    get("/q?s=%00"),
    get("/q?s=%ZZ"),
    get("/q?s=%E2%82"),
    get("/q?s=a&s=b&s="),
    get("/q?b=True&b=off"),
    get("/q?n=1;s=x"),
    get("/q?n=1&&&s=z"),
    get("/q-list?v=a&v=&v=c"),
    get("/q-list?v=%C3%A9&v=%F0%9F%98%80"),
    get("/q-list?v[]=a"),
    get("/q-list?V=a"),
]

PATHS_AND_HEADERS = [
    get("/path/a%2Fb"),
    get("/path/%C3%A9t%C3%A9"),
    get("/path/日本"),
    get("/path/a b"),
    get("/path/%00"),
    get("/path/..%2F..%2Fetc"),
    get("/path/" + "z" * 3000),
    get("/header", headers={"x-text": "café".encode("latin-1")}),
    get("/header", headers={"x-text": "café".encode()}),
    get("/header", headers=[("x-text", "one"), ("x-text", "two")]),
    get("/header", headers={"x-text": ""}),
    get("/header", headers={"x-text": "v" * 4000}),
]

test_malformed_json = parity_test("bad_inputs", MALFORMED_JSON)
test_content_types = parity_test("bad_inputs", CONTENT_TYPES)
test_fields = parity_test("bad_inputs", FIELDS)
test_nesting = parity_test("bad_inputs", NESTING)
test_queries = parity_test("bad_inputs", QUERIES)
test_paths_and_headers = parity_test("bad_inputs", PATHS_AND_HEADERS)
