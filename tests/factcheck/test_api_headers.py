"""The headers an API client relies on: a token kept by no cache, a new object's Location, and
an entity tag on every read (its version or record where it has one, else of its content)."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.conftest import make_claim, make_document, make_snapshot, make_source, publish


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_a_token_is_kept_by_no_cache(api: APIClient, alice: Any) -> None:
    response = api.post("/api/v1/auth/token/", {"username": "alice", "password": "alice-password"}, format="json")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store" and response["Pragma"] == "no-cache"


def test_each_create_says_where_the_new_object_is(api: APIClient, alice: Any) -> None:
    api.force_authenticate(alice)
    source = api.post("/api/v1/sources/", {"name": "Sayari", "kind": "research_firm", "reliability": "B",
                                           "reliability_rationale": "Records."}, format="json")
    document = api.post("/api/v1/documents/", {"title": "Report", "publisher": "sayari",
                                               "published_on": "2025-10-01"}, format="json")
    snapshot = api.post("/api/v1/snapshots/", {"document": document.json()["id"], "text": "Archived words."},
                        format="json")
    claim = api.post("/api/v1/claims/", {"text": "A claim.", "claimant": "sayari", "document": document.json()["slug"],
                                         "asserted_on": "2025-10-01", "credibility": 3,
                                         "credibility_rationale": "r"}, format="json")
    other = api.post("/api/v1/claims/", {"text": "Another.", "claimant": "sayari", "document": document.json()["slug"],
                                         "asserted_on": "2025-10-01", "credibility": 3,
                                         "credibility_rationale": "r"}, format="json")
    link = api.post("/api/v1/links/", {"from_claim": claim.json()["slug"], "to_claim": other.json()["slug"],
                                       "link_type": "supports", "rationale": "r"}, format="json")
    annotation = api.post("/api/v1/annotations/", {"snapshot": snapshot.json()["id"], "start": 0, "end": 8},
                          format="json")
    for kind, response in [("sources", source), ("documents", document), ("snapshots", snapshot),
                           ("claims", claim), ("links", link), ("annotations", annotation)]:
        assert response.status_code == 201, (kind, response.json())
        assert response["Location"] == f"http://testserver/api/v1/{kind}/{response.json()['id']}/"
        read = api.get(response["Location"])
        assert read.json()["id"] == response.json()["id"]
        assert response["ETag"] == read["ETag"], kind  # the new object's tag, as its address gives it


def test_every_read_has_an_entity_tag_and_answers_304_to_it(api: APIClient, alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice, document=make_document(alice, publisher=make_source(alice, name="Sayari"))),
                    author=alice, editor=bob)
    snapshot = make_snapshot(alice, claim.document, text="Other archived words.")
    public = [f"/api/v1/claims/{claim.pk}/provenance/", f"/api/v1/claims/{claim.pk}/claimreview/",
              "/api/v1/sources/", "/api/v1/documents/", "/api/v1/annotations/", "/api/v1/links/",
              f"/api/v1/snapshots/{claim.annotation.snapshot_id}/", "/api/v1/snapshots/"]
    team = ["/api/v1/claims/", "/api/v1/review-events/", f"/api/v1/snapshots/{snapshot.pk}/",
            f"/api/v1/claims/{claim.pk}/history/"]
    for client, urls in [(APIClient(), public), (api, team)]:
        if urls is team:
            client.force_authenticate(alice)
        for url in urls:
            first = client.get(url)
            assert first.status_code == 200 and first.has_header("ETag"), url
            again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
            assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content, url
    before = APIClient().get("/api/v1/sources/")["ETag"]
    publish(make_claim(alice, claimant=make_source(alice, name="Another source"), text="Later."), author=alice,
            editor=bob)
    assert APIClient().get("/api/v1/sources/", HTTP_IF_NONE_MATCH=before).status_code == 200  # changed: a new tag


def test_the_public_reads_without_a_state_of_their_own_have_an_entity_tag_too(client: Any, alice: Any,
                                                                            bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    for url in [f"/snapshots/{claim.annotation.snapshot_id}/", "/transparency/", "/transparency/head.json",
                "/transparency/entries/0.json", "/robots.txt"]:
        first = client.get(url)
        assert first.status_code == 200 and first.has_header("ETag"), url
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, url
    client.force_login(alice)  # a signed-in page is no-store: no tag, nothing to revalidate
    assert not client.get("/desk/").has_header("ETag")


def test_the_snapshot_of_bytes_already_archived_has_its_tag_too(api: APIClient, alice: Any) -> None:
    document = make_document(alice)
    api.force_authenticate(alice)
    body = {"document": document.pk, "text": "Archived words."}
    created, again = api.post("/api/v1/snapshots/", body, format="json"), api.post("/api/v1/snapshots/", body,
                                                                                 format="json")
    assert (created.status_code, again.status_code) == (201, 200)
    assert again["ETag"] == created["ETag"] == api.get(again["Location"])["ETag"]


def test_history_refused_to_anonymous_names_the_scheme(alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    response = APIClient().get(f"/api/v1/claims/{claim.pk}/history/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
