"""Parity: encoding of return values without a response model, and jsonable_encoder."""

from .harness import get, parity_test

NAMES = [
    "decimal_int",
    "decimal_exp",
    "decimal_frac",
    "decimal_neg",
    "path",
    "ipv4",
    "ipv6net",
    "pattern",
    "deque",
    "generator",
    "url",
    "email",
    "secret",
    "secret_bytes",
    "time_tz",
    "datetime_us",
    "negative_delta",
    "int_enum",
    "uuid",
    "aliased",
    "dataclass",
    "plain",
    "bytes",
    "nested",
    "opaque",
]

CASES = [
    *(get(f"/value/{name}") for name in NAMES),
    *(get(f"/encoder/{name}") for name in NAMES),
    get("/value/generator"),
    get("/encoder/aliased?by_alias=false"),
    get("/encoder/dataclass?by_alias=false&exclude_none=true"),
    get("/encoder-options"),
]

test_encoding = parity_test("encoding", CASES)
