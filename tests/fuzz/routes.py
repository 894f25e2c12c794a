"""The request strategy of every route in ``corpus.py`` (one entry per route)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.parity.harness import Req

from .strategies import (
    BOUNDARY,
    address,
    auth_value,
    basic_header,
    cookie_header,
    form_request,
    header_value,
    headers,
    item,
    json_any,
    json_body,
    money,
    obj,
    order,
    path_get,
    pet,
    query_url,
    text_for,
    upload_request,
    user,
    with_headers,
)

INTS = ("1", "42", "0", "-3", "100", "101")
DATES = ("2024-01-31T10:00:00", "2024-01-31T10:00:00+02:00", "2024-01-31", "1700000000")


def _get(url: str) -> st.SearchStrategy[Req]:
    return st.just(Req("GET", url))


def _scalar_body(method: str, url: str, extra: dict[str, Any]) -> st.SearchStrategy[Req]:
    return json_body(method, url, obj(extra, {}))


ROUTES: dict[str, st.SearchStrategy[Req]] = {
    # path
    "/p/int": path_get("/p/int/{}", *INTS),
    "/p/float": path_get("/p/float/{}", "1.5", "2", "-0.0", "1e3"),
    "/p/conv": path_get("/p/conv/{}", *INTS),
    "/p/path": st.lists(text_for("a", "b.txt"), min_size=1, max_size=3).map(
        lambda parts: Req("GET", "/p/path/" + "/".join(p for p in parts if p not in (".", "..")))
    ),
    "/p/enum": path_get("/p/enum/{}", "red", "green", "blue"),
    "/p/uuid": path_get("/p/uuid/{}", "12345678-1234-5678-1234-567812345678"),
    "/p/bounded": path_get("/p/bounded/{}", *INTS),
    "/p/two": st.builds(
        lambda a, b: Req("GET", f"/p/two/{a}/{b}"),
        path_get("{}", "x").map(lambda r: r.url),
        path_get("{}", "1", "2", "3").map(lambda r: r.url),
    ),
    # query
    "/q/scalars": query_url(
        "/q/scalars",
        {
            "q": text_for("a"),
            "n": text_for(*INTS),
            "f": text_for("1.5"),
            "b": text_for("true", "0", "yes"),
        },
    ),
    "/q/list": query_url("/q/list", {"tags": text_for("a", "b"), "nums": text_for(*INTS)}),
    "/q/enum": query_url(
        "/q/enum",
        {"color": text_for("red", "blue"), "mode": text_for("a", "b"), "level": text_for("1", "2")},
    ),
    "/q/constraints": query_url(
        "/q/constraints",
        {
            "s": text_for("ab", "abcde", "abcdef"),
            "n": text_for("1", "9", "10"),
            "d": text_for("1.25", "999.99", "1000", "0.001"),
        },
    ),
    "/q/alias": query_url(
        "/q/alias", {"item-id": text_for("x1"), "item_id": text_for("x1"), "page": text_for(*INTS)}
    ),
    "/q/model": query_url(
        "/q/model",
        {"limit": text_for(*INTS), "order_by": text_for("name", "price"), "tags": text_for("a")},
    ),
    "/q/time": query_url(
        "/q/time",
        {
            "when": text_for(*DATES),
            "day": text_for("2024-02-29", "2023-02-29"),
            "ref": text_for("12345678123456781234567812345678"),
        },
    ),
    # headers and cookies
    "/h/basic": with_headers(
        st.just("/h/basic"),
        headers({"x-token": header_value, "user-agent": header_value, "x-count": text_for(*INTS)}),
    ),
    "/h/underscore": with_headers(
        st.just("/h/underscore"),
        headers(
            {"x_under_score": header_value, "x-under-score": header_value, "x-dash": header_value}
        ),
    ),
    "/h/list": with_headers(st.just("/h/list"), headers({"x-tag": header_value})),
    "/c/basic": st.builds(
        lambda c: Req("GET", "/c/basic", headers={"cookie": c}),
        cookie_header({"session": text_for("abc"), "n": text_for(*INTS), "theme": text_for("red")}),
    ),
    # JSON bodies
    "/b/single": json_body("POST", "/b/single", item),
    "/b/embed": json_body("POST", "/b/embed", obj({"item": item}, {})),
    "/b/multi": json_body(
        "POST", "/b/multi", obj({"item": item, "user": user, "importance": st.integers(-1, 3)}, {})
    ),
    "/b/nested": json_body("POST", "/b/nested", order),
    "/b/union": json_body("POST", "/b/union", pet),
    "/b/discriminated": json_body("POST", "/b/discriminated", pet),
    "/b/money": json_body("POST", "/b/money", money),
    "/b/list": json_body("POST", "/b/list", st.one_of(st.lists(item, max_size=3), item)),
    "/b/dict": json_body(
        "POST", "/b/dict", st.one_of(st.dictionaries(st.text(max_size=5), st.integers()), json_any)
    ),
    "/b/optional": json_body("POST", "/b/optional", st.one_of(item, st.none())),
    "/b/mixed": st.builds(
        lambda seg, req: Req(
            "PUT", f"/b/mixed/{seg}?q=z", content=req.content, headers=req.headers
        ),
        path_get("{}", *INTS).map(lambda r: r.url),
        json_body("PUT", "/", item),
    ),
    # forms and files
    "/f/login": form_request(
        "/f/login",
        {
            "username": text_for("ann"),
            "password": text_for("secret", "no"),
            "remember": text_for("on", "true", "0"),
        },
    ),
    "/f/list": form_request("/f/list", {"tag": text_for("a", "b"), "count": text_for(*INTS)}),
    "/f/model": form_request(
        "/f/model",
        {
            "username": text_for("ann"),
            "password": text_for("secret"),
            "remember": text_for("yes", "off"),
        },
    ),
    "/u/bytes": upload_request("/u/bytes", ["file"], {}),
    "/u/upload": upload_request("/u/upload", ["file"], {}),
    "/u/many": upload_request("/u/many", ["files"], {}),
    "/u/mixed": upload_request(
        "/u/mixed", ["file"], {"token": text_for("t"), "note": text_for("n")}
    ),
    # dependencies
    "/d/chain": st.builds(
        lambda url, hs: Req("GET", url, headers=hs),
        query_url(
            "/d/chain",
            {"skip": text_for(*INTS), "limit": text_for("50", "51"), "verbose": text_for("1")},
        ),
        headers({"x-caller": header_value}),
    ),
    "/d/yield-class": query_url(
        "/d/yield-class",
        {"tenant": text_for("t1", ""), "cursor": text_for("c"), "size": text_for(*INTS)},
    ),
    "/d/guard": with_headers(
        st.just("/d/guard"), headers({"x-key": st.sampled_from(["open-sesame", "nope", ""])})
    ),
    # security schemes
    "/s/basic": with_headers(st.just("/s/basic"), headers({"authorization": basic_header()})),
    "/s/bearer": with_headers(st.just("/s/bearer"), headers({"authorization": auth_value})),
    "/s/keys": with_headers(
        query_url("/s/keys", {"api_key": text_for("k")}), headers({"x-api-key": header_value})
    ),
    "/s/cookie": st.builds(
        lambda c: Req("GET", "/s/cookie", headers={"cookie": c}),
        cookie_header({"api_key": text_for("k")}),
    ),
    "/s/scoped": with_headers(st.just("/s/scoped"), headers({"authorization": auth_value})),
    "/s/token": form_request(
        "/s/token",
        {
            "username": text_for("ann"),
            "password": text_for("pw"),
            "scope": text_for("read write", "", "  read  "),
            "grant_type": text_for("password", "client_credentials"),
            "client_id": text_for("c"),
        },
    ),
    # responses
    "/r/filtered": json_body("POST", "/r/filtered", user),
}

# Not a route of its own, but worth a strategy: every route hit with an unexpected method
# or a trailing slash (405 / redirect / 404 handling).
ROUTING = st.builds(
    lambda path, method, slash: Req(method, path + ("/" if slash else "")),
    st.sampled_from([p for p in ROUTES if not p.startswith("/p/")]),
    st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
    st.booleans(),
)

__all__ = ["BOUNDARY", "ROUTES", "ROUTING", "address"]
