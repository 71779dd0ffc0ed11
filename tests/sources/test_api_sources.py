"""/api/v1/sources, documents, snapshots and annotations."""

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from sources import annotation_protocol
from sources.models import Document, Snapshot, Source
from tests.conftest import make_claim, make_document, make_snapshot, make_source, publish

ANNO_CONTEXT = annotation_protocol.bundled_context()["@context"]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_sources_are_public_once_cited(api: APIClient, alice: Any, bob: Any) -> None:
    hidden = make_source(alice, name="Unpublished source")
    claim = publish(make_claim(alice), author=alice, editor=bob)
    names = [s["name"] for s in api.get("/api/v1/sources/").json()["results"]]
    assert claim.claimant.name in names and hidden.name not in names
    assert api.get(f"/api/v1/sources/{hidden.pk}/").status_code == 404


def test_a_source_is_created_and_changed_with_a_version(api: APIClient, alice: Any) -> None:
    body = {"name": "Sayari", "kind": "research_firm", "reliability": "B", "reliability_rationale": "Records."}
    assert api.post("/api/v1/sources/", body, format="json").status_code == 401
    api.force_authenticate(alice)
    created = api.post("/api/v1/sources/", body, format="json")
    assert created.status_code == 201 and created.json()["slug"] == "sayari"
    url = f"/api/v1/sources/{created.json()['id']}/"
    assert api.patch(url, {"reliability": "C", "reason": "r"}, format="json").status_code == 428
    assert api.patch(url, {"reliability": "C", "reason": "r", "version": 7}, format="json").status_code == 412
    bad = api.patch(url, {"reliability": "Z", "reason": "r", "version": 1}, format="json")
    assert bad.status_code == 400 and "reliability" in bad.json()["fields"]
    done = api.patch(url, {"reliability": "C", "reason": "Commercial interest", "version": 1}, format="json")
    assert done.status_code == 200 and done.json()["reliability"] == "C" and done["ETag"] == '"2"'
    assert api.delete(url).status_code == 405
    history = api.get(f"{url}history/").json()
    assert history[0]["reason"] == "Commercial interest"


def test_documents_keep_their_date_precision(api: APIClient, alice: Any) -> None:
    source = make_source(alice, name="Sayari")
    api.force_authenticate(alice)
    body = {"title": "Report", "publisher": source.slug, "published_on": "2025-10-15", "published_precision": "month"}
    assert api.post("/api/v1/documents/", body, format="json").status_code == 400
    created = api.post("/api/v1/documents/", {**body, "published_on": "2025-10-01"}, format="json")
    assert created.status_code == 201 and created.json()["published_display"] == "October 2025"


def test_a_document_created_without_a_date_is_undated_not_day_precise(api: APIClient, alice: Any) -> None:
    api.force_authenticate(alice)
    created = api.post("/api/v1/documents/", {"title": "Report", "publisher": make_source(alice).slug}, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["published_on"], created.json()["published_precision"]) == (None, "unknown")
    assert created.json()["published_display"] == "undated"
    dated = api.post("/api/v1/documents/", {"title": "Dated", "publisher": created.json()["publisher"],
                                            "published_on": "2025-10-15"}, format="json")
    assert dated.json()["published_precision"] == "day"  # a date given without its precision, as before


@pytest.mark.parametrize("precision", ["day", "month", "year"])
def test_a_precision_without_a_date_is_refused_naming_the_date(api: APIClient, alice: Any, precision: str) -> None:
    api.force_authenticate(alice)
    response = api.post("/api/v1/documents/", {"title": "Report", "publisher": make_source(alice).slug,
                                               "published_precision": precision}, format="json")
    assert response.status_code == 400
    assert "Give the date" in response.json()["fields"]["published_on"][0]
    assert not Document.objects.exists()


