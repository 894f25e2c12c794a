"""Parity: parameter inference and validation (path, query, header, cookie, body, specials)."""

from .harness import get, parity_test, post

UUID = "12345678-1234-5678-1234-567812345678"
ITEM = {"name": "pen", "price": 1.5}
USER = {"username": "ann"}

PATH = [
    get("/path/int/42"),
    get("/path/int/-7"),
    get("/path/int/4.2"),
    get("/path/int/1e3"),
    get("/path/int/99999999999999999999999"),
    get("/path/float/1.5"),
    get("/path/float/nan"),
    get("/path/float/inf"),
    get("/path/float/x"),
    get("/path/bool/true"),
    get("/path/bool/yes"),
    get("/path/bool/0"),
    get("/path/bool/maybe"),
    get("/path/enum/red"),
    get("/path/enum/blue"),
    get("/path/enum/RED"),
    get(f"/path/uuid/{UUID}"),
    get("/path/uuid/not-a-uuid"),
    get(f"/path/uuid/{UUID.replace('-', '')}"),
    get("/path/constrained/1"),
    get("/path/constrained/0"),
    get("/path/constrained/101"),
    get("/path/default-style/ab"),
    get("/path/default-style/a"),
    get("/path/default-style/abcde"),
    get("/path/default-style/AB"),
    get("/path/two/x/2"),
    get("/path/two/x/y"),
    get("/path/int/%34%32"),
]

QUERY = [
    get("/query/basic?needed=a"),
    get("/query/basic"),
    get("/query/basic?needed=a&skip=2&limit=3&flag=yes"),
    get("/query/basic?needed=a&flag=on"),
    get("/query/basic?needed=a&flag=FALSE"),
    get("/query/basic?needed=a&flag=2"),
    get("/query/basic?needed=a&skip=x&limit=y"),
    get("/query/basic?needed=&skip="),
    get("/query/basic?needed=a&needed=b"),
    get("/query/basic?needed=a&unknown=1"),
    get("/query/annotated"),
    get("/query/annotated?q=abc"),
    get("/query/annotated?q=ab"),
    get("/query/annotated?q=abcdefghi"),
    get("/query/annotated?q=ABC"),
    get("/query/default-style"),
    get("/query/default-style?q=xy"),
    get("/query/required-nullable"),
    get("/query/required-nullable?q="),
    get("/query/required-nullable?q=x"),
    get("/query/numbers"),
    get("/query/numbers?a=0&b=0.4&c=4&d=1.234"),
    get("/query/numbers?a=10&b=1.6&c=9&d=12345.6"),
    get("/query/numbers?a=9&b=1.5&c=-3&d=-999.99"),
    get("/query/numbers?d=abc"),
    get("/query/list"),
    get("/query/list?q=1&q=2&q=3"),
    get("/query/list?q=1&q=x"),
    get("/query/list?q=1,2"),
    get("/query/list-required"),
    get("/query/list-required?q=a"),
    get("/query/list-optional"),
    get("/query/list-optional?q=a&q=b"),
    get("/query/set?q=3&q=1&q=3"),
    get("/query/alias?item-query=x"),
    get("/query/alias?item_query=x"),
    get("/query/validation-alias?n=a"),
    get("/query/validation-alias?the_name=b"),
    get("/query/validation-alias?name=c"),
    get(
        "/query/types?when=2024-01-02T03:04:05Z&day=2024-02-29&ident="
        + UUID
        + "&color=green&level=2&mode=fast&span=PT1H"
    ),
    get("/query/types?when=2024-01-02T03:04:05%2B02:00&span=90"),
    get("/query/types?when=yesterday&day=2023-02-29&ident=x&color=blue&level=3&mode=medium"),
    get("/query/types?when=1700000000"),
    get("/query/union?v=3"),
    get("/query/union?v=three"),
    get("/query/union?v=3&w=x"),
    get("/query/model"),
    get("/query/model?limit=5&offset=2&order_by=updated_at&tags=a&tags=b"),
    get("/query/model?limit=0&offset=-1&order_by=name"),
    get("/query/model?extra=1"),
    get("/query/unicode?text=%C3%A9t%C3%A9"),
    get("/query/unicode?text=日本語"),
    get("/query/unicode?text=%F0%9F%98%80"),
    get("/query/unicode?text=%FF%FE"),
    get("/query/unicode?text=a+b%20c"),
]

