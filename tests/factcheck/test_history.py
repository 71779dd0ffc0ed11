"""Every tracked change keeps who made it, when and why."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, ClaimLink, ReviewEvent
from sources.models import Annotation, Document, Snapshot, Source
from tests.conftest import make_claim, make_link, publish


def test_all_seven_models_are_tracked() -> None:
    for model in (Source, Document, Snapshot, Annotation, Claim, ClaimLink, ReviewEvent):
        assert hasattr(model, "history"), model


def test_a_service_change_records_user_and_reason(alice: Any) -> None:
    claim = make_claim(alice)
    services.claim_update(claim=claim, actor=alice, version=claim.version,
                          changes={"credibility": 3}, reason="Only one source seen")
    latest = claim.history.latest()
    assert latest.history_user_id == alice.pk
    assert latest.history_username == "alice"
    assert latest.history_change_reason == "Only one source seen"
    assert latest.credibility == 3
    assert latest.history_type == "~"


def test_the_history_keeps_who_made_a_change_after_the_account_is_deleted(alice: Any) -> None:
    claim = make_claim(alice)
    alice_id = alice.pk
    alice.delete()
    record = Claim.history.filter(id=claim.pk).earliest()
    assert record.history_user_id == alice_id
    assert record.history_username == "alice"
    assert record.history_change_reason == "Claim drafted"


def test_a_change_made_through_a_request_is_attributed_to_the_request_user(client: Any, bob: Any) -> None:
    client.force_login(bob)
    response = client.post("/admin/sources/source/add/", {
        "name": "Sayari", "slug": "sayari", "kind": "research_firm", "reliability": "B",
        "reliability_rationale": "Commercial corporate-records analytics.",
    })
    assert response.status_code == 302, response.content
    record = Source.history.get(slug="sayari")
    assert (record.history_user_id, record.history_username) == (bob.pk, "bob")
    assert record.history_change_reason == "Created in the admin"


@pytest.mark.parametrize("kind", ["claims", "links", "sources", "documents", "annotations"])
def test_history_outside_the_team_is_refused_not_a_500(client: Any, alice: Any, bob: Any, erin: Any,
                                                       kind: str) -> None:
    """An anonymous read of a public claim finds the public record's form, which has no history."""
    first = publish(make_claim(alice, text="First."), author=alice, editor=bob)
    second = publish(make_claim(alice, text="Second."), author=alice, editor=bob)
    link = make_link(alice, first, second)
    services.link_accept(link=link, actor=bob, version=link.version)
    ids = {"claims": first.pk, "links": link.pk, "sources": first.claimant_id, "documents": first.document_id,
           "annotations": first.annotation_id}
    url = f"/api/v1/{kind}/{ids[kind]}/history/"
    api = APIClient(raise_request_exception=False)
    assert api.get(url).status_code == 401
    api.force_authenticate(erin)
    assert api.get(url).status_code == 403
    api.force_authenticate(alice)
    assert api.get(url).status_code == 200
