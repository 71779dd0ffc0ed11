"""Fetching a document's bytes from its URL, safely, and reading text out of them.

A fetch resolves the host once, refuses private, loopback, link-local and other non-public
addresses (unless settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE, which only tests turn on for
their local server), connects to exactly the address it checked (no second DNS answer can
redirect it), and enforces connect and read timeouts, a size limit and an allow list of
content types. Redirects are followed a few times, each checked the same way.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
ACCEPT = "text/html, text/plain"
MAX_REDIRECTS = 5
USER_AGENT = "ClaimProvenanceDesk/1 (archiving a cited source)"


class CaptureRefused(ValidationError):
    """The URL or what it answered cannot be archived; the message says why."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    content_type: str


def _limits() -> dict[str, Any]:
    return {
        "connect_timeout": settings.SNAPSHOT_CAPTURE_CONNECT_TIMEOUT,
        "read_timeout": settings.SNAPSHOT_CAPTURE_READ_TIMEOUT,
        "max_bytes": settings.SNAPSHOT_CAPTURE_MAX_BYTES,
        "allow_private": settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE,
    }


def _public_address(host: str, port: int, *, allow_private: bool) -> str:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise CaptureRefused(f"The host {host!r} could not be found.") from None
    addresses = [answer[4][0] for answer in answers]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not allow_private and not ip.is_global:
            raise CaptureRefused(f"{host} resolves to {ip}, a private or local address: refused.")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, **kwargs: Any) -> None:
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, **kwargs: Any) -> None:
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url: str, *, content_types: frozenset[str] = ALLOWED_CONTENT_TYPES, accept: str = ACCEPT) -> Fetched:
    """The bytes at `url`, or CaptureRefused saying why not.

    `content_types` is the allow list of media types (archivable documents unless a caller,
    such as the ClaimReview import, reads other kinds); `accept` the Accept header sent.
    """
    limits = _limits()
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise CaptureRefused(f"Only http and https addresses can be captured, not {url!r}.")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = _public_address(parts.hostname, port, allow_private=limits["allow_private"])
        connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(parts.hostname, port, address, timeout=limits["connect_timeout"])
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        try:
            connection.connect()
            connection.sock.settimeout(limits["read_timeout"])
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": accept})
            response = connection.getresponse()
            if response.status in {301, 302, 303, 307, 308} and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise CaptureRefused(f"The server answered {response.status} {response.reason}.")
            content_type = response.getheader("Content-Type", "application/octet-stream")
            media_type = content_type.split(";")[0].strip().lower()
            if media_type not in content_types:
                use = "archived" if content_types == ALLOWED_CONTENT_TYPES else "read here"
                raise CaptureRefused(f"{media_type!r} cannot be {use}; allowed: "
                                     f"{', '.join(sorted(content_types))}.")
            declared = response.getheader("Content-Length")
            if declared and declared.isdecimal() and int(declared) > limits["max_bytes"]:
                raise CaptureRefused(f"The document is larger than {limits['max_bytes']} bytes.")
            content = _read_limited(response, limits["max_bytes"], limits["read_timeout"])
            return Fetched(url=url, content=content, content_type=content_type)
        except TimeoutError:
            raise CaptureRefused("The server was too slow to answer.") from None
        except (OSError, http.client.HTTPException) as error:
            raise CaptureRefused(f"The document could not be fetched: {error}.") from None
        finally:
            connection.close()
    raise CaptureRefused(f"More than {MAX_REDIRECTS} redirects.")


def _read_limited(response: http.client.HTTPResponse, max_bytes: int, read_timeout: float) -> bytes:
    chunks, size, deadline = [], 0, time.monotonic() + read_timeout * 4
    while True:
        chunk = response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise CaptureRefused(f"The document is larger than {max_bytes} bytes.")
        if time.monotonic() > deadline:
            raise CaptureRefused("The server was too slow to send the document.")
        chunks.append(chunk)


def charset_of(content_type: str) -> str:
    """The charset a Content-Type names, else UTF-8."""
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return "utf-8"


def extract_text(content: bytes, content_type: str) -> str:
    """Readable text from captured bytes: plain text as it is, HTML without its markup."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in ALLOWED_CONTENT_TYPES:
        raise ValidationError({"content_type": f"Cannot extract text from {media_type!r}; "
                                               f"supported: {', '.join(sorted(ALLOWED_CONTENT_TYPES))}."})
    if media_type == "text/plain":
        try:
            text = content.decode(charset_of(content_type))
        except (UnicodeDecodeError, LookupError) as error:
            raise ValidationError({"content": f"The text cannot be decoded: {error}."}) from None
        if "\x00" in text:
            raise ValidationError({"content": "The text contains NUL characters: not a text document."})
        return text
    soup = BeautifulSoup(content, "html.parser")
    for element in soup(["script", "style", "noscript", "template", "svg", "nav", "footer", "header", "form"]):
        element.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = [" ".join(piece.split()) for piece in root.get_text("\n").split("\n")]
    return "\n".join(block for block in blocks if block)
