"""Parity: dependency injection (kinds, caching, yield teardown, scopes, overrides, levels)."""

from .harness import Case, get, parity_test, post, seq

TOKEN = {"x-token": "fake-super-secret-token", "x-key": "fake-super-secret-key"}


def events(*requests, id: str) -> object:
    """A stateful case: clear the event log, run the requests, read the log."""
    return seq(get("/events"), *requests, get("/events"), id=id)


CASES = [
    get("/items"),
    get("/items?q=x&skip=1&limit=2"),
    get("/items?skip=x"),
    get("/items-async?q=a"),
    get("/items-async?q=-1&skip=-1"),
    get("/class?q=c&limit=5"),
    get("/class?limit=x"),
    get("/class-default-style?skip=3"),
    get("/callable?q=foobar"),
    get("/callable?q=foo"),
    get("/callable"),
    get("/sub?q=query"),
    get("/sub", headers={"cookie": "last_query=cookie"}),
    get("/sub"),
    get("/cache"),
    get("/no-cache"),
    get("/shared-param?token=t&extra=2"),
    get("/shared-param"),
    get("/shared-param?token=t&extra=x&own=y"),
    post("/body-dep", json={"item": {"name": "n"}, "user": {"username": "u"}}),
    post("/body-dep", json={"name": "n"}),
    post("/body-dep-only", json={"name": "n"}),
    post("/body-dep-only", json={"item": {"name": "n"}}),
    get("/guarded", headers=TOKEN),
    get("/guarded"),
    get("/guarded", headers={"x-token": "wrong", "x-key": "wrong"}),
    get("/guarded", headers={**TOKEN, "x-key": "wrong"}),
    events(get("/guarded", headers={"x-token": "bad", "x-key": "k"}), id="guard stops endpoint"),
    events(get("/yield/ok"), id="yield ok"),
    events(get("/yield/http"), id="yield sees HTTPException"),
    events(get("/yield/value"), id="yield converts ValueError to 409"),
    events(get("/yield/runtime"), id="yield sees RuntimeError"),
    events(get("/yield-sync/ok"), get("/yield-sync/error"), id="sync yield"),
    events(get("/yield-swallow"), id="yield swallows the exception"),
    events(get("/scopes"), id="function vs request scope teardown order"),
    events(get("/dep-tasks"), id="background tasks from dependency and endpoint"),
    seq(
        get("/whoami"),
        post("/override/on"),
        get("/whoami"),
        get("/whoami?name=zed"),
        post("/override/off"),
        get("/whoami?name=zed"),
        id="dependency_overrides added then cleared",
    ),
]

LEVELS = [
    Case((get("/at-app"),), app="app_deps"),
    Case((get("/at-app", headers={"x-app": "deny"}),), app="app_deps"),
    Case((get("/r/in-router", headers={"x-router": "7"}),), app="app_deps"),
    Case((get("/r/in-router", headers={"x-router": "x"}),), app="app_deps"),
    Case((get("/r/in-router", headers={"x-app": "deny", "x-router": "x"}),), app="app_deps"),
    Case((get("/r2/in-router"),), app="app_deps"),
    Case((get("/r2/in-router", headers=TOKEN),), app="app_deps"),
    Case((get("/missing"),), app="app_deps"),
]

test_dependencies = parity_test("dependencies", CASES)
test_dependency_levels = parity_test("dependencies", LEVELS)
