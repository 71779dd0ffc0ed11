"""The desk's documents: the list, a document's desk page, and archiving a copy from the web or a file.

Capture runs against a local server (no network) or the service's own refusals; uploads go
through the page's form. Every refusal re-renders the page with the service's words and
archives nothing.
"""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sources import services
from sources.models import Snapshot
from tests.conftest import body, make_document, make_snapshot

PAGE = (b"<html><head><title>T</title><script>var x = 1;</script></head><body><nav>Menu</nav>"
        b"<article><h1>An example article</h1><p>Example Corp bought 5% of Example Ltd.</p></article>"
        b"</body></html>")


ROUTES = {
    "/article": (200, "text/html; charset=utf-8", PAGE),
    "/image": (200, "image/png", b"\x89PNG...."),
    "/missing": (404, "text/plain", b"no"),
}


@pytest.fixture
def server(loopback_server: Any) -> str:
    return loopback_server(ROUTES)


@pytest.fixture
def local_allowed(settings: Any) -> Any:
    settings.SNAPSHOT_CAPTURE_ALLOW_PRIVATE = True
    settings.SNAPSHOT_CAPTURE_READ_TIMEOUT = 2
    return settings


def _alerts(page: str) -> str:
    """What the page says in its alerts, where refusals go."""
    return " ".join(re.findall(r'role="alert">(.*?)</(?:div|p)>', page, re.S))


def _page(document: Any) -> str:
    return reverse("sources:desk-document", kwargs={"pk": document.pk})


def _upload(client: Any, document: Any, name: str, content: bytes, content_type: str = "text/html") -> Any:
    return client.post(_page(document), {"how": "upload",
                                         "upload-file": SimpleUploadedFile(name, content, content_type)})


@pytest.mark.parametrize("name", ["sources:desk-documents", "sources:desk-document"])
def test_only_the_team_reaches_the_desk_document_pages(client: Any, alice: Any, erin: Any, name: str) -> None:
    document = make_document(alice)
    url = reverse(name, kwargs={"pk": document.pk} if name.endswith("document") else {})
    assert client.get(url).status_code == 302
    client.force_login(erin)
    assert client.get(url).status_code == 403
    assert client.post(url, {"how": "address", "capture-url": "https://example.org/"}).status_code == 403
    client.force_login(alice)
    assert client.get(url).status_code == 200
    assert not Snapshot.objects.exists()


def test_the_desk_links_to_documents_and_each_to_its_snapshots(client: Any, alice: Any) -> None:
    """Before, /desk/ linked to no document or snapshot; the way in was the public document page."""
    archived = make_document(alice, title="An archived example")
    snapshot = make_snapshot(alice, archived)
    bare = make_document(alice, title="An example without a copy")
    client.force_login(alice)
    desk = body(client.get("/desk/"))
    assert f'href="{reverse("sources:desk-documents")}"' in desk
    listing = body(client.get(reverse("sources:desk-documents")))
    assert f'href="{_page(archived)}"' in listing and f'href="{_page(bare)}"' in listing
    missing = body(client.get(reverse("sources:desk-documents"), {"missing": "1"}))
    assert f'href="{_page(bare)}"' in missing and f'href="{_page(archived)}"' not in missing
    found = body(client.get(reverse("sources:desk-documents"), {"q": "without a copy"}))
    assert f'href="{_page(bare)}"' in found and f'href="{_page(archived)}"' not in found
    page = body(client.get(_page(archived)))
    assert f'href="{reverse("sources:annotate", kwargs={"pk": snapshot.pk})}"' in page


def test_a_document_without_a_copy_offers_the_team_a_way_to_archive_one(client: Any, alice: Any) -> None:
    """Before, the document page said "No archived copy yet." and offered nothing."""
    document = make_document(alice)
    client.force_login(alice)
    public_page = body(client.get(document.get_absolute_url()))
    assert "No archived copy yet." in public_page
    assert f'href="{_page(document)}"' in public_page
    desk_page = body(client.get(_page(document)))
    assert 'enctype="multipart/form-data"' in desk_page and 'name="capture-url"' in desk_page


def test_a_new_document_goes_on_to_its_desk_page(client: Any, alice: Any) -> None:
    publisher = make_document(alice).publisher
    client.force_login(alice)
    response = client.post(reverse("sources:document-create"), {
        "title": "Another example", "publisher": publisher.pk, "language": "en", "published_precision": "unknown",
        "url": "https://example.org/another"})
    assert response.status_code == 302
    assert response["Location"] == _page(publisher.documents.get(title="Another example"))


