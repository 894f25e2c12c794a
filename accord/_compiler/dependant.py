"""Signature analysis: an endpoint or dependency becomes a `Dependant` tree.

The tree has FastAPI's shape (path/query/header/cookie/body fields, sub-dependencies, special
parameters), so the OpenAPI generator and the plan builder read the same facts. Mistakes in a
declaration raise :class:`accord.exceptions.AccordError` naming the parameter and the fix.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import copy
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any, ForwardRef, Literal, get_args, get_origin

from pydantic import AliasChoices
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from starlette.background import BackgroundTasks as StarletteBackgroundTasks
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from accord import params
from accord._backports import querystring_parser
from accord._compiler.annotations import (
    is_scalar_annotation,
    is_scalar_sequence_annotation,
    is_upload_annotation,
    is_upload_sequence_annotation,
    lenient_issubclass,
    param_model,
)
from accord._compiler.calls import call_name, is_async_gen_callable, is_gen_callable
from accord._compiler.form_models import union_models, with_branch_readers
from accord._plan import ModelField, copy_field_info
from accord.exceptions import AccordError, DependencyScopeError
from accord.security.base import SecurityBase
from accord.security.scopes import SecurityScopes

__all__ = [
    "Dependant",
    "SecurityScopes",
    "get_dependant",
    "get_path_param_names",
    "shared_analysis",
]

CacheKey = tuple[Any, tuple[str, ...], str]


_SPECIAL_TYPES: tuple[tuple[type[Any], str], ...] = (
    (Request, "request_param_name"),
    (WebSocket, "websocket_param_name"),
    (HTTPConnection, "http_connection_param_name"),
    (Response, "response_param_name"),
    (StarletteBackgroundTasks, "background_tasks_param_name"),
    (SecurityScopes, "security_scopes_param_name"),
)


@dataclass(eq=False)
class Dependant:
    """One callable in the dependency tree, with everything its signature declares."""

    path_params: list[ModelField] = field(default_factory=list)
    query_params: list[ModelField] = field(default_factory=list)
    header_params: list[ModelField] = field(default_factory=list)
    cookie_params: list[ModelField] = field(default_factory=list)
    body_params: list[ModelField] = field(default_factory=list)
    dependencies: list[Dependant] = field(default_factory=list)
    name: str | None = None
    call: Callable[..., Any] | None = None
    request_param_name: str | None = None
    websocket_param_name: str | None = None
    http_connection_param_name: str | None = None
    response_param_name: str | None = None
    background_tasks_param_name: str | None = None
    security_scopes_param_name: str | None = None
    own_oauth_scopes: list[str] | None = None
    parent_oauth_scopes: list[str] | None = None
    use_cache: bool = True
    path: str | None = None
    scope: Literal["function", "request", "app"] | None = None
    concurrency: Any = None  # `Depends(max_concurrency=...)`'s limit (accord.concurrency)
    param_order: list[str] = field(default_factory=list)
    original: Dependant | None = None

    @property
    def oauth_scopes(self) -> list[str]:
        """Parent scopes followed by this dependant's own, without repeats."""
        scopes = list(self.parent_oauth_scopes or [])
        for scope in self.own_oauth_scopes or []:
            if scope not in scopes:
                scopes.append(scope)
        return scopes

    @property
    def is_generator(self) -> bool:
        """Whether the call yields (sync or async)."""
        return self.call is not None and (
            is_gen_callable(self.call) or is_async_gen_callable(self.call)
        )

    @property
    def computed_scope(self) -> str | None:
        """The lifetime: declared, else ``"request"`` for generators, else none.

        ``"app"`` means the value is created once for the application (see `Depends.scope`).
        """
        if self.scope:
            return self.scope
        return "request" if self.is_generator else None

    @property
    def security_scheme(self) -> SecurityBase | None:
        """The security scheme object when the call is one."""
        return self.call if isinstance(self.call, SecurityBase) else None

    def uses_scopes(self) -> bool:
        """Whether scopes can change what this dependant computes (so they key its cache)."""
        if self.own_oauth_scopes or self.security_scopes_param_name or self.security_scheme:
            return True
        return any(sub.uses_scopes() for sub in self.dependencies)

    def cache_key(self) -> CacheKey:
        """Two occurrences with the same key share one call per request."""
        if self.original is not None:
            return self.original.cache_key()
        scopes = tuple(sorted(set(self.oauth_scopes))) if self.uses_scopes() else ()
        return (self.call, scopes, self.computed_scope or "")


