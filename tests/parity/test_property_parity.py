"""Parity under generated inputs: hypothesis builds query strings and JSON bodies.

Each example goes through the same comparison as the fixed corpus. Failures are reported
for the final (shrunk) example only, so the failure file stays readable.
"""

import json
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import _pair_or_fail, _report, as_case, compare_case, get, post

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Values that hit every parsing branch: valid numbers, edge numbers, words, unicode, empty.
scalar_text = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "asc", "desc", "true", "off", "1", "0", "yes", "ASC", " 5", "1e3"]),
    st.text(max_size=25),
)
query_pairs = st.lists(
    st.tuples(
        st.sampled_from(["q", "page", "sort", "tags", "flag", "price", "other"]), scalar_text
    ),
    max_size=8,
)

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_any = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
line = st.fixed_dictionaries(
    {},
    optional={
        "sku": st.one_of(st.text(max_size=10), json_any),
        "quantity": st.one_of(st.integers(min_value=-5, max_value=1005), json_any),
        "price": st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.none(), json_any),
    },
)
order = st.fixed_dictionaries(
    {},
    optional={
        "customer": st.one_of(st.text(max_size=10), json_any),
        "lines": st.one_of(st.lists(line, max_size=6), json_any),
        "priority": st.one_of(st.sampled_from(["low", "high", "LOW"]), json_any),
        "note": st.one_of(st.none(), st.text(max_size=10)),
        "discount": st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=4)),
        "meta": st.one_of(st.dictionaries(st.text(max_size=4), st.integers()), json_any),
        "extra": json_any,
    },
)
body = st.one_of(order, json_any)


def check(item) -> None:
    failures = compare_case(_pair_or_fail("properties"), as_case(item))
    if failures:
        check.last = failures
        raise AssertionError("\n".join(failures))


def run_reporting(prop) -> None:
    """Run a hypothesis property; report the final (minimal) failing example."""
    check.last = []
    try:
        prop()
    except AssertionError:
        _report(check.last)
        raise


def test_generated_query_strings() -> None:
    @SETTINGS
    @given(query_pairs)
    def prop(pairs):
        check(get("/search?" + urlencode(pairs)))

    run_reporting(prop)


def test_generated_json_bodies() -> None:
    @SETTINGS
    @given(body, st.booleans())
    def prop(payload, dry_run):
        url = "/orders?dry_run=1" if dry_run else "/orders"
        check(post(url, content=json.dumps(payload), headers={"content-type": "application/json"}))

    run_reporting(prop)
