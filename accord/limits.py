"""Request body limits: how much a route reads before it answers 413 Content Too Large.

Starlette and FastAPI read a body of any size. Accord stops reading at `max_body_size`
(set on the app, a router, `include_router` or a route; the nearest setting wins) and
answers 413 without reading the rest. Uploads can be limited further with `FormLimits`.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.exceptions import AccordError

__all__ = ["DEFAULT_MAX_BODY_SIZE", "FormLimits"]

DEFAULT_MAX_BODY_SIZE = 16 * 1024 * 1024
"""The app's body limit when none is set: 16 MiB, in bytes. `max_body_size=None` lifts it."""


@dataclass(frozen=True, slots=True)
class FormLimits:
    """Limits of a form or multipart upload, each answered with 413 when exceeded.

    The whole request stays bound by `max_body_size`; these narrow it per part.

    Args:
        max_file_size: Bytes one uploaded file may hold (`None`: only the body limit).
        max_files: Uploaded files one request may carry.
        max_fields: Non-file fields one request may carry.
        max_part_size: Bytes one non-file field may hold.
    """

    max_file_size: int | None = None
    max_files: int = 1000
    max_fields: int = 1000
    max_part_size: int = 1024 * 1024

    def __post_init__(self) -> None:
        for name in ("max_file_size", "max_files", "max_fields", "max_part_size"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise AccordError(f"FormLimits.{name} must be a non-negative int (got {value!r})")
