"""A capture has one deadline for the whole fetch, and connects only to public unicast addresses.

The slow servers drip on 127.0.0.1, which settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE lets through
in tests (loopback only); the address checks are called without connecting anywhere.
"""

import re
import socket
import threading
import time
from typing import Any

import pytest

from sources import capture
from sources.capture import CaptureRefused, address_refusal, check_address
from tests.conftest import QuietHandler

DRIP_LINES = 40
DRIP_INTERVAL = 0.1  # seconds between pieces: under the read timeout, so only a deadline stops it
DRIP_LENGTH = DRIP_LINES * DRIP_INTERVAL


class DripHandler(QuietHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        try:
            if self.path == "/headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n")
                for n in range(DRIP_LINES):
                    self.wfile.write(f"X-Drip-{n}: a\r\n".encode())
                    self.wfile.flush()
                    time.sleep(DRIP_INTERVAL)
                self.wfile.write(b"Content-Length: 4\r\n\r\nlate")
            elif self.path == "/body":
                self.wfile.write(f"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                 f"Content-Length: {DRIP_LINES}\r\n\r\n".encode())
                for _ in range(DRIP_LINES):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(DRIP_INTERVAL)
            elif self.path == "/to-multicast":
                self.wfile.write(b"HTTP/1.1 302 Found\r\nLocation: http://224.0.0.1/x\r\nContent-Length: 0\r\n\r\n")
        except OSError:  # the client gave up: stop dripping
            pass


@pytest.fixture
def drip_server(settings: Any, loopback_server: Any) -> str:
    settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE = True
    settings.SNAPSHOT_CAPTURE_READ_TIMEOUT = 0.5
    settings.SNAPSHOT_CAPTURE_DEADLINE = 1
    return loopback_server(DripHandler)


@pytest.mark.parametrize("path", ["/headers", "/body"])
def test_a_server_dripping_its_answer_is_refused_at_the_deadline(drip_server: str, path: str) -> None:
    started = time.monotonic()
    with pytest.raises(CaptureRefused, match="too slow to answer: the whole document must arrive within 1 seconds"):
        capture.fetch(f"{drip_server}{path}")
    # Not a timing test: only that the fetch gave up before the server finished dripping.
    assert time.monotonic() - started < DRIP_LENGTH


def test_a_redirect_to_a_forbidden_address_is_refused_before_connecting(drip_server: str) -> None:
    with pytest.raises(CaptureRefused, match=re.escape("224.0.0.1, a multicast address: refused")):
        capture.fetch(f"{drip_server}/to-multicast")


def test_the_test_setting_lets_through_loopback_and_nothing_else(settings: Any) -> None:
    settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE = True
    with pytest.raises(CaptureRefused, match=re.escape("10.0.0.1, a private or local address")):
        capture.fetch("http://10.0.0.1/")


@pytest.mark.parametrize("address,kind", [
    ("127.0.0.1", "a private or local address"),
    ("10.1.2.3", "a private or local address"),
    ("100.64.0.1", "a private or local address"),  # carrier-grade NAT
    ("169.254.169.254", "a private or local address"),
    ("0.0.0.0", "an unspecified address"),  # noqa: S104
    ("224.0.0.1", "a multicast address"),
    ("239.255.255.250", "a multicast address"),
    ("240.0.0.1", "a reserved address"),
    ("255.255.255.255", "a reserved address"),
    ("192.88.99.1", "a 6to4 relay address"),
    ("::1", "a private or local address"),
    ("::", "an unspecified address"),
    ("fe80::1%eth0", "a private or local address"),
    ("fc00::1", "a private or local address"),
    ("fec0::1", "a site-local address"),
    ("ff02::1", "a multicast address"),
    ("ff0e::1", "a multicast address"),
    ("::ffff:127.0.0.1", "an IPv4-mapped address"),
    ("::ffff:8.8.8.8", "an IPv4-mapped address"),
    ("::127.0.0.1", "an IPv4-compatible address"),
    ("64:ff9b::7f00:1", "a NAT64 address"),
    ("64:ff9b:1::7f00:1", "a NAT64 address"),
    ("2002:7f00:1::", "a 6to4 address"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a Teredo address"),
    ("2001:db8::1", "a private or local address"),  # documentation
])
def test_each_non_public_address_form_is_refused(address: str, kind: str) -> None:
    assert address_refusal(address) == kind
    with pytest.raises(CaptureRefused, match=re.escape(f"example.test resolves to {address}, {kind}: refused")):
        check_address("example.test", address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1"])
def test_public_unicast_addresses_pass(address: str) -> None:
    assert address_refusal(address) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_loopback_passes_only_when_tests_allow_it(address: str) -> None:
    assert address_refusal(address, allow_loopback=True) is None
    assert address_refusal(address) == "a private or local address"


def test_every_answer_of_the_name_is_checked(monkeypatch: Any) -> None:
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80)),
               (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::a00:1", 80, 0, 0))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers)
    with pytest.raises(CaptureRefused, match=re.escape("64:ff9b::a00:1, a NAT64 address")):
        capture.fetch("http://example.test/")


class _FakeSocket:
    """A connected socket whose peer is not the address asked for (as a rebinding proxy might)."""

    def __init__(self, peer: str) -> None:
        self.peer, self.closed = peer, False

    def getpeername(self) -> tuple[str, int]:
        return (self.peer, 80)

    def close(self) -> None:
        self.closed = True


def test_the_address_actually_connected_is_checked_again(monkeypatch: Any) -> None:
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers)
    connected: list[tuple[Any, _FakeSocket]] = []

    def create_connection(address: Any, timeout: float) -> _FakeSocket:
        connected.append((address, _FakeSocket("127.0.0.1")))
        return connected[-1][1]

    monkeypatch.setattr(socket, "create_connection", create_connection)
    with pytest.raises(CaptureRefused, match=re.escape("127.0.0.1, a private or local address: refused")):
        capture.fetch("http://example.test/")
    # It connected to the address it had checked, not to a second answer for the name.
    assert connected[0][0] == ("93.184.215.14", 80) and connected[0][1].closed


def test_a_slow_name_lookup_counts_against_the_deadline(settings: Any, monkeypatch: Any) -> None:
    settings.SNAPSHOT_CAPTURE_DEADLINE = 1
    released = threading.Event()

    def slow_lookup(*args: Any, **kwargs: Any) -> list[Any]:
        released.wait(DRIP_LENGTH)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80))]

    monkeypatch.setattr(socket, "getaddrinfo", slow_lookup)
    started = time.monotonic()
    try:
        with pytest.raises(CaptureRefused, match="could not be looked up in time"):
            capture.fetch("http://example.test/")
        assert time.monotonic() - started < DRIP_LENGTH
    finally:
        released.set()