def get_path_param_names(path: str) -> set[str]:
    """The ``{name}`` placeholders of a path (a convertor suffix stays part of the name)."""
    return set(re.findall("{(.*?)}", path))


def typed_signature(call: Callable[..., Any]) -> inspect.Signature:
    """`call`'s signature, string annotations evaluated in its module (None for ``None``)."""
    try:
        signature = inspect.signature(call, eval_str=True)
    except NameError:
        signature = inspect.signature(call)
    globalns = getattr(inspect.unwrap(call), "__globals__", {})
    parameters = []
    for param in signature.parameters.values():
        annotation = param.annotation
        if isinstance(annotation, str):
            annotation = _evaluate(annotation, globalns)
        parameters.append(param.replace(annotation=annotation))
    return signature.replace(parameters=parameters)


def _evaluate(annotation: str, globalns: dict[str, Any]) -> Any:
    try:
        value = eval(annotation, globalns, globalns)  # the annotation's own module namespace
    except Exception:
        return ForwardRef(annotation)
    return None if value is type(None) else value


def _check_resolved(annotation: Any, where: str) -> None:
    if isinstance(annotation, ForwardRef):
        raise AccordError(
            f"{where}: the annotation {annotation.__forward_arg__!r} cannot be resolved. "
            "Names used in annotations must exist at module level when the route is registered "
            "(with `from __future__ import annotations`, a name defined inside a function is "
            "not visible): move the definition to module level or drop the future import."
        )


def get_dependant(
    *,
    path: str,
    call: Callable[..., Any],
    name: str | None = None,
    own_oauth_scopes: list[str] | None = None,
    parent_oauth_scopes: list[str] | None = None,
    use_cache: bool = True,
    scope: Literal["function", "request", "app"] | None = None,
    concurrency: Any = None,
) -> Dependant:
    """Analyses `call`'s signature into a `Dependant` (recursively for its dependencies)."""
    dependant = Dependant(
        call=call,
        name=name,
        path=path,
        use_cache=use_cache,
        scope=scope,
        concurrency=concurrency,
        own_oauth_scopes=own_oauth_scopes,
        parent_oauth_scopes=parent_oauth_scopes,
    )
    path_names = get_path_param_names(path)
    for param in typed_signature(call).parameters.values():
        dependant.param_order.append(param.name)
        _add_param(dependant, param, path_names)
    if scope == "app":
        _check_app_scope(dependant, dependant)
    return dependant


_REQUEST_SPECIALS = (
    ("request_param_name", "the Request"),
    ("websocket_param_name", "the WebSocket"),
    ("http_connection_param_name", "the connection"),
    ("response_param_name", "the Response"),
    ("background_tasks_param_name", "the BackgroundTasks"),
    ("security_scopes_param_name", "the SecurityScopes"),
)


def _check_app_scope(app_dependency: Dependant, node: Dependant) -> None:
    """An app-scoped dependency is built once, outside any request: it may use no request data.

    Its undeclared plain sub-dependencies are part of it (built once with it); yield or
    `scope="request"`/`"function"` ones would outlive, or die before, their consumer.
    """
    owner = call_name(app_dependency.call)
    used = _request_input(node)
    if used is not None:
        via = "" if node is app_dependency else f' (through "{call_name(node.call)}")'
        raise DependencyScopeError(
            f'The app-scoped dependency "{owner}" cannot use {used}{via}: it is created once '
            "at start-up, outside any request. Take that input in a request dependency that "
            'receives the app-scoped value, or drop scope="app".'
        )
    for sub in node.dependencies:
        scope = sub.computed_scope
        if scope == "app":
            continue  # checked when it was analysed
        if scope is not None:
            raise DependencyScopeError(
                f'The app-scoped dependency "{owner}" cannot depend on "{call_name(sub.call)}", '
                f'whose scope is "{scope}" (parameter {sub.name!r} of '
                f'"{call_name(node.call)}"). Declare it Depends({call_name(sub.call)}, '
                'scope="app") too, or drop scope="app" from the outer one.'
            )
        _check_app_scope(app_dependency, sub)


