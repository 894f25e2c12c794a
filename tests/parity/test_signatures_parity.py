"""Parity: unusual endpoint signatures and form/file variants."""

from .harness import get, parity_test, post, seq

CASES = [
    get("/untyped?q=1"),
    get("/untyped?q=1&r=2&s=x"),
    get("/untyped"),
    get("/any?q=1&items=a&items=b"),
    get("/any"),
    get("/bare-generics?a=1&a=x&b=2&c=3&c=3"),
    get("/bare-generics"),
    get("/keyword-only/3?q=z&flag=yes"),
    get("/keyword-only/x?flag=maybe"),
    get("/named-like-special?request=1&response=2&background_tasks=3"),
    get("/named-like-special?response=x"),
    post("/body-any", json={"a": 1}),
    post("/body-any", json=[1, "x"]),
    post("/body-any"),
    post("/body-untyped-default", json={"item": {"name": "n"}, "extra": [1]}),
    post("/body-untyped-default", json={"item": {"name": "n"}}),
    post("/body-untyped-default", json={"name": "n"}),
    post("/optional-embedded", json={"item": {"name": "n"}}),
    post("/optional-embedded", json={}),
    post("/optional-embedded"),
    post("/optional-embedded", json={"item": None}),
    seq(
        get("/generator-instance/log"),
        get("/generator-instance?n=4"),
        get("/generator-instance/log"),
        id="callable instance with a generator __call__",
    ),
    post("/files-bytes", files=[("files", ("a", b"aa")), ("files", ("b", b"bbb"))]),
    post("/files-bytes", files=[("files", ("a", b""))]),
    post("/files-bytes"),
    post("/upload-meta", files={"file": ("m.txt", b"12345", "text/plain", {"x-part": "p"})}),
    post("/upload-meta", files={"file": ("", b"no name")}),
    post("/form-list-ints", data={"n": ["1", "2"]}),
    post("/form-list-ints", data={"n": ["1", "x"]}),
    post("/form-list-ints"),
    post("/form-and-file", data={"token": "t"}, files={"file": ("f", b"xyz")}),
    post("/form-and-file", data={"token": "t", "note": "n"}),
    post("/form-and-file", files={"file": ("f", b"xyz")}),
    post("/strict-form", data={"grant_type": "password", "username": "u", "password": "p"}),
    post("/strict-form", data={"grant_type": "other", "username": "u", "password": "p"}),
    post("/strict-form", data={"username": "u", "password": "p"}),
]

test_signatures = parity_test("signatures", CASES)
