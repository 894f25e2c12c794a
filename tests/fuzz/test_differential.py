"""Differential fuzzing: generated requests go to the corpus on FastAPI and on Accord.

Each example is compared by the parity harness (status, the headers that matter, the
body); a difference is a failure unless ``harness.IMPROVEMENTS`` documents it.

Profiles (environment):
    FUZZ_EXAMPLES: examples per route (default 12, the bounded profile run by ``make test``).
    FUZZ_RANDOM: ``1`` draws fresh random examples (``make fuzz``); by default hypothesis
        runs derandomized, so CI sees the same examples every time.
    PARITY_REPORT: a file path; every mismatch (the shrunk example) is appended to it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.oracle import Pair
from tests.parity.harness import Req, _report, app_pair, as_case, compare_case

from .routes import ROUTES, ROUTING

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not RANDOM,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    print_blob=True,
)


CORPUS = Path(__file__).parent / "corpus.py"


def corpus_pair() -> Pair:
    """The corpus on FastAPI (oracle) and on the subject framework, loaded once."""
    return app_pair(CORPUS)


class Mismatch(AssertionError):
    """Both frameworks answered one generated request differently."""


def check(request: Req) -> None:
    failures = compare_case(corpus_pair(), as_case(request))
    if failures:
        raise Mismatch("\n".join(failures))


def run(strategy) -> None:
    """Run the property; report only the final, shrunk mismatch."""

    @SETTINGS
    @given(strategy)
    def prop(request: Req) -> None:
        check(request)

    try:
        prop()
    except Mismatch as exc:
        _report(str(exc).splitlines())
        raise


def test_corpus_covers_every_route() -> None:
    # A route added to corpus.py without a strategy would never be fuzzed.
    app = corpus_pair().subject.app
    paths = {
        r.path
        for r in app.routes
        if r.path.startswith(("/p/", "/q/", "/h/", "/c/", "/b/", "/f/", "/u/", "/d/", "/s/", "/r/"))
    }
    stems = {"/".join(p.split("/")[:3]) for p in paths}
    assert stems == set(ROUTES)
    assert len(ROUTES) >= 30


@pytest.mark.fuzz
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_route_parity_under_generated_input(route: str) -> None:
    run(ROUTES[route])


@pytest.mark.fuzz
def test_methods_and_slashes_parity() -> None:
    run(ROUTING)
