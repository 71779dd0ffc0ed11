"""Each kind of bad request gets the status the rest of the API gives its kind: a bad parameter
is a 400 naming it, an unknown format a 406, and negotiation follows Accept's qualities."""

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.conftest import make_claim, make_document, make_snapshot, make_source, publish

PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.mark.parametrize("cursor", ["garbage", "cD0xMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTA%3D"])
def test_a_cursor_we_did_not_give_is_a_400_naming_it(api: APIClient, db: Any, cursor: str) -> None:
    response = api.get(f"/api/v1/claims/?cursor={cursor}")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["cursor"]


def test_a_bad_parameter_does_not_say_nothing_was_saved(api: APIClient, db: Any) -> None:
    response = api.get("/api/v1/claims/?credibility=9")
    assert response.status_code == 400
    assert "saved" not in response.json()["detail"] and "credibility" in response.json()["fields"]


def test_an_unknown_format_is_a_406_naming_those_there_are(api: APIClient, db: Any) -> None:
    response = api.get("/api/v1/claims/?format=xml")
    assert response.status_code == 406 and response.json()["error"] == "not_acceptable"
    assert "json" in response.json()["detail"]
    assert response["Content-Type"] == "application/json"
    assert api.get("/api/v1/claims/?format=json").status_code == 200
    assert api.get("/api/v1/claims/?format=").status_code == 406  # an empty one names none either
    refused = api.get("/api/v1/claims/", HTTP_ACCEPT="text/csv")
    assert refused.status_code == 406 and "application/json" in refused.json()["detail"]


def test_the_document_publisher_filter_takes_a_slug_or_an_id_as_the_others_do(api: APIClient, alice: Any,
                                                                             bob: Any) -> None:
    publisher = make_source(alice, name="Sayari")
    claim = publish(make_claim(alice, document=make_document(alice, publisher=publisher)), author=alice,
                    editor=bob)
    malformed = api.get("/api/v1/documents/?publisher=no%20such")
    assert malformed.status_code == 400 and "publisher" in malformed.json()["fields"]
    for client in (api, APIClient()):  # the team's rows, and the public record
        if client is api:
            client.force_authenticate(alice)
        for value in (publisher.slug, str(publisher.pk)):
            rows = client.get(f"/api/v1/documents/?publisher={value}").json()["results"]
            assert [row["id"] for row in rows] == [claim.document_id], value
        assert client.get("/api/v1/documents/?publisher=nobody").json()["results"] == []


def test_accept_qualities_choose_the_representation(api: APIClient, alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice), text="Archived words to annotate.")
    api.force_authenticate(alice)
    url = "/api/v1/annotations/"

    def chosen(accept: str) -> tuple[int, str]:
        response = api.get(url, HTTP_ACCEPT=accept)
        return response.status_code, response["Content-Type"].split(";")[0]

    assert chosen("application/json;q=0.2, application/ld+json") == (200, "application/ld+json")
    assert chosen("application/ld+json;q=0.2, application/json") == (200, "application/json")
    assert chosen("application/ld+json, application/json") == (200, "application/json")  # a tie: ours first
    assert chosen("*/*, application/json;q=0") == (200, "application/ld+json")
    assert chosen("application/json;q=0")[0] == 406
    assert snapshot.pk


def test_a_w3c_page_past_the_last_says_where_the_pages_are(api: APIClient, alice: Any) -> None:
    snapshot = make_snapshot(alice, make_document(alice), text="Archived words to annotate.")
    api.force_authenticate(alice)
    api.post("/api/v1/annotations/", json.dumps({"snapshot": snapshot.pk, "start": 0, "end": 8,
                                                 "motivation": "commenting"}), content_type="application/json")
    missing = api.get("/api/v1/annotations/?page=5", HTTP_ACCEPT=PROFILE)
    assert missing.status_code == 404
    assert 'page=0>; rel="first"' in missing["Link"] and 'page=0>; rel="last"' in missing["Link"]
    assert 'rel="last"' in api.get("/api/v1/annotations/?page=0", HTTP_ACCEPT=PROFILE)["Link"]
