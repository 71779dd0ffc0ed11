"""The API's edges: what anonymous clients must not learn, inputs that must not 500, limits."""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim
from factcheck.caching import forget_pages
from sources import services as source_services
from tests.conftest import make_claim, make_document, make_link, make_snapshot, make_source, publish


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_anonymous_filters_never_reveal_an_edit_in_review(api: APIClient, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    hidden = make_source(alice, name="Hidden source")
    services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"claimant": hidden},
                          reason="Other claimant")
    assert api.get("/api/v1/claims/?status=in_review").json()["results"] == []
    assert len(api.get("/api/v1/claims/?status=published").json()["results"]) == 1
    assert api.get(f"/api/v1/claims/?claimant={hidden.slug}").json()["results"] == []
    assert len(api.get(f"/api/v1/claims/?claimant={claim.claimant.slug}").json()["results"]) == 1


def test_anonymous_clients_see_no_private_source_and_no_desk_names(api: APIClient, alice: Any, bob: Any) -> None:
    parent = make_source(alice, name="Hidden parent")
    outlet = make_source(alice, name="Outlet", affiliation=parent)
    first = publish(make_claim(alice, claimant=outlet, text="A"), author=alice, editor=bob)
    second = publish(make_claim(alice, text="B"), author=alice, editor=bob)
    link = make_link(alice, first, second)
    services.link_accept(link=link, actor=bob, version=link.version)
    assert api.get(f"/api/v1/sources/{outlet.pk}/").json()["affiliation"] is None
    public_link = api.get(f"/api/v1/links/{link.pk}/").json()
    assert (public_link["proposed_by"], public_link["reviewed_by"]) == (None, None)
    api.force_authenticate(alice)
    assert api.get(f"/api/v1/sources/{outlet.pk}/").json()["affiliation"] == parent.slug
    assert api.get(f"/api/v1/links/{link.pk}/").json()["proposed_by"] == "alice"


def test_an_accepted_link_to_a_draft_stays_hidden(api: APIClient, alice: Any, bob: Any) -> None:
    public = publish(make_claim(alice, text="Public"), author=alice, editor=bob)
    link = make_link(alice, make_claim(alice, text="Draft"), public)
    services.link_accept(link=link, actor=bob, version=link.version)
    assert api.get("/api/v1/links/").json()["results"] == []
    assert api.get(f"/api/v1/links/{link.pk}/").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/claims/?document=99999999999999999999999",
                                 "/api/v1/links/?claim=99999999999999999999999",
                                 "/api/v1/review-events/?claim=99999999999999999999999",
                                 "/api/v1/review-events/?link=-1", "/api/v1/annotations/?snapshot=-1"])
def test_huge_or_negative_ids_are_a_400(api: APIClient, db: Any, url: str) -> None:
    response = api.get(url)
    assert response.status_code == 400 and response.json()["error"] == "invalid"


@pytest.mark.parametrize("url", ["/api/v1/claims/?document=-1", "/api/v1/links/?claim=-1"])
def test_a_reference_filter_naming_nothing_finds_nothing(api: APIClient, db: Any, url: str) -> None:
    """`document` and a link's `claim` take slugs (as create does); "-1" is a slug nothing has."""
    response = api.get(url)
    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("body", [{"history_id": "²", "reason": "x", "version": 1}, ["not", "an", "object"],
                                  {"history_id": 1, "reason": "a\x00b", "version": 1}, {"version": 1}])
def test_bad_revert_bodies_are_a_400(api: APIClient, alice: Any, bob: Any, body: Any) -> None:
    source = make_source(alice)
    api.force_authenticate(bob)
    response = api.post(f"/api/v1/sources/{source.pk}/revert/", body, format="json")
    assert response.status_code in {400, 428} and response.json()["error"] in {"invalid", "parse_error",
                                                                                "precondition_required"}


def test_a_snapshot_with_nul_characters_is_refused(api: APIClient, alice: Any) -> None:
    document = make_document(alice)
    api.force_authenticate(alice)
    response = api.post("/api/v1/snapshots/", {"document": document.pk, "text": "a\x00b"}, format="json")
    assert response.status_code == 400
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.txt", b"bin\x00ary", content_type="text/plain")
    response = api.post("/api/v1/snapshots/", {"document": document.pk, "file": upload}, format="multipart")
    assert response.status_code == 400 and "NUL" in response.json()["fields"]["content"][0]


def test_unknown_api_addresses_answer_json(api: APIClient, db: Any) -> None:
    response = api.get("/api/v1/nothing/here/")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_session_writes_need_the_csrf_token(alice: Any) -> None:
    api = APIClient(enforce_csrf_checks=True)
    api.login(username="alice", password="alice-password")
    body = {"name": "X", "kind": "other", "reliability": "F", "reliability_rationale": "r"}
    response = api.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


