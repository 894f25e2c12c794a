"""Structured logs: one JSON object per line, carrying the current request id."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from examples.harbor.core.context import current_request

__all__ = ["JSONFormatter", "configure_logging"]

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JSONFormatter(logging.Formatter):
    """Format a record as a JSON object with time, level, logger, message and extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        context = current_request()
        if context is not None:
            entry["request_id"] = context.request_id
            if context.order_id is not None:
                entry["order_id"] = context.order_id
        entry.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class _HarborHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure_logging` installs (and replaces when called again)."""


def configure_logging(level: str, as_json: bool) -> None:
    """Send the ``harbor`` loggers to stderr, as JSON lines unless told otherwise."""
    handler = _HarborHandler(sys.stderr)
    if as_json:
        handler.setFormatter(JSONFormatter())
    logger = logging.getLogger("harbor")
    for old in [h for h in logger.handlers if isinstance(h, _HarborHandler)]:
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
