"""Parity: urlencoded and multipart forms, form models, file uploads; deprecated API."""

from .harness import get, parity_test, post, seq

FORMS = [
    post("/login", data={"username": "ann", "password": "secret"}),
    post("/login", data={"username": "ann", "password": "no"}),
    post("/login", data={"username": "ann"}),
    post("/login"),
    post("/login", json={"username": "ann", "password": "secret"}),
    post(
        "/login",
        content=b"username=ann&password=sec%20ret",
        headers={"content-type": "application/x-www-form-urlencoded"},
    ),
    post("/login", content=b"%%%", headers={"content-type": "application/x-www-form-urlencoded"}),
    post("/login", files={"username": (None, b"ann"), "password": (None, b"multi")}),
    post("/login-model", data={"username": "a", "password": "b", "remember": "on"}),
    post("/login-model", data={"username": "a", "password": "b", "extra": "x"}),
    post("/login-model", data={"username": "a"}),
    post("/tags", data={"tag": ["a", "b"], "count": "2"}),
    post("/tags", data={"count": "x"}),
    post("/file-bytes", files={"file": ("a.bin", b"\x00\x01\x02")}),
    post("/file-bytes"),
    post("/file-bytes", data={"file": "not a file"}),
    post("/upload", files={"file": ("notes.txt", b"hello", "text/plain")}, data={"note": "n"}),
    post("/upload", files={"file": ("data.json", b"{}", "application/json")}),
    post("/upload", data={"note": "missing file"}),
    post(
        "/upload",
        content=b"--x\r\nbroken",
        headers={"content-type": "multipart/form-data; boundary=x"},
    ),
    post("/upload", content=b"abc", headers={"content-type": "multipart/form-data"}),
    post("/uploads", files=[("files", ("a.txt", b"a")), ("files", ("b.txt", b"bb"))]),
    post("/uploads", files=[("other", ("a.txt", b"a"))]),
    post("/upload-optional"),
    post("/upload-optional", files={"file": ("o.txt", b"o")}),
]

DEPRECATED = [
    seq(get("/log"), get("/orjson-default"), get("/log"), lifespan=True, id="on_event handlers"),
    seq(get("/log"), id="log after on_event shutdown"),
    get("/ujson"),
    get("/regex?code=ABC"),
    get("/regex?code=abc"),
]

test_forms = parity_test("forms", FORMS)
test_deprecated_api = parity_test("deprecated_api", DEPRECATED)
