"""Reference filters take what create takes (slugs; ids where create takes ids), a reference
naming nothing finds nothing, and a malformed value is a 400 in the error shape, on pages and
API alike."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from claims import services
from tests.conftest import make_claim, make_document, make_link, make_snapshot, publish


@pytest.fixture
def team(alice: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(alice)
    return client


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def test_a_links_claim_filter_takes_the_slug_a_link_is_proposed_with(team: APIClient, alice: Any) -> None:
    first, second, third = (make_claim(alice, text=text) for text in ["First.", "Second.", "Third."])
    link = make_link(alice, first, second)
    make_link(alice, second, third)
    assert _ids(team.get(f"/api/v1/links/?claim={first.slug}")) == [link.pk]
    assert _ids(team.get(f"/api/v1/links/?claim={first.pk}")) == [link.pk]
    assert len(_ids(team.get(f"/api/v1/links/?claim={second.slug}"))) == 2


def test_review_events_filter_by_claim_slug(team: APIClient, alice: Any) -> None:
    claim = make_claim(alice, text="Submitted.")
    services.claim_submit(claim=claim, actor=alice, version=claim.version)
    make_claim(alice, text="Other.")
    events = team.get(f"/api/v1/review-events/?claim={claim.slug}").json()["results"]
    assert events and {event["claim"] for event in events} == {claim.slug}


def test_snapshots_filter_by_document_slug_or_id(team: APIClient, alice: Any) -> None:
    document, other = make_document(alice, title="One report"), make_document(alice, title="Another report")
    snapshot = make_snapshot(alice, document, text="Words of one.")
    make_snapshot(alice, other, text="Words of another.")
    assert _ids(team.get(f"/api/v1/snapshots/?document={document.slug}")) == [snapshot.pk]
    assert _ids(team.get(f"/api/v1/snapshots/?document={document.pk}")) == [snapshot.pk]


@pytest.mark.parametrize("url", ["/api/v1/annotations/?snapshot=424242", "/api/v1/snapshots/?document=424242",
                                 "/api/v1/snapshots/?document=no-such-document", "/api/v1/links/?claim=no-such-claim",
                                 "/api/v1/claims/?claimant=no-such-source", "/api/v1/review-events/?link=424242"])
def test_a_reference_naming_nothing_is_an_empty_list_not_a_400(team: APIClient, url: str) -> None:
    """Never a hint of what exists: the same empty list for the team and the public."""
    for client in [team, APIClient()]:
        response = client.get(url)
        assert response.status_code == 200 and response.json()["results"] == [], (url, response.json())


@pytest.mark.parametrize("url,field", [("/api/v1/claims/?credibility=9", "credibility"),
                                       ("/api/v1/claims/?document=a%20b", "document"),
                                       ("/api/v1/links/?claim=one%2Ftwo", "claim"),
                                       ("/api/v1/annotations/?snapshot=first", "snapshot"),
                                       ("/api/v1/claims/?asserted_after=2025-13-01", "asserted_after"),
                                       ("/api/v1/claims/?page_size=0", "page_size"),
                                       ("/api/v1/claims/?page_size=101", "page_size")])
def test_a_malformed_filter_is_a_400_in_the_error_shape(team: APIClient, db: Any, url: str, field: str) -> None:
    for client in [team, APIClient()]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json()["error"] == "invalid" and field in response.json()["fields"]


def test_the_claims_page_refuses_the_same_credibility_as_the_api(client: Any, db: Any) -> None:
    assert client.get("/claims/?credibility=9").status_code == 400
    assert APIClient().get("/api/v1/claims/?credibility=9").status_code == 400


def test_the_public_reads_annotations_of_a_snapshot(alice: Any, bob: Any) -> None:
    claim = publish(make_claim(alice), author=alice, editor=bob)
    snapshot_id = claim.annotation.snapshot_id
    assert _ids(APIClient().get(f"/api/v1/annotations/?snapshot={snapshot_id}")) == [claim.annotation_id]
    assert _ids(APIClient().get(f"/api/v1/claims/?claimant={claim.claimant.slug}")) == [claim.pk]
    assert _ids(APIClient().get(f"/api/v1/claims/?claimant={claim.claimant_id}")) == [claim.pk]
    assert _ids(APIClient().get(f"/api/v1/claims/?document={claim.document.slug}")) == [claim.pk]