@pytest.mark.parametrize("step", ["submit", "link-accept", "annotation"])
def test_every_write_checks_the_version_and_writes_nothing_otherwise(api: APIClient, alice: Any, bob: Any,
                                                                    step: str) -> None:
    if step == "submit":
        obj, url, body, actor = make_claim(alice), None, {}, alice
        url = f"/api/v1/claims/{obj.pk}/submit/"
    elif step == "link-accept":
        obj = make_link(alice, make_claim(alice, text="A"), make_claim(alice, text="B"))
        url, body, actor = f"/api/v1/links/{obj.pk}/accept/", {}, bob
    else:
        snapshot = make_snapshot(alice, make_document(alice))
        obj = source_services.annotation_create(snapshot=snapshot, actor=alice, start=0, end=4)
        url, body, actor = f"/api/v1/annotations/{obj.pk}/", {"body": "New note", "reason": "r"}, alice
    api.force_authenticate(actor)
    send = api.patch if step == "annotation" else api.post
    assert send(url, body, format="json").status_code == 428
    assert send(url, body, format="json", HTTP_IF_MATCH='"9"').status_code == 412
    # Entity tags are opaque (RFC 9110): a weak tag, a foreign tag or a bare word matches nothing.
    for tag in ['W/"1"', '"anything-not-a-number"', "1", '"r1"', '"99999999999999999999999"']:
        response = send(url, body, format="json", HTTP_IF_MATCH=tag)
        assert response.status_code == 412, tag
        assert response.json()["current_version"] == 1
    obj.refresh_from_db()
    assert obj.version == 1
    assert send(url, body, format="json", HTTP_IF_MATCH='"1"').status_code == 200


def test_the_token_endpoint_is_throttled_and_forwarded_for_is_not_trusted(api: APIClient, alice: Any,
                                                                          monkeypatch: Any) -> None:
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "1000/minute"})
    statuses = [api.post("/api/v1/auth/token/", {"username": "alice", "password": f"guess{n}"}, format="json",
                         HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(5)]
    assert statuses == [401, 401, 401, 429, 429]  # wrong passwords fail authentication
    cache.clear()


def test_the_anonymous_list_is_fixed_in_queries_with_annotated_corrections(api: APIClient, alice: Any,
                                                                           bob: Any) -> None:
    def add(n: int) -> None:
        snapshot = make_snapshot(alice, make_document(alice, title=f"Doc {n}"), text=f"Quoted words {n}.")
        annotation = source_services.annotation_create(snapshot=snapshot, actor=alice, start=0, end=6)
        claim = publish(make_claim(alice, document=snapshot.document, annotation=annotation, text=f"Claim {n}",
                                   quote=annotation.exact), author=alice, editor=bob)
        services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"credibility": 4},
                              reason="In review")

    add(0)
    api.get("/api/v1/claims/?page_size=50")
    forget_pages()  # measured as rendered, not read from the cache of public pages
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/claims/?page_size=50")
    for n in range(1, 12):
        add(n)
    with CaptureQueriesContext(connection) as many:
        results = api.get("/api/v1/claims/?page_size=50").json()["results"]
    assert len(results) == 12 and all(claim["annotation"] for claim in results)
    assert len(many) == len(few)
    assert Claim.objects.count() == 12


def test_the_public_reads_the_record_even_without_the_working_history(api: APIClient, client: Any,
                                                                       alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice, text="Published text"), author=alice, editor=bob)
    claim = services.claim_update(claim=claim, actor=alice, version=claim.version, changes={"text": "Unreviewed"},
                                  reason="Edit")
    Claim.history.filter(id=claim.pk, version=claim.published_version).delete()  # a lost history row
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Published text" in page and "Unreviewed" not in page
    assert "Unreviewed" not in client.get("/claims/").content.decode()
    assert api.get(f"/api/v1/claims/{claim.pk}/").json()["text"] == "Published text"
    assert [item["text"] for item in api.get("/api/v1/claims/").json()["results"]] == ["Published text"]


def test_anonymous_annotations_name_the_desk_not_the_person(api: APIClient, alice: Any, bob: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice), text="Wang acquired a 5% equity stake.")
    annotation = source_services.annotation_create(snapshot=snapshot, actor=alice, start=0, end=4, body="Who?")
    publish(make_claim(alice, document=snapshot.document, annotation=annotation, quote=annotation.exact),
            author=alice, editor=bob)
    url = f"/api/v1/annotations/{annotation.pk}/"
    assert api.get(url).json()["author"] is None
    assert api.get(url, HTTP_ACCEPT="application/ld+json").json()["creator"]["type"] == "Organization"
    api.force_authenticate(alice)
    assert api.get(url).json()["author"] == "alice"
    assert api.get(url, HTTP_ACCEPT="application/ld+json").json()["creator"] == {"type": "Person",
                                                                                 "nickname": "alice"}


def test_a_document_moved_to_a_private_publisher_does_not_name_it(api: APIClient, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    hidden = make_source(alice, name="Hidden publisher")
    document = claim.document
    document.refresh_from_db()
    source_services.document_update(document=document, actor=bob, version=document.version,
                                    changes={"publisher": hidden}, reason="Moved")
    # The public reads the document as the published claim recorded it, until the next publication.
    response = api.get(f"/api/v1/documents/{document.pk}/")
    assert response.json()["publisher"] == claim.claimant.slug and "Hidden" not in response.content.decode()


def test_a_new_claim_form_ignores_a_bad_passage_id(client: Any, alice: Any) -> None:
    client.force_login(alice)
    for value in ["²", "abc", "999999"]:
        assert client.get(f"/desk/claims/new/?annotation={value}").status_code == 200
