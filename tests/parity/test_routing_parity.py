"""Parity: routing (methods, routers, mounts, url_path_for, root_path, 404/405, redirects)."""

from .harness import Case, delete, get, head, options, parity_test, patch, post, put, seq, trace

ITEM = {"name": "pen", "price": 1.5}

CASES = [
    # every method
    get("/items/3"),
    get("/items/abc"),
    post("/items", json=ITEM),
    post("/items", json={"name": "pen"}),
    put("/items/3", json=ITEM),
    patch("/items/3", json={"anything": [1, 2]}),
    delete("/items/3"),
    head("/items/3"),
    options("/items"),
    trace("/trace"),
    # method mismatches and HEAD on GET-only routes
    post("/items/3"),
    delete("/items"),
    get("/trace"),
    head("/users/me"),
    put("/same"),
    get("/same"),
    post("/same"),
    # route order, path convertor
    get("/users/me"),
    get("/users/alice"),
    get("/files/a/b/c.txt"),
    get("/files/"),
    # api_route / add_api_route / add_route
    get("/multi"),
    post("/multi"),
    put("/multi"),
    delete("/multi"),
    get("/added?q=4"),
    delete("/added"),
    post("/added"),
    post("/added-created?q=1"),
    get("/router-added"),
    get("/raw"),
    post("/raw"),
    put("/raw"),
    # 404s
    get("/nope"),
    get("/items"),
    post("/nowhere", json={}),
    get("/"),
    # redirect_slashes
    get("/slash/"),
    get("/trailing"),
    get("/slash/", follow_redirects=True),
    get("/trailing", follow_redirects=True),
    post("/post-slash/"),
    get("/slash/?q=1"),
    get("/nope/"),
    Case((get("/slash/"),), app="app_noslash"),
    Case((get("/slash"),), app="app_noslash"),
    # routers
    get("/r/"),
    get("/r"),
    get("/r/things/4"),
    get("/r/things/0"),
    get("/r/things/x"),
    get("/r/html"),
    get("/html/page"),
    get("/html/json"),
    get("/legacy/old"),
    get("/rc/custom"),
    get("/v1/a/b/c/deep/leaf1"),
    get("/v1/a/b/c/deep/leaf1", headers={"x-level": "deep"}),
    get("/v1/a/b/mid"),
    get("/v1/a/b/mid/"),
    get("/one/ping"),
    get("/two/ping"),
    get("/late/early"),
    get("/late/after"),
    # url_path_for and url_for
    get("/urls"),
    get("/url-missing"),
    # mounts
    get("/sub/hello"),
    get("/sub/fail"),
    get("/sub/missing"),
    post("/sub/hello"),
    get("/sub"),
    get("/plain/home"),
    get("/plain/none"),
    # root_path
    Case((get("/root-info"), get("/urls"), get("/sub/hello")), client={"root_path": "/api"}),
    Case(
        (get("/api/root-info"), get("/api/sub/hello"), get("/api/nope")),
        client={"root_path": "/api"},
    ),
    Case((get("/where"),), app="app_rp"),
    Case((get("/proxy/where"),), app="app_rp"),
    seq(
        get("/root-info"),
        id="root_path on a custom base_url",
        client={"base_url": "http://h.example:8080/"},
    ),
]

test_routing = parity_test("routing", CASES)
