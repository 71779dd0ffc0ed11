"""Structured logs: one JSON object per line, each with the id of its request (also in the response)."""

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from factcheck.logs import JsonFormatter


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the service logs while a test runs, through the formatter production uses."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def _entries(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_request_gets_an_id_in_its_response_and_its_log_lines(client: Any, db: Any,
                                                                    log_lines: io.StringIO) -> None:
    response = client.get("/no-such-page/")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    entries = _entries(log_lines)
    mine = [entry for entry in entries if entry.get("request_id") == request_id]
    assert {entry["logger"] for entry in mine} >= {"django.request", "factcheck.requests"}
    access = next(entry for entry in mine if entry["logger"] == "factcheck.requests")
    assert (access["method"], access["path"], access["status"]) == ("GET", "/no-such-page/", 404)
    assert access["level"] == "INFO" and access["message"] == "GET /no-such-page/ 404"
    assert client.get("/no-such-page/")["X-Request-ID"] != request_id


def test_a_sane_incoming_request_id_is_kept(client: Any, db: Any, log_lines: io.StringIO) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-7f3a:01"})
    assert response["X-Request-ID"] == "proxy-7f3a:01"
    assert any(entry.get("request_id") == "proxy-7f3a:01" for entry in _entries(log_lines))


@pytest.mark.parametrize("incoming", ["two words", "x" * 129, "line\nbreak", "<script>", ""])
def test_an_odd_incoming_request_id_is_replaced(client: Any, db: Any, incoming: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_record_is_one_line_of_json_even_with_newlines_and_an_exception() -> None:
    logger = logging.getLogger("tests.logs")
    record = None
    try:
        raise ValueError("broken\nacross lines")
    except ValueError:
        import sys
        record = logger.makeRecord("tests.logs", logging.ERROR, __file__, 1, "failed: %s", ("a\nb",),
                                   sys.exc_info(), extra={"document": 7})
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed: a\nb" and entry["document"] == 7 and entry["level"] == "ERROR"
    assert "ValueError: broken\nacross lines" in entry["exception"]