def test_put_without_a_date_undates_the_document_and_patch_keeps_the_stored_precision(api: APIClient,
                                                                                      alice: Any) -> None:
    document = make_document(alice)
    api.force_authenticate(alice)
    url = f"/api/v1/documents/{document.pk}/"
    cleared = api.patch(url, {"published_on": None, "reason": "No date", "version": 1}, format="json")
    assert cleared.status_code == 400 and "Give the date" in cleared.json()["fields"]["published_on"][0]
    replaced = api.put(url, {"title": document.title, "publisher": document.publisher.slug, "reason": "No date",
                             "version": 1}, format="json")
    assert replaced.status_code == 200, replaced.json()
    assert (replaced.json()["published_on"], replaced.json()["published_precision"]) == (None, "unknown")


def test_snapshots_from_text_or_file_dedupe_and_stay_read_only(api: APIClient, alice: Any) -> None:
    document = make_document(alice)
    api.force_authenticate(alice)
    text = "Wang acquired a 5% equity stake in Rustakt — 王定华"
    first = api.post("/api/v1/snapshots/", {"document": document.pk, "text": text}, format="json")
    assert first.status_code == 201
    assert first.json()["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    again = api.post("/api/v1/snapshots/", {"document": document.pk, "text": text}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    upload = SimpleUploadedFile("filing.txt", b"Another version", content_type="text/plain")
    from_file = api.post("/api/v1/snapshots/", {"document": document.pk, "file": upload}, format="multipart")
    assert from_file.status_code == 201 and from_file.json()["origin"] == "filing.txt"
    url = f"/api/v1/snapshots/{first.json()['id']}/"
    assert api.put(url, {"text": "rewritten"}, format="json").status_code == 405
    assert api.delete(url).status_code == 405
    assert api.post("/api/v1/snapshots/", {"document": document.pk}, format="json").status_code == 400
    assert Snapshot.objects.count() == 2


def test_annotations_as_w3c_web_annotations(api: APIClient, alice: Any, bob: Any) -> None:
    document = make_document(alice)
    snapshot = make_snapshot(alice, document, text="Привет: 王定华 acquired 🚀 a 5% stake in Rustakt.")
    api.force_authenticate(alice)
    start = snapshot.text.index("王定华")
    created = api.post("/api/v1/annotations/", {"snapshot": snapshot.pk, "start": start, "end": start + 3,
                                                 "motivation": "questioning", "body": "Who?"}, format="json")
    assert created.status_code == 201 and created.json()["exact"] == "王定华"
    url = f"/api/v1/annotations/{created.json()['id']}/"
    ld = api.get(url, HTTP_ACCEPT="application/ld+json")
    assert ld["Content-Type"].startswith("application/ld+json")
    data = ld.json()
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld" and data["type"] == "Annotation"
    quote, position = data["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": "王定华", "prefix": "Привет: ",
                     "suffix": " acquired 🚀 a 5% stake in Rustak"}  # 32 code points, the emoji is one
    assert position == {"type": "TextPositionSelector", "start": 8, "end": 11}
    assert data["body"] == {"type": "TextualBody", "value": "Who?", "format": "text/plain"}
    # Every term we use is defined by the W3C context (offline copy in tests/data).
    used = {"type", "motivation", "created", "modified", "target", "source", "selector", "exact", "prefix",
            "suffix", "start", "end", "body", "value", "format", "creator", "nickname", "id"}
    assert used <= set(ANNO_CONTEXT) | {"id", "type"}
    assert {"TextQuoteSelector", "TextPositionSelector", "TextualBody", "Annotation", "Person",
            data["motivation"]} <= set(ANNO_CONTEXT)
    api.force_authenticate(None)
    assert api.get(url).status_code == 404  # not cited by a published claim
    changed = APIClient()
    changed.force_authenticate(alice)
    assert changed.patch(url, {"body": "Which filing?", "reason": "Clearer", "version": 1},
                         format="json").json()["body"] == "Which filing?"


def test_a_bad_annotation_range_is_a_400(api: APIClient, alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice), text="short")
    api.force_authenticate(alice)
    response = api.post("/api/v1/annotations/", {"snapshot": snapshot.pk, "start": 3, "end": 99}, format="json")
    assert response.status_code == 400 and "start" in response.json()["fields"]


