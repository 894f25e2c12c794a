"""Compare two OpenAPI documents and classify every change as breaking or compatible.

Pure functions over the parsed documents (dicts, as ``json.load`` gives them): nothing is
fetched, imported or served here. :func:`diff_documents` walks the operations of both
documents and returns one :class:`~accord.openapi.changes.Change` per difference, each with its
operation, its rule and a JSON pointer; :func:`group_by_operation` and :func:`has_breaking`
are what a report needs. ``accord openapi diff`` is the command built on them.

Operations are matched by method and path template, with path parameters compared by
position (``/items/{id}`` and ``/items/{item_id}`` are the same operation on the wire).
Parameters are matched by location and name (header names case-insensitively), responses by
status, bodies by media type. Schemas are compared by :class:`~accord.openapi.schema_diff.
SchemaDiff`: narrowing what clients send, or widening what they read, is breaking.

The rules, breaking first, then their compatible reverse:

===============================  ================================
breaking                         compatible
===============================  ================================
operation-removed                operation-added
operation-id-changed             operation-deprecated
parameter-removed                parameter-added (optional)
required-parameter-added
parameter-became-required        parameter-became-optional
request-body-removed             request-body-added (optional)
required-request-body-added
request-body-became-required     request-body-became-optional
request-media-type-removed       request-media-type-added
response-status-removed          response-status-added
response-media-type-removed      response-media-type-added
response-header-removed          response-header-added
security-requirement-added       security-requirement-removed
security-scheme-changed
===============================  ================================

Schema rules (breaking in a request when they narrow, in a response when they widen):
``type-narrowed``/``type-widened`` (``type-changed``, breaking, when neither type contains the
other), ``nullable-removed``/``nullable-added``,
``enum-value-removed``/``enum-value-added`` (an added response value is breaking unless
:class:`~accord.openapi.changes.DiffOptions` says otherwise), ``enum-restricted``/
``enum-unrestricted``, ``constraint-tightened``/``constraint-relaxed`` (lengths, bounds,
pattern, format, multipleOf, uniqueItems, additionalProperties; ``constraint-changed``,
breaking, for a pattern or format replaced by another), ``variant-removed``/
``variant-added`` (``anyOf``/``oneOf`` branches); and for properties ``property-removed``
(breaking on both sides), ``required-property-added`` (breaking in a request),
``property-added``, ``property-became-required`` (breaking in a request) and
``property-became-optional`` (breaking in a response).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from accord.openapi.changes import Change, DiffOptions, Kind, Side, pointer
from accord.openapi.schema_diff import Direction, SchemaDiff, resolve

__all__ = ["diff_documents", "group_by_operation", "has_breaking"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"\{[^}/]*\}")
_SCHEME_FIELDS = ("type", "in", "name", "scheme", "openIdConnectUrl")


@dataclass(frozen=True)
class _Operation:
    label: str  # GET /items/{item_id}
    path: str
    item: dict[str, Any]  # the path item (its parameters apply too)
    operation: dict[str, Any]
    location: str


def diff_documents(
    old: dict[str, Any], new: dict[str, Any], options: DiffOptions | None = None
) -> list[Change]:
    """Every change from `old` to `new`, operation by operation, in the new document's order.

    Args:
        old: The published document (OpenAPI 3.0 or 3.1).
        new: The document about to replace it.
        options: How changes that depend on the clients are classified.

    Returns:
        The changes; document-level ones (a security scheme redefined) have operation ``""``.
    """
    options = options or DiffOptions()
    old_ops, new_ops = _operations(old), _operations(new)
    changes: list[Change] = []
    for key, operation in new_ops.items():
        if key not in old_ops:
            changes.append(_change(operation.label, "compatible", "operation-added",
                                   operation.location, "new", "the operation was added"))
            continue
        differ = SchemaDiff(old, new, operation.label, options)
        _compare_operation(differ, old_ops[key], operation)
        changes.extend(differ.changes)
    for key, operation in old_ops.items():
        if key not in new_ops:
            changes.append(_change(operation.label, "breaking", "operation-removed",
                                   operation.location, "old", "the operation was removed"))
    changes.extend(_security_schemes(old, new))
    return changes


def group_by_operation(changes: Iterable[Change]) -> dict[str, list[Change]]:
    """The changes by operation (first-seen order), breaking ones first within each."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.operation, []).append(change)
    return {op: sorted(found, key=lambda c: c.kind != "breaking") for op, found in groups.items()}


