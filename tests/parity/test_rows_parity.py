"""Parity: dicts and lists of dicts answered through a response model (Accord's typed-dict
twin of a plain model, and every way back to the model itself)."""

from .harness import get, parity_test

PATHS = [
    "/rows",
    "/rows/empty",
    "/rows/tuple",
    "/rows/nested-instance",
    "/rows/instances",
    "/rows/mixed",
    "/rows/records",
    "/rows/invalid",
    "/rows/enum-and-bool",
    "/rows/inf",
    "/rows/exclude-unset",
    "/rows/exclude-none",
    "/rows/include",
    "/row",
    "/row/aliased",
    "/row/aliased-by-name",
    "/row/typed",
    "/row/typed-invalid",
    "/row/twice",
    "/row/checked",
    "/row/whole",
    "/row/computed",
    "/row/formatted",
    "/row/open",
    "/row/closed",
    "/row/stripped",
    "/row/hidden",
    "/row/private",
]

CASES = [get(path) for path in PATHS]

test_rows = parity_test("rows", CASES)
