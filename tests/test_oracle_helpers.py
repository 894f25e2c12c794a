"""The oracle's helpers for apps built by a function: each side really runs its own framework."""

from typing import Any

from tests.oracle import json_answers, on_both


def build(fw: Any) -> Any:
    app = fw.FastAPI()

    @app.get("/who")
    def who() -> str:
        return type(app).__module__.split(".")[0]

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("answered as a 500, not raised")

    return app


def test_on_both_runs_accord_then_fastapi() -> None:
    ours, theirs = on_both(build, json_answers([("GET", "/who", {})]))
    assert ours == [(200, "accord")]
    assert theirs == [(200, "fastapi")]


def test_an_app_error_is_an_answer() -> None:
    ours, theirs = on_both(build, lambda client: client.get("/boom").status_code)
    assert ours == theirs == 500
