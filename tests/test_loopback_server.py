"""The one loopback HTTP server the tests that fetch (captures, ClaimReview imports) run against."""

import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.conftest import QuietHandler, serving


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a loopback URL of the test)
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_it_serves_a_table_of_routes_and_404_elsewhere(loopback_server: Any) -> None:
    routes = {"/page": (200, "text/html; charset=utf-8", b"<p>Hi</p>")}
    base = loopback_server(routes)
    assert base.startswith("http://127.0.0.1:")
    assert _get(f"{base}/page") == (200, "text/html; charset=utf-8", b"<p>Hi</p>")
    assert _get(f"{base}/other")[0] == 404
    routes["/later"] = (200, "text/plain", base.encode())  # routes may name the server's own address
    assert _get(f"{base}/later")[2] == base.encode()


def test_it_serves_a_handler_of_its_own(loopback_server: Any) -> None:
    class Teapot(QuietHandler):
        def do_GET(self) -> None:
            self.send_response(418)
            self.send_header("Content-Length", "0")
            self.end_headers()

    first, second = loopback_server(Teapot), loopback_server(Teapot)
    assert first != second and _get(f"{first}/")[0] == _get(f"{second}/")[0] == 418
    assert issubclass(Teapot, BaseHTTPRequestHandler)


def test_a_server_is_stopped_when_its_test_ends() -> None:
    with serving({"/": (200, "text/plain", b"up")}) as base:
        assert _get(f"{base}/")[2] == b"up"
    with pytest.raises(urllib.error.URLError):
        _get(f"{base}/")
