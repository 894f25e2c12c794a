"""Hypothesis strategies: one request strategy per corpus route.

Every strategy mixes three kinds of input: valid (the values the route expects), almost
valid (one field replaced, dropped or added; numbers at the edge of a constraint; a wrong
content type) and hostile (unicode digits, huge numbers, NaN, NUL bytes, broken JSON,
truncated multipart, junk cookies). Valid values are listed twice in each ``one_of`` so a
fair share of examples gets past validation and exercises the endpoint and serializer.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

from tests.parity.harness import Req

BOUNDARY = "fuzz-boundary-51c0"

HOSTILE_TEXT = [
    "", " ", "null", "None", "true", "false", "on", "1e309", "-1e309", "NaN", "nan", "inf",
    "-inf", "-0", "0x1F", "0b1", "1_000", "\u0663", "\uff11\uff12", "9" * 40, "1.5", "1.0",
    "+7", " 7 ", "7\t", "\u00e9", "\U0001f600", "%00", "a,b", "[1]", '{"a":1}', "\\", "'",
    '"', "<script>", "2024-02-30", "2024-01-01T00:00:00Z", "00000000-0000-0000-0000-000000000000",
    "0" * 5, "1" * 21, "1e2", "-1", "0", "100", "101", "red", "RED", "cat", "dog",
]  # fmt: skip

JSON_HOSTILE_RAW = [
    b"", b"{", b"}", b"[]", b"null", b"NaN", b"Infinity", b'{"a":NaN}', b'{"price": 1e999}',
    b'{"name":"a","name":"b","price":1}', b"\xff\xfe", b'{"name":"\xc3\x28","price":1}',
    b'{"name":"\\ud800","price":1}', b'{"name":"a\\u0000","price":1}', b"1" * 50, b"[" * 50,
    b'{"name": "a", "price": 1,}', b"{'name': 'a'}", b'"just a string"', b"\x00",
]  # fmt: skip

CONTENT_TYPES = [
    "application/json", "application/json", "application/json; charset=utf-8",
    "application/vnd.api+json", "text/plain", "application/x-www-form-urlencoded",
    "application/json; charset=latin-1", "APPLICATION/JSON", "application/jsonx", None,
]  # fmt: skip


def text_for(*valid: str) -> st.SearchStrategy[str]:
    """Strings for one parameter: its valid values (twice), hostile ones, random ones."""
    choices = st.sampled_from(valid) if valid else st.text(max_size=8)
    return st.one_of(
        choices,
        choices,
        st.sampled_from(HOSTILE_TEXT),
        st.integers(-(2**70), 2**70).map(str),
        st.floats().map(repr),
        st.text(max_size=16),
    )


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**25), 10**25),
    st.floats(),
    st.text(max_size=12),
)
json_any = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=10,
)


def _mutate(args: tuple[Any, str, Any, str]) -> Any:
    value, key, replacement, how = args
    if not isinstance(value, dict):
        return replacement
    value = dict(value)
    if how == "drop":
        value.pop(key, None)
    elif how == "replace" or how == "extra":
        value[key if how == "replace" else "unexpected"] = replacement
    return value


def almost(valid: st.SearchStrategy[Any], keys: list[str]) -> st.SearchStrategy[Any]:
    """A valid value, the same with one key replaced/dropped/added, or arbitrary JSON."""
    mutated = st.tuples(
        valid,
        st.sampled_from(keys or ["x"]),
        json_any,
        st.sampled_from(["replace", "drop", "extra"]),
    ).map(_mutate)
    return st.one_of(valid, valid, mutated, json_any)


def obj(
    required: dict[str, st.SearchStrategy[Any]], optional: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[Any]:
    """An almost-valid JSON object with these fields."""
    valid = st.fixed_dictionaries(required, optional=optional)
    return almost(valid, list(required) + list(optional))


# ---------------------------------------------------------------- field values

words = st.one_of(st.sampled_from(["a", "ann", "widget", "Zoë", "x" * 20]), st.text(max_size=10))
prices = st.one_of(
    st.floats(min_value=0, max_value=1e6), st.integers(-5, 10**6), st.sampled_from(["1.5", "x"])
)
colors = st.sampled_from(["red", "green", "blue", "RED", "purple", None])
item = obj(
    {"name": words, "price": prices},
    {"tags": st.lists(words, max_size=3), "color": colors},
)
user = obj(
    {"username": st.text(max_size=14)},
    {"email": st.one_of(st.none(), words)},
)
line = obj(
    {"sku": words, "quantity": st.integers(-2, 1002)},
    {},
)
address = obj({"city": words, "zip": st.sampled_from(["12345", "1234", "abcde", "123456"])}, {})
order = obj(
    {"customer": user, "lines": st.lists(line, max_size=3)},
    {"ship_to": st.one_of(st.none(), address), "meta": st.dictionaries(words, st.integers())},
)
pet = obj(
    {"kind": st.sampled_from(["cat", "dog", "cow", "CAT"])},
    {"lives": st.integers(-1, 10), "good": st.one_of(st.booleans(), st.sampled_from(["yes"]))},
)
amounts = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.sampled_from(["1.00", "123456.78", "1234567.89", "0.001", "1e2", "-0", "NaN"]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**9), 10**9),
)
stamps = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["2024-01-01T00:00:00Z", "2024-13-01T00:00:00", "yesterday", "1700000000"]),
    st.integers(-(10**12), 10**12),
)
uuids = st.one_of(st.uuids().map(str), st.sampled_from(["x", "1234", "urn:uuid:" + "0" * 32]))
money = obj(
    {"amount": amounts, "at": stamps, "ref": uuids},
    {"day": st.one_of(st.dates().map(str), st.sampled_from(["2024-02-30", "1"]))},
)


# ---------------------------------------------------------------- request builders


def _json_request(method: str, url: str, payload: Any, content_type: str | None) -> Req:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"content-type": content_type} if content_type else {}
    return Req(method, url, content=body, headers=headers)


def json_body(method: str, url: str, payload: st.SearchStrategy[Any]) -> st.SearchStrategy[Req]:
    """A JSON request to ``url``: generated payload or hostile raw bytes, varied content type."""
    raw = st.sampled_from(JSON_HOSTILE_RAW)
    return st.builds(
        lambda p, ct: _json_request(method, url, p, ct),
        st.one_of(payload, payload, payload, raw),
        st.sampled_from(CONTENT_TYPES),
    )


def query_url(path: str, params: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    """``path?query``: known names (sometimes repeated) with generated values, plus junk."""
    names = [*params, "other", "unexpected"]
    pair = st.sampled_from(names).flatmap(
        lambda name: st.tuples(st.just(name), params.get(name, text_for()))
    )
    encoded = st.lists(pair, max_size=6).map(lambda pairs: f"{path}?{urlencode(pairs)}")
    raw = st.sampled_from(["%zz", "&&", "=", "a=b=c", ";", "q", "q=%ff", "q=%00", "tags=a&tags"])
    return st.one_of(encoded, encoded, encoded, raw.map(lambda q: f"{path}?{q}"))


def segment(*valid: str) -> st.SearchStrategy[str]:
    """A path segment: valid, hostile or random text, percent-encoded (slashes too)."""
    return text_for(*valid).filter(lambda s: s not in (".", "..")).map(lambda s: quote(s, safe=""))


def path_get(template: str, *valid: str) -> st.SearchStrategy[Req]:
    return segment(*valid).map(lambda s: Req("GET", template.format(s)))


header_value = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=12).map(
        lambda s: s.encode("latin-1")
    ),
    st.text(max_size=6).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.sampled_from(HOSTILE_TEXT),
)


def headers(
    known: dict[str, st.SearchStrategy[Any]],
) -> st.SearchStrategy[list[tuple[str, Any]]]:
    """A header list: known names (repeated sometimes, case varied) and random ones."""
    names = st.sampled_from([*known, "x-other"])
    pair = names.flatmap(
        lambda n: st.tuples(
            st.sampled_from([n, n.upper(), n.replace("-", "_")]), known.get(n, header_value)
        )
    )
    return st.lists(pair, max_size=5)


def cookie_header(
    known: dict[str, st.SearchStrategy[str]],
) -> st.SearchStrategy[str]:
    """A raw ``Cookie`` header: well-formed pairs, quoted values, or junk."""
    pair = st.sampled_from([*known, "other"]).flatmap(
        lambda n: st.tuples(st.just(n), known.get(n, text_for()))
    )
    well_formed = st.lists(pair, max_size=4).map(
        lambda pairs: "; ".join(f"{k}={v}" for k, v in pairs)
    )
    junk = st.sampled_from(
        ["", ";", "=", "a", "session", '"quoted"', 'session="a b"', "n=1;n=2", "n=\x7f", "==;;"]
    )
    return st.one_of(well_formed, well_formed, junk).filter(lambda s: s.isprintable())


def with_headers(
    url: st.SearchStrategy[str], pairs: st.SearchStrategy[Any]
) -> st.SearchStrategy[Req]:
    return st.builds(lambda u, h: Req("GET", u, headers=h), url, pairs)


def form_request(url: str, fields: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[Req]:
    """An urlencoded or multipart form with some of the fields, repeated or junk."""
    name = st.sampled_from([*fields, "junk"])
    pair = name.flatmap(lambda n: st.tuples(st.just(n), fields.get(n, text_for())))
    pairs = st.lists(pair, max_size=5)

    def urlencoded(items: list[tuple[str, str]]) -> Req:
        body = urlencode(items).encode()
        return Req("POST", url, content=body, headers={"content-type": _FORM})

    def multipart(items: list[tuple[str, str]]) -> Req:
        return Req(
            "POST", url, files=[(k, (None, v.encode("utf-8", "surrogatepass"))) for k, v in items]
        )

    raw = st.sampled_from(
        [
            Req("POST", url, content=b"%%%", headers={"content-type": _FORM}),
            Req("POST", url, content=b"a=1&&=&b", headers={"content-type": _FORM}),
            Req(
                "POST",
                url,
                content=b"--x\r\nbroken",
                headers={"content-type": "multipart/form-data; boundary=x"},
            ),
            Req("POST", url, content=b"abc", headers={"content-type": "multipart/form-data"}),
            Req("POST", url, json={"username": "a", "password": "abcd"}),
            Req("POST", url),
        ]
    )
    return st.one_of(pairs.map(urlencoded), pairs.map(multipart), raw)


_FORM = "application/x-www-form-urlencoded"
file_content = st.one_of(
    st.binary(max_size=64), st.sampled_from([b"", b"\x00" * 10, b"--" + BOUNDARY.encode()])
)
file_part = st.tuples(
    st.one_of(
        st.sampled_from(["a.txt", "", "../etc/passwd", "na\u00efve.bin", 'q"uote.txt']),
        st.text(max_size=8),
    ),
    file_content,
    st.sampled_from(["text/plain", "application/octet-stream", "", "image/png"]),
)


def upload_request(
    url: str, file_fields: list[str], form_fields: dict[str, st.SearchStrategy[str]]
) -> st.SearchStrategy[Req]:
    """Multipart with file parts (named as expected or not) and form fields."""
    files = st.lists(st.tuples(st.sampled_from([*file_fields, "other"]), file_part), max_size=4)
    fields = st.lists(
        st.sampled_from([*form_fields, "junk"]).flatmap(
            lambda n: st.tuples(st.just(n), form_fields.get(n, text_for()))
        ),
        max_size=3,
    )

    def build(file_list: list[Any], field_list: list[tuple[str, str]]) -> Req:
        parts = [(k, (None, v.encode("utf-8", "surrogatepass"))) for k, v in field_list]
        parts += file_list
        if not parts:
            return Req("POST", url)
        return Req("POST", url, files=parts)

    raw = st.sampled_from(
        [
            Req("POST", url, data={"file": "not a file"}),
            Req(
                "POST",
                url,
                content=b'--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
                headers={"content-type": "multipart/form-data; boundary=x"},
            ),
            Req(
                "POST",
                url,
                content=b"\r\n--x--\r\n",
                headers={"content-type": "multipart/form-data; boundary=x"},
            ),
        ]
    )
    return st.one_of(st.builds(build, files, fields), st.builds(build, files, fields), raw)


def basic_header() -> st.SearchStrategy[Any]:
    import base64

    creds = st.tuples(
        st.text(max_size=8), st.sampled_from([":", "", "::"]), st.text(max_size=8)
    ).map(lambda t: base64.b64encode("".join(t).encode()).decode())
    return st.one_of(
        creds.map(lambda c: f"Basic {c}"),
        creds.map(lambda c: f"basic  {c}"),
        st.sampled_from(["Basic", "Basic !!!", "Basic =", "Bearer x", "Basic w6k6w6k=", ""]),
        header_value,
    )


auth_value = st.one_of(
    st.sampled_from(["Bearer abc", "bearer abc", "Bearer", "Bearer  ", "Token abc", "Digest x"]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=16).map(
        lambda s: f"Bearer {s}"
    ),
    header_value,
)
