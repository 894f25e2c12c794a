"""Malformed form and multipart bodies: a 4xx like FastAPI's, never a 500 (the app:
``apps/malformed_forms.py``)."""

import gc
from typing import Any

import pytest

from ._compare import clients, http_outcome

B = "xyzzy"
GOOD_PART = (
    f'--{B}\r\nContent-Disposition: form-data; name="name"\r\n\r\nalice\r\n'
    f'--{B}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n'
    "Content-Type: text/plain\r\n\r\nhello\r\n"
)
CASES: dict[str, dict[str, Any]] = {
    "well-formed": {
        "content": GOOD_PART + f"--{B}--\r\n",
        "headers": {"content-type": f"multipart/form-data; boundary={B}"},
    },
    "missing boundary": {
        "content": GOOD_PART,
        "headers": {"content-type": "multipart/form-data"},
    },
    "truncated part": {
        "content": GOOD_PART[:-12],
        "headers": {"content-type": f"multipart/form-data; boundary={B}"},
    },
    "no closing delimiter": {
        "content": GOOD_PART,
        "headers": {"content-type": f"multipart/form-data; boundary={B}"},
    },
    "part without disposition": {
        "content": f"--{B}\r\nContent-Type: text/plain\r\n\r\nx\r\n--{B}--\r\n",
        "headers": {"content-type": f"multipart/form-data; boundary={B}"},
    },
    "garbage": {
        "content": b"\x00\xff not multipart at all",
        "headers": {"content-type": f"multipart/form-data; boundary={B}"},
    },
    "wrong content type": {
        "content": '{"name": "alice"}',
        "headers": {"content-type": "application/json"},
    },
    "urlencoded without files": {
        "content": "name=alice",
        "headers": {"content-type": "application/x-www-form-urlencoded"},
    },
    "no content type": {"content": GOOD_PART, "headers": {}},
}


@pytest.fixture(scope="module")
def pair() -> Any:
    return clients("malformed_forms")


# Starlette's multipart parser leaves the temporary file of a part that never ends unclosed
# (FastAPI included: the same request leaks there too); the answer is still compared.
UPSTREAM_LEAK = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
PARAMS = [
    pytest.param(name, marks=UPSTREAM_LEAK) if name == "no closing delimiter" else name
    for name in CASES
]


@pytest.mark.parametrize("case", PARAMS)
def test_same_answer_as_fastapi_and_no_500(pair: Any, case: str) -> None:
    ours, theirs = pair
    request = CASES[case]
    answer = http_outcome(ours, "POST", "/upload", **request)
    assert answer == http_outcome(theirs, "POST", "/upload", **request)
    assert answer[0] < 500
    # Collect now, so the upstream leak's warning is raised inside this (marked) test and
    # never later, inside whichever test happens to trigger the garbage collector.
    gc.collect()
