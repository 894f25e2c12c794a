"""The diff engine's corners that the corpus does not spell out as pairs: reading documents
(pointers, dangling and external references), parameters in `content`, schema edge cases."""

from __future__ import annotations

from typing import Any

from accord.openapi.changes import Change, pointer
from accord.openapi.diff import diff_documents, group_by_operation, has_breaking
from accord.openapi.schema_diff import resolve


def _doc(schema: Any, **components: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": "OK"}},
                }
            }
        },
    }
    if components:
        document["components"] = components
    return document


def _rules(old: Any, new: Any, **components: Any) -> list[tuple[str, str]]:
    changes = diff_documents(_doc(old, **components), _doc(new, **components))
    return [(c.kind, c.rule) for c in changes]


def test_pointers_escape_and_resolve() -> None:
    assert pointer("paths", "/a/{b}", "get") == "/paths/~1a~1{b}/get"
    assert pointer("x~y") == "/x~0y"
    document = {"a": [{"b": 1}], "c": {"$ref": "#/a/0"}, "d": {"$ref": "#/nowhere"}}
    assert resolve(document, document["c"], "/c") == ({"b": 1}, "/a/0")
    assert resolve(document, document["d"], "/d") == ({"$ref": "#/nowhere"}, "/d")
    assert resolve(document, {"$ref": "#/a/9"}, "/e") == ({"$ref": "#/a/9"}, "/e")
    assert resolve(document, {"$ref": "#/a/0/b/c"}, "/e") == ({"$ref": "#/a/0/b/c"}, "/e")
    external = {"$ref": "other.yaml#/Item"}
    assert resolve(document, external, "/f") == (external, "/f")


def test_an_external_reference_changed_is_judged_as_what_it_says() -> None:
    assert _rules({"$ref": "a.yaml#/X"}, {"$ref": "a.yaml#/X"}) == []


def test_a_single_allof_and_a_non_object_schema_are_read_through() -> None:
    assert _rules({"allOf": [{"type": "string"}]}, {"type": "string"}) == []
    assert _rules(True, False) == []  # boolean schemas are not judged


def test_numeric_bounds_in_both_spellings_at_once() -> None:
    # 3.1 allows minimum and exclusiveMinimum together: the stricter one is the bound.
    both = {"type": "number", "minimum": 5, "exclusiveMinimum": 3}
    assert _rules(both, {"type": "number", "minimum": 5}) == []
    assert _rules({"type": "number", "maximum": 1, "exclusiveMaximum": 9}, {"type": "number", "maximum": 1}) == []
    assert _rules({"type": "number", "maximum": 5}, {"type": "number", "maximum": 3}) == [
        ("breaking", "constraint-tightened")
    ]


def test_multiple_of_that_neither_divides_is_changed() -> None:
    assert _rules({"type": "integer", "multipleOf": 3}, {"type": "integer", "multipleOf": 2}) == [
        ("breaking", "constraint-changed")
    ]
    assert _rules({"type": "integer", "multipleOf": 3}, {"type": "integer"}) == [
        ("compatible", "constraint-relaxed")
    ]
    assert _rules({"type": "integer"}, {"type": "integer", "multipleOf": 3}) == [
        ("breaking", "constraint-tightened")
    ]


def test_additional_properties_allowed_again_and_compared_as_schemas() -> None:
    closed = {"type": "object", "additionalProperties": False}
    assert _rules(closed, {"type": "object"}) == [("compatible", "constraint-relaxed")]
    ints = {"type": "object", "additionalProperties": {"type": "integer"}}
    nums = {"type": "object", "additionalProperties": {"type": "number"}}
    assert _rules(ints, nums) == [("compatible", "type-widened")]


def test_union_branches_without_names_are_keyed_by_type_and_order() -> None:
    two_objects = {"anyOf": [{"type": "object"}, {"type": "object"}, {"enum": [1]}]}
    assert _rules(two_objects, two_objects) == []
    assert _rules({"anyOf": [{"type": "string"}, {"type": "integer"}]}, {"type": "string"}) == [
        ("breaking", "variant-removed")
    ]
    named = {"X": {"type": "string"}}
    assert _rules({"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "integer"}]},
                  {"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "integer"}]},
                  schemas=named) == []  # fmt: skip


def test_a_parameter_described_by_content_is_compared() -> None:
    def document(schema: Any) -> dict[str, Any]:
        parameter = {"name": "f", "in": "query", "content": {"application/json": {"schema": schema}}}
        return {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"parameters": [parameter, {"in": "query"}], "responses": {}}}},
        }

    changes = diff_documents(document({"type": "number"}), document({"type": "integer"}))
    assert [(c.rule, c.pointer) for c in changes] == [
        ("type-narrowed", "/paths/~1a/get/parameters/0/content/application~1json/schema")
    ]
    schema_less = document({})
    del schema_less["paths"]["/a"]["get"]["parameters"][0]["content"]
    assert diff_documents(schema_less, schema_less) == []


def test_odd_documents_are_read_without_failing() -> None:
    odd: dict[str, Any] = {"openapi": "3.1.0", "paths": {"/a": "not a path item", "/b": {"get": 1}}}
    assert diff_documents(odd, odd) == []
    assert diff_documents({"openapi": "3.1.0"}, {"openapi": "3.1.0", "paths": None}) == []
    referenced = {
        "openapi": "3.1.0",
        "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
        "components": {"pathItems": {"A": {"get": {"responses": {"200": {"description": "x"}}}}}},
    }
    removed = diff_documents(referenced, {"openapi": "3.1.0", "paths": {}})
    assert [c.rule for c in removed] == ["operation-removed"]


def test_security_scheme_flows_and_unusual_schemes() -> None:
    def document(token_url: str, extra: Any = None) -> dict[str, Any]:
        schemes = {"o": {"type": "oauth2", "flows": {"password": {"tokenUrl": token_url}}}}
        if extra is not None:
            schemes["odd"] = extra
        return {"openapi": "3.1.0", "paths": {}, "components": {"securitySchemes": schemes}}

    changes = diff_documents(document("/token"), document("/v2/token"))
    assert [(c.rule, c.message) for c in changes] == [
        ("security-scheme-changed", "the security scheme 'o' changed its flows: clients send "
         "credentials the old way")
    ]  # fmt: skip
    assert diff_documents(document("/t", "odd"), document("/t", "odd")) == []
    assert diff_documents(document("/t"), document("/t", {"type": "http"})) == []


def test_grouping_puts_breaking_first_and_has_breaking() -> None:
    a = Change("GET /a", "compatible", "r", "/p", "new", "m")
    b = Change("GET /a", "breaking", "r", "/p", "new", "m")
    c = Change("", "breaking", "r", "/q", "new", "m")
    assert group_by_operation([a, c, b]) == {"GET /a": [b, a], "": [c]}
    assert has_breaking([a, b]) and not has_breaking([a])
    assert a.as_dict()["document"] == "new"