HEADERS = [
    get("/header/basic"),
    get("/header/basic", headers={"user-agent": "tester/1.0", "x-token": "t"}),
    get("/header/basic", headers={"X-TOKEN": "upper"}),
    get("/header/basic", headers={"x_token": "underscored"}),
    get("/header/no-convert", headers={"strange_header": "raw"}),
    get("/header/no-convert", headers={"strange-header": "dashed"}),
    get("/header/list"),
    get("/header/list", headers=[("x-tag", "a"), ("x-tag", "b")]),
    get("/header/required"),
    get("/header/required", headers={"x-key": "5"}),
    get("/header/required", headers={"x-key": "50"}),
    get("/header/required", headers={"x-key": "abc"}),
    get("/header/alias", headers={"x-auth-token": "secret"}),
    get("/header/alias", headers={"token": "nope"}),
    get("/header/model"),
    get("/header/model", headers={"save-data": "true", "x-tag": "one"}),
    get("/header/model", headers={"save-data": "maybe"}),
    get("/header/model-strict", headers={"x-one": "1"}),
]

COOKIES = [
    get("/cookie/basic"),
    get("/cookie/basic", headers={"cookie": "session_id=abc; count=3"}),
    get("/cookie/basic", headers={"cookie": "count=many"}),
    get("/cookie/required"),
    get("/cookie/required", headers={"cookie": "token=abc"}),
    get("/cookie/required", headers={"cookie": "token=abcd"}),
    get("/cookie/model", headers={"cookie": "session_id=s1"}),
    get("/cookie/model", headers={"cookie": "session_id=s1; tracker=t"}),
    get("/cookie/model", headers={"cookie": "session_id=s1; other=x"}),
    get("/cookie/model"),
]

BODIES = [
    post("/body/single", json=ITEM),
    post("/body/single", json={"name": "pen", "price": "2.5", "tags": ["a"]}),
    post("/body/single", json={"name": "pen"}),
    post("/body/single", json={"item": ITEM}),
    post("/body/single", json=[ITEM]),
    post("/body/single"),
    post("/body/two", json={"item": ITEM, "user": USER}),
    post("/body/two", json={"item": ITEM}),
    post("/body/two", json=ITEM),
    post("/body/embed", json={"item": ITEM}),
    post("/body/embed", json=ITEM),
    post("/body/scalar", json={"importance": 5}),
    post("/body/scalar", json=5),
    post("/body/scalar", json={"importance": "high"}),
    post("/body/mixed/3?q=z", json={"item": ITEM, "user": USER, "importance": 1}),
    post("/body/mixed/3", json={"item": ITEM, "user": USER, "importance": 0}),
    post("/body/mixed/x", json={}),
    post("/body/optional"),
    post("/body/optional", json=ITEM),
    post("/body/optional", json=None),
    post("/body/list", json=[ITEM, {"name": "cup", "price": 3}]),
    post("/body/list", json=[]),
    post("/body/list", json=[ITEM, {"name": "cup"}]),
    post("/body/list", json=ITEM),
    post("/body/dict", json={"1": 0.5, "2": 1.5}),
    post("/body/dict", json={"a": 1}),
    post(
        "/body/nested",
        json={"title": "o", "items": [ITEM], "images": [{"url": "u", "size": 1}]},
    ),
    post("/body/nested", json={"title": "o", "items": [ITEM], "images": [{"url": "u", "size": 0}]}),
    post("/body/nested", json={"title": "o", "items": [{"price": "x"}]}),
    post("/body/plain-dict", json={"b": 1, "a": 2}),
    post("/body/plain-dict", json=[1]),
    post("/body/default-style", json={"name": "al"}),
    post("/body/default-style", json={"name": "a", "age": "x"}),
]

SPECIAL = [
    post("/special/request", content=b"12345"),
    get("/special/response"),
    get("/special/connection?x=1"),
    get("/special/background"),
]

test_path = parity_test("params", PATH)
test_query = parity_test("params", QUERY)
test_headers = parity_test("params", HEADERS)
test_cookies = parity_test("params", COOKIES)
test_bodies = parity_test("params", BODIES)
test_special = parity_test("params", SPECIAL)
