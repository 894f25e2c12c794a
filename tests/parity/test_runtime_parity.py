"""Parity: run-time route changes, client cookie jars, path shapes, host routing, encoding of
error contexts and odd keys, failing and combined lifespans."""

from .harness import Case, get, parity_test, post, seq

CASES = [
    seq(get("/dynamic"), post("/register"), get("/dynamic"), id="route added while serving"),
    seq(
        get("/x/late-included"),
        post("/include-late"),
        get("/x/late-included"),
        id="router included while serving",
    ),
    seq(get("/removable"), post("/remove"), get("/removable"), id="route removed while serving"),
    seq(get("/value"), post("/override-late"), get("/value"), id="override added while serving"),
    seq(
        get("/cookie/read"),
        get("/cookie/set"),
        get("/cookie/read"),
        get("/cookie/clear"),
        get("/cookie/read"),
        id="client cookie jar",
    ),
    get("/files/report.pdf"),
    get("/files/archive.tar.gz"),
    get("/files/noext"),
    get("/price($)/2.5"),
    get("/price(%24)/2.5"),
    get("/a+b"),
    get("/a%2Bb"),
    get("/default-path/x"),
    get("/info", headers={"host": "api.example.com"}),
    get("/info"),
    get("/ctx?d=10.5&day=2019-12-31&f=inf"),
    get("/ctx?d=1.005&day=2020-01-01&f=nan"),
    get("/ctx?d=abc&day=2020-13-01"),
    post("/form-int", files={"n": ("n.txt", b"5")}),
    post("/form-int", data={"n": "x"}),
    get("/keys"),
    get("/detail/int"),
    get("/detail/none"),
    get("/detail/nested"),
    get("/detail/date"),
    get("/http-200"),
    get("/no-state"),
    Case((get("/"),), app="app_broken", lifespan=True),
    Case((get("/"),), app="app_broken"),
    seq(get("/log"), get("/r"), lifespan=True, app="app_both", id="lifespan with on_startup"),
    seq(get("/log"), app="app_both", id="log after combined shutdown"),
]

test_runtime = parity_test("runtime", CASES)