def test_a_token_is_obtained_and_used(api: APIClient, alice: Any) -> None:
    response = api.post("/api/v1/auth/token/", {"username": "alice", "password": "alice-password"}, format="json")
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = {"name": "DroneXL", "kind": "news_outlet", "reliability": "C", "reliability_rationale": "Trade site."}
    assert api.post("/api/v1/sources/", body, format="json").status_code == 201
    assert Source.objects.get(slug="dronexl").history.earliest().history_username == "alice"
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api.get("/api/v1/sources/").status_code == 401
    bad = APIClient().post("/api/v1/auth/token/", {"username": "alice", "password": "nope"}, format="json")
    # Wrong credentials fail authentication (a schema-valid body is not bad input); no credentials are bad input.
    assert bad.status_code == 401 and bad.json()["error"] == "authentication_failed"
    assert bad["WWW-Authenticate"] == "Token"
    empty = APIClient().post("/api/v1/auth/token/", {"username": "alice"}, format="json")
    assert empty.status_code == 400 and "password" in empty.json()["fields"]


def test_throttling_answers_429_in_the_error_shape(api: APIClient, db: Any, monkeypatch: Any) -> None:
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "1000/minute"})
    statuses = [api.get("/api/v1/claims/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api.get("/api/v1/claims/").json()["error"] == "throttled"
    cache.clear()


def test_annotations_have_a_history_and_editors_revert_them(api: APIClient, alice: Any, bob: Any) -> None:
    from sources import services

    snapshot = make_snapshot(alice, make_document(alice), text="Some quoted words.")
    annotation = services.annotation_create(snapshot=snapshot, actor=alice, start=0, end=4, body="First")
    services.annotation_update(annotation=annotation, actor=alice, version=1, changes={"body": "Second"},
                               reason="Sharper")
    api.force_authenticate(alice)
    history = api.get(f"/api/v1/annotations/{annotation.pk}/history/").json()
    assert [row["reason"] for row in history] == ["Sharper", "Annotation created"]
    assert api.post(f"/api/v1/annotations/{annotation.pk}/revert/", {
        "version": 2, "history_id": history[1]["history_id"], "reason": "Back"}, format="json").status_code == 403
    api.force_authenticate(bob)
    reverted = api.post(f"/api/v1/annotations/{annotation.pk}/revert/", {
        "version": 2, "history_id": history[1]["history_id"], "reason": "Back"}, format="json")
    assert reverted.status_code == 200 and reverted.json()["body"] == "First"


def test_anonymous_readers_see_when_a_source_document_and_passage_became_public(
        api: APIClient, alice: Any, bob: Any) -> None:
    """The first publication date, as the team sees it: never a placeholder such as 0001-01-01."""
    claim = publish(make_claim(alice), author=alice, editor=bob)
    source, document, annotation = claim.claimant, claim.document, claim.annotation
    source.refresh_from_db()
    document.refresh_from_db()
    annotation.refresh_from_db()
    team = APIClient()
    team.force_authenticate(alice)
    for path, obj in [(f"/api/v1/sources/{source.pk}/", source), (f"/api/v1/documents/{document.pk}/", document),
                      (f"/api/v1/annotations/{annotation.pk}/", annotation)]:
        public_since = team.get(path).json()["public_since"]
        assert public_since is not None and public_since.startswith(obj.public_since.date().isoformat())
        assert api.get(path).json()["public_since"] == public_since, path
        listed = api.get(path.rsplit("/", 2)[0] + "/").json()["results"]
        assert [item["public_since"] for item in listed if item["id"] == obj.pk] == [public_since], path