def _request_input(node: Dependant) -> str | None:
    for kind, fields in (
        ("path", node.path_params),
        ("query", node.query_params),
        ("header", node.header_params),
        ("cookie", node.cookie_params),
        ("body", node.body_params),
    ):
        if fields:
            return f'the {kind} parameter "{fields[0].name}"'
    for attribute, what in _REQUEST_SPECIALS:
        name = getattr(node, attribute)
        if name is not None:
            return f'{what} (parameter "{name}")'
    return None


def _add_param(dependant: Dependant, param: inspect.Parameter, path_names: set[str]) -> None:
    where = f"parameter {param.name!r} of {call_name(dependant.call)!r} (path {dependant.path!r})"
    is_path_param = param.name in path_names
    type_annotation, depends, field_info = _analyze(param, is_path_param, where)
    if depends is not None:
        dependant.dependencies.append(_sub_dependant(dependant, param.name, depends, where))
        return
    if field_info is None:
        for cls, attribute in _SPECIAL_TYPES:
            if lenient_issubclass(type_annotation, cls):
                setattr(dependant, attribute, param.name)
                return
        raise AccordError(f"Cannot tell where {where} comes from")  # pragma: no cover
    if isinstance(field_info, params.Path):
        field_info = _path_choice(field_info, path_names)
    model_field = _make_field(param.name, field_info, is_path_param, where)
    if isinstance(field_info, params.Body):
        dependant.body_params.append(model_field)
        return
    location = getattr(field_info, "in_", None)
    if location is None:
        raise AccordError(
            f"{where}: a plain pydantic Field() does not say where the value comes from; "
            "use Query(), Path(), Header(), Cookie(), Body(), Form() or File()"
        )
    target = {
        params.ParamTypes.path: dependant.path_params,
        params.ParamTypes.query: dependant.query_params,
        params.ParamTypes.header: dependant.header_params,
        params.ParamTypes.cookie: dependant.cookie_params,
    }[location]
    target.append(model_field)


def _path_choice(field_info: params.Path, path_names: set[str]) -> params.Path:
    """``Path(validation_alias=AliasChoices(...))``: the choice that names a parameter of this
    path is read, validated and documented (a copy: the marker may serve other routes)."""
    chosen = field_info.validation_alias
    if not isinstance(chosen, AliasChoices) or not all(isinstance(c, str) for c in chosen.choices):
        return field_info
    for choice in chosen.choices:
        if choice in path_names:
            resolved = copy(field_info)
            resolved.validation_alias = choice
            return resolved
    return field_info


def _sub_dependant(parent: Dependant, name: str, depends: params.Depends, where: str) -> Dependant:
    assert depends.dependency is not None  # _analyze fills it from the annotation
    if parent.is_generator and parent.computed_scope == "request" and depends.scope == "function":
        raise DependencyScopeError(
            f'The dependency "{call_name(parent.call)}" has a scope of "request", it cannot '
            f'depend on dependencies with scope "function" ({where}). Give it scope="function" '
            "too, or drop the scope of the inner dependency."
        )
    call = depends.dependency
    own = list(depends.scopes or []) if isinstance(depends, params.Security) else []
    path = parent.path or ""
    parent_scopes = parent.oauth_scopes
    analyse = partial(
        get_dependant,
        path=path,
        call=call,
        name=name,
        own_oauth_scopes=own,
        parent_oauth_scopes=parent_scopes,
        use_cache=depends.use_cache,
        scope=depends.scope,
        concurrency=depends._concurrency,
    )
    memo = _SHARED.get()
    if memo is None:
        return analyse()
    key = (
        id(call),
        name,
        tuple(own),
        tuple(parent_scopes),
        depends.use_cache,
        depends.scope,
        id(depends._concurrency),
        frozenset(get_path_param_names(path)),
    )
    markers = _markers(call)
    found = memo.get(key)
    if found is None or not all(a is b for a, b in zip(found[0], markers, strict=True)):
        tree = analyse()
        # The memo holds the callable (through the tree) and its limit, so their ids stay theirs.
        memo[key] = (markers, tree, depends._concurrency)
        return tree
    return _copied(found[1], path)


