"""Structured JSON logs that carry no personal data.

Each line is one JSON object: time, level, logger, message, the request id and the user id
of the request it belongs to. What might hold a person's data never reaches a line:

- the access log writes the path and the query with the values of personal parameters
  masked (``?iin=***``), never bodies or addresses; a secret carried in a path (a graduate's
  one-time link, ``/app/welcome/***``) is masked in the path and wherever a query repeats it;
- an unexpected error is logged as its class and where it was raised, frame by frame, not
  its message (messages quote values: "Key (iin)=(...) already exists");
- the engine hides SQL parameters (``hide_parameters``), and the formatter masks anything
  shaped like an IIN, a phone number or an e-mail address in every value it writes, before
  the line is serialised (so each line stays JSON), all but its own fields: the request id
  is written as the caller got it back, to be found.
"""

import logging
import re
import sys
import time
import traceback
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl, urlencode

from asgi_correlation_id import CorrelationIdFilter
from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
"""Carries the request id in and out; every log line and problem names it."""

current_user_id: ContextVar[int | None] = ContextVar("current_user_id", default=None)
"""Set by authentication, so every line of the request names who made it."""

PERSONAL_PARAMETERS = frozenset(
    {"iin", "last_name", "first_name", "name", "phone", "email", "q", "search", "username"}
)
# Paths whose last segment is a secret (a one-time link): never written as they were asked.
_SECRET_PATHS = re.compile(r"(/app/welcome/)[^/?#&\s\"']+")
_PATTERNS = (
    re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])"),  # IIN (and BIN)
    re.compile(r"\+?(?<![0-9])[0-9]{10,15}(?![0-9])"),  # phone numbers, as the service keeps them
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),  # e-mail addresses
)


def redact(text: str) -> str:
    text = _SECRET_PATHS.sub(r"\1***", text)
    for pattern in _PATTERNS:
        text = pattern.sub("***", text)
    return text


def masked_path(path: str) -> str:
    return _SECRET_PATHS.sub(r"\1***", path)


def masked_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode(
        [(k, "***" if k.lower() in PERSONAL_PARAMETERS else masked_path(v)) for k, v in pairs]
    )


def where_raised(exc: BaseException) -> str:
    """``ValueError at a.py:12 in f <- b.py:40 in g``: the frames of the service, innermost
    first, without the message (it may quote personal data)."""
    frames = [
        f"{frame.filename.rsplit('/service/', 1)[-1]}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(exc.__traceback__)
        if "/service/" in frame.filename and "/site-packages/" not in frame.filename
    ]
    return f"{type(exc).__name__} at " + (" <- ".join(reversed(frames)) or "(outside the service)")


class _UserFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.user_id = current_user_id.get()
        return True


# Fields the service writes itself, never personal: kept exactly (a request id of 32 hex
# digits may hold a run of 12 digits, and must be found in the log as the problem gave it).
_OWN_FIELDS = frozenset({"time", "level", "logger", "request_id", "user_id", "status"})


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(v) for v in value]
    return value


class _RedactingFormatter(JsonFormatter):
    """Masks each value before the line is serialised (masking the finished line would cut
    into its JSON), all but the service's own bookkeeping fields."""

    def format(self, record: logging.LogRecord) -> str:
        # Tracebacks are never written: an error's place is logged by ``where_raised``.
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return super().format(record)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {
            key: value if key in _OWN_FIELDS else _redacted(value)
            for key, value in super().process_log_record(log_data).items()
        }


def json_handler(stream: Any = None) -> logging.Handler:
    """A handler writing the service's JSON lines, redacted, to ``stream`` (stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        _RedactingFormatter(
            "{levelname}{name}{message}{correlation_id}{user_id}",
            style="{",
            rename_fields={
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
            timestamp="time",
        )
    )
    handler.addFilter(CorrelationIdFilter(uuid_length=32, default_value="-"))
    handler.addFilter(_UserFilter())
    return handler


def configure_logging(level: str = "INFO") -> None:
    """One JSON handler on the root logger, for the service, uvicorn and the libraries."""
    handler = json_handler()
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    # Our access log replaces uvicorn's, and httpx's request lines go too: both would write
    # raw query strings.
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("httpx").setLevel(logging.WARNING)


access_logger = logging.getLogger("service.access")


class AccessLogMiddleware:
    """One line per request: method, path, masked query, status and duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            query = scope.get("query_string", b"").decode("latin-1")
            fields: dict[str, Any] = {
                "method": scope["method"],
                "path": masked_path(scope.get("path", "")),
                "query": masked_query(query) if query else "",
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
            access_logger.info("%s %s %s", fields["method"], fields["path"], status, extra=fields)
