"""Structured JSON logs, one object per line, that never carry patient data.

Each line has ``time``, ``level``, ``logger`` and ``message``, plus the request's ``request_id``
(from a context variable the middleware sets), and on access lines ``route`` (the template, never
the raw path), ``method``, ``status``, ``latency_ms`` and ``key`` (the key's NAME). Request
bodies, narratives and exception messages (which may quote a body) are never logged: the
exception handler logs the exception type and the traceback's frames only.
"""

from __future__ import annotations

import contextvars
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

import orjson

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

#: Extra attributes copied from a LogRecord into the JSON line when present.
EXTRA_FIELDS: tuple[str, ...] = (
    "route",
    "method",
    "status",
    "latency_ms",
    "key",
    "model_version",
    "error_type",
    "frames",
    "count",
)

_HANDLER_NAME = "triage-json"


class JsonFormatter(logging.Formatter):
    """A LogRecord -> one JSON object. ``exc_info`` is rendered as type and frames, without the
    exception's message (it may quote request data)."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id_var.get()
        if rid is not None:
            out["request_id"] = rid
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            out["error_type"] = exc_type.__name__
            out["frames"] = [
                f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)
            ]
        return orjson.dumps(out, default=str).decode("utf-8")


def configure_logging(level: str = "info") -> None:
    """Route the root, uvicorn and our loggers to one JSON handler on stderr.

    Idempotent (safe to call once per app instance). uvicorn's own access log is switched off:
    the service middleware writes a structured access line with the route template instead.
    """
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.get_name() == _HANDLER_NAME), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers.clear()
        lg.propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True