# A router's memo of analysed dependencies (`shared_analysis`): a thousand routes that all
# depend on `current_user` analyse its signature (and its own dependencies') once per router.
_SHARED: ContextVar[dict[Hashable, Any] | None] = ContextVar("accord_shared", default=None)


@contextmanager
def shared_analysis(memo: dict[Hashable, Any] | None) -> Iterator[None]:
    """Routes analysed inside share the analysis of their dependencies through `memo`: each
    gets its own copy of the tree (lists and nodes its own, fields shared)."""
    token = _SHARED.set(memo)
    try:
        yield
    finally:
        _SHARED.reset(token)


def _markers(call: Any) -> tuple[Any, ...]:
    """What the analysis of `call` read, by identity: a changed signature is analysed again."""
    # A class: its initialiser (on a function, `__init__` is a new method-wrapper each time).
    init = getattr(call, "__init__", None) if isinstance(call, type) else None
    return (init, *(getattr(call, name, None) for name in _SIGNATURE_PARTS))


_SIGNATURE_PARTS = ("__signature__", "__wrapped__", "__code__", "__defaults__", "__kwdefaults__")


def _copied(node: Dependant, path: str) -> Dependant:
    """`node`'s tree for another route of the same path parameters: new nodes and lists."""
    new = copy(node)
    new.path = path
    new.path_params = list(node.path_params)
    new.query_params = list(node.query_params)
    new.header_params = list(node.header_params)
    new.cookie_params = list(node.cookie_params)
    new.body_params = list(node.body_params)
    new.param_order = list(node.param_order)
    new.own_oauth_scopes = None if node.own_oauth_scopes is None else list(node.own_oauth_scopes)
    new.parent_oauth_scopes = (
        None if node.parent_oauth_scopes is None else list(node.parent_oauth_scopes)
    )
    new.dependencies = [_copied(sub, path) for sub in node.dependencies]
    return new


def _analyze(
    param: inspect.Parameter, is_path_param: bool, where: str
) -> tuple[Any, params.Depends | None, FieldInfo | None]:
    """Finds the type, and either the dependency or the field marker, of one parameter."""
    annotation = param.annotation
    _check_resolved(annotation, where)
    value = param.default
    if hasattr(annotation, "__value__") and type(annotation).__name__ == "TypeAliasType":
        annotation = annotation.__value__
    use_annotation: Any = Any if annotation is inspect.Parameter.empty else annotation
    type_annotation = use_annotation
    field_info: FieldInfo | None = None
    depends: params.Depends | None = None
    if get_origin(use_annotation) is Annotated:
        type_annotation, field_info, depends = _from_annotated(
            use_annotation, value, is_path_param, where
        )
    if isinstance(value, params.Depends):
        if depends is not None or field_info is not None:
            raise AccordError(
                f"{where}: declare it once, either with Annotated[...] or with a default value"
            )
        depends = value
    elif isinstance(value, FieldInfo):
        if field_info is not None:
            raise AccordError(
                f"{where}: a marker in Annotated[...] and another as the default value; keep one"
            )
        field_info = value
        field_info.annotation = type_annotation
    if depends is not None and depends.dependency is None:
        depends = dataclasses.replace(depends, dependency=type_annotation)
    if depends is None and any(lenient_issubclass(type_annotation, c) for c, _ in _SPECIAL_TYPES):
        if field_info is not None:
            raise AccordError(f"{where}: {type_annotation!r} is injected; remove the marker")
        return type_annotation, None, None
    if field_info is None and depends is None:
        field_info = _inferred_marker(type_annotation, use_annotation, value, is_path_param)
    return type_annotation, depends, field_info