def test_an_uploaded_html_file_is_archived_as_its_text(client: Any, alice: Any) -> None:
    document = make_document(alice)
    client.force_login(alice)
    response = _upload(client, document, "saved-page.html", PAGE, content_type="application/octet-stream")
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sources:annotate", kwargs={"pk": snapshot.pk})
    assert (snapshot.document, snapshot.origin, snapshot.content_type) == (document, "saved-page.html",
                                                                   "text/html; charset=utf-8")
    assert "Example Corp bought 5% of Example Ltd." in snapshot.text and "var x" not in snapshot.text
    assert "Archived:" in body(client.get(response["Location"]))
    again = _upload(client, document, "copy.html", PAGE)
    assert again["Location"] == response["Location"] and Snapshot.objects.count() == 1
    assert "Already archived" in body(client.get(again["Location"]))


@pytest.mark.parametrize(("name", "content", "content_type", "words"), [
    ("picture.png", b"\x89PNG....", "image/png", "image/png"),
    ("empty.html", b"", "text/html", "The submitted file is empty."),
    ("big.txt", b"x" * 2000, "text/plain", "The file is larger than 1000 bytes."),
])
def test_an_upload_the_service_refuses_is_said_in_words_and_archives_nothing(
        client: Any, alice: Any, settings: Any, name: str, content: bytes, content_type: str, words: str) -> None:
    settings.SNAPSHOT_CAPTURE_MAX_BYTES = 1000
    document = make_document(alice)
    client.force_login(alice)
    response = _upload(client, document, name, content, content_type)
    assert response.status_code == 400
    assert words in _alerts(body(response))
    assert not Snapshot.objects.exists()


def test_a_page_is_captured_from_the_web(client: Any, alice: Any, server: str, local_allowed: Any) -> None:
    document = make_document(alice, url=f"{server}/article")
    client.force_login(alice)
    assert f'value="{server}/article"' in body(client.get(_page(document)))  # the document's own address
    response = client.post(_page(document), {"how": "address", "capture-url": f"{server}/article"})
    snapshot = Snapshot.objects.get()
    assert response["Location"] == reverse("sources:annotate", kwargs={"pk": snapshot.pk})
    assert snapshot.origin == f"{server}/article"
    assert "Example Corp bought 5% of Example Ltd." in snapshot.text


@pytest.mark.parametrize(("path", "words"), [
    ("/image", "image/png"),
    ("/missing", "The server answered 404"),
])
def test_a_capture_the_service_refuses_is_said_in_words(client: Any, alice: Any, server: str, local_allowed: Any,
                                                         path: str, words: str) -> None:
    document = make_document(alice)
    client.force_login(alice)
    response = client.post(_page(document), {"how": "address", "capture-url": f"{server}{path}"})
    assert response.status_code == 400
    page = body(response)
    assert "Nothing was archived." in _alerts(page) and words in _alerts(page)
    assert f'value="{server}{path}"' in page  # the address stays, to correct it
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize(("url", "words"), [
    ("http://127.0.0.1:8105/article", "127.0.0.1"),  # refused as a local address, without the test setting
    ("ftp://example.org/file.txt", "ftp://example.org/file.txt"),
    ("", "This field is required."),
])
def test_addresses_that_cannot_be_captured_are_refused(client: Any, alice: Any, url: str, words: str) -> None:
    document = make_document(alice)
    client.force_login(alice)
    response = client.post(_page(document), {"how": "address", "capture-url": url})
    assert response.status_code == 400
    assert words in _alerts(body(response))
    assert not Snapshot.objects.exists()


def test_the_documents_list_and_a_document_page_run_a_fixed_number_of_queries(client: Any, alice: Any) -> None:
    first = make_document(alice, title="Example one")
    make_snapshot(alice, first)
    client.force_login(alice)
    client.get(reverse("sources:desk-documents"))
    with CaptureQueriesContext(connection) as few_documents:
        client.get(reverse("sources:desk-documents"))
    with CaptureQueriesContext(connection) as one_copy:
        client.get(_page(first))
    for n in range(5):
        document = make_document(alice, title=f"Example {n + 2}", publisher=first.publisher)
        snapshot = make_snapshot(alice, first, text=f"Example text number {n}.")
        services.annotation_create(snapshot=snapshot, actor=alice, start=0, end=7)
        make_snapshot(alice, document)
    with CaptureQueriesContext(connection) as many_documents:
        assert client.get(reverse("sources:desk-documents")).status_code == 200
    with CaptureQueriesContext(connection) as many_copies:
        assert client.get(_page(first)).status_code == 200
    assert len(many_documents) == len(few_documents)
    assert len(many_copies) == len(one_copy)
