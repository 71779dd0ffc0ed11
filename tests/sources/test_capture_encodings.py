"""Archived text honours the encoding a document declares, and refuses in words what is not text."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from sources import services
from sources.capture import decode, read_document
from sources.models import Snapshot
from tests.conftest import make_document

CYRILLIC = "Записи удалены из реестра — пример для проверки"
LATIN = "Café déjà vu, naïve façade — exemple à vérifier"


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>T</title></head><body><article><p>{body}</p></article></body></html>"


def test_a_windows_1251_page_is_read_in_the_charset_its_header_declares() -> None:
    text, content_type = read_document(_page(CYRILLIC).encode("cp1251"), "text/html; charset=windows-1251")
    assert text == CYRILLIC and content_type == "text/html; charset=windows-1251"


@pytest.mark.parametrize("meta", ['<meta charset="windows-1251">',
                                  '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'])
def test_a_windows_1251_page_is_read_in_the_charset_its_meta_declares(meta: str) -> None:
    text, content_type = read_document(_page(CYRILLIC, meta).encode("cp1251"), "text/html")
    assert text == CYRILLIC and content_type == "text/html; charset=windows-1251"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf_16_page_with_a_byte_order_mark_is_read_as_utf_16(codec: str) -> None:
    text, content_type = read_document(("\ufeff" + _page(CYRILLIC)).encode(codec), "text/html")
    assert text == CYRILLIC and content_type == "text/html; charset=utf-16"


def test_an_iso_8859_1_page_is_read_as_latin_text() -> None:
    content = _page(LATIN.replace("—", "-")).encode("iso-8859-1")
    assert read_document(content, "text/html; charset=ISO-8859-1")[0] == LATIN.replace("—", "-")


def test_an_undeclared_page_that_is_not_utf_8_is_detected() -> None:
    content = _page(" ".join([CYRILLIC] * 5)).encode("cp1251")
    assert read_document(content, "text/html")[0] == " ".join([CYRILLIC] * 5)


@pytest.mark.parametrize("words", ["naïve résumé", "café", "Zürich Straße", "São Paulo é ótimo", "Ça coûte 5 €"])
def test_short_undeclared_western_text_is_read_as_windows_1252_not_the_detectors_weak_guess(words: str) -> None:
    """Short Latin text is as valid in a dozen encodings; charset-normalizer's pick among them
    (windows-1250, UTF-16-BE, cp1006) garbled it, and an archived copy is never changed."""
    text, content_type = read_document(words.encode("cp1252"), "text/plain")
    assert (text, content_type) == (words, "text/plain; charset=windows-1252")
    assert decode(words.encode("cp1252"), "text/plain").how.startswith("detection (charset-normalizer found no clear")


def test_short_undeclared_text_detection_cannot_tell_is_refused_asking_for_its_charset() -> None:
    with pytest.raises(ValidationError, match=r"cannot be decoded with confidence.*declare its encoding"):
        read_document("Привет мир".encode("cp1251"), "text/plain")


def test_short_undeclared_central_european_text_is_not_read_as_windows_1252() -> None:
    words = "Zażółć gęślą jaźń"  # windows-1252 would show "Za¿ó³æ gêœl¹ jaŸñ"
    assert read_document(words.encode("cp1250"), "text/plain") == (words, "text/plain; charset=windows-1250")


def test_bytes_that_are_not_in_the_declared_charset_are_refused_in_words() -> None:
    with pytest.raises(ValidationError, match="says utf-8, but byte 30 is not valid utf-8"):
        read_document(_page("caf\xe9").encode("latin-1")[:30] + b"\xff", "text/html; charset=utf-8")


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=utf-8", "text/plain"])
def test_text_that_still_holds_nul_after_decoding_is_refused(content_type: str) -> None:
    with pytest.raises(ValidationError, match="contains NUL characters"):
        read_document(_page("a\x00b").encode(), content_type)


def test_utf_16_without_a_byte_order_mark_or_a_declaration_is_refused_not_stored_as_garbage() -> None:
    with pytest.raises(ValidationError, match="NUL characters"):
        read_document(_page("plain words").encode("utf-16-le"), "text/html")


@pytest.fixture
def api(alice: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(alice)
    return client


def test_an_uploaded_html_file_with_a_nul_byte_is_a_400_and_nothing_is_saved(api: APIClient, alice: Any) -> None:
    document = make_document(alice)
    upload = SimpleUploadedFile("page.html", _page("a\x00b").encode(), content_type="text/html")
    response = api.post("/api/v1/snapshots/", {"document": document.pk, "file": upload}, format="multipart")
    assert response.status_code == 400
    assert "NUL characters" in response.json()["fields"]["content"][0]
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize("codec,content_type", [("cp1251", "text/html; charset=windows-1251"),
                                                ("iso-8859-1", "text/html; charset=iso-8859-1")])
def test_an_uploaded_file_is_read_in_the_charset_its_part_declares(api: APIClient, alice: Any, codec: str,
                                                                   content_type: str) -> None:
    body = CYRILLIC if codec == "cp1251" else LATIN.replace("—", "-")
    upload = SimpleUploadedFile("page.html", _page(body).encode(codec), content_type=content_type)
    response = api.post("/api/v1/snapshots/", {"document": make_document(alice).pk, "file": upload},
                        format="multipart")
    assert response.status_code == 201, response.json()
    snapshot = Snapshot.objects.get()
    assert snapshot.text == body and snapshot.content == _page(body).encode(codec)


def test_an_uploaded_utf_16_file_with_a_byte_order_mark_is_archived(api: APIClient, alice: Any) -> None:
    content = ("\ufeff" + _page(CYRILLIC)).encode("utf-16-le")
    upload = SimpleUploadedFile("page.html", content, content_type="text/html")
    response = api.post("/api/v1/snapshots/", {"document": make_document(alice).pk, "file": upload},
                        format="multipart")
    assert response.status_code == 201, response.json()
    assert Snapshot.objects.get().text == CYRILLIC


def test_a_long_content_type_is_stored_as_its_media_type_and_charset(alice: Any) -> None:
    content_type = "text/html; charset=utf-8; " + "; ".join(f"x{n}=padding-parameter" for n in range(20))
    assert len(content_type) > 100
    snapshot, _ = services.snapshot_capture(document=make_document(alice), actor=alice, content=_page(LATIN).encode(),
                                            content_type=content_type, origin="test")
    snapshot.refresh_from_db()
    assert snapshot.content_type == "text/html; charset=utf-8" and snapshot.text == LATIN


def test_a_content_type_too_long_even_as_its_media_type_is_refused_in_words(alice: Any) -> None:
    with pytest.raises(ValidationError, match="Cannot extract text from"):
        services.snapshot_capture(document=make_document(alice), actor=alice, content=b"words",
                                  content_type="text/" + "x" * 200, origin="test")
    assert not Snapshot.objects.exists()


def test_an_uploaded_latin_1_text_file_without_a_charset_is_archived_as_written(api: APIClient, alice: Any) -> None:
    upload = SimpleUploadedFile("note.txt", "naïve résumé".encode("latin-1"), content_type="text/plain")
    response = api.post("/api/v1/snapshots/", {"document": make_document(alice).pk, "file": upload},
                        format="multipart")
    assert response.status_code == 201, response.json()
    snapshot = Snapshot.objects.get()
    assert (snapshot.text, snapshot.content_type) == ("naïve résumé", "text/plain; charset=windows-1252")


def test_an_upload_whose_encoding_cannot_be_told_is_a_400_and_nothing_is_saved(api: APIClient, alice: Any) -> None:
    upload = SimpleUploadedFile("note.txt", "Привет мир".encode("cp1251"), content_type="text/plain")
    response = api.post("/api/v1/snapshots/", {"document": make_document(alice).pk, "file": upload},
                        format="multipart")
    assert response.status_code == 400
    assert "declare its encoding" in response.json()["fields"]["content"][0]
    assert not Snapshot.objects.exists()