def _from_annotated(
    annotation: Any, value: Any, is_path_param: bool, where: str
) -> tuple[Any, FieldInfo | None, params.Depends | None]:
    args = get_args(annotation)
    markers = [a for a in args[1:] if isinstance(a, (params.Param, params.Body, params.Depends))]
    if not markers:
        return args[0], None, None
    marker = markers[-1]
    if isinstance(marker, params.Depends):
        return args[0], None, marker
    field_info = copy_field_info(marker, annotation)
    if field_info.default not in (PydanticUndefined, Ellipsis):
        raise AccordError(
            f"{where}: `{type(marker).__name__}` default value cannot be set in `Annotated`. "
            "Set the default value with `=` instead."
        )
    if value is not inspect.Parameter.empty:
        if is_path_param:
            raise AccordError(f"{where}: path parameters cannot have default values")
        field_info.default = value
    else:
        field_info.default = PydanticUndefined
    return args[0], field_info, None


def _inferred_marker(
    type_annotation: Any, use_annotation: Any, value: Any, is_path_param: bool
) -> FieldInfo:
    """The marker a parameter declared without one gets; pydantic `Field()` metadata in its
    `Annotated[...]` (a title, a description) merges into it, as in FastAPI 0.163."""
    default = PydanticUndefined if value is inspect.Parameter.empty else value
    marker: FieldInfo
    if is_path_param:
        marker = params.Path(annotation=use_annotation)
    elif is_upload_annotation(type_annotation) or is_upload_sequence_annotation(type_annotation):
        marker = params.File(default, annotation=use_annotation)
    elif not is_scalar_annotation(type_annotation):
        marker = params.Body(default, annotation=use_annotation)
    else:
        marker = params.Query(default, annotation=use_annotation)
    if get_origin(use_annotation) is not Annotated:
        return marker
    inferred_default = marker.default
    marker = copy_field_info(marker, use_annotation)
    marker.default = inferred_default
    if is_path_param:  # a path parameter is always sent: a default factory cannot apply
        marker.default_factory = None
    return marker


def _make_field(name: str, field_info: FieldInfo, is_path_param: bool, where: str) -> ModelField:
    if is_path_param and not isinstance(field_info, params.Path):
        raise AccordError(
            f"Cannot use `{type(field_info).__name__}` for path param {name!r} ({where})"
        )
    if isinstance(field_info, params.Form):
        _require_multipart(where)
        if union_models(field_info.annotation):
            field_info.annotation = with_branch_readers(field_info.annotation)
    if not field_info.alias and getattr(field_info, "convert_underscores", None):
        field_info.alias = name.replace("_", "-")
    else:
        field_info.alias = field_info.alias or name
    model_field = ModelField(field_info=field_info, name=name)
    annotation = field_info.annotation
    if is_path_param and not _is_scalar_field(field_info):
        raise AccordError(f"Path params must be of one of the supported types ({where})")
    if isinstance(field_info, params.Query) and not (
        _is_scalar_field(field_info)
        or is_scalar_sequence_annotation(annotation)
        or param_model(field_info) is not None
    ):
        raise AccordError(
            f"Query parameter {name!r} must be one of the supported types ({where}): a scalar, "
            "a list of scalars, or a pydantic model declared with Query()."
        )
    return model_field


def _is_scalar_field(field_info: FieldInfo) -> bool:
    return is_scalar_annotation(field_info.annotation) and not isinstance(field_info, params.Body)


def _require_multipart(where: str) -> None:
    if not _multipart_installed():
        raise AccordError(
            f'Form data requires "python-multipart" to be installed ({where}).\n'
            'You can install "python-multipart" with:\n\npip install python-multipart\n'
        )


def _multipart_installed() -> bool:
    return querystring_parser() is not None
