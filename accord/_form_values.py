"""How a form's values are read through declared fields, FastAPI's rule in one place.

Layer 1, beside `accord._plan`: the runtime reads every form through it, and so do the
validators the compiler puts on each model of a union form model (``Annotated[A | B, Form()]``),
which pydantic calls during a request, so they may not live in `accord._compiler`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from pydantic_core import PydanticUndefined
from starlette.datastructures import FormData, UploadFile

from accord._plan import FormField

__all__ = [
    "BranchValidator",
    "FormBranch",
    "form_value",
    "is_empty_upload",
    "read_model_fields",
    "visited_names",
]


def is_empty_upload(value: Any) -> bool:
    """What a browser sends for a file input with nothing chosen."""
    return isinstance(value, UploadFile) and value.filename == "" and value.size == 0


def form_value(form: FormData, field: FormField, alias: str | None = None) -> Any:
    """The field's value under its alias (or `alias`), all of them for a sequence, or
    `PydanticUndefined` when absent.

    An empty string or an empty upload counts as absent: defaults apply in validation.
    """
    key = field.alias if alias is None else alias
    if field.sequence:
        found = [item for item in form.getlist(key) if not is_empty_upload(item)]
        return found if found else PydanticUndefined
    value = form.get(key)
    if value is None or value == "" or is_empty_upload(value):
        return PydanticUndefined
    return value


def first_sent(form: FormData, field: FormField) -> tuple[str, Any]:
    """The field's first name the form holds (its alias, then its fallbacks) and the value
    there; ``(alias, PydanticUndefined)`` when none is sent."""
    value = form_value(form, field)
    if value is PydanticUndefined:
        for alias in field.fallbacks:
            value = form_value(form, field, alias)
            if value is not PydanticUndefined:
                return alias, value
    return field.alias, value


def read_model_fields(
    fields: Sequence[FormField], declared: frozenset[str], form: FormData
) -> dict[str, Any]:
    """A form model's input: its fields' values, then every other key (repeated ones as a list).

    A field's names after the one the form sends are not its own (FastAPI's rule): they come
    as other keys, unless another field reads them.
    """
    collected: dict[str, Any] = {}
    unvisited = False
    for field in fields:
        alias, value = first_sent(form, field)
        if value is not PydanticUndefined:
            collected[alias] = value
            unvisited = unvisited or (bool(field.fallbacks) and alias != field.fallbacks[-1])
    taken = visited_names(fields, form) if unvisited else declared
    for key in form:
        if key not in taken:
            found = form.getlist(key)
            collected[key] = found[0] if len(found) == 1 else found
    return collected


def visited_names(fields: Sequence[FormField], form: FormData) -> set[str]:
    """Each field's names up to the first one the form sends (all of them if it sends none)."""
    visited: set[str] = set()
    for field in fields:
        for name in (field.alias, *field.fallbacks):
            visited.add(name)
            if form_value(form, field, name) is not PydanticUndefined:
                break
    return visited


@dataclass(frozen=True, slots=True, eq=False)
class FormBranch:
    """The before-validator of one model in a union form model.

    The union receives every key of the form (repeated ones as lists); each model reads that
    through its own fields, so a list field collects repeats and a scalar takes the last value.
    Compared by identity: two parameters never share a union type (FastAPI's embedding rule
    tells same-named form models apart by their annotation's identity).
    """

    fields: tuple[FormField, ...]
    declared: frozenset[str]

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        form = FormData(
            [
                (key, item)
                for key, items in value.items()
                for item in (items if isinstance(items, list) else [items])
            ]
        )
        read = read_model_fields(self.fields, self.declared, form)
        for key, item in value.items():
            # Not from a browser's form, but a validator upstream may supply them.
            if item is None or (isinstance(item, list) and not item):
                read[key] = item
        return read


class BranchValidator(partial[Any]):
    """A union form model's before-validator for one model, spelled as FastAPI spells it:
    ``partial(normalize, model=Model)``, where `normalize` is the function extensions know as
    `fastapi.dependencies.utils._normalize_form_model` (cadwyn reads `func` and
    ``keywords["model"]`` to learn which models read the form). Calling it gives what that
    call gives, through the model's `FormBranch`, worked out at registration.
    """

    branch: FormBranch

    def __call__(self, /, *args: Any, **keywords: Any) -> Any:
        return self.branch(*args)
