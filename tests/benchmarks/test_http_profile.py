"""The HTTP profile's sample accounting (the measurement itself runs in `make bench`)."""

from __future__ import annotations

from collections import Counter

from benchmarks.http_profile import Profile, part_of, read_collapsed, render

SAMPLES = """\
<module> (uvicorn/__main__.py:4);Runner.run (asyncio/runners.py:118) 10
<module> (uvicorn/__main__.py:4);dispatch (accord/_routing/table.py:234) 5
a (x.py:1);_SimpleRunner.__call__ (accord/_runtime/runner.py:288) 4
a (x.py:1);send (uvicorn/protocols/http/httptools_impl.py:522) 6
a (x.py:1);plaintext (/work/main/benchmarks/apps/fastapi_app.py:10) 1
a (x.py:1);dumps (json/__init__.py:231) 1
not a sample line
"""


def test_each_sample_is_charged_to_its_innermost_frame() -> None:
    by_part, by_function = read_collapsed(SAMPLES)
    assert by_part == Counter(
        {
            "event loop": 10,
            "Uvicorn": 6,
            "Accord: route table": 5,
            "Accord: request runner": 4,
            "app code": 1,
            "other": 1,
        }
    )
    assert by_function["send (uvicorn/protocols/http/httptools_impl.py:522)"] == 6
    assert part_of("x (accord/_runtime/encode.py:3)") == "Accord: response"
    assert part_of("x (/venv/site-packages/starlette/routing.py:3)") == "Starlette"


def test_the_summary_gives_the_floor_ratio_and_shares() -> None:
    by_part, by_function = read_collapsed(SAMPLES)
    profiles = [
        Profile("raw", "plaintext", 20000.0, Counter({"Uvicorn": 3, "event loop": 1}), Counter()),
        Profile("accord", "plaintext", 16000.0, by_part, by_function),
    ]
    text = render(profiles, 4)
    assert "| plaintext | accord | 16,000 | 0.80 |" in text
    assert "| plaintext | raw | 20,000 | 1.00 |" in text
    assert "| `Runner.run (asyncio/runners.py:118)` | 37.0% |" in text
