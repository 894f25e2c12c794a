"""Hostile input: each gets a 4xx, never a 500, never a hang, with bounded memory.

Requests are sent as raw ASGI calls (``tests/hostile/asgi.py``): every call runs under a
guard (``anyio.fail_after``) so a hang fails the test instead of stalling it, and its
tracemalloc peak is measured. The memory bound is generous on purpose (a small multiple of
the input, since a 422 document echoes the offending input as FastAPI's does); what it
catches is work proportional to something the attacker multiplies (nesting, part counts,
an endless stream).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import anyio
import pytest

from accord import Accord
from accord.limits import DEFAULT_MAX_BODY_SIZE

from .app import build
from .asgi import Answer, call

MB = 1024 * 1024
JSON = [(b"content-type", b"application/json")]
FORM = [(b"content-type", b"application/x-www-form-urlencoded")]
MULTIPART = [(b"content-type", b"multipart/form-data; boundary=b")]

APP = build()


def send(method: str, path: str, **kwargs) -> Answer:
    return anyio.run(lambda: call(APP, method, path, measure=True, **kwargs))


def assert_refused(answer: Answer, status: int, input_size: int = 0) -> None:
    assert answer.status == status, answer.body[:300]
    assert b"Traceback" not in answer.body
    assert answer.peak < max(8 * MB, 4 * input_size), f"peak {answer.peak / MB:.1f} MiB"


def detail(answer: Answer) -> object:
    return json.loads(answer.body)["detail"]


# ---------------------------------------------------------------- JSON shape and numbers


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/any", b"[" * 10_000 + b"]" * 10_000),
        ("/any", b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
        ("/item", b"[" * 10_000 + b"]" * 10_000),
        ("/json-dict", b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
    ],
    ids=["array-any", "object-any", "array-model", "object-dict"],
)
def test_json_nested_10000_deep(path: str, body: bytes) -> None:
    answer = send("POST", path, body=body, headers=JSON)
    assert_refused(answer, 400)
    assert detail(answer) == "There was an error parsing the body"


def test_5000_digit_integer_in_a_json_body() -> None:
    for path, body in [
        ("/item", b'{"name":"a","count":' + b"9" * 5000 + b"}"),
        ("/any", b"9" * 5000),
    ]:
        assert_refused(send("POST", path, body=body, headers=JSON), 400)


@pytest.mark.parametrize("where", ["query", "path", "header"])
def test_5000_digit_integer_in_a_parameter(where: str) -> None:
    digits = b"9" * 5000
    if where == "query":
        answer = send("GET", "/query", query=b"n=" + digits)
    elif where == "path":
        answer = send("GET", "/number/" + digits.decode())
    else:
        answer = send("GET", "/header", headers=[(b"x-count", digits)])
    assert_refused(answer, 422)
    assert detail(answer)[0]["type"] == "int_parsing_size"


def test_1e999999_as_a_parameter() -> None:
    answer = send("GET", "/query", query=b"n=1e999999")
    assert_refused(answer, 422)
    assert detail(answer)[0]["loc"] == ["query", "n"]


def test_1e999999_as_an_untyped_json_body_is_not_a_500() -> None:
    # Valid JSON grammar; it overflows to infinity, which JSON output writes as null.
    answer = send("POST", "/any", body=b"1e999999", headers=JSON)
    assert answer.status == 200
    assert answer.body == b"null"


def test_duplicate_json_keys_keep_the_last_value_as_json_loads_does() -> None:
    assert send("POST", "/json-dict", body=b'{"a":"x","a":1}', headers=JSON).body == b'{"a":1}'
    answer = send("POST", "/json-dict", body=b'{"a":1,"a":"x"}', headers=JSON)
    assert_refused(answer, 422)
    assert detail(answer)[0]["loc"] == ["body", "a"]


# ---------------------------------------------------------------- big strings


def test_10mb_string_in_a_bounded_json_field() -> None:
    body = b'{"name":"' + b"x" * (10 * MB) + b'"}'
    answer = send("POST", "/item", body=body, headers=JSON)
    assert_refused(answer, 422, len(body))
    assert detail(answer)[0]["type"] == "string_too_long"


def test_10mb_string_as_an_integer_query_parameter() -> None:
    query = b"n=" + b"x" * (10 * MB)
    assert_refused(send("GET", "/query", query=query), 422, len(query))


def test_10mb_form_field() -> None:
    body = b"name=" + b"x" * (10 * MB)
    answer = send("POST", "/form", body=body, headers=FORM)
    assert_refused(answer, 400)
    assert "maximum size" in detail(answer)


def test_body_over_the_default_limit_is_refused_before_it_is_read() -> None:
    declared = [*JSON, (b"content-length", str(DEFAULT_MAX_BODY_SIZE + 1).encode())]
    answer = send("POST", "/note", body=b"{}", headers=declared)
    assert_refused(answer, 413)


# ---------------------------------------------------------------- encodings, NUL bytes


def test_invalid_utf8_json_body() -> None:
    answer = send("POST", "/note", body=b'{"text":"\xff\xfe"}', headers=JSON)
    assert_refused(answer, 400)


@pytest.mark.parametrize("query", [b"n=%ff%fe", b"n=%ED%A0%80"])
def test_invalid_utf8_query_is_replaced_then_validated(query: bytes) -> None:
    answer = send("GET", "/query", query=query)
    assert_refused(answer, 422)
    assert "\ufffd" in detail(answer)[0]["input"]


def test_raw_non_ascii_query_bytes_are_read_as_latin1() -> None:
    # Not valid in a URL at all; Starlette decodes the raw query string as latin-1.
    answer = send("GET", "/query", query=b"n=\xff\xfe")
    assert_refused(answer, 422)
    assert detail(answer)[0]["input"] == "\xff\xfe"


def test_lone_surrogate_as_a_json_key_is_replaced() -> None:
    answer = send("POST", "/json-dict", body=b'{"\\ud800":"x"}', headers=JSON)
    assert_refused(answer, 422)


def test_nul_bytes_in_headers() -> None:
    answer = send("GET", "/header", headers=[(b"x-token", b"a\x00b"), (b"x-count", b"1\x00")])
    assert_refused(answer, 422)
    assert detail(answer)[0]["loc"] == ["header", "x-count"]
    echoed = send("GET", "/header", headers=[(b"x-token", b"a\x00b")])
    assert echoed.status == 200
    assert json.loads(echoed.body) == {"token": "a\x00b", "count": 0}  # data, JSON-escaped


def test_nul_bytes_in_paths() -> None:
    assert_refused(send("GET", "/number/1\x00"), 422)
    assert_refused(send("GET", "/no\x00where"), 404)
    echoed = send("GET", "/path/a\x00b")
    assert echoed.status == 200
    assert echoed.body == b'{"value":"a\\u0000b"}'


# ---------------------------------------------------------------- counts


def test_10000_query_parameters() -> None:
    repeated = b"&".join(b"tags=%d" % i for i in range(10_000)) + b"&tags=x"
    answer = send("GET", "/query", query=repeated)
    assert_refused(answer, 422, len(repeated))
    assert detail(answer)[0]["loc"] == ["query", "tags", 10_000]
    distinct = b"&".join(b"p%d=%d" % (i, i) for i in range(10_000)) + b"&n=x"
    answer = send("GET", "/query", query=distinct)
    assert_refused(answer, 422, len(distinct))
    assert len(detail(answer)) == 1


def _parts(count: int, disposition: bytes) -> bytes:
    part = b"--b\r\nContent-Disposition: form-data; " + disposition + b"\r\n\r\nv\r\n"
    return part * count + b"--b--\r\n"


def test_multipart_with_10000_fields() -> None:
    answer = send("POST", "/form", body=_parts(10_000, b'name="tags"'), headers=MULTIPART)
    assert_refused(answer, 400)
    assert detail(answer) == "Too many fields. Maximum number of fields is 1000."


def test_multipart_with_10000_files() -> None:
    body = _parts(10_000, b'name="files"; filename="f"')
    answer = send("POST", "/upload", body=body, headers=MULTIPART)
    assert_refused(answer, 400)
    assert detail(answer) == "Too many files. Maximum number of files is 1000."


def test_urlencoded_form_with_10000_fields() -> None:
    body = b"&".join(b"tags=%d" % i for i in range(10_000))
    assert_refused(send("POST", "/form", body=body, headers=FORM), 400)


# ---------------------------------------------------------------- endless body


async def endless(chunk: bytes = b"x" * 65536, prefix: bytes = b"") -> AsyncIterator[bytes]:
    if prefix:
        yield prefix
    while True:
        yield chunk
        await anyio.lowlevel.checkpoint()


FILE_PART = b'--b\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n'


@pytest.mark.parametrize(
    ("path", "headers", "prefix"),
    [("/note", JSON, b'{"text":"'), ("/any", JSON, b"["), ("/upload", MULTIPART, FILE_PART)],
    ids=["model", "any", "upload"],
)
def test_endless_chunked_body_hits_the_default_limit(path: str, headers, prefix: bytes) -> None:
    chunked = [*headers, (b"transfer-encoding", b"chunked")]
    answer = send("POST", path, body=endless(prefix=prefix), headers=chunked)
    assert_refused(answer, 413, 2 * DEFAULT_MAX_BODY_SIZE)
    assert str(DEFAULT_MAX_BODY_SIZE) in answer.text


@pytest.mark.parametrize(
    ("chunk", "message"),
    [
        (b"x" * 65536, "Field exceeded maximum size of 1024KB."),
        (b"a=1&" * 1024, "Too many fields. Maximum number of fields is 1000."),
    ],
    ids=["one-endless-field", "endless-fields"],
)
def test_endless_form_stops_at_the_form_parser_limits(chunk: bytes, message: str) -> None:
    answer = send("POST", "/form", body=endless(chunk), headers=FORM)
    assert_refused(answer, 400)
    assert detail(answer) == message


def test_endless_body_with_a_small_app_limit_stops_early() -> None:
    app = Accord(max_body_size=1024)

    @app.post("/note")
    def note(body: dict[str, str]) -> dict[str, str]:
        return body

    answer = anyio.run(
        lambda: call(app, "POST", "/note", body=endless(b"x" * 100), headers=JSON, measure=True)
    )
    assert_refused(answer, 413)
    assert answer.peak < MB


def test_a_route_that_reads_no_body_ignores_an_endless_one() -> None:
    assert send("GET", "/nobody", body=endless()).status == 200
