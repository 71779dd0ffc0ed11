"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to.

RequestIdMiddleware gives every request an id (the caller's X-Request-ID when it is sane, so a
proxy's id follows the request through; else a new one), sends it back in the response's
X-Request-ID, and logs one line per request. JsonFormatter writes every record, Django's and
ours, as JSON with that id.
"""

import contextvars
import datetime
import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
# Letters, digits and a few separators, as proxies' ids are (UUIDs, hex, Heroku's and AWS's):
# nothing that could forge a log line or a header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}")

request_logger = logging.getLogger("factcheck.requests")

# What every LogRecord has; anything else on a record was passed as `extra` and is logged as a field.
_STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# Django's request logging passes the request object itself: its repr is not worth a field.
_SKIPPED_EXTRAS = {"request", "server_time"}


def request_id_from(header: str | None) -> str:
    """The caller's request id if it is sane, else a new one."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return secrets.token_hex(16)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        # Kept until the response is closed (forget_request_id), as Django logs a 4xx or 5xx
        # after the middleware has returned.
        REQUEST_ID.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        log_request(request.method, request.path, response.status_code, started)
        return response


def log_request(method: str | None, path: str, status: int, started: float) -> None:
    """The request's log line (its id is the one set for this request)."""
    request_logger.info("%s %s %s", method, path, status, extra={
        "method": method, "path": path, "status": status,
        "duration_ms": round((time.monotonic() - started) * 1000, 1)})


def forget_request_id(**kwargs: Any) -> None:
    """Connected to request_finished: what the worker logs between requests belongs to none."""
    REQUEST_ID.set("")


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, request id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and key not in _SKIPPED_EXTRAS and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes newlines, so a record is always one line.
        return json.dumps(entry, default=str, ensure_ascii=False)