def has_breaking(changes: Iterable[Change]) -> bool:
    """Whether any change is breaking."""
    return any(change.kind == "breaking" for change in changes)


def _change(op: str, kind: Kind, rule: str, location: str, side: Side, message: str) -> Change:
    return Change(op, kind, rule, location, side, message)


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], _Operation]:
    """(METHOD, path with anonymous parameters) -> the operation."""
    found: dict[tuple[str, str], _Operation] = {}
    paths = document.get("paths")
    for path, item in (paths or {}).items() if isinstance(paths, dict) else ():
        item, _ = resolve(document, item, pointer("paths", path))
        if not isinstance(item, dict):
            continue
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                label = f"{method.upper()} {path}"
                location = pointer("paths", path, method)
                key = (method.upper(), _TEMPLATE.sub("{}", path))
                found[key] = _Operation(label, path, item, operation, location)
    return found


def _compare_operation(differ: SchemaDiff, old: _Operation, new: _Operation) -> None:
    add = differ.changes.append
    op = new.label
    old_id, new_id = old.operation.get("operationId"), new.operation.get("operationId")
    if old_id is not None and old_id != new_id:
        add(_change(op, "breaking", "operation-id-changed", new.location + "/operationId", "new",
                    f"the operationId changed from {old_id!r} to {new_id!r} (generated "
                    "clients name the function after it)"))
    if new.operation.get("deprecated") is True and old.operation.get("deprecated") is not True:
        add(_change(op, "compatible", "operation-deprecated", new.location + "/deprecated",
                    "new", "the operation is now deprecated"))
    _compare_parameters(differ, old, new)
    _compare_request_body(differ, old, new)
    _compare_responses(differ, old, new)
    _compare_security(differ, old, new)


# -- parameters -----------------------------------------------------------------------------


def _parameters(document: dict[str, Any], op: _Operation) -> dict[tuple[str, Any], tuple[Any, str]]:
    """(location, name or path position) -> (parameter, pointer); the operation's win."""
    found: dict[tuple[str, Any], tuple[Any, str]] = {}
    positions = {name[1:-1]: i for i, name in enumerate(_TEMPLATE.findall(op.path))}
    sources = ((op.item, pointer("paths", op.path)), (op.operation, op.location))
    for owner, owner_location in sources:
        listed = owner.get("parameters")
        for index, raw in enumerate(listed if isinstance(listed, list) else ()):
            parameter, _ = resolve(document, raw, "")
            if not isinstance(parameter, dict) or "name" not in parameter:
                continue
            where, name = parameter.get("in"), str(parameter["name"])
            key: tuple[str, Any] = (str(where), name.lower() if where == "header" else name)
            if where == "path" and name in positions:
                key = ("path", positions[name])
            found[key] = (parameter, f"{owner_location}/parameters/{index}")
    return found


def _parameter_schema(parameter: dict[str, Any], location: str) -> tuple[Any, str]:
    if "schema" in parameter:
        return parameter["schema"], location + "/schema"
    content = parameter.get("content")
    if isinstance(content, dict) and content:
        media = next(iter(content))
        body = content[media] if isinstance(content[media], dict) else {}
        return body.get("schema", {}), location + pointer("content", media, "schema")
    return {}, location


def _compare_parameters(differ: SchemaDiff, old: _Operation, new: _Operation) -> None:
    add, op = differ.changes.append, new.label
    old_params = _parameters(differ.old_document, old)
    new_params = _parameters(differ.new_document, new)
    for key, (parameter, location) in old_params.items():
        if key not in new_params:
            add(_change(op, "breaking", "parameter-removed", location, "old",
                        f"the {_named(parameter)} was removed"))
    for key, (parameter, location) in new_params.items():
        required = parameter.get("required") is True
        if key not in old_params:
            kind: Kind = "breaking" if required else "compatible"
            rule = "required-parameter-added" if required else "parameter-added"
            add(_change(op, kind, rule, location, "new",
                        f"the {'required ' * required}{_named(parameter)} was added"))
            continue
        old_parameter, old_location = old_params[key]
        was = old_parameter.get("required") is True
        if was != required:
            kind = "breaking" if required else "compatible"
            rule = "parameter-became-required" if required else "parameter-became-optional"
            state = "now required" if required else "now optional"
            add(_change(op, kind, rule, location, "new", f"the {_named(parameter)} is {state}"))
        old_schema, old_schema_at = _parameter_schema(old_parameter, old_location)
        new_schema, new_schema_at = _parameter_schema(parameter, location)
        differ.compare_at(
            old_schema, new_schema, (old_schema_at, new_schema_at), "request", _named(parameter)
        )


