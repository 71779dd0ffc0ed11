"""Every write names another object as the rest of the API does (factcheck.api_references): a
source, document or claim by its slug or its id, an annotation by its uuid or its id; in JSON a
string is the slug (or uuid) and an integer the id, and a form's digits are an id when no slug is
those digits. What worked before keeps working."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from claims.models import Claim, ClaimLink
from sources.models import Snapshot
from tests.conftest import anchor, make_claim, make_document


@pytest.fixture
def api(alice: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(alice)
    return client


@pytest.mark.parametrize("by", ["slug", "id"])
def test_a_snapshot_names_its_document_by_slug_or_id(api: APIClient, alice: Any, by: str) -> None:
    document = make_document(alice)
    response = api.post("/api/v1/snapshots/", {"document": getattr(document, by), "text": "Words."}, format="json")
    assert response.status_code == 201, response.json()
    assert Snapshot.objects.get().document == document


def test_a_snapshot_upload_still_names_its_document_by_id_in_a_form(api: APIClient, alice: Any) -> None:
    document = make_document(alice)
    response = api.post("/api/v1/snapshots/", {"document": document.pk, "text": "Words."}, format="multipart")
    assert response.status_code == 201, response.json()
    by_slug = api.post("/api/v1/snapshots/", {"document": document.slug, "text": "Other."}, format="multipart")
    assert by_slug.status_code == 201 and Snapshot.objects.filter(document=document).count() == 2


@pytest.mark.parametrize("by", ["slug", "pk"])
def test_a_link_names_its_claims_by_slug_or_id(api: APIClient, alice: Any, by: str) -> None:
    first, second = make_claim(alice, text="First claim"), make_claim(alice, text="Second claim")
    response = api.post("/api/v1/links/", {"from_claim": getattr(first, by), "to_claim": getattr(second, by),
                                           "link_type": "supports", "rationale": "Same filing."}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["from_claim"], response.json()["to_claim"]) == (first.slug, second.slug)  # as before
    assert ClaimLink.objects.get().from_claim == first


@pytest.mark.parametrize("by", ["uuid", "pk"])
def test_a_claims_annotation_is_named_by_uuid_or_id(api: APIClient, alice: Any, by: str) -> None:
    document = make_document(alice)
    annotation = anchor(alice, document, "Wang acquired")
    body = {"text": "Wang acquired a stake.", "quote": "Wang acquired", "annotation": (
        str(annotation.uuid) if by == "uuid" else annotation.pk), "claimant": document.publisher.pk,
        "document": document.pk, "asserted_on": "2025-11-29", "credibility": 3, "credibility_rationale": "r"}
    response = api.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["annotation"] == str(annotation.uuid)
    assert Claim.objects.get().annotation == annotation


@pytest.mark.parametrize("value,message", [(999999, "No document has this slug or id."),
                                           ("no-such-document", "No document has this slug or id."),
                                           ("5", "No document has this slug or id."),  # JSON text is a slug
                                           (True, "A slug (a string) or an id (a whole number), not bool."),
                                           (2.0, "A slug (a string) or an id (a whole number), not float."),
                                           (2**70, "No document has this slug or id.")])
def test_a_reference_that_names_nothing_is_a_400_naming_it(api: APIClient, alice: Any, value: Any,
                                                           message: str) -> None:
    make_document(alice)
    response = api.post("/api/v1/snapshots/", {"document": value, "text": "Words."}, format="json")
    assert response.status_code == 400 and response.json()["fields"] == {"document": [message]}
    assert not Snapshot.objects.exists()


def test_an_annotation_that_is_not_a_uuid_is_refused_naming_it(api: APIClient, alice: Any) -> None:
    document = make_document(alice)
    body = {"text": "A claim.", "annotation": "not-a-uuid", "claimant": document.publisher.slug,
            "document": document.slug, "asserted_on": "2025-11-29", "credibility": 3, "credibility_rationale": "r"}
    response = api.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 400 and response.json()["fields"] == {
        "annotation": ["No annotation has this uuid or id."]}


def test_the_schema_says_what_each_reference_takes(client: Any, db: Any) -> None:
    schemas = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    link = schemas["LinkRequest"]["properties"]["from_claim"]
    assert [branch["type"] for branch in link["oneOf"]] == ["string", "integer"]
    assert "slug (a string) or its id (an integer)" in link["description"]
    annotation = schemas["ClaimWriteRequest"]["properties"]["annotation"]
    assert "uuid (a string) or its id (an integer)" in annotation["description"] and annotation["nullable"]
    assert "slug" not in str(annotation["oneOf"][0])
