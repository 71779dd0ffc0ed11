"""Capturing a document from its URL: the text, the hash, and every refusal, against a local server."""

import hashlib
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sources import services
from sources.capture import extract_text
from tests.conftest import QuietHandler, make_document

ARTICLE = ("<html><head><title>T</title><script>var x = 1;</script></head><body><nav>Menu</nav>"
           "<article><h1>Chinese stake</h1><p>Wang acquired a 5% equity stake in Rustakt.</p>"
           "<p>Записи удалены — 王定华</p></article><footer>Footer</footer></body></html>").encode()


class Handler(QuietHandler):
    def do_GET(self) -> None:
        routes = {
            "/article": (200, "text/html; charset=utf-8", ARTICLE),
            "/plain": (200, "text/plain; charset=utf-8", b"Plain text, 5%."),
            "/image": (200, "image/png", b"\x89PNG...."),
            "/huge": (200, "text/plain", b"x" * 5000),
            "/missing": (404, "text/plain", b"no"),
        }
        if self.path == "/slow":
            time.sleep(1.5)
            routes["/slow"] = (200, "text/plain", b"late")
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/plain")
            self.end_headers()
            return
        status, content_type, body = routes.get(self.path, (404, "text/plain", b""))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if self.path != "/huge":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server(loopback_server: Any) -> str:
    return loopback_server(Handler)


@pytest.fixture
def local_allowed(settings: Any) -> Any:
    settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE = True
    settings.SNAPSHOT_CAPTURE_READ_TIMEOUT = 0.5
    settings.SNAPSHOT_CAPTURE_MAX_BYTES = 1000
    return settings


def test_html_is_captured_as_readable_text_with_the_hash_of_its_bytes(alice: Any, server: str,
                                                                     local_allowed: Any) -> None:
    snapshot, created = services.snapshot_capture_url(document=make_document(alice), actor=alice,
                                                      url=f"{server}/article")
    assert created and snapshot.sha256 == hashlib.sha256(ARTICLE).hexdigest()
    assert snapshot.text == "Chinese stake\nWang acquired a 5% equity stake in Rustakt.\nЗаписи удалены — 王定华"
    assert snapshot.origin == f"{server}/article" and snapshot.content_type.startswith("text/html")
    again, created = services.snapshot_capture_url(document=snapshot.document, actor=alice, url=f"{server}/article")
    assert (again.pk, created) == (snapshot.pk, False)


def test_redirects_are_followed(alice: Any, server: str, local_allowed: Any) -> None:
    snapshot, _ = services.snapshot_capture_url(document=make_document(alice), actor=alice, url=f"{server}/moved")
    assert snapshot.text == "Plain text, 5%." and snapshot.origin == f"{server}/plain"


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://localhost/x", "http://169.254.169.254/latest",
                                 "http://10.0.0.1/", "http://[::1]/", "file:///etc/passwd", "ftp://example.org/"])
def test_private_local_and_odd_addresses_are_refused(alice: Any, url: str) -> None:
    with pytest.raises(ValidationError, match=r"refused|Only http"):
        services.snapshot_capture_url(document=make_document(alice), actor=alice, url=url)


@pytest.mark.parametrize("path,message", [
    ("/image", "'image/png' cannot be archived"),
    ("/huge", "larger than 1000 bytes"),
    ("/slow", "too slow to answer: it sent nothing for 0.5 seconds"),
    ("/missing", "answered 404"),
])
def test_bad_answers_are_refused_and_nothing_is_saved(alice: Any, server: str, local_allowed: Any, path: str,
                                                      message: str) -> None:
    document = make_document(alice)
    with pytest.raises(ValidationError, match=message):
        services.snapshot_capture_url(document=document, actor=alice, url=f"{server}{path}")
    assert not document.snapshots.exists()


def test_the_local_server_is_refused_without_the_test_setting(alice: Any, server: str) -> None:
    with pytest.raises(ValidationError, match="private or local address"):
        services.snapshot_capture_url(document=make_document(alice), actor=alice, url=f"{server}/plain")


def test_plain_text_keeps_its_charset() -> None:
    assert extract_text("Записи".encode("cp1251"), "text/plain; charset=windows-1251") == "Записи"
    with pytest.raises(ValidationError, match="cannot be decoded"):
        extract_text(b"\xff\xfe\xfa", "text/plain")


def test_the_capture_command_reports_each_origin(alice: Any, server: str, local_allowed: Any, tmp_path: Any) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    document = make_document(alice)
    page = tmp_path / "page.html"
    page.write_bytes(ARTICLE)
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 3 could not be captured"):
        call_command("capture", str(page), f"{server}/plain", f"{server}/image", document=document.slug,
                     username="alice", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[1/3]") and "archived as snapshot" in lines[0]
    assert lines[1].startswith("[2/3]") and "archived as snapshot" in lines[1]
    assert lines[2].startswith("[3/3]") and "refused: 'image/png' cannot be archived" in lines[2]
    assert document.snapshots.count() == 2