def _named(parameter: dict[str, Any]) -> str:
    return f"{parameter.get('in')} parameter {parameter.get('name')!r}"


# -- bodies ---------------------------------------------------------------------------------


def _compare_request_body(differ: SchemaDiff, old: _Operation, new: _Operation) -> None:
    add, op = differ.changes.append, new.label
    old_at, new_at = old.location + "/requestBody", new.location + "/requestBody"
    old_body, _ = resolve(differ.old_document, old.operation.get("requestBody"), old_at)
    new_body, _ = resolve(differ.new_document, new.operation.get("requestBody"), new_at)
    if not isinstance(old_body, dict) and not isinstance(new_body, dict):
        return
    required = isinstance(new_body, dict) and new_body.get("required") is True
    if not isinstance(old_body, dict):
        kind: Kind = "breaking" if required else "compatible"
        rule = "required-request-body-added" if required else "request-body-added"
        add(_change(op, kind, rule, new_at, "new",
                    f"a {'required ' * required}request body was added"))
        return
    if not isinstance(new_body, dict):
        add(_change(op, "breaking", "request-body-removed", old_at, "old",
                    "the request body was removed"))
        return
    if (old_body.get("required") is True) != required:
        kind = "breaking" if required else "compatible"
        rule = "request-body-became-required" if required else "request-body-became-optional"
        state = "now required" if required else "now optional"
        add(_change(op, kind, rule, new_at, "new", f"the request body is {state}"))
    _compare_content(differ, old_body, new_body, (old_at, new_at), "request", "request body")


def _compare_content(
    differ: SchemaDiff,
    old: dict[str, Any],
    new: dict[str, Any],
    at: tuple[str, str],
    direction: Direction,
    label: str,
) -> None:
    """Media types of a request or response body: removed, added, and their schemas."""
    add, op = differ.changes.append, differ.operation
    old_content, new_content = _content(old), _content(new)
    side = "request" if direction == "request" else "response"
    for media in old_content:
        if media not in new_content:
            add(_change(op, "breaking", f"{side}-media-type-removed",
                        f"{at[0]}/content/{_escape(media)}", "old",
                        f"{label}: the media type {media} was removed"))
    for media, body in new_content.items():
        location = f"{at[1]}/content/{_escape(media)}"
        if media not in old_content:
            add(_change(op, "compatible", f"{side}-media-type-added", location, "new",
                        f"{label}: the media type {media} was added"))
            continue
        old_body = old_content[media]
        if "schema" in old_body or "schema" in body:
            differ.compare_at(
                old_body.get("schema", {}),
                body.get("schema", {}),
                (f"{at[0]}/content/{_escape(media)}/schema", f"{location}/schema"),
                direction,
                f"{label} ({media})",
            )


