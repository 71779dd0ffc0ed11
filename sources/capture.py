"""Fetching a document's bytes from its URL, safely, and reading text out of them.

A fetch resolves the host once, refuses every address that is not plainly public (private,
loopback, link-local, multicast, reserved, and the IPv6 forms that carry an IPv4 address
inside: mapped, compatible, NAT64, 6to4, Teredo), connects to exactly the address it checked
(no second DNS answer can redirect it) and checks the address it is connected to again. One
overall deadline covers the whole fetch, name lookups, redirects and headers included, besides connect and
read timeouts, a size limit and an allow list of content types. Redirects are followed a few
times, each checked the same way. settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE, which only tests
turn on, lets loopback addresses through for their local server, and nothing else.

Text is decoded by what the document declares (a byte-order mark, the Content-Type charset,
then for HTML its `<meta charset>`), else as UTF-8, else by what charset-normalizer detects,
windows-1252 where detection cannot tell and the bytes read as Western text in it; what cannot
be decoded with confidence, or still holds NUL characters, is refused in words.
"""

import codecs
import concurrent.futures
import http.client
import io
import ipaddress
import re
import socket
import ssl
import string
import time
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes
from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ACCEPT = "text/html, text/plain"
MAX_REDIRECTS = 5
USER_AGENT = "ClaimProvenanceDesk/1 (archiving a cited source)"
CONTENT_TYPE_MAX_LENGTH = 100  # Snapshot.content_type

# IPv6 prefixes that carry or reach an IPv4 address, refused whatever that address is: the
# address inside is what a gateway would connect to, and it can be a private one.
_EMBEDDING_IPV4 = (
    (ipaddress.ip_network("::ffff:0:0/96"), "an IPv4-mapped address"),
    (ipaddress.ip_network("::/96"), "an IPv4-compatible address"),
    (ipaddress.ip_network("64:ff9b::/96"), "a NAT64 address"),
    (ipaddress.ip_network("64:ff9b:1::/48"), "a NAT64 address"),
    (ipaddress.ip_network("2002::/16"), "a 6to4 address"),
    (ipaddress.ip_network("2001::/32"), "a Teredo address"),
)
_6TO4_RELAY = ipaddress.ip_network("192.88.99.0/24")
_UNSPECIFIED_AND_LOOPBACK = (ipaddress.IPv6Address("::"), ipaddress.IPv6Address("::1"))


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
        "deadline": settings.SNAPSHOT_CAPTURE_DEADLINE,
        "max_bytes": settings.SNAPSHOT_CAPTURE_MAX_BYTES,
        "allow_private": settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE,
    }


