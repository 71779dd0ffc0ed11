"""A JSON body's integers are JSON numbers, as the OpenAPI schema says: "3" for 3 is a 400 naming
the field, on every write (factcheck.api.StrictFieldsMixin); a form's values are text and are read
as numbers, as forms always are."""

from typing import Any
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from claims.models import Claim
from sources.models import Annotation, Snapshot
from tests.conftest import make_claim, make_document, make_snapshot

NOT_AN_INTEGER = "Not a valid integer: send a JSON number, not text."


@pytest.fixture
def api(alice: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(alice)
    return client


def _claim_body(document: Any, **overrides: Any) -> dict[str, Any]:
    return {"text": "Rustakt makes the VT-40.", "claimant": document.publisher.slug, "document": document.slug,
            "asserted_on": "2025-11-29", "credibility": 2, "credibility_rationale": "Company filings.", **overrides}


@pytest.mark.parametrize("credibility", ["3", 3.0, True, "three"])
def test_a_claims_credibility_as_anything_but_a_json_integer_is_a_400(api: APIClient, alice: Any,
                                                                      credibility: Any) -> None:
    document = make_document(alice)
    response = api.post("/api/v1/claims/", _claim_body(document, credibility=credibility), format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid" and list(response.json()["fields"]) == ["credibility"]
    assert not Claim.objects.exists()


def test_a_version_as_text_is_a_400_and_nothing_changes(api: APIClient, alice: Any) -> None:
    claim = make_claim(alice)
    response = api.patch(f"/api/v1/claims/{claim.pk}/", {"credibility": 4, "reason": "r", "version": "1"},
                         format="json")
    assert response.status_code == 400 and response.json()["fields"] == {"version": [NOT_AN_INTEGER]}
    submit = api.post(f"/api/v1/claims/{claim.pk}/submit/", {"version": "1"}, format="json")
    assert submit.status_code == 400 and submit.json()["fields"] == {"version": [NOT_AN_INTEGER]}
    claim.refresh_from_db()
    assert (claim.version, claim.credibility, claim.status) == (1, 2, "draft")


def test_an_annotations_offsets_and_snapshot_id_as_text_are_a_400(api: APIClient, alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice))
    body = {"snapshot": snapshot.pk, "start": 0, "end": 6, "motivation": "commenting"}
    for field in ["snapshot", "start", "end"]:
        response = api.post("/api/v1/annotations/", {**body, field: str(body[field])}, format="json")
        assert response.status_code == 400 and response.json()["fields"] == {field: [NOT_AN_INTEGER]}
    assert not Annotation.objects.exists()
    assert api.post("/api/v1/annotations/", body, format="json").status_code == 201


def test_a_snapshots_document_id_as_text_is_a_400(api: APIClient, alice: Any) -> None:
    """JSON text names a document by its slug (factcheck.api_references); its id is a number."""
    document = make_document(alice)
    response = api.post("/api/v1/snapshots/", {"document": str(document.pk), "text": "Words."}, format="json")
    assert response.status_code == 400 and response.json()["fields"] == {
        "document": ["No document has this slug or id."]}
    assert not Snapshot.objects.exists()


def test_a_revert_with_a_history_id_as_text_is_a_400(api: APIClient, alice: Any) -> None:
    claim = make_claim(alice)
    history_id = claim.history.earliest().history_id
    response = api.post(f"/api/v1/claims/{claim.pk}/revert/", {"history_id": str(history_id), "reason": "r",
                                                               "version": 1}, format="json")
    assert response.status_code == 400 and response.json()["fields"] == {"history_id": [NOT_AN_INTEGER]}


def test_a_form_body_still_reads_its_numbers_from_text(api: APIClient, alice: Any) -> None:
    document = make_document(alice)
    multipart = api.post("/api/v1/claims/", _claim_body(document, credibility="3", slug="multipart"),
                         format="multipart")
    urlencoded = api.post("/api/v1/claims/", urlencode(_claim_body(document, credibility="4", slug="urlencoded")),
                          content_type="application/x-www-form-urlencoded")
    assert (multipart.status_code, urlencoded.status_code) == (201, 201), (multipart.json(), urlencoded.json())
    assert (multipart.json()["credibility"], urlencoded.json()["credibility"]) == (3, 4)
    claim = Claim.objects.get(slug="multipart")
    step = api.post(f"/api/v1/claims/{claim.pk}/submit/", urlencode({"version": "1"}),
                    content_type="application/x-www-form-urlencoded")
    assert step.status_code == 200 and step.json()["status"] == "in_review"