def _content(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    content = body.get("content")
    if not isinstance(content, dict):
        return {}
    return {str(k): v if isinstance(v, dict) else {} for k, v in content.items()}


def _escape(token: str) -> str:
    return pointer(token)[1:]


def _compare_responses(differ: SchemaDiff, old: _Operation, new: _Operation) -> None:
    add, op = differ.changes.append, new.label
    old_responses = old.operation.get("responses") or {}
    new_responses = new.operation.get("responses") or {}
    for status in old_responses:
        if status not in new_responses:
            add(_change(op, "breaking", "response-status-removed",
                        f"{old.location}/responses/{_escape(str(status))}", "old",
                        f"the response {status} was removed"))
    for status, raw in new_responses.items():
        new_at = f"{new.location}/responses/{_escape(str(status))}"
        if status not in old_responses:
            add(_change(op, "compatible", "response-status-added", new_at, "new",
                        f"the response {status} was added"))
            continue
        old_at = f"{old.location}/responses/{_escape(str(status))}"
        old_response, _ = resolve(differ.old_document, old_responses[status], old_at)
        new_response, _ = resolve(differ.new_document, raw, new_at)
        if isinstance(old_response, dict) and isinstance(new_response, dict):
            label = f"response {status}"
            _compare_content(differ, old_response, new_response, (old_at, new_at), "response",
                             label)
            _compare_headers(differ, old_response, new_response, (old_at, new_at), label)


def _compare_headers(
    differ: SchemaDiff,
    old: dict[str, Any],
    new: dict[str, Any],
    at: tuple[str, str],
    label: str,
) -> None:
    add, op = differ.changes.append, differ.operation
    old_headers = {str(k).lower(): (k, v) for k, v in (old.get("headers") or {}).items()}
    new_headers = {str(k).lower(): (k, v) for k, v in (new.get("headers") or {}).items()}
    for key, (name, _) in old_headers.items():
        if key not in new_headers:
            add(_change(op, "breaking", "response-header-removed",
                        f"{at[0]}/headers/{_escape(name)}", "old",
                        f"{label}: the header {name} was removed"))
    for key, (name, header) in new_headers.items():
        location = f"{at[1]}/headers/{_escape(name)}"
        if key not in old_headers:
            add(_change(op, "compatible", "response-header-added", location, "new",
                        f"{label}: the header {name} was added"))
            continue
        old_name, old_header = old_headers[key]
        old_header, _ = resolve(differ.old_document, old_header, "")
        header, _ = resolve(differ.new_document, header, "")
        if isinstance(old_header, dict) and isinstance(header, dict):
            differ.compare_at(
                old_header.get("schema", {}),
                header.get("schema", {}),
                (f"{at[0]}/headers/{_escape(old_name)}/schema", f"{location}/schema"),
                "response",
                f"{label} header {name}",
            )


# -- security -------------------------------------------------------------------------------

_Alternative = dict[str, frozenset[str]]


def _alternatives(document: dict[str, Any], operation: dict[str, Any]) -> list[_Alternative]:
    """The operation's security requirements: any one alternative suffices ([{}]: none)."""
    listed = operation.get("security", document.get("security"))
    if not isinstance(listed, list) or not listed:
        return [{}]
    return [
        {str(name): frozenset(scopes or ()) for name, scopes in alt.items()}
        for alt in listed
        if isinstance(alt, dict)
    ] or [{}]


def _meets(held: _Alternative, needed: _Alternative) -> bool:
    """Whether credentials for `held` satisfy the requirement `needed`."""
    return all(name in held and scopes <= held[name] for name, scopes in needed.items())


def _compare_security(differ: SchemaDiff, old: _Operation, new: _Operation) -> None:
    old_alts = _alternatives(differ.old_document, old.operation)
    new_alts = _alternatives(differ.new_document, new.operation)
    location = (
        new.location + "/security" if "security" in new.operation else pointer("security")
    )
    was, now = _describe(old_alts), _describe(new_alts)
    if any(not any(_meets(held, need) for need in new_alts) for held in old_alts):
        differ.changes.append(_change(differ.operation, "breaking", "security-requirement-added",
                                      location, "new",
                                      f"the security requirement changed from {was} to {now}: "
                                      "requests that were authorized may now be refused"))
    elif any(not any(_meets(held, need) for need in old_alts) for held in new_alts):
        differ.changes.append(_change(differ.operation, "compatible",
                                      "security-requirement-removed", location, "new",
                                      f"the security requirement changed from {was} to {now}: "
                                      "it accepts more requests"))


def _describe(alternatives: list[_Alternative]) -> str:
    def one(alt: _Alternative) -> str:
        if not alt:
            return "none"
        return " and ".join(
            f"{name}[{', '.join(sorted(scopes))}]" if scopes else name
            for name, scopes in sorted(alt.items())
        )

    return " or ".join(one(alt) for alt in alternatives)


def _security_schemes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    old_schemes = (old.get("components") or {}).get("securitySchemes") or {}
    new_schemes = (new.get("components") or {}).get("securitySchemes") or {}
    for name, scheme in new_schemes.items():
        if name not in old_schemes:
            continue
        was, _ = resolve(old, old_schemes[name], "")
        now, _ = resolve(new, scheme, "")
        if not isinstance(was, dict) or not isinstance(now, dict):
            continue
        changed = [f for f in _SCHEME_FIELDS if was.get(f) != now.get(f)]
        if _flow_urls(was) != _flow_urls(now):
            changed.append("flows")
        if changed:
            yield _change("", "breaking", "security-scheme-changed",
                          pointer("components", "securitySchemes", name), "new",
                          f"the security scheme {name!r} changed its {', '.join(changed)}: "
                          "clients send credentials the old way")


def _flow_urls(scheme: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    flows = scheme.get("flows")
    if not isinstance(flows, dict):
        return {}
    return {
        str(kind): (flow.get("tokenUrl"), flow.get("authorizationUrl"))
        for kind, flow in flows.items()
        if isinstance(flow, dict)
    }