def address_refusal(address: str, *, allow_loopback: bool = False) -> str | None:
    """Why a capture may not connect to `address` (an IP address as text), or None if it may."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "not an IP address"
    # First the forms that carry an IPv4 address (newer Pythons call ::ffff:127.0.0.1 loopback);
    # :: and ::1 lie inside ::/96 but are themselves.
    if isinstance(ip, ipaddress.IPv6Address) and ip not in _UNSPECIFIED_AND_LOOPBACK:
        for network, kind in _EMBEDDING_IPV4:
            if ip in network:
                return kind
        if ip.is_site_local:
            return "a site-local address"
    if ip in _6TO4_RELAY:
        return "a 6to4 relay address"
    if ip.is_loopback:
        return None if allow_loopback else "a private or local address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_link_local or ip.is_private or not ip.is_global:
        return "a private or local address"
    return None


def check_address(host: str, address: str, *, allow_loopback: bool = False) -> None:
    """CaptureRefused unless `address` (what `host` resolved to) is a public unicast address."""
    refusal = address_refusal(address, allow_loopback=allow_loopback)
    if refusal is not None:
        raise CaptureRefused(f"{host} resolves to {address}, {refusal}: refused.")


# getaddrinfo has no timeout of its own: it runs here, and the fetch waits only as long as
# its deadline allows (a lookup left running finishes on its own and is dropped).
_RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="capture-dns")


def _public_address(host: str, port: int, *, allow_private: bool, deadline: "_Deadline", limit: float) -> str:
    lookup = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        answers = lookup.result(timeout=deadline.timeout(limit))
    except (socket.gaierror, UnicodeError):
        raise CaptureRefused(f"The host {host!r} could not be found.") from None
    except TimeoutError:
        raise CaptureRefused(f"The host {host!r} could not be looked up in time.") from None
    addresses = [answer[4][0] for answer in answers]
    # Every answer is checked, not only the one used: a host with one private answer is refused.
    for address in addresses:
        check_address(host, address, allow_loopback=allow_private)
    return addresses[0]


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def timeout(self, limit: float) -> float:
        """The socket timeout for the next step: `limit`, or what is left if that is less."""
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        return min(limit, remaining)


class _DeadlineReader(io.RawIOBase):
    """Reads a socket, giving each read only what is left of the fetch's deadline.

    A read timeout alone bounds the wait for each piece, so a server sending a byte a second
    would never trip it; http.client reads headers and body through this one file.
    """

    def __init__(self, sock: socket.socket, deadline: _Deadline, read_timeout: float) -> None:
        super().__init__()
        self._sock, self._deadline, self._read_timeout = sock, deadline, read_timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(self._deadline.timeout(self._read_timeout))
        return self._sock.recv_into(buffer)


class _DeadlineSocket:
    """The connected socket as http.client uses it, under the fetch's deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline, read_timeout: float) -> None:
        self._sock, self._deadline, self._read_timeout = sock, deadline, read_timeout

    def makefile(self, mode: str, *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline, self._read_timeout))

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.timeout(self._read_timeout))
        self._sock.sendall(data)

    def close(self) -> None:
        # http.client closes the connection's socket while the response still reads from it
        # (a plain socket waits for its files to close); fetch closes the real one when done.
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _PinnedConnectionMixin:
    """Connects to the checked address, within the deadline, and checks the peer again."""

    host: str
    port: int
    sock: Any

    def _pin(self, address: str, deadline: _Deadline, limits: dict[str, Any]) -> None:
        self._address, self._deadline, self._limits = address, deadline, limits
        self._sockets: list[socket.socket] = []

    def release(self) -> None:
        self.close()
        for sock in self._sockets:
            sock.close()

    def _open(self) -> socket.socket:
        sock = socket.create_connection((self._address, self.port),
                                        self._deadline.timeout(self._limits["connect_timeout"]))
        self._sockets.append(sock)  # closed by release(), refused or not
        check_address(self.host, sock.getpeername()[0], allow_loopback=self._limits["allow_private"])
        return sock

    def _wrap(self, sock: socket.socket) -> None:
        self._sockets.append(sock)
        self.sock = _DeadlineSocket(sock, self._deadline, self._limits["read_timeout"])


class _PinnedHTTPConnection(_PinnedConnectionMixin, http.client.HTTPConnection):
    def connect(self) -> None:
        self._wrap(self._open())


class _PinnedHTTPSConnection(_PinnedConnectionMixin, http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, **kwargs: Any) -> None:
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)

    def connect(self) -> None:
        sock = self._open()
        sock.settimeout(self._deadline.timeout(self._limits["read_timeout"]))
        self._wrap(self._context.wrap_socket(sock, server_hostname=self.host))


def fetch(url: str, *, content_types: frozenset[str] = ALLOWED_CONTENT_TYPES, accept: str = ACCEPT) -> Fetched:
    """The bytes at `url`, or CaptureRefused saying why not.

    `content_types` is the allow list of media types (archivable documents unless a caller,
    such as the ClaimReview import, reads other kinds); `accept` the Accept header sent.
    """
    limits = _limits()
    deadline = _Deadline(limits["deadline"])
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise CaptureRefused(f"Only http and https addresses can be captured, not {url!r}.")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = _public_address(parts.hostname, port, allow_private=limits["allow_private"], deadline=deadline,
                                  limit=limits["connect_timeout"])
        connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(parts.hostname, port)
        connection._pin(address, deadline, limits)
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        try:
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
                raise CaptureRefused(f"{media_type[:CONTENT_TYPE_MAX_LENGTH]!r} cannot be {use}; allowed: "
                                     f"{', '.join(sorted(content_types))}.")
            declared = response.getheader("Content-Length")
            if declared and declared.isdecimal() and int(declared) > limits["max_bytes"]:
                raise CaptureRefused(f"The document is larger than {limits['max_bytes']} bytes.")
            content = _read_limited(response, limits["max_bytes"])
            return Fetched(url=url, content=content, content_type=content_type)
        except TimeoutError:
            if deadline.expired():
                raise CaptureRefused(f"The server was too slow to answer: the whole document must arrive within "
                                     f"{deadline.seconds:g} seconds.") from None
            raise CaptureRefused(f"The server was too slow to answer: it sent nothing for "
                                 f"{limits['read_timeout']:g} seconds, or did not take the connection within "
                                 f"{limits['connect_timeout']:g}.") from None
        except (OSError, http.client.HTTPException) as error:
            raise CaptureRefused(f"The document could not be fetched: {error}.") from None
        finally:
            connection.release()
    raise CaptureRefused(f"More than {MAX_REDIRECTS} redirects.")


def _read_limited(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = response.read1(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise CaptureRefused(f"The document is larger than {max_bytes} bytes.")
        chunks.append(chunk)


def charset_of(content_type: str) -> str:
    """The charset a Content-Type names, else UTF-8."""
    return _declared_charset(content_type) or "utf-8"


def _declared_charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def media_type_of(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# <meta charset="…"> and <meta http-equiv="Content-Type" content="…; charset=…">, as the HTML
# standard's prescan looks for them: in the first 1024 bytes, in ASCII.
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
PRESCAN_BYTES = 1024
# The HTML standard reads these labels as windows-1252 (its superset: curly quotes, dashes, the euro).
_WINDOWS_1252_LABELS = {"latin1", "iso8859-1", "ascii"}


def _codec(label: str) -> str | None:
    """Python's codec for a charset label, or None for a label it does not know."""
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return "cp1252" if name in _WINDOWS_1252_LABELS else name


def _bom_codec(content: bytes) -> str | None:
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return codec
    return None


def _meta_charset(content: bytes) -> str | None:
    match = _META_CHARSET.search(content[:PRESCAN_BYTES])
    if match is None:
        return None
    codec = _codec(match.group(1).decode("ascii"))
    # A <meta> readable as ASCII cannot be in UTF-16: the standard reads such pages as UTF-8.
    return "utf-8" if codec in {"utf-16", "utf-16-le", "utf-16-be", "utf-32"} else codec


@dataclass(frozen=True)
class Decoded:
    text: str
    codec: str  # Python's name for the encoding the text was read in
    how: str  # where that encoding came from, for messages


def decode(content: bytes, content_type: str) -> Decoded:
    """The text of `content`, in the encoding it declares, else UTF-8, else the one detected.

    Raises ValidationError, in words, for bytes that are not text in that encoding.
    """
    media_type = media_type_of(content_type)
    declared = _declared_charset(content_type)
    candidates = [(_bom_codec(content), "its byte-order mark"),
                  (_codec(declared) if declared else None, f"its Content-Type (charset={declared})")]
    if media_type in HTML_TYPES:
        candidates.append((_meta_charset(content), "its <meta charset>"))
    for codec, how in candidates:
        if codec is not None:
            return _decoded(content, codec, how)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _decoded(content, "utf-8", "UTF-8, the default")
    return _detected(content)


DETECTED = "detection (charset-normalizer)"
DETECTED_WESTERN = ("detection (charset-normalizer found no clear answer: read as windows-1252, as browsers read "
                    "undeclared Western text)")
_DECLARE = ("Save it as UTF-8, or declare its encoding: a <meta charset> in HTML, or charset= in the Content-Type "
            "of an API upload.")


def _detected(content: bytes) -> Decoded:
    """Undeclared bytes that are not UTF-8, in the encoding detected, when detection can tell.

    Short text is ambiguous: "café" in windows-1252 is as valid, and as plausible to the detector,
    in a dozen other encodings (it answered UTF-16 for it). Where it finds several equally good
    readings, or recognises no language in its best one, windows-1252 is chosen when it reads the
    bytes as Western European text; other ambiguous bytes are refused, since a snapshot, once
    archived, is never changed.
    """
    matches = from_bytes(content)
    best = matches.best()
    if best is None:
        raise ValidationError({"content": "The text cannot be decoded: it declares no character encoding, is not "
                                          f"UTF-8, and no other encoding reads it. {_DECLARE}"})
    equally_good = [match for match in matches if (match.chaos, match.coherence) == (best.chaos, best.coherence)]
    ambiguous = len({match.fingerprint for match in equally_good}) > 1
    try:
        western = content.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if not ambiguous and str(best) == western:
        return _decoded(content, "cp1252", DETECTED)
    if (ambiguous or not best.coherence) and western is not None and reads_as_western_text(western):
        return _decoded(content, "cp1252", DETECTED_WESTERN)
    if ambiguous:
        labels = list(dict.fromkeys(charset_label(_codec(match.encoding) or match.encoding)
                                    for match in equally_good))
        named = ", ".join(labels[:4]) + (" and others" if len(labels) > 4 else "")
        raise ValidationError({"content": "The text cannot be decoded with confidence: it declares no character "
                                          f"encoding, is not UTF-8, and reads equally well as {named}. {_DECLARE}"})
    return _decoded(content, _codec(best.encoding) or best.encoding, DETECTED)


# Marks that sit beside letters in Western text: dashes, quotes, brackets, spaces (categories), and these.
_BESIDE_LETTERS = frozenset("°…·•®™©§¶")
_OPENING_MARKS = frozenset("¿¡")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def reads_as_western_text(text: str) -> bool:
    """Whether `text` reads as Western European languages are written: most letters ASCII, and no
    symbol stuck to a letter (windows-1252 shows Polish "ł" as "³", "ż" as "¿", "Ł" as "£")."""
    ascii_letters = sum(map(text.count, string.ascii_letters))
    accented = 0
    for found in _NOT_ASCII.finditer(text):
        char, index = found.group(), found.start()
        if char.isalpha():
            accented += 1
            continue
        after_letter = index > 0 and text[index - 1].isalpha()
        if char in _OPENING_MARKS:
            stuck = after_letter
        elif char in _BESIDE_LETTERS or unicodedata.category(char) in {"Pd", "Pi", "Pf", "Ps", "Pe", "Zs"}:
            stuck = False
        else:
            stuck = after_letter or (index + 1 < len(text) and text[index + 1].isalpha())
        if stuck:
            return False
    return ascii_letters > 0 and accented <= ascii_letters


def _decoded(content: bytes, codec: str, how: str) -> Decoded:
    try:
        text = content.decode(codec)
    except UnicodeDecodeError as error:
        if codec != "cp1252":
            raise ValidationError({"content": f"The text cannot be decoded: {how} says {codec}, but byte "
                                              f"{error.start} is not valid {codec}."}) from None
        # Bytes windows-1252 leaves undefined are ISO-8859-1's control characters.
        codec, text = "latin-1", content.decode("latin-1")
    if codec.startswith("utf-") and text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ValidationError({"content": f"The text, read as {codec} (by {how}), contains NUL characters: not a "
                                          f"text document, or in an encoding it does not declare."})
    return Decoded(text, codec, how)


def charset_label(codec: str) -> str:
    """The usual (IANA) name of a Python codec: cp1251 is windows-1251, iso8859-5 is iso-8859-5."""
    if codec == "utf-8-sig":
        return "utf-8"
    if codec == "latin-1":
        return "iso-8859-1"
    if re.fullmatch(r"cp125\d", codec):
        return f"windows-{codec[2:]}"
    if codec.startswith("iso8859-"):
        return f"iso-8859-{codec.removeprefix('iso8859-')}"
    return codec


def normalized_content_type(content_type: str, codec: str) -> str:
    """The media type and the charset the text was actually read in, e.g. `text/html; charset=cp1251`.

    Parameters beyond the charset are dropped: the stored type says how to read the stored bytes.
    """
    media_type = media_type_of(content_type)
    normalized = f"{media_type}; charset={charset_label(codec)}"
    if len(normalized) > CONTENT_TYPE_MAX_LENGTH:
        raise ValidationError({"content_type": f"The content type {media_type[:40]!r}… is longer than "
                                               f"{CONTENT_TYPE_MAX_LENGTH} characters."})
    return normalized


def extract_text(content: bytes, content_type: str) -> str:
    """Readable text from captured bytes: plain text as it is, HTML without its markup."""
    return read_document(content, content_type)[0]


def read_document(content: bytes, content_type: str) -> tuple[str, str]:
    """The readable text of captured bytes and their normalized content type.

    Plain text as it is, HTML without its markup; ValidationError, in words, for what is not
    an archivable type or cannot be decoded.
    """
    media_type = media_type_of(content_type)
    if media_type not in ALLOWED_CONTENT_TYPES:
        raise ValidationError({"content_type": f"Cannot extract text from {media_type[:CONTENT_TYPE_MAX_LENGTH]!r}; "
                                               f"supported: {', '.join(sorted(ALLOWED_CONTENT_TYPES))}."})
    decoded = decode(content, content_type)
    normalized = normalized_content_type(content_type, decoded.codec)
    if media_type == "text/plain":
        return decoded.text, normalized
    soup = BeautifulSoup(decoded.text, "html.parser")
    for element in soup(["script", "style", "noscript", "template", "svg", "nav", "footer", "header", "form"]):
        element.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = [" ".join(piece.split()) for piece in root.get_text("\n").split("\n")]
    return "\n".join(block for block in blocks if block), normalized
